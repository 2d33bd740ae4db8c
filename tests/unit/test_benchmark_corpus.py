"""The benchmark corpus is a correctness check: the generator knows what it wrote, and every
generated document must extract to exactly that (tasks, lead and supporting units, document
number, jurisdiction, citations, target count)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.generate_corpus import check, generate, read_manifest  # noqa: E402

N = 40  # covers every level and responsibility style for this seed; the benchmarks check more


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench-corpus")
    generate(out, N, seed=7)
    return out


def test_generator_is_deterministic(corpus: Path, tmp_path: Path) -> None:
    generate(tmp_path, 5, seed=7)
    for f in ("doc000000.txt", "doc000004.txt"):
        assert (tmp_path / f).read_bytes() == (corpus / f).read_bytes()


def test_corpus_covers_the_formats(corpus: Path) -> None:
    text = "".join((corpus / g.file).read_text(encoding="utf-8") for g in read_manifest(corpus))
    for marker in ("(责任单位:", "[责任单位:", "牵头,", "按职责分工负责)", "共同牵头", "列第一位的为牵头单位,下同",
                   "以下责任单位均包括", "不低于", "—", "\t指标性质", "〔", "国办发"):
        assert marker in text, marker


def test_generated_documents_extract_as_written(corpus: Path) -> None:
    problems = check(corpus)
    assert not problems, "\n".join(problems[:20])


def test_parallel_extraction_keeps_order_and_errors(corpus: Path, tmp_path: Path) -> None:
    from healthgov.extract.errors import ExtractError
    from healthgov.extract.pipeline import extract_files

    files = sorted(corpus.glob("doc*.txt"))[:5]
    missing = tmp_path / "gone.txt"
    serial = list(extract_files([*files, missing], jobs=1))
    parallel = list(extract_files([*files, missing], jobs=2))
    assert [r.policy.id for r in serial[:5]] == [r.policy.id for r in parallel[:5]]
    assert [len(r.tasks) for r in serial[:5]] == [len(r.tasks) for r in parallel[:5]]
    assert isinstance(parallel[5], ExtractError) and parallel[5].path == str(missing)
