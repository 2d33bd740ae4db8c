"""Hand-checked metadata gold (tests/gold/metadata, see its README): every gold file is well formed
(its document exists, its title, number and issuers are printed in it), the evaluation
(benchmarks/eval_metadata.py) counts what it claims, and the measured accuracy keeps its floors.

Floors are a little under the figures published in BENCHMARKS.md ("Metadata: accuracy (gold)");
raise them as the extractor improves.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import SimpleNamespace as NS

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks import eval_metadata as ev  # noqa: E402

GOLD = ev.gold_files()
# Held-out gold is checked for form too (it never runs the extractor here).
ALL_GOLD = GOLD + ev.gold_files(held_out=True)
LEVELS = {"nation", "province", "city", "county", "township"}


def test_gold_files_exist() -> None:
    assert len(GOLD) >= 19
    assert {"national_issuers_date_one_line", "provincial_stray_after_date", "county_tabs"} <= {p.stem for p in GOLD}


@pytest.mark.parametrize("path", ALL_GOLD, ids=lambda p: p.stem)
def test_gold_well_formed(path: Path) -> None:
    g = ev.load_gold(path)
    if not g["_doc"].exists():
        pytest.skip(f"{g['document']} not available")
    text = ev.norm(g["_doc"].read_text(encoding="utf-8")) or ""
    assert ev.norm(g["title"]) in text
    if g["doc_number"]:
        assert ev._number(g["doc_number"]) == g["doc_number"]
    for a in g["issuers"]:
        assert a["level"] in LEVELS and ev.norm(a["name"]) in text, a
    assert g["issued_on"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", g["issued_on"])
    assert g["jurisdiction"] is None or g["jurisdiction"]["level"] in LEVELS | {"nation"}


def test_evaluation_counts_fields() -> None:
    gold = {"_file": "g.json", "document": "d", "title": "甲市卫生健康委 甲市财政局关于X的通知", "doc_number": "甲卫〔2024〕1号",
            "issuers": [{"name": "甲市卫生健康委", "level": "city"}, {"name": "甲市财政局", "level": "city"}],
            "issued_on": "2024-01-02", "jurisdiction": {"name": "甲市", "level": "city"}}
    pol = NS(title="甲市卫生健康委甲市财政局关于X的通知", doc_number="甲卫[2024]1号", issued_on=None,
             issuers=[NS(name="甲市财政局", level="city"), NS(name="甲市卫生健康委", level="county")],
             jurisdiction=NS(name="甲市", level="city"))
    res = ev.evaluate_doc(gold, pol)
    # spaces and bracket forms do not count; order of issuers does not; a wrong level does
    assert res["right"] == {"title": True, "doc_number": True, "issuers": True, "issuer_levels": False,
                            "issued_on": False, "jurisdiction": True}


@pytest.fixture(scope="module")
def result() -> dict:
    return ev.evaluate()


def test_floors(result: dict) -> None:
    o, f = result["overall"], result["fields"]
    assert o["exact_issuer_set"] >= 0.95
    assert o["metadata"] >= 0.97
    assert f["title"] >= 0.95 and f["doc_number"] >= 0.95 and f["issued_on"] >= 0.95 and f["jurisdiction"] >= 0.95
    assert f["issuer_levels"] >= 0.9
