"""File → ``DocumentRecord``: read → clean → metadata → structure → fact extractors.

A fact extractor (responsibilities, targets, tagging) that fails on a document is recorded as
a warning in the record: one extractor's bug never loses the document.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from healthgov.extract.clean import PAGE_KINDS, find_chrome
from healthgov.extract.document import DocView
from healthgov.extract.errors import ExtractError
from healthgov.extract.facts.provisions import assign_provision_duties, is_regulation_title
from healthgov.extract.facts.responsibilities import assign_responsibilities
from healthgov.extract.facts.responsibilities.tables import duty_rows
from healthgov.extract.facts.tagging import tag_tasks
from healthgov.extract.facts.targets import extract_targets
from healthgov.extract.metadata import extract_policy, place_warnings
from healthgov.extract.read import DEFAULT_MAX_BYTES, read_document
from healthgov.extract.structure import parse_structure
from healthgov.extract.structure.layout import build_layout
from healthgov.ids import sha256_file, sha256_text, to_simplified
from healthgov.records import DocumentRecord, Span, Task

_SKIP_SUFFIXES = {".md", ".json", ".jsonl", ".csv", ".py", ".ttl", ".yaml", ".yml", ".toml", ".cfg", ".ini", ".log"}


def extract_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> DocumentRecord:
    """One file → one record; raises ``ExtractError`` with a one-line reason."""
    source = str(path)
    text, fmt, encoding = read_document(path, max_bytes=max_bytes)
    raw_sha = sha256_file(path)
    try:
        return extract_text(text, source, fmt=fmt, encoding=encoding, sha256=raw_sha)
    except ExtractError:
        raise
    except RecursionError as e:
        raise ExtractError(source, "document structure too deeply nested") from e


def extract_text(text: str, source: str = "<text>", fmt: str = "txt", encoding: str = "utf-8",
                 sha256: str | None = None) -> DocumentRecord:
    simp = to_simplified(text)
    warnings: list[str] = []
    removed = find_chrome(text, simp)
    layout = build_layout(text, simp, removed)
    policy = extract_policy(text, simp, removed, layout)
    if not policy.title:
        raise ExtractError(source, "not a policy document (no title found)")
    regulation = is_regulation_title(policy.title, policy.short_title)
    sections, tables, tasks, body_start = parse_structure(text, simp, removed, policy.id, layout, regulation)
    removed.sort(key=lambda r: r.span.start)
    doc = DocView(source, text, _without_page_layer(simp, removed), policy, sections, tables, removed, body_start)
    tasks = _add_duty_row_tasks(doc, tasks, policy.id, warnings)
    if not tasks and not sections and not tables:
        if not (policy.issuers or policy.doc_number or policy.issued_on):
            raise ExtractError(source, "not a policy document (no headings, tasks or tables found)")
        # A short notice in running paragraphs: a policy document, with no items to read duties in.
        warnings.append("no numbered items, headings or tables: the document has no tasks")
    _guard(lambda: assign_responsibilities(doc, tasks, warnings), "responsibilities", warnings)
    if any(t.kind == "provision" for t in tasks):
        _guard(lambda: assign_provision_duties(doc, tasks), "provision duties", warnings)
    targets = _guard(lambda: extract_targets(doc, tasks, policy.id), "targets", warnings) or []
    _guard(lambda: tag_tasks(tasks), "tagging", warnings)
    # After the duties: a duty list may have told the jurisdiction the header did not.
    warnings.extend(place_warnings(policy.issuers, policy.jurisdiction))
    return DocumentRecord(
        source=source, sha256=sha256 or sha256_text(text), format=fmt,
        encoding=encoding, text=text, policy=policy, sections=sections, tasks=tasks, targets=targets,
        removed=removed, warnings=warnings,
    )


def _without_page_layer(simp: str, removed: list) -> str:
    """The simplified twin with the page layer (page numbers, running headers, letterheads printed
    inside an item) blanked, same length: the fact extractors read an item's text over a page
    break as one text, never a running header as a sentence of it."""
    cuts = [r.span for r in removed if r.kind in PAGE_KINDS]
    if not cuts:
        return simp
    chars = list(simp)
    for sp in cuts:
        chars[sp.start : sp.end] = " " * (sp.end - sp.start)
    # A sentence broken by the page (no sentence end before the break) reads on as one line: the
    # line breaks around the page layer are blanked too ("（卫" / "26" / "生健康委牵头，…）").
    for sp in cuts:
        a = sp.start
        while a > 0 and chars[a - 1].isspace():
            a -= 1
        b = sp.end
        while b < len(chars) and chars[b].isspace():
            b += 1
        if 0 < a and b < len(chars) and chars[a - 1] not in _PARAGRAPH_END:
            chars[a:b] = " " * (b - a)
    return "".join(chars)


_PARAGRAPH_END = set("。！？!?；;：:）)")


def _guard(fn, name: str, warnings: list[str]):
    # A bug in one fact extractor must not lose the whole document: record it and go on.
    try:
        return fn()
    except Exception as e:  # noqa: BLE001
        warnings.append(f"step {name} failed: {type(e).__name__}: {e}")
        return None


def _add_duty_row_tasks(doc: DocView, tasks: list[Task], policy_id: str, warnings: list[str]) -> list[Task]:
    """Rows of a duty list (unit | duties) that no task covers become tasks of their own."""
    try:
        rows = duty_rows(doc, tasks)
    except Exception as e:  # noqa: BLE001
        warnings.append(f"duty rows failed: {type(e).__name__}: {e}")
        return tasks
    added: list[Task] = []
    for k, (_ref, cell) in enumerate(rows, start=1):
        row_start = doc.text.rfind("\n", 0, cell.span.start) + 1
        row_end = doc.text.find("\n", cell.span.end)
        row_end = len(doc.text) if row_end < 0 else row_end
        while row_end > row_start and doc.text[row_end - 1] in " \t\u3000\xa0":
            row_end -= 1
        if any(t.span.start <= row_start < t.span.end or row_start <= t.span.start < row_end for t in tasks):
            continue
        table = next((tb for tb in doc.tables if tb.span.start <= row_start <= tb.span.end), None)
        section = table.section if table else None
        path = _section_path(doc, section) + [str(k)]
        title = re.split(r"[。;；]", doc.text[cell.span.start : cell.span.end], maxsplit=1)[0].strip()
        added.append(Task("", section, path, str(k), title, doc.text[row_start:row_end], Span(row_start, row_end)))
    if not added:
        return tasks
    out = sorted(tasks + added, key=lambda t: t.span.start)
    for n, t in enumerate(out, start=1):
        t.id = f"{policy_id}/t{n}"
    return out


def _section_path(doc: DocView, section_id: str | None) -> list[str]:
    out: list[str] = []
    sec = doc.section(section_id)
    while sec is not None:
        out.append(sec.number)
        sec = doc.section(sec.parent)
    return out[::-1]


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files under the given paths: directories recursively, sorted, hidden files and notes skipped."""
    for f, _name in iter_sources(paths):
        yield f


