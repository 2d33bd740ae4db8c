"""Hand-checked citations gold (tests/gold/citations, see its README): every gold file is well
formed (each title printed in its document, each number normalised), the evaluation
(benchmarks/eval_citations.py) counts what it claims, and the measured figures keep their floors.

Floors sit a little under the figures published in BENCHMARKS.md ("Citations: precision and
recall (gold)"); raise them here as the extractor improves.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace as NS

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks import eval_citations as ev  # noqa: E402
from healthgov.ids import normalise_doc_number  # noqa: E402

GOLD = ev.gold_files()


def _gold(path: Path) -> dict:
    gold = ev.load_gold(path)
    if not gold["_doc"].exists():
        pytest.skip(f"{gold['document']} not available")
    return gold


def test_gold_files_exist() -> None:
    assert len(GOLD) >= 3


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.stem)
def test_gold_well_formed(path: Path) -> None:
    gold = _gold(path)
    text = gold["_doc"].read_text(encoding="utf-8")
    assert gold["coverage"] == "all"
    for c in gold["citations"]:
        assert set(c) >= {"title", "doc_number", "implements"} and isinstance(c["implements"], bool)
        assert c["title"] in text, c["title"]
        if c["doc_number"]:
            assert normalise_doc_number(c["doc_number"]) == c["doc_number"]
    for n in gold.get("not_citations", []):
        assert n["title"] in text and n["why"], n


def test_evaluation_counts() -> None:
    # Gold: X by number and title, Y by title. Extracted: X by its notice title with the number
    # (found, relation wrong), an own annex (extra, a non-citation); Y missed.
    gold = {"_file": "x", "document": "x", "citations": [
        {"title": "示范行动方案", "doc_number": "国办发〔2099〕1号", "implements": True},
        {"title": "示范管理办法", "doc_number": None, "implements": False}],
        "not_citations": [{"title": "示范考核指标", "why": "own annex"}]}
    ext = [NS(title="国务院办公厅关于印发示范行动方案的通知", doc_number="国办发〔2099〕1号", relation="cites"),
           NS(title="示范考核指标", doc_number=None, relation="cites")]
    d = ev.add_rates(ev.evaluate_doc(gold, NS(policy=NS(cites=ext))))
    assert (d["gold"], d["extracted"], d["found"], d["not_citations_extracted"]) == (2, 2, 1, 1)
    assert (d["precision"], d["recall"], d["number_accuracy"], d["relation_accuracy"]) == (0.5, 0.5, 1.0, 0.0)


@pytest.fixture(scope="module")
def results() -> dict:
    for p in GOLD:
        _gold(p)
    return ev.evaluate()


def test_floors(results: dict) -> None:
    o = results["overall"]
    assert o["recall"] >= 0.95 and o["precision"] >= 0.95
    assert o["number_accuracy"] >= 0.95 and o["relation_accuracy"] >= 0.95
    assert o["not_citations_extracted"] == 0
