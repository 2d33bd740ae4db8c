"""Hand-checked targets gold (tests/gold/targets, see its README): every gold file is well formed
(each fragment found in its document, each comparator one of the record's), the evaluation
(benchmarks/eval_targets.py) counts what it claims, and the measured figures keep their floors.

Floors sit a little under the figures published in BENCHMARKS.md ("Targets: precision and recall
(gold)"); raise them here as the extractor improves.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace as NS

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks import eval_targets as ev  # noqa: E402
from healthgov.records import Span  # noqa: E402

GOLD = ev.gold_files()
# Held-out gold is checked for form too (it never runs the extractor here).
ALL_GOLD = GOLD + ev.gold_files(held_out=True)
COMPARATORS = {">=", "<=", ">", "<", "=", "about", "range", "text"}


def _gold(path: Path) -> dict:
    gold = ev.load_gold(path)
    if not gold["_doc"].exists():
        pytest.skip(f"{gold['document']} not available")
    return gold


def test_gold_files_exist() -> None:
    names = {p.stem for p in GOLD}
    assert {"city_plan", "regulation"} <= names
    assert len([p for p in GOLD if "madeup" not in p.parts]) >= 3


@pytest.mark.parametrize("path", ALL_GOLD, ids=lambda p: p.stem)
def test_gold_well_formed(path: Path) -> None:
    gold = _gold(path)
    text = gold["_doc"].read_text(encoding="utf-8")
    assert gold["coverage"] in ("all", "partial")
    for t in gold["targets"]:
        assert set(t) >= {"find", "indicator", "comparator", "value", "value_max", "unit", "year"}
        assert t["comparator"] in COMPARATORS
        assert (t["value_max"] is not None) == (t["comparator"] == "range")
        assert ev.locate(text, t["find"], t.get("occurrence", 1)) is not None, t["find"]
    for n in gold.get("not_targets", []):
        assert ev.locate(text, n["find"]) is not None, n["find"]


def test_evaluation_counts() -> None:
    # One gold target found with a wrong comparator, one missed, one extra extracted target.
    gold = {"_file": "x", "document": "x", "coverage": "all", "targets": [
        {"find": "不低于90%", "indicator": "覆盖率", "comparator": ">=", "value": 90, "value_max": None, "unit": "%", "year": 2025},
        {"find": "达到3人", "indicator": "医师数", "comparator": "=", "value": 3, "value_max": None, "unit": "人", "year": 2025}]}
    text = "到2025年，覆盖率不低于90%，医师数达到3人，另有5家。"
    ext = [NS(span=Span(text.index("90"), text.index("90") + 3), comparator="=", value=90.0, value_max=None, unit="%",
              year=2025, indicator_text="覆盖率", text=""),
           NS(span=Span(text.index("5家"), text.index("5家") + 2), comparator="=", value=5.0, value_max=None, unit="家",
              year=None, indicator_text="另有", text="")]
    d = ev.add_rates(ev.evaluate_doc(gold, NS(text=text, targets=ext)))
    assert (d["gold"], d["extracted"], d["found"]) == (2, 2, 1)
    assert (d["precision"], d["recall"], d["comparator_accuracy"], d["value_accuracy"]) == (0.5, 0.5, 0.0, 1.0)


@pytest.fixture(scope="module")
def results() -> dict:
    for p in GOLD:
        _gold(p)
    # Floors on the gold they were set on (issue 16); the issue-25 gold is measured in BENCHMARKS.md.
    return ev.evaluate([p for p in GOLD if p.stem in REGRESSION])


REGRESSION = {"000_chongqing_seed", "07_hainan_child_health_action_plan_2025",
              "10_gov_tertiary_public_hospital_performance_2019", "11_gov_national_drug_procurement_pilot_2019",
              "city_plan", "regulation"}


def test_floors_overall(results: dict) -> None:
    o = results["overall"]
    assert o["recall"] >= 0.95 and o["precision"] >= 0.97
    assert o["comparator_accuracy"] >= 0.97
    assert o["value_accuracy"] >= 0.97 and o["unit_accuracy"] >= 0.97 and o["year_accuracy"] >= 0.97
    assert o["indicator_accuracy"] >= 0.90


def test_floors_madeup(results: dict) -> None:
    docs = {Path(d["gold_file"]).stem: d for d in results["documents"]}
    # a regulation's payment amounts, ceilings and time limits are quantified norms (issue 25)
    reg = docs["regulation"]
    assert reg["recall"] == 1.0 and reg["precision"] == 1.0 and reg["kind_accuracy"] == 1.0
    plan = docs["city_plan"]
    assert plan["recall"] >= 0.95 and plan["precision"] >= 0.95 and plan["comparator_accuracy"] >= 0.95


def test_floors_development_gold() -> None:
    """Issue 25's bar on the whole development gold (BENCHMARKS.md, "second round": precision 0.99,
    recall 0.91, comparator 0.99): floors a little under it."""
    o = ev.evaluate()["overall"]
    assert o["gold"] >= 700, o  # every development document is read
    assert o["precision"] >= 0.97 and o["recall"] >= 0.89 and o["comparator_accuracy"] >= 0.97, o