def iter_sources(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str]]:
    """``iter_files``, each file with the source path the graph records for it.

    The name is relative to the argument the file was found under: ``corpus/sub/000_x.txt``
    for a directory argument ``corpus`` (however it was spelled: ``./corpus``, an absolute
    path), the file name for a file argument. The build machine's directories never enter the
    graph, its exports or the API; ``healthgov.queries.evidence`` finds the file again under a
    source root.
    """
    for p in paths:
        p = Path(p)
        base = Path(os.path.abspath(p)).name  # "." names the current directory
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                # A dangling or looping symlink is reported, not silently skipped: the user meant
                # that file to be read.
                if any(part.startswith(".") for part in rel.parts) or not (f.is_file() or _dangling(f)):
                    continue
                if f.suffix.lower() in _SKIP_SUFFIXES or f.name.upper().startswith(("README", "LICENSE", "SOURCES")):
                    continue
                yield f, "/".join(filter(None, (base, rel.as_posix())))
        else:
            yield p, base


def no_documents() -> str:
    """What ``healthgov build`` says of a directory in which ``iter_files`` found nothing."""
    skipped = " ".join(sorted(_SKIP_SUFFIXES))
    return ("no documents found: build reads plain text (.txt), HTML (.html, .htm), .docx and .pdf files, "
            f"directories recursively, and skips hidden files, README*, LICENSE*, SOURCES* and {skipped}")


