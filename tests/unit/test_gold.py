"""Hand-checked responsibilities gold (tests/gold, see its README): every gold file is well formed
(each task found in its document, in order; each body's name printed within its task), the
evaluation (benchmarks/eval_responsibilities.py) counts what it claims, and the forms the
extractor already handles keep their floors.

Floors are asserted only for the seed-like forms: explicit annotations (made-up annotated document
and 03) and the 列第一位 convention (made-up convention document) at precision and recall 1.0, and
no wrong lead on the two made-up documents. Prose,
task tables, regulations and the real documents are checked for well-formedness only; their numbers
are published in BENCHMARKS.md, and the floors are to be raised here as the extractor improves.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import SimpleNamespace as NS

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks import eval_responsibilities as ev  # noqa: E402

GOLD = ev.gold_files()
# Held-out gold is checked for form too (it never runs the extractor here).
ALL_GOLD = GOLD + ev.gold_files(held_out=True)
ROLES = {"lead", "support", "shared"}
FORMS = {"explicit", "convention", "scoped", "prose", "table", "article", "heading"}


def _flat(text: str, html: bool) -> str:
    if html:
        text = re.sub(r"<[^>]+>", "", text)
    # whitespace removed except line breaks, which mark where a task's line starts
    return "\n".join(ev.norm(line) for line in text.splitlines())


def _doc(gold: dict) -> str:
    path = gold["_doc"]
    if not path.exists():
        pytest.skip(f"{gold['document']} not available")
    return _flat(path.read_text(encoding="utf-8"), path.suffix in (".html", ".htm"))


def test_gold_files_exist():
    names = {p.stem for p in GOLD}
    assert {"annotated", "convention", "prose", "table_txt", "table_html", "regulation"} <= names
    assert len(GOLD) >= 30
    # documents kept out of development, scored once (benchmarks/eval_*.py --held-out)
    assert len(ev.gold_files(held_out=True)) >= 6


@pytest.mark.parametrize("path", ALL_GOLD, ids=lambda p: p.stem)
def test_gold_well_formed(path):
    gold = ev.load_gold(path)
    assert gold["tasks"] and gold["coverage"] in ("all", "partial")
    text = _doc(gold)
    starts = []
    pos = 0
    for t in gold["tasks"]:
        assert t["title"] and set(t) >= {"number", "title", "bodies", "path"}
        num = ev.norm(t["number"])
        pat = (re.escape(num) + r"[、.．]?" if num else "") + "\n?".join(map(re.escape, ev.norm(t["title"])))
        m = re.compile(pat).search(text, pos)
        assert m, f"task {t['number']} {t['title']} not found (in order) in {gold['document']}"
        # the start of the line holding the task: a table row's first cells come before its text
        starts.append(max(text.rfind("\n", 0, m.start()) + 1, pos))
        pos = m.end()
    ends = starts[1:] + [len(text)]
    for t, a, b in zip(gold["tasks"], starts, ends, strict=True):
        seen = set()
        for body in t["bodies"]:
            assert body["role"] in ROLES and body["form"] in FORMS, body
            key = ev.name_key(body["name"])
            assert key not in seen, f"{body['name']} twice in {t['title']}"
            seen.add(key)
            written = ev.norm(body.get("written", body["name"]))
            # a table row may take its lead from a cell merged over earlier rows (rowspan); a scoped
            # body is printed in its rule, before the task
            lo = {"table": starts[0], "scoped": 0}.get(body["form"], a)
            assert written in text[lo:b].replace("\n", ""), f"{written} not printed within task {t['number']} {t['title']}"


def test_name_matching():
    assert ev.stem("市场监管部门") == ev.stem("市市场监管局") == "市场监管"
    assert ev.stem("财政部门") == ev.stem("省财政厅") == ev.stem("财政") == "财政"
    assert ev.stem("人力资源社会保障部门") == ev.stem("市人社局")
    assert ev.name_key("海南省健康海南建设委员会（爱国卫生运动委员会）") == "海南省健康海南建设委员会"
    r = lambda n, role="lead", basis="prose": NS(name=n, role=role, basis=basis)  # noqa: E731
    gold = [{"name": "卫生健康行政部门", "role": "lead"}, {"name": "卫生健康部门", "role": "shared"},
            {"name": "省财政厅", "role": "support"}]
    pairs = ev.match_bodies(gold, [r("卫生健康部门", "support", "shared"), r("卫生健康行政部门"), r("财政厅")])
    got = {g["name"]: e.name if e else None for g, e in pairs if g}
    # exact names pair first; a specific gold name (省财政厅) is not matched generically
    assert got == {"卫生健康行政部门": "卫生健康行政部门", "卫生健康部门": "卫生健康部门", "省财政厅": None}
    assert ev.ext_role(r("x", "support", "shared")) == "shared"


def test_evaluation_counts_wrong_leads_and_extra_tasks():
    gold = {"_file": "g.json", "document": "d", "coverage": "all", "tasks": [
        {"path": ["（一）"], "number": "（一）", "title": "完善监测", "bodies": [
            {"name": "省卫生健康委", "role": "lead", "form": "prose"},
            {"name": "省财政厅", "role": "support", "form": "prose"}]},
        {"path": ["（二）"], "number": "（二）", "title": "加强协调", "bodies": []}]}
    r = lambda n, role: NS(name=n, role=role, basis="prose")  # noqa: E731
    task = lambda num, title, resp: NS(number=num, title=title, text=title + "。", path=[num],  # noqa: E731
                                       responsibilities=resp)
    record = NS(tasks=[task("(一)", "完善监测预警体系", [r("省财政厅", "lead"), r("省卫生健康委", "lead")]),
                       task("(二)", "加强协调", [r("省公安厅", "lead")]),
                       task("(三)", "不在金标准", [r("省民政厅", "support")])])
    res = ev.add_rates(ev.evaluate_doc(gold, record))
    assert (res["gold"], res["extracted"], res["found"], res["correct"]) == (2, 4, 2, 1)
    assert res["precision"] == 0.25 and res["recall"] == 0.5
    assert res["lead_tasks"] == 1 and res["lead_right"] == 0
    assert [w["extracted"] for w in res["wrong_leads"]] == ["省财政厅", "省公安厅"]
    assert res["complete_tasks"] == 0 and res["body_tasks"] == 1


@pytest.fixture(scope="module")
def seed_forms():
    # the made-up annotated and convention documents, and 03 (a real document whose every task ends
    # with a "（…等按职责分工负责）" annotation)
    return ev.evaluate([p for p in GOLD if p.stem in ("annotated", "convention", "03_jiangxi_hiap_opinions_2025")])


@pytest.mark.parametrize("form", ["explicit", "convention"])
def test_seed_like_forms_floor(seed_forms, form):
    c = seed_forms["forms"][form]
    assert c["gold"] > 0
    assert c["precision"] == 1.0, c
    assert c["recall"] == 1.0, c


def test_seed_like_forms_no_wrong_lead(seed_forms):
    made_up = [d for d in seed_forms["documents"] if "madeup" in d["gold_file"]]
    assert len(made_up) == 2
    assert [w for d in made_up for w in d["wrong_leads"]] == []


# The gold the floors below were set on (issue 15: the made-up forms and five real documents).
# The 30-document gold of issue 25 is checked for form above and measured in BENCHMARKS.md
# (benchmarks/eval_responsibilities.py); its floors are to be added here as the extractor reaches
# them.
REGRESSION = {"annotated", "convention", "prose", "table_txt", "table_html", "regulation", "insurance_notice",
              "national_opinions", "03_jiangxi_hiap_opinions_2025", "04_hainan_hiap_plan_2025",
              "05_hainan_hiap_annex1_duty_list_2025", "10_gov_tertiary_public_hospital_performance_2019",
              "11_gov_national_drug_procurement_pilot_2019"}


@pytest.fixture(scope="module")
def all_gold():
    files = [p for p in GOLD if p.stem in REGRESSION]
    assert len(files) == len(REGRESSION)
    return ev.evaluate(files)


def test_no_wrong_lead_anywhere(all_gold):
    """A wrong lead is worse than a missing one: none on the regression gold, real or made up."""
    assert all_gold["overall"]["wrong_leads"] == 0, [
        (d["gold_file"], d["wrong_leads"]) for d in all_gold["documents"] if d["wrong_leads"]]


# Floors a little under today's figures (BENCHMARKS.md): a change that loses bodies fails here.
@pytest.mark.parametrize(("basis", "precision", "recall"), [
    ("prose", 0.95, 0.85), ("shared", 0.95, 0.9), ("table", 1.0, 1.0), ("scoped", 1.0, 1.0)])
def test_floor_per_basis(all_gold, basis, precision, recall):
    c = all_gold["bases"][basis]
    assert c["gold"] > 0 and c["precision"] >= precision and c["recall"] >= recall, c


def test_floor_tasks_complete(all_gold):
    # Issue 15's bar: tasks naming bodies get every one of them, with the stated leads right.
    o = all_gold["overall"]
    assert o["complete_share"] >= 0.85 and o["lead_accuracy"] >= 0.85, o


@pytest.fixture(scope="module")
def development_gold():
    # every development document, real and made up (held-out ones excluded by gold_files)
    return ev.evaluate()


def test_floor_development_gold(development_gold):
    """Issue 25's bar on the whole development gold (BENCHMARKS.md, "second round": precision 0.99,
    recall 0.90, 6 wrong leads, each a gold convention or a source typo): floors a little under it."""
    o = development_gold["overall"]
    assert o["gold"] >= 1400, o  # the 27 real documents and the made-up ones are all read
    assert o["precision"] >= 0.97 and o["recall"] >= 0.88, o
    assert o["wrong_leads"] <= 6, [(d["gold_file"], d["wrong_leads"]) for d in development_gold["documents"]
                                   if d["wrong_leads"]]
