"""The evidence of a fact: the slice of the source document its span points at.

The graph keeps offsets (``span_start``, ``span_end``) and the file's path and SHA-256, not the
document text, so the slice is cut here from the file, decoded exactly as the extractor decoded
it (``healthgov.loaders.read``). A file that moved or changed since it was loaded gives no slice
and a note saying why, rather than a wrong one.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any


@lru_cache(maxsize=32)
def _decoded(path: str, sha256: str | None) -> tuple[str | None, str | None]:
    p = Path(path)
    if not p.is_file():
        return None, f"source file {path} not found (paths are as given to `healthgov build`)"
    raw = p.read_bytes()
    if sha256 and hashlib.sha256(raw).hexdigest() != sha256:
        return None, f"source file {path} changed since it was loaded"
    from healthgov.loaders.read import read_document

    text, _fmt, _enc = read_document(p)
    return text, None


def span_text(source_path: str | None, sha256: str | None, start: int | None, end: int | None) -> tuple[str | None, str | None]:
    """(text[start:end], None), or (None, why not)."""
    if not source_path or start is None or end is None:
        return None, "no span recorded"
    try:
        text, note = _decoded(source_path, sha256)
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