def _dangling(f: Path) -> bool:
    return f.is_symlink() and not f.exists()


def extract_paths(paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES,
                  jobs: int = 1) -> Iterator[DocumentRecord | ExtractError]:
    """A record, or the error, for every file under ``paths``; one bad file never stops the rest.

    ``jobs > 1`` extracts in that many worker processes; results still come in file order. A
    record's ``source`` is its name from ``iter_sources``, as ``healthgov build`` records it."""
    names: deque[str] = deque()

    def files() -> Iterator[Path]:
        for f, name in iter_sources(paths):
            names.append(name)
            yield f

    # Results come in input order, one per file taken: the oldest name is the result's.
    for res in extract_files(files(), max_bytes=max_bytes, jobs=jobs):
        name = names.popleft()
        if isinstance(res, DocumentRecord):
            res.source = name
        yield res


def extract_one(f: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> DocumentRecord | ExtractError:
    """The record or the error for one file (never raises: safe to run in a worker process)."""
    if not f.exists() and not f.is_symlink():
        return ExtractError(str(f), "no such file or directory")
    try:
        return extract_file(f, max_bytes=max_bytes)
    except ExtractError as e:
        return e
    except Exception as e:  # noqa: BLE001 - report, keep going with the other files
        return ExtractError(str(f), f"internal error: {type(e).__name__}: {e}")


def extract_files(files: Iterable[Path], max_bytes: int = DEFAULT_MAX_BYTES,
                  jobs: int = 1) -> Iterator[DocumentRecord | ExtractError]:
    """``extract_one`` over ``files`` in order, in ``jobs`` processes when ``jobs > 1``."""
    if jobs <= 1:
        for f in files:
            yield extract_one(f, max_bytes)
        return
    yield from _extract_parallel(iter(files), max_bytes, jobs)


# Files per task sent to a worker: fewer round trips than one file per task, small enough that
# the bounded window stays small and the workers stay evenly loaded.
CHUNK = 4


def _extract_chunk(files: list[Path], max_bytes: int) -> list[DocumentRecord | ExtractError]:
    return [extract_one(f, max_bytes) for f in files]


def _worker_ready() -> int:
    import os

    return os.getpid()


def _extract_parallel(files: Iterator[Path], max_bytes: int, jobs: int) -> Iterator[DocumentRecord | ExtractError]:
    import threading
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from itertools import islice

    from healthgov.extract.workers import forkserver_context

    # Workers are forked by a forkserver (a fresh interpreter, not a copy of this process: the
    # caller may hold a Bolt driver with live threads and sockets) that imported the extractor
    # and parsed the vocabularies once (``healthgov.extract.workers``); each worker starts in
    # milliseconds, and the forkserver lives on for later pools of this process. While the
    # workers start (the first time: ~1 s of imports and vocabulary parsing), this process
    # extracts the first files itself. A bounded window of pending chunks keeps memory flat when
    # the consumer (the loader) is the slower side.
    window = jobs * 4
    with ProcessPoolExecutor(jobs, mp_context=forkserver_context()) as pool:
        ready = threading.Event()
        failed: list[BaseException] = []

        def start() -> None:
            try:
                for fut in [pool.submit(_worker_ready) for _ in range(jobs)]:
                    fut.result()
            except BaseException as e:  # noqa: BLE001 - reported below, in the caller's thread
                failed.append(e)
            finally:
                ready.set()

        starter = threading.Thread(target=start, name="healthgov-extract-start", daemon=True)
        starter.start()
        for f in files:
            yield extract_one(f, max_bytes)
            if ready.is_set():
                break
        starter.join()
        if failed:
            raise failed[0]
        pending: deque = deque()
        while True:
            chunk = list(islice(files, CHUNK))
            if not chunk:
                break
            pending.append(pool.submit(_extract_chunk, chunk, max_bytes))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
