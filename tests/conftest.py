"""Shared test helpers: where the development corpus lives.

CI runs in a fresh clone with ``shared/`` beside the repository; the seeds are also in
``corpus/`` inside it.
"""

from __future__ import annotations

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
