"""The evidence of a fact: the slice of the source document its span points at.

The graph keeps offsets (``span_start``, ``span_end``) and the file's source path and SHA-256,
not the document text, so the slice is cut here from the file, decoded exactly as the extractor
decoded it (``healthgov.extract.read``). A file that moved or changed since it was loaded gives no
slice and a note saying why, rather than a wrong one.

Source paths are relative to what was given to ``healthgov build`` (``corpus/000_x.txt`` for a
directory ``corpus``, the bare file name for a file), so the graph carries no path of the build
machine. They are looked up under the *source roots*: the directories given by ``healthgov serve
--sources`` and ``HEALTHGOV_SOURCES`` (``os.pathsep``-separated), then the current directory. A
root may be the directory the build ran in (it holds ``corpus/``) or the built directory itself
(``corpus``). Among the files found, the one with the recorded SHA-256 is the evidence.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

SOURCES_ENV = "HEALTHGOV_SOURCES"
_configured: list[Path] = []


def set_source_roots(dirs: list[str | os.PathLike[str]]) -> None:
    """The directories ``healthgov serve --sources`` names (searched before the environment's)."""
    _configured[:] = [Path(d).resolve() for d in dirs]


def source_roots() -> list[Path]:
    env = [Path(d) for d in os.environ.get(SOURCES_ENV, "").split(os.pathsep) if d.strip()]
    roots: list[Path] = []
    for r in [*_configured, *env, Path.cwd()]:
        r = r.resolve()
        if r not in roots:
            roots.append(r)
    return roots


def _candidates(source_path: str, roots: list[Path]) -> list[Path]:
    if os.path.isabs(source_path):
        # A graph built before source paths were made relative recorded them absolute.
        return [Path(source_path)]
    rel = PurePosixPath(source_path.replace("\\", "/"))
    if ".." in rel.parts or not rel.parts:
        return []  # a source path never climbs out of its root: not one the build wrote
    out: list[Path] = []
    for root in roots:
        out.append(root.joinpath(*rel.parts))
        if len(rel.parts) > 1 and rel.parts[0] == root.name:
            out.append(root.joinpath(*rel.parts[1:]))  # the root is the built directory itself
    return out


@lru_cache(maxsize=32)
def _decoded(path: str, sha256: str | None, _mtime_ns: int, _size: int) -> str | None:
    """The decoded text of ``path``, or None when its bytes are not the ones loaded.

    Keyed on the file's mtime and size too, so a file replaced while ``serve`` runs is read again.
    """
    raw = Path(path).read_bytes()
    if sha256 and hashlib.sha256(raw).hexdigest() != sha256:
        return None
    from healthgov.extract.read import read_document

    text, _fmt, _enc = read_document(Path(path))
    return text


def _source_text(source_path: str, sha256: str | None) -> tuple[str | None, str | None]:
    roots = source_roots()
    changed = False
    for cand in _candidates(source_path, roots):
        try:
            if not cand.is_file():
                continue
            st = cand.stat()
        except OSError:
            continue
        text = _decoded(str(cand), sha256, st.st_mtime_ns, st.st_size)
        if text is not None:
            return text, None
        changed = True
    # The notes reach API clients: they name the source path, never this machine's directories.
    if changed:
        return None, f"source file {source_path} changed since it was loaded (its SHA-256 differs)"
    return None, (f"source file {source_path} not found in the current directory or the source roots: run from "
                  "the directory `healthgov build` ran in, or name the directory holding it with "
                  f"`healthgov serve --sources DIR` or {SOURCES_ENV}")


def source_text(source_path: str | None, sha256: str | None) -> tuple[str | None, str | None]:
    """(the whole decoded source text, None), or (None, why not): what an evidence page draws on."""
    if not source_path:
        return None, "no source file recorded for this policy"
    try:
        return _source_text(source_path, sha256)
    except Exception as exc:  # noqa: BLE001 - unreadable evidence is reported, never a server error
        return None, f"source file {source_path} could not be read ({type(exc).__name__})"


def span_text(source_path: str | None, sha256: str | None, start: int | None, end: int | None) -> tuple[str | None, str | None]:
    """(text[start:end], None), or (None, why not)."""
    if not source_path or start is None or end is None:
        return None, "no span recorded"
    try:
        text, note = _source_text(source_path, sha256)
    except Exception as exc:  # noqa: BLE001 - unreadable evidence is reported, never a server error
        return None, f"source file {source_path} could not be read ({type(exc).__name__})"
    if text is None:
        return None, note
    if not 0 <= start <= end <= len(text):
        return None, f"span [{start}, {end}) lies outside the source text"
    return text[start:end], None


def attach_span_text(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        row["span_text"], row["span_note"] = span_text(
            row.get("source_path"), row.get("source_sha256"), row.get("span_start"), row.get("span_end")
        )


# Query name → the step that completes its rows after the Cypher ran.
POSTPROCESS = {"task-detail": attach_span_text}
