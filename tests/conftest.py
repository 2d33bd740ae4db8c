"""Shared test helpers: where the development corpus lives.

CI runs in a fresh clone with ``shared/`` beside the repository; the seeds are also in
``corpus/`` inside it.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds" if (SHARED / "seeds").is_dir() else ROOT / "corpus"
EXTRA = SHARED / "extra"


# The seed corpus built once into a temporary bundled engine and served by the API (views tests).
import pytest  # noqa: E402


@pytest.fixture(scope="session")
def served_views(tmp_path_factory: pytest.TempPathFactory):
    from views_server import served_corpus

    with served_corpus(tmp_path_factory.mktemp("views")) as served:
        yield served


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory: pytest.TempPathFactory):
    """The seed corpus built once (``healthgov.loaders.build``, what ``healthgov build`` runs) into a
    temporary bundled engine, and a Store on it (queries and API tests). The engine is stopped at
    the end of the session."""
    from healthgov.graph import engine
    from healthgov.graph.store import open_store
    from healthgov.loaders.build import build
    from healthgov.queries.evidence import set_source_roots

    data_dir = tmp_path_factory.mktemp("queries") / "data"
    store = open_store(data_dir=data_dir)
    try:
        # The graph records source paths relative to the build argument (corpus/000_x.txt), so
        # task-detail finds the evidence under ROOT, as `healthgov serve --sources ROOT` would,
        # wherever pytest was started from.
        report = build([(ROOT / "corpus").resolve()], store)
        assert report.loaded and not report.failures, report
        set_source_roots([ROOT])
        yield store
    finally:
        set_source_roots([])
        store.close()
        engine.stop(data_dir)


@contextmanager
def seeds_and(base: Path, documents: dict[str, str], *, also: tuple[Path, ...] = (), keep: bool = True):
    """The seeds plus ``documents`` (file name -> made-up text) in ``base/docs``, built with ``also``
    into a bundled engine in ``base/data`` and, with ``keep``, their answers kept as ``healthgov
    build``'s last step keeps them: yields (store, docs directory); the engine stops after."""
    import shutil

    from healthgov.graph import engine
    from healthgov.graph.store import open_store
    from healthgov.loaders.build import build
    from healthgov.queries import registry

    docs = base / "docs"
    shutil.copytree(ROOT / "corpus", docs)
    (docs / "SOURCES.md").unlink(missing_ok=True)
    for name, text in documents.items():
        (docs / name).write_text(text, encoding="utf-8")
    data = base / "data"
    store = open_store(data_dir=data)
    try:
        report = build([docs, *also], store)
        assert report.loaded and not report.failures, report
        if keep:
            assert registry.keep_answers(store) > 0
        yield store, docs
    finally:
        store.close()
        engine.stop(data)


@pytest.fixture(scope="session", autouse=True)
def _no_engine_outlives_the_tests(tmp_path_factory: pytest.TempPathFactory):
    """Stop every bundled engine started under this session's temp dirs.

    Engines are shared, detached processes by design; fixtures stop their own, and this net
    catches any a test (or a subprocess it spawned) started again after that.
    """
    yield
    from healthgov.graph import engine

    for state in sorted(tmp_path_factory.getbasetemp().rglob(engine.STATE_FILE)):
        try:
            engine.stop(state.parent)
        except Exception as e:  # noqa: BLE001 - teardown must try every engine
            print(f"could not stop the engine in {state.parent}: {e}")
