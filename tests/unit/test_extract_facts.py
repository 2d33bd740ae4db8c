"""Fact extraction on real documents: responsible units, targets, tags, numbers.

Until the pipeline builds a DocView, ``_doc`` below builds a minimal one (paragraph tasks,
TAB tables) so the fact extractors are tested on the real texts; the end-to-end tests at the
bottom run through ``healthgov.extract.pipeline.extract_file`` once it exists.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from healthgov.extract.document import Cell, DocView, Table
from healthgov.extract.facts.agencies import resolve_agency
from healthgov.extract.facts.responsibilities import assign_responsibilities
from healthgov.extract.facts.responsibilities.tables import duty_rows
from healthgov.extract.facts.targets import extract_targets
from healthgov.extract.facts.unit_lists import split_units
from healthgov.extract.numbers import (
    parse_number,
    parse_range,
    repair_glued_range,
)
from healthgov.ids import to_simplified
from healthgov.records import Jurisdiction, Policy, Section, Span, Task

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEEDS = SHARED / "seeds"
EXTRA = SHARED / "extra"

assert SHARED.is_dir(), f"the shared corpus is expected beside the repository at {SHARED}"

_TASK = re.compile(r"^\s*(\d+[.．、]|[（(][一二三四五六七八九十]+[)）])")
_SEC = re.compile(r"^\s*([一二三四五六七八九十]+、|第[一二三四五六七八九十]+[章节])")


def _doc(path: Path, juris: Jurisdiction, issued: str | None = None) -> tuple[DocView, list[Task]]:
    """A minimal DocView: numbered paragraphs are tasks (heading-only lines take the next one)."""
    text = path.read_text(encoding="utf-8")
    doc = DocView(
        path=str(path), text=text, simp=to_simplified(text),
        policy=Policy(id="pT", title="", jurisdiction=juris, issued_on=issued),
    )
    lines = text.split("\n")
    starts, pos = [], 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln) + 1
    tasks: list[Task] = []
    section = None
    for i, ln in enumerate(lines):
        s = starts[i]
        if m := _SEC.match(ln):
            if doc.sections:
                prev = doc.sections[-1]
                prev.span = Span(prev.span.start, s)
            section = f"pT/s{len(doc.sections) + 1}"
            doc.sections.append(Section(section, "h1", m.group(1), ln.strip(), 1, None, Span(s, len(text))))
        elif (m := _TASK.match(ln)) and "\t" not in ln:
            end = s + len(ln)
            if len(ln) < 40 and i + 1 < len(lines) and lines[i + 1].strip() and not _TASK.match(lines[i + 1]):
                end = starts[i + 1] + len(lines[i + 1])  # heading line + its paragraph
            n = len(tasks) + 1
            tasks.append(Task(f"pT/t{n}", section, [m.group(1)], m.group(1), ln[:30], text[s:end], Span(s, end)))
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            i += 1
            continue
        j = i
        while j < len(lines) and "\t" in lines[j]:
            j += 1
        header = [c.strip() for c in doc.simp[starts[i] : starts[i] + len(lines[i])].split("\t")]
        rows = []
        for k in range(i + 1, j):
            cells, off = [], starts[k]
            for part in lines[k].split("\t"):
                cells.append(Cell(to_simplified(part).strip(), Span(off, off + len(part))))
                off += len(part) + 1
            rows.append(cells)
        doc.tables.append(Table(Span(starts[i], starts[j - 1] + len(lines[j - 1])), header, rows))
        i = j
    return doc, tasks


def _flat_table(doc: DocView, header_first: str, n_header: int) -> None:
    """A flattened one-cell-per-line indicator table (rows end with the nature cell)."""
    start = doc.simp.index(header_first)
    cells: list[Cell] = []
    pos = start
    while pos < len(doc.simp):
        end = doc.simp.index("\n", pos)
        line = doc.simp[pos:end]
        if line.strip():
            cells.append(Cell(line.strip(), Span(pos, pos + len(line.rstrip()))))
            if line.startswith("注"):
                break
        pos = end + 1
    header = [c.text for c in cells[:n_header]]
    notes = [c for c in cells if c.text.startswith("注")]
    rows, cur = [], []
    for c in cells[n_header:]:
        if c.text.startswith("注"):
            break
        cur.append(c)
        if c.text in ("预期性", "约束性"):
            rows.append(cur)
            cur = []
    doc.tables.append(Table(Span(cells[0].span.start, cells[-1].span.end), header, rows, notes=notes))


CQ = Jurisdiction("重庆市", "province")
HZ = Jurisdiction("杭州市", "city", "浙江省")
JX = Jurisdiction("江西省", "province")
HN = Jurisdiction("海南省", "province")


def _units(task: Task) -> list[tuple[str, str, str, bool]]:
    return [(r.name, r.role, r.basis, r.implicit) for r in task.responsibilities]


def _by_number(tasks: list[Task], number: str, nth: int = 0) -> Task:
    return [t for t in tasks if t.number == number][nth]


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,value",
    [("35", 35), ("3.39", 3.39), ("1.5万", 15000), ("十五", 15), ("两千", 2000), ("一百零五", 105),
     ("二〇三五", 2035), ("１２", 12), ("0.8万", 8000)],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


def test_ranges_and_glued_digits() -> None:
    assert parse_range("60—80") == (60, 80)
    assert parse_range("1-2") == (1, 2)
    assert parse_range("3万—10万") == (30000, 100000)
    assert parse_range("2至3") == (2, 3)
    assert repair_glued_range("20212030", "年") == (2021, 2030)
    assert repair_glued_range("3070", "岁") == (30, 70)
    assert repair_glued_range("20302021", "年") is None  # not increasing: never invent
    assert repair_glued_range("3070", "人") is None


# --- agencies --------------------------------------------------------------------------------


def test_split_units_brackets_and_connectives() -> None:
    names = [u for u, _a, _b in split_units("市卫生健康委员会、市发改委,各区、县(市)政府")]
    # A list of levels sharing one stem names one body per level (issue 25): the 各区 unit is
    # named with the stem, its span is "各区" as written.
    assert names == ["市卫生健康委员会", "市发改委", "各区政府", "各县(市)政府"]
    assert [u for u, _a, _b in split_units("市、区财政部门")] == ["市财政部门", "区财政部门"]
    s = "省委党校、省卫生健康委及各设区市人民政府、赣江新区管委会"
    assert [u for u, _a, _b in split_units(s)] == ["省委党校", "省卫生健康委", "各设区市人民政府", "赣江新区管委会"]
    assert [u for u, _a, _b in split_units("市住房和城乡建设局、市人力资源和社会保障局")] == [
        "市住房和城乡建设局", "市人力资源和社会保障局"]
    for unit, a, b in split_units(s):
        assert s[a:b] == unit
    lv = "各区、县(市)政府"
    assert [(lv[a:b], u) for u, a, b in split_units(lv)] == [("各区", "各区政府"), ("县(市)政府", "各县(市)政府")]


@pytest.mark.parametrize(
    "name,juris,level",
    [("市卫生健康委", CQ, "province"), ("市卫生健康委", HZ, "city"), ("市卫健委", Jurisdiction("句容市", "county"), "county"),
     ("國家衛生健康委", None, "nation"), ("县级卫生健康行政部门", None, "county"), ("各乡镇人民政府", HZ, "township"),
     ("各区、县(市)政府", HZ, "county"), ("省委组织部", JX, "province"), ("市委编办", CQ, "province"),
     ("广安市广安区卫生健康局", Jurisdiction("广安区", "county", "广安市"), "county"), ("各设区市人民政府", JX, "city")],
)
def test_agency_levels(name: str, juris: Jurisdiction | None, level: str) -> None:
    ref = resolve_agency(name, juris)
    assert ref.level == level
    assert ref.name == name  # surface form kept


def test_agency_types_one_type_many_forms() -> None:
    forms = ["市卫生健康委", "市卫生健康委员会", "市卫健委", "國家衛生健康委"]
    types = {resolve_agency(f, CQ).agency_type for f in forms}
    assert len(types) == 1 and None not in types
    fin = resolve_agency("国家金融监督管理总局重庆监管局", CQ)
    assert fin.agency_type is not None
    assert fin.agency_type == resolve_agency("国家金融监督管理总局").agency_type
    assert resolve_agency("市委编办", CQ).agency_type is not None
    assert resolve_agency("团省委", JX).agency_type is not None


# --- responsibilities ------------------------------------------------------------------------


def test_chongqing_units_by_convention() -> None:
    doc, tasks = _doc(SEEDS / "000_f609406be53c2961.txt", CQ, "2023-10-18")
    assign_responsibilities(doc, tasks)
    t1 = _by_number(tasks, "1.")
    assert _units(t1) == [("市卫生健康委", "lead", "convention", False), ("市发展改革委", "support", "convention", False)]
    t19 = _by_number(tasks, "19.")
    assert [r.name for r in t19.responsibilities] == ["市医保局", "市卫生健康委", "国家金融监督管理总局重庆监管局"]
    assert t19.responsibilities[0].role == "lead"
    t20 = _by_number(tasks, "20.")
    assert t20.responsibilities[0].name == "市委编办"
    # A sole unit is the lead, explicitly.
    assert _units(_by_number(tasks, "4.")) == [("市卫生健康委", "lead", "explicit", False)]
    for r in t1.responsibilities:
        assert doc.text[r.span.start : r.span.end] == r.name
        assert r.level == "province"  # 市 in a Chongqing document: a province-level municipality


def test_hangzhou_first_is_lead_rule_and_scoped_unit() -> None:
    doc, tasks = _doc(SEEDS / "003_e5f6dd014c1e0675.txt", HZ, "2022-08-10")
    assign_responsibilities(doc, tasks)
    first, second, third = (_by_number(tasks, n) for n in ("1.", "2.", "3."))
    assert _units(first)[0] == ("市卫生健康委员会", "lead", "explicit", False)
    assert [u[0] for u in _units(first)] == ["市卫生健康委员会", "市发改委", "市人力社保局", "市科技局"]
    # The rule's own task lists the unit explicitly ...
    # (a list of levels: one body per level, issue 25)
    assert _units(second)[-2:] == [("各区政府", "support", "explicit", False), ("各县(市)政府", "support", "explicit", False)]
    # ... every later annotated task gets it implicitly, and no earlier task does.
    assert _units(third) == [("市卫生健康委员会", "lead", "explicit", False), ("各区政府", "support", "scoped", True),
                             ("各县(市)政府", "support", "scoped", True)]
    assert all(not r.implicit for r in first.responsibilities + second.responsibilities)
    later = [t for t in tasks if t.span.start > second.span.start and t.responsibilities]
    assert len(later) == 23  # every annotated task after the rule
    assert all([r.name for r in t.responsibilities[-2:]] == ["各区政府", "各县(市)政府"] and t.responsibilities[-1].implicit
               for t in later)
    # The rule stays in force to the end: 保障措施 tasks too.
    last = tasks[-1]
    assert _units(last)[0] == ("市卫生健康委员会", "lead", "explicit", False)


def test_jiangxi_shared_and_global_scoped_rule() -> None:
    doc, tasks = _doc(EXTRA / "03_jiangxi_hiap_opinions_2025.txt", JX, "2025-04-03")
    assign_responsibilities(doc, tasks)
    t1, t2 = tasks[0], tasks[1]
    assert [u[0] for u in _units(t1)][-2:] == ["各设区市人民政府", "赣江新区管委会"]
    assert all(r.basis == "shared" and r.role == "support" and not r.implicit for r in t1.responsibilities)
    assert _units(t2)[0] == ("省卫生健康委", "support", "shared", False)
    assert _units(t2)[-2:] == [("各设区市人民政府", "support", "scoped", True), ("赣江新区管委会", "support", "scoped", True)]
    assert "省政务服务办" in [r.name for r in t2.responsibilities]  # "省政务服务办等": 等 dropped
    assert all(t.responsibilities[-1].implicit for t in tasks[1:] if t.responsibilities)


def test_hainan_lead_and_support() -> None:
    doc, tasks = _doc(EXTRA / "06_hainan_youth_mental_health_action_plan_2025.txt", HN, "2025-03-17")
    assign_responsibilities(doc, tasks)
    assert _units(tasks[0]) == [
        ("省教育厅", "lead", "explicit", False), ("省卫生健康委", "support", "explicit", False),
        ("省妇联", "support", "explicit", False), ("团省委", "support", "explicit", False)]
    assert [u[0] for u in _units(tasks[1])][:3] == ["省卫生健康委", "团省委", "省委宣传部"]
    assert tasks[1].responsibilities[0].role == "lead"
    assert {r.role for r in tasks[1].responsibilities[1:]} == {"support"}


def test_note_on_its_own_line_after_the_task() -> None:
    text = "二、重点任务\n1.加强基层能力建设。提升服务水平。\n(责任单位:市卫生健康委、市财政局)\n2.推进改革。(责任单位:市医保局)\n"
    doc = DocView("x", text, to_simplified(text), Policy("pT", "", jurisdiction=HZ))
    doc.sections = [Section("pT/s1", "h1", "二", "二、重点任务", 1, None, Span(0, len(text)))]
    a, b = text.index("1."), text.index("\n(责任")
    c, d = text.index("2."), len(text) - 1
    tasks = [Task("pT/t1", "pT/s1", ["1."], "1.", "", text[a:b], Span(a, b)),
             Task("pT/t2", "pT/s1", ["2."], "2.", "", text[c:d], Span(c, d))]
    assign_responsibilities(doc, tasks)
    assert [r.name for r in tasks[0].responsibilities] == ["市卫生健康委", "市财政局"]
    assert [r.name for r in tasks[1].responsibilities] == ["市医保局"]


def test_duty_list_rows() -> None:
    doc, _tasks = _doc(EXTRA / "05_hainan_hiap_annex1_duty_list_2025.txt", HN)
    rows = duty_rows(doc)
    assert len(rows) == 26
    assert rows[0][0].name == "省委组织部" and rows[0][1].text.startswith("加强对各级党委")
    assert rows[-1][0].name == "海口海关"
    doc, _tasks = _doc(EXTRA / "08_jurong_hiap_plan_2022.txt", Jurisdiction("句容市", "county", "镇江市"))
    rows = duty_rows(doc)
    assert [r.name for r, _c in rows][:3] == ["市政府办", "市委宣传部", "市教育局"]
    wei = next(r for r, _c in rows if r.name == "市卫健委")
    assert wei.level == "county"  # 句容 is a county-level city


# --- targets ---------------------------------------------------------------------------------


def _find(targets, **kw):
    return [t for t in targets if all(getattr(t, k) == v for k, v in kw.items())]


def test_chongqing_targets() -> None:
    doc, tasks = _doc(SEEDS / "000_f609406be53c2961.txt", CQ, "2023-10-18")
    targets = extract_targets(doc, tasks, "pT")
    assert [t.id for t in targets] == [f"pT/g{n}" for n in range(1, len(targets) + 1)]
    t = _find(targets, value=35.0)[0]
    assert (t.indicator_text, t.comparator, t.unit, t.year, t.task) == ("建成甲级乡镇卫生院的比例", ">=", "%", 2027, "pT/t2")
    ranges = _find(targets, comparator="range", value=60.0)
    assert len(ranges) == 2 and all(r.value_max == 80.0 and r.unit == "个" and r.year == 2027 for r in ranges)
    doctors = _find(targets, value=3.39)[0]
    assert (doctors.indicator_text, doctors.comparator, doctors.unit, doctors.year) == ("每千人口执业(助理)医师数", "=", "人", 2027)
    assert _find(targets, value=110.0)[0].comparator == ">"
    yearly = _find(targets, value=300.0)[0]
    assert (yearly.comparator, yearly.year, yearly.deadline) == (">=", None, "每年")
    # "每3万—10万人" is a denominator, "低于800人的行政村" a condition, 2027 a year.
    assert not _find(targets, value=800.0) and not _find(targets, value=30000.0) and not _find(targets, value=2027.0)
    pair = sorted((t.indicator_text, t.value) for t in targets if t.unit == "%" and t.value in (20.0, 10.0))
    assert pair == [("示范中医馆达标率", 10.0), ("精品中医馆", 20.0)]


def test_hangzhou_targets() -> None:
    doc, tasks = _doc(SEEDS / "003_e5f6dd014c1e0675.txt", HZ, "2022-08-10")
    targets = extract_targets(doc, tasks, "pT")
    t = _find(targets, indicator_text="县域就诊率")[0]
    assert (t.comparator, t.value, t.unit, t.year) == (">=", 90.0, "%", 2025)
    about = _find(targets, value=45.0)[0]
    assert (about.comparator, about.unit) == ("about", "%")
    listed = {(t.indicator_text, t.value) for t in targets if t.unit == "人" and t.comparator == ">="}
    assert {("国家级人才", 50.0), ("省级人才", 400.0), ("市级人才总数", 1200.0)} <= listed
    assert _find(targets, value=4.78)[0].indicator_text == "千人医师数"


CHENZHOU_TABLE = [
    # indicator, baseline, comparator, value, unit, nature
    ("人均预期寿命", "待省里公布", "about", 78.6, "岁", "expected"),
    ("孕产妇死亡率", "18", "=", 12.0, "/10万", "expected"),
    ("婴儿死亡率", "6", "=", 5.0, "‰", "expected"),
    ("5岁以下儿童死亡率", "8", "=", 6.0, "‰", "expected"),
    ("重大慢性病过早死亡率", "14.87", "<=", 15.0, "%", "expected"),
    ("居民健康素养水平", "19.85", "=", 25.0, "%", "expected"),
    ("15岁以上人群吸烟率", None, "text", None, "%", "expected"),
    ("国家卫生城市(县城)数量占比", "70", "text", None, "%", "expected"),
    ("每千常住人口医疗卫生机构床位数", "7.66", "=", 8.0, "张", "expected"),
    ("每千常住人口拥有执业(助理)医师数", "2.73", "=", 3.2, "人", "expected"),
    ("其中:每千常住人口中医类别执业(助理)医师数", "0.32", "=", 0.62, "人", "expected"),
    ("每千常住人口注册护士数", "3.46", "=", 4.0, "人", "expected"),
    ("每万常住人口全科医生数", "2.92", "=", 3.93, "人", "binding"),
    ("每千常住人口公共卫生人员数", "0.53", "text", 30.0, "%", "expected"),
    ("每千常住人口拥有3岁以下婴幼儿托位数", "1.22", "=", 4.5, "个", "expected"),
    ("儿童青少年总体近视率", "44.26", "text", 0.5, "%", "binding"),
    ("二级及以上综合性医院设置老年医学科的比例", "77.8", "=", 80.0, "%", "expected"),
    ("个人卫生支出占卫生总费用的比重", "待省里公布", "about", 27.0, "%", "binding"),
    ("基本医疗保险参保率", "95.50", "text", 95.0, "%", "binding"),
    ("城镇职工政策范围内住院费用医保支付比例", "81", "text", 80.0, "%", "expected"),
    ("城乡居民政策范围内住院费用医保支付比例(含大病保险)", "70", "=", 70.0, "%", "expected"),
    ("重点救助对象符合规定的医疗费用住院救助比例", None, "text", None, "%", "expected"),
    ("住院费用按疾病诊断相关分组或按病种付费费用占住院费用的比例", None, "text", None, "%", "expected"),
    ("公立医疗机构通过省级集中采购平台线上采购率", "70", "text", 90.0, "%", "expected"),
    ("药品、高值医用耗材集中带量采购品种覆盖面", "药品112个品种、高值医用耗材1类", "text", 500.0, "种类", "expected"),
]


def test_chenzhou_indicator_table() -> None:
    doc, tasks = _doc(SEEDS / "002_65d0c4f75aeeb8fa.txt", Jurisdiction("郴州市", "city", "湖南省"), "2021-12-30")
    _flat_table(doc, "类别\n", 6)
    targets = extract_targets(doc, tasks, "pT")
    table = doc.tables[0]
    rows = [t for t in targets if table.span.start <= t.span.start < table.span.end]
    got = [(t.indicator_text, t.baseline, t.comparator, t.value, t.unit, t.nature) for t in rows]
    assert got == CHENZHOU_TABLE
    assert all(t.baseline_year == 2020 for t in rows if t.baseline)
    assert all(t.year == 2025 for t in rows if t.value is not None)
    starred = [t.indicator_text for t in rows if t.note and "十三五" in t.note]
    assert starred == ["孕产妇死亡率", "婴儿死亡率", "5岁以下儿童死亡率"]
    # Background facts ("2020年,居民健康素养水平达19.85%") are not targets.
    assert not [t for t in targets if t.value == 19.85]
    assert _find(targets, indicator_text="农村集中式供水受益人口")[0].comparator == ">="


def test_national_indicator_table_with_marker_notes() -> None:
    doc, tasks = _doc(EXTRA / "10_gov_tertiary_public_hospital_performance_2019.txt", Jurisdiction("全国", "nation"), "2019-01-16")
    targets = extract_targets(doc, tasks, "pT")
    table = [t for t in targets if t.span.start >= doc.tables[0].span.start]
    assert len(table) == 55
    monitored = [t for t in table if t.note and "国家监测指标" in t.note]
    assert len(monitored) == 26  # "标记“▲”的26个指标为国家监测指标"
    assert table[0].indicator_text == "门诊人次数与出院人次数比"
    assert table[-1].indicator_text == "医务人员满意度"


def test_traditional_text_and_plain_year_goal() -> None:
    doc, tasks = _doc(SEEDS / "001_ede30bebaf3943b9.txt", Jurisdiction("全国", "nation"), "2023-12-29")
    targets = extract_targets(doc, tasks, "pT")
    t = _find(targets, value=90.0)[0]
    assert (t.comparator, t.unit, t.year, t.deadline) == (">=", "%", 2025, "2025年底")
    assert "力爭全國90%以上的縣" in t.text  # evidence in the original script


def test_hainan_child_targets_2030() -> None:
    doc, tasks = _doc(EXTRA / "07_hainan_child_health_action_plan_2025.txt", HN, "2025-03-17")
    targets = extract_targets(doc, tasks, "pT")
    anemia = _find(targets, value=10.0, unit="%")[0]
    stunting = _find(targets, value=4.0, unit="%")[0]
    assert (anemia.comparator, stunting.comparator) == ("<=", "<=")  # "分别控制在10%和4%以下"
    assert anemia.year == stunting.year == 2030
    assert _find(targets, value=98.5)[0].indicator_text == "新生儿疾病筛查率"


# --- end to end (once the pipeline exists) ---------------------------------------------------


def _pipeline():
    from healthgov.extract import pipeline

    return pipeline


def test_end_to_end_chongqing_and_hangzhou() -> None:
    pipeline = _pipeline()
    rec = pipeline.extract_file(str(SEEDS / "000_f609406be53c2961.txt"))
    t1 = next(t for t in rec.tasks if t.title.startswith("夯实城乡医疗卫生服务网底"))
    assert [(r.name, r.role, r.basis) for r in t1.responsibilities] == [
        ("市卫生健康委", "lead", "convention"), ("市发展改革委", "support", "convention")]
    assert any(t.value == 35.0 and t.comparator == ">=" and t.year == 2027 for t in rec.targets)
    rec = pipeline.extract_file(str(SEEDS / "003_e5f6dd014c1e0675.txt"))
    implicit = [t for t in rec.tasks if any(r.implicit for r in t.responsibilities)]
    assert implicit and all(r.basis == "scoped" for t in implicit for r in t.responsibilities if r.implicit)
    t = next(t for t in rec.targets if t.indicator_text == "县域就诊率")
    assert (t.comparator, t.value, t.unit, t.year) == (">=", 90.0, "%", 2025)


def test_rules_written_after_a_comma_keep_the_unit_list(tmp_path: Path) -> None:
    # Real documents put the rule after a comma as often as after "。": the list before it
    # must survive, and the rule must still apply (first-is-lead; scoped units on later tasks).
    from healthgov.extract.pipeline import extract_file

    doc = tmp_path / "plan.txt"
    doc.write_text(
        "关于印发某市测试实施方案的通知\n某政办发〔2024〕3号\n一、重点任务\n(一)强化基层。\n"
        "1.夯实网底。推进村卫生室建设。(责任单位:市卫生健康委、市财政局,列第一位的为牵头单位,下同)\n"
        "2.加强人才。培养全科医生。(责任单位:市人力社保局、市卫生健康委)\n"
        "3.完善投入。落实投入政策。(责任单位:市财政局、各区县政府,以下责任单位均包括各区县政府,不再列出)\n"
        "4.深化改革。推进支付方式改革。(责任单位:市医保局、市卫生健康委)\n",
        encoding="utf-8",
    )
    tasks = extract_file(doc).tasks
    got = [[(r.name, r.role, r.basis, r.implicit) for r in t.responsibilities] for t in tasks]
    assert got[0] == [("市卫生健康委", "lead", "explicit", False), ("市财政局", "support", "explicit", False)]
    assert got[1][0] == ("市人力社保局", "lead", "explicit", False)
    assert [n for n, *_ in got[2]] == ["市财政局", "各区县政府"]  # listed here, not added again
    assert got[3] == [("市医保局", "lead", "explicit", False), ("市卫生健康委", "support", "explicit", False),
                      ("各区县政府", "support", "scoped", True)]


def test_plan_chapters_enumerated_measures_and_label_pairs(tmp_path: Path) -> None:
    # Formats beyond the seeds: 第一章/第一节 plans, "一是…二是…" measures, "牵头单位:…;配合单位:…",
    # "(A牵头,B配合)", a goal chapter that is not a task, in GB18030.
    from healthgov.extract.pipeline import extract_file

    doc = tmp_path / "plan.txt"
    doc.write_text(
        "某省人民政府办公厅关于印发某省卫生健康事业发展规划的通知\n某政办发〔2024〕12号\n"
        "各市、县人民政府，省政府各部门：\n现将《某省卫生健康事业发展规划》印发给你们，请认真贯彻执行。\n"
        "某省人民政府办公厅\n2024年3月5日\n"
        "为贯彻落实《国务院办公厅关于推动公立医院高质量发展的意见》（国办发〔2021〕18号）精神，制定本规划。\n"
        "第一章 发展目标\n到2025年，每千人口执业（助理）医师数达到3.2人，孕产妇死亡率控制在10/10万以下。\n"
        "第二章 主要任务\n第一节 强化基层服务能力\n"
        "一是推进乡镇卫生院标准化建设。每个乡镇办好1所卫生院。（牵头单位：省卫生健康委；配合单位：省发展改革委、省财政厅）\n"
        "二是加强村医队伍建设。（省卫生健康委牵头，省人力资源社会保障厅配合）\n"
        "第二节 深化医保支付改革\n（一）推进DRG付费。（责任单位：省医保局）\n",
        encoding="gb18030",
    )
    rec = extract_file(doc)
    assert rec.policy.doc_number == "某政办发〔2024〕12号" and rec.policy.issued_on == "2024-03-05"
    assert [(c.doc_number, c.relation) for c in rec.policy.cites] == [("国办发〔2021〕18号", "implements")]
    assert [t.path for t in rec.tasks] == [["第二章", "第一节", "一是"], ["第二章", "第一节", "二是"],
                                          ["第二章", "第二节", "(一)"]]
    got = [[(r.name, r.role) for r in t.responsibilities] for t in rec.tasks]
    assert got[0] == [("省卫生健康委", "lead"), ("省发展改革委", "support"), ("省财政厅", "support")]
    assert got[1] == [("省卫生健康委", "lead"), ("省人力资源社会保障厅", "support")]
    assert {(g.indicator, g.comparator, g.value, g.unit, g.year) for g in rec.targets} >= {
        ("physicians-per-1000", "=", 3.2, "人", 2025), ("maternal-mortality", "<=", 10.0, "/10万", 2025)}
