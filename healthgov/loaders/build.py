"""``build``: policy documents into the graph, as a library call (``healthgov build`` is its UI).

    from healthgov.loaders.build import BuildOptions, build
    with open_store(data_dir=data) as store:
        report = build([Path("corpus")], store, BuildOptions(batch_docs=100))

- Unchanged files are skipped by content hash (one query for the hashes of every loaded
  document) before any extraction; ``force`` reloads them.
- The rest are extracted (in ``jobs`` worker processes) and loaded here, in file order,
  ``batch_docs`` new documents per transaction (``Loader.load_batched``).
- One document's failure never stops the build: it is reported in ``BuildReport.failures`` with
  its reason. A lost store (``BuildReport.lost``) or a full disk (``BuildReport.disk_full``) stops
  it: what was loaded before is whole, the rest is not loaded.
- ``progress`` (optional) hears of each file as it is done, and of warnings as they happen.
- An annex file and the plan listing it, both read in the build, are linked, and the annex takes
  the plan's jurisdiction (``healthgov.loaders.annexes``); an annex read before its plan is
  loaded again at the end.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from healthgov.extract.annexes import adopt_plan
from healthgov.extract.errors import ExtractError
from healthgov.extract.pipeline import extract_files, iter_sources, no_documents
from healthgov.extract.read import DEFAULT_MAX_BYTES
from healthgov.graph.schema import create_schema, load_schema
from healthgov.ids import sha256_file
from healthgov.loaders.annexes import AnnexLinker
from healthgov.loaders.load import LOST, Loader, Outcome, graph_counts, node_counts
from healthgov.records import DocumentRecord


@dataclass
class BuildOptions:
    force: bool = False  # reload documents even when their content is unchanged
    jobs: int = 1  # extraction processes (loading stays in this one, in file order)
    batch_docs: int = 100  # new documents per transaction (1: one transaction per document)
    max_bytes: int = DEFAULT_MAX_BYTES  # a larger file fails (extraction refuses it)
    counts: bool = False  # count every relationship by type at the end (reads all of them)


class BuildProgress(Protocol):
    """What a build tells its caller while it runs (the CLI draws a progress bar with it)."""

    def start(self, total: int) -> None: ...

    def working_on(self, path: Path) -> None: ...

    def advance(self) -> None: ...

    def warning(self, message: str) -> None: ...


class _Silent:
    def start(self, total: int) -> None:
        pass

    def working_on(self, path: Path) -> None:
        pass

    def advance(self) -> None:
        pass

    def warning(self, message: str) -> None:
        pass


@dataclass
class Sources:
    """The files a build reads, each with the source path the graph records (``iter_sources``),
    and the arguments that gave none (with the reason)."""

    files: list[tuple[Path, str]] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)


def find_sources(paths: Iterable[Path]) -> Sources:
    out = Sources()
    for p in paths:
        found = list(iter_sources([p]))
        if not found:  # only a directory can give nothing: a file argument is always tried
            out.failures.append((str(p), no_documents()))
        out.files += found
    return out


@dataclass
class BuildReport:
    files: int = 0
    loaded: int = 0
    skipped: int = 0  # unchanged
    failures: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    warnings: list[str] = field(default_factory=list)
    nodes: dict[str, int] = field(default_factory=dict)  # by label
    rels: dict[str, int] = field(default_factory=dict)  # by type (with ``counts`` only)
    written: Counter[str] = field(default_factory=Counter)  # the engine's counters of this build
    seconds: float = 0.0
    lost: str | None = None  # the store was lost: why
    disk_full: str | None = None  # the bundled engine's disk is full: what to do

    @property
    def stopped(self) -> bool:
        """The build stopped before the end (lost store, full disk)."""
        return bool(self.lost or self.disk_full)


def build(paths: Sources | Iterable[Path], store: Any, options: BuildOptions | None = None,
          progress: BuildProgress | None = None) -> BuildReport:
    """Extract the documents under ``paths`` and load them into ``store`` (see the module)."""
    options = options or BuildOptions()
    progress = progress or _Silent()
    started = time.monotonic()
    sources = paths if isinstance(paths, Sources) else find_sources(paths)
    report = BuildReport(files=len(sources.files), failures=list(sources.failures))
    if not sources.files:
        return report
    schema = load_schema()
    create_schema(store, schema)
    loader = Loader(store, schema, force=options.force)
    try:
        loader.load_vocabularies()
    except Exception as e:  # noqa: BLE001 - documents still load; concept nodes get made on use
        _warn(report, progress, f"vocabularies not loaded: {e}")
    progress.start(len(sources.files))
    todo = _changed(sources.files, loader, options, report, progress)
    annexes = AnnexLinker()
    outcomes = loader.load_batched(_records(todo, options, report, progress, annexes),
                                   batch_docs=options.batch_docs)
    try:
        _tally(outcomes, store, report, progress)
    finally:
        outcomes.close()
    report.written = loader.written
    if not report.stopped and (annexes.annexes or annexes.run_plans):
        read = {name for _f, name in todo}
        skipped = {name: f for f, name in sources.files if name not in read}
        _link_late_annexes(annexes, loader, options, report, progress, skipped)
    if options.counts and not report.lost:
        report.nodes, report.rels = graph_counts(store)
    elif not report.lost:
        report.nodes = node_counts(store, schema)
    report.seconds = time.monotonic() - started
    return report


def _warn(report: BuildReport, progress: BuildProgress, message: str) -> None:
    report.warnings.append(message)
    progress.warning(message)


def _changed(files: list[tuple[Path, str]], loader: Loader, options: BuildOptions, report: BuildReport,
             progress: BuildProgress) -> list[tuple[Path, str]]:
    """The files to extract: those whose bytes no loaded document has (all of them with ``force``)."""
    todo: list[tuple[Path, str]] = []
    known = set() if options.force else loader.loaded_hashes()
    for f, name in files:
        try:
            try:
                digest = sha256_file(f) if not options.force and f.is_file() else None
            except OSError:
                digest = None  # unreadable: extraction reports why, in the words `extract` uses
            if digest is not None and digest in known:
                report.skipped += 1
                progress.advance()
                continue
            if digest is not None:
                known.add(digest)  # a second file with the same bytes in this build is unchanged too
        except Exception as e:  # noqa: BLE001 - one document's failure never stops the build
            report.failures.append((str(f), f"{type(e).__name__}: {_first_line(e)}"))
            progress.advance()
            continue
        todo.append((f, name))
    return todo


def _records(todo: list[tuple[Path, str]], options: BuildOptions, report: BuildReport,
             progress: BuildProgress, annexes: AnnexLinker) -> Iterator[tuple[Path, DocumentRecord]]:
    """Extracted records in file order; extraction failures are reported here."""
    seen: dict[str, str] = {}
    results = extract_files([f for f, _ in todo], max_bytes=options.max_bytes, jobs=options.jobs)
    for (f, name), res in zip(todo, results, strict=True):
        progress.working_on(f)
        if isinstance(res, ExtractError):
            report.failures.append((res.path, res.reason))
            progress.advance()
            continue
        res.source = name  # what the graph records: never this machine's path
        if res.policy.id in seen and seen[res.policy.id] != res.source:
            _warn(report, progress, f"{res.source} and {seen[res.policy.id]} are the same policy "
                                    f"({res.policy.id}): the later one replaces the earlier")
        seen[res.policy.id] = res.source
        annexes.see(f, res)
        yield f, res


def _link_late_annexes(annexes: AnnexLinker, loader: Loader, options: BuildOptions, report: BuildReport,
                       progress: BuildProgress, skipped: dict[str, Path]) -> None:
    """Annex files loaded before the plan listing them was read (later in the run, or by an
    earlier build), or skipped as unchanged: extracted again, adopted by the plan and loaded
    again, replacing the version in the graph."""
    try:
        if annexes.run_plans and skipped:
            annexes.add_stored_annexes(loader.store.read(loader.q.stored_annexes), skipped)
        if annexes.unmatched():
            annexes.add_stored_plans(loader.store.read(loader.q.plans_with_annexes))
        late = annexes.late()
    except Exception as e:  # noqa: BLE001 - the annexes stay as loaded, with their own jurisdiction
        _warn(report, progress, f"annexes not linked to their plans: {type(e).__name__}: {_first_line(e)}")
        return
    for name in annexes.ambiguous:
        _warn(report, progress, f"{name}: several plans list this annex; it keeps its own jurisdiction")
    if not late:
        return
    results = extract_files([a.path for a, _plan in late], max_bytes=options.max_bytes)
    again: list[tuple[Path, DocumentRecord]] = []
    for (a, plan), res in zip(late, results, strict=True):
        if isinstance(res, ExtractError):
            _warn(report, progress, f"{a.name}: not linked to its plan: {res.reason}")
            continue
        res.source = a.name
        adopt_plan(res, plan.policy_id, plan.jurisdiction)
        again.append((a.path, res))
    # Its bytes are loaded already: forced, or it would be skipped as unchanged.
    relinker = Loader(loader.store, loader.schema, force=True)
    for f, out in relinker.load_batched(again, batch_docs=options.batch_docs):
        if isinstance(out, BaseException):
            report.failures.append((str(f), f"linking the annex to its plan: {type(out).__name__}: {_first_line(out)}"))
    report.written += relinker.written


def _tally(outcomes: Iterator[tuple[Path, Outcome]], store: Any, report: BuildReport,
           progress: BuildProgress) -> None:
    """Count each document's outcome; stop at a full disk."""
    for f, out in outcomes:
        progress.advance()
        if not isinstance(out, BaseException):
            if out.status == "loaded":
                report.loaded += 1
            else:
                report.skipped += 1
        elif isinstance(out, LOST):
            # The store is gone (after the driver's retries): the rest would only fail the
            # same way, one timeout each. The document's transaction never committed.
            report.failures.append((str(f), f"connection to the graph store lost ({type(out).__name__}); "
                                            "rolled back, nothing of this document was loaded"))
            report.lost = f"{type(out).__name__}: {_first_line(out)}"
        elif full := disk_full(store):
            # The engine reports a full disk only as "error on commit": say what it is.
            report.failures.append((str(f), f"{full}; rolled back, nothing of this document was loaded"))
            report.disk_full = full
            break
        else:  # one document's failure never stops the build
            report.failures.append((str(f), f"{type(out).__name__}: {_first_line(out)}"))


# Below this, the bundled engine cannot commit (it pre-allocates pages and its journal).
MIN_FREE = 8 * 1024 * 1024


def disk_full(store: Any) -> str | None:
    """A reason if the bundled engine's data directory is (nearly) out of space, else None."""
    data_dir = getattr(store, "data_dir", None)
    if getattr(store, "kind", None) != "bundled" or data_dir is None:
        return None
    try:
        free = shutil.disk_usage(data_dir).free
    except OSError:
        return None
    if free >= MIN_FREE:
        return None
    return f"no space left on the disk holding {data_dir} ({free // 1024} KiB free): free some space and build again"


def _first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0][:300] if text else ""
