"""Task tables read right: one table model for TXT (TAB rows), HTML (rowspan/colspan) and DOCX
(merged cells); 处室 columns are divisions of the issuing body; "/" is empty; continuation rows
belong to their item; a unit name wrapped over two rows is one name. Made-up tables only."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from healthgov.extract.document import Cell, Table
from healthgov.extract.formats.html import html_to_text
from healthgov.extract.pipeline import extract_file, extract_text
from healthgov.extract.structure.table_model import column_kind, read_task_table
from healthgov.records import Responsibility, Span

_HEAD = """某市卫生健康委员会关于印发某市基层卫生服务能力提升实施方案的通知

各区县卫生健康局：
现将《某市基层卫生服务能力提升实施方案》印发给你们，请认真贯彻执行。

某市卫生健康委员会
2024年3月1日

某市基层卫生服务能力提升实施方案

一、重点任务
（一）加强基层医疗卫生机构建设。推进乡镇卫生院标准化建设，完善村卫生室设施设备。
（二）强化基层人才队伍。实施基层卫生人才培养计划，落实乡村医生待遇。
（三）提升慢病管理水平。开展高血压、糖尿病患者规范管理。

附件

重点任务分工表

"""

# Continuation rows (no 序号), "/" and "—" as empty cells, a unit name wrapped onto a row of its
# own ("市人力资源社会" + "保障厅"), two division columns.
TXT = _HEAD + (
    "序号\t重点任务\t牵头单位\t配合单位\t委内牵头处室\t委内配合处室\t完成时限\n"
    "1\t加强基层医疗卫生机构建设\t市卫生健康委\t市发展改革委、市财政局\t基层处\t规划处\t2024年底\n"
    "\t\t各区县政府\t/\t\t医政处\t\n"
    "2\t强化基层人才队伍\t市卫生健康委\t市人力资源社会\t人事处\t基层处\t2025年\n"
    "\t\t\t保障厅\t\t\t\n"
    "3\t提升慢病管理水平\t市卫生健康委\t/\t疾控处\t—\t长期\n"
)


def _p(s: str) -> str:
    return "".join(f"<p>{line}</p>\n" for line in s.strip().split("\n") if line.strip())


# The same table as a web page: two header rows (责任单位 and 委内处室 spanning two columns each),
# the first item written with rowspan over its two rows.
HTML = (
    "<html><head><title>通知</title></head><body>\n" + _p(_HEAD) + """<table>
<tr><td rowspan="2">序号</td><td rowspan="2">重点任务</td><td colspan="2">责任单位</td>
    <td colspan="2">委内处室</td><td rowspan="2">完成时限</td></tr>
<tr><td>牵头单位</td><td>配合单位</td><td>牵头处室</td><td>配合处室</td></tr>
<tr><td rowspan="2">1</td><td rowspan="2">加强基层医疗卫生机构建设</td><td>市卫生健康委</td>
    <td>市发展改革委、市财政局</td><td rowspan="2">基层处</td><td>规划处</td><td rowspan="2">2024年底</td></tr>
<tr><td>各区县政府</td><td>/</td><td>医政处</td></tr>
<tr><td>2</td><td>强化基层人才队伍</td><td>市卫生健康委</td><td>市人力资源社会保障厅</td><td>人事处</td>
    <td>基层处</td><td>2025年</td></tr>
<tr><td>3</td><td>提升慢病管理水平</td><td>市卫生健康委</td><td>／</td><td>疾控处</td><td>-</td><td>长期</td></tr>
</table></body></html>
"""
)

EXPECTED = {
    "(一)": {
        "lead": ["市卫生健康委", "各区县政府"],
        "support": ["市发展改革委", "市财政局"],
        "divisions": ["基层处", "规划处", "医政处"],
    },
    "(二)": {"lead": ["市卫生健康委"], "support": ["市人力资源社会保障厅"], "divisions": ["人事处", "基层处"]},
    "(三)": {"lead": ["市卫生健康委"], "support": [], "divisions": ["疾控处"]},
}


def _summary(rec) -> dict[str, dict[str, list[str]]]:
    out = {}
    for t in rec.tasks:
        rs = t.responsibilities
        out[t.number] = {
            "lead": [r.name for r in rs if r.role == "lead"],
            "support": [r.name for r in rs if r.role == "support"],
            "divisions": [d for r in rs for d in r.divisions],
        }
    return out


def _roles(rec) -> list[tuple]:
    return [(t.number, r.name, r.role, r.basis, r.level, tuple(r.divisions)) for t in rec.tasks for r in t.responsibilities]


def _no_bad_agency(rec) -> None:
    for t in rec.tasks:
        for r in t.responsibilities:
            assert r.name not in ("/", "／", "—", "-", "无", ""), r
            assert not r.name.endswith(("处", "科", "室")), f"a division as an agency: {r}"
            assert " " not in r.name and r.name not in ("保障厅", "市人力资源社会"), r


def test_txt_task_table_leads_supports_divisions():
    rec = extract_text(TXT)
    assert _summary(rec) == EXPECTED
    _no_bad_agency(rec)
    assert all(r.basis == "annex" for t in rec.tasks for r in t.responsibilities)
    # The divisions belong to the issuing commission: its own responsibility carries them.
    owner = rec.tasks[0].responsibilities[0]
    assert owner.name == "市卫生健康委" and owner.agency_type == "health-commission"


def test_html_rowspan_colspan_table_reads_as_the_txt_one():
    text = html_to_text(HTML)
    rec = extract_text(text, fmt="html")
    assert _summary(rec) == EXPECTED
    _no_bad_agency(rec)
    assert _roles(rec) == _roles(extract_text(TXT))


def test_docx_merged_cells_read_as_the_txt_one(tmp_path: Path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for line in _HEAD.strip().split("\n"):
        if line.strip():
            d.add_paragraph(line)
    rows = [
        ["序号", "重点任务", "牵头单位", "配合单位", "委内牵头处室", "委内配合处室", "完成时限"],
        ["1", "加强基层医疗卫生机构建设", "市卫生健康委", "市发展改革委、市财政局", "基层处", "规划处", "2024年底"],
        ["", "", "各区县政府", "/", "", "医政处", ""],
        ["2", "强化基层人才队伍", "市卫生健康委", "市人力资源社会保障厅", "人事处", "基层处", "2025年"],
        ["3", "提升慢病管理水平", "市卫生健康委", "/", "疾控处", "—", "长期"],
    ]
    tb = d.add_table(rows=len(rows), cols=len(rows[0]))
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            tb.cell(i, j).text = v
    for col in (0, 1, 4, 6):  # the first item's merged cells (vertical merge)
        tb.cell(1, col).merge(tb.cell(2, col))
    buf = io.BytesIO()
    d.save(buf)
    path = tmp_path / "plan.docx"
    path.write_bytes(buf.getvalue())
    rec = extract_file(path)
    assert _summary(rec) == EXPECTED
    assert _roles(rec) == _roles(extract_text(TXT))


def test_record_json_omits_empty_divisions():
    from healthgov.records import DocumentRecord, Policy, Task

    r = Responsibility("市卫生健康委", "lead", "annex", span=Span(0, 6))
    t = Task("p/t1", None, ["1"], "1", "x", "x", Span(0, 1), [r])
    rec = DocumentRecord("s", "h", "txt", "utf-8", "", Policy("p", "t"), tasks=[t])
    assert "divisions" not in rec.to_dict()["tasks"][0]["responsibilities"][0]
    r.divisions.append("基层处")
    assert rec.to_dict()["tasks"][0]["responsibilities"][0]["divisions"] == ["基层处"]


def test_column_kinds():
    assert column_kind("牵头单位") == "lead"
    assert column_kind("责任单位牵头单位") == "lead"
    assert column_kind("配合单位") == "support"
    assert column_kind("协助单位") == "support"
    assert column_kind("责任单位") == "neutral"
    assert column_kind("委内牵头处室") == "division-lead"
    assert column_kind("委内处室配合处室") == "division-support"
    assert column_kind("责任处室") == "division"
    assert column_kind("完成时限") == "deadline"
    assert column_kind("时间节点") == "deadline"
    assert column_kind("序号") == "number"
    assert column_kind("具体措施") == "content"
    assert column_kind("重点任务") == "content"


def _table(rows: list[list[str]]) -> Table:
    off, out = 0, []
    for r in rows:
        cells = []
        for v in r:
            cells.append(Cell(v, Span(off, off + len(v))))
            off += len(v) + 1
        out.append(cells)
    return Table(Span(0, off), [c.text for c in out[0]], out[1:])


def test_model_caption_row_group_rows_and_continuations():
    rows = [
        ["重点任务分工表", "", "", ""],
        ["序号", "工作任务", "责任单位", "时间节点"],
        ["一、强化基层", "", "", ""],
        ["1", "建设甲", "市卫生健康委、市财政局", "2025年"],
        ["", "", "各区县政府", ""],
        ["2", "建设乙", "无", "2026年"],
    ]
    model = read_task_table("", _table(rows))
    assert model is not None
    assert [c.kind for c in model.columns] == ["number", "content", "neutral", "deadline"]
    assert [(i.number, i.title) for i in model.items] == [("1", "建设甲"), ("2", "建设乙")]
    assert [c.text for c in model.items[0].cells[2]] == ["市卫生健康委、市财政局", "各区县政府"]
    assert 2 not in model.items[1].cells  # "无" is empty


def test_hainan_duty_list_names_not_split():
    """The annex duty list of the Hainan plan: a unit name wrapped inside its cell is one name."""
    path = Path(__file__).resolve().parents[2] / ".." / "shared" / "extra" / "05_hainan_hiap_annex1_duty_list_2025.txt"
    if not path.exists():
        pytest.skip("the extra corpus is not beside this checkout")
    rec = extract_file(path)
    names = [r.name for t in rec.tasks for r in t.responsibilities]
    assert len(names) == 26 and len(set(names)) == 26
    assert "省人力资源社会保障厅" in names and "省自然资源和规划厅" in names
    assert "保障厅" not in names and all(" " not in n for n in names)
    assert all(r.basis == "annex" and r.role == "lead" for t in rec.tasks for r in t.responsibilities)
    # The list names no province; its 省… units and 海口海关 tell it: Hainan.
    assert rec.policy.jurisdiction is not None and rec.policy.jurisdiction.name == "海南省"
    assert {r.level for t in rec.tasks for r in t.responsibilities} == {"province"}


STANDALONE = """示例市卫生健康委关于印发重点任务分工表的通知
各区卫生健康局：
现将重点任务分工表印发给你们，请认真贯彻落实。
示例市卫生健康委
2025年3月1日
附件
重点任务分工表
序号\t重点任务\t牵头单位\t配合单位\t委内牵头处室\t完成时限
1\t推进城市医疗集团建设\t市卫生健康委\t市医保局、\t医政医管处\t2025年底
\t\t\t市民政局\t\t
2\t完善基层医疗卫生机构绩效考核\t市卫生健康委\t市人力资源社会
保障局、市财政局\t人事处\t持续推进
3\t开展公立医院高质量发展评价\t市卫生健康委\t/\t医政医管处\t2025年9月底
"""


def test_standalone_table_items_become_tasks_and_wrapped_lines_join():
    """A 分工表 with no body tasks: its items are the tasks; a cell wrapped onto the next line
    (the line completes the row's width) is one cell, its first unit joined."""
    rec = extract_text(STANDALONE)
    assert _summary(rec) == {
        "1": {"lead": ["市卫生健康委"], "support": ["市医保局", "市民政局"], "divisions": ["医政医管处"]},
        "2": {"lead": ["市卫生健康委"], "support": ["市人力资源社会保障局", "市财政局"], "divisions": ["人事处"]},
        "3": {"lead": ["市卫生健康委"], "support": [], "divisions": ["医政医管处"]},
    }
    assert [t.title for t in rec.tasks] == ["推进城市医疗集团建设", "完善基层医疗卫生机构绩效考核", "开展公立医院高质量发展评价"]
    _no_bad_agency(rec)
    for t in rec.tasks:
        for r in t.responsibilities:
            assert r.basis == "annex"
            assert re.sub(r"\s+", "", rec.text[r.span.start : r.span.end]).startswith(r.name[:3])


ALIGNED = STANDALONE.split("序号")[0] + """序号  重点任务                      牵头单位      配合单位          委内牵头处室  完成时限
1     推进城市医疗集团建设          市卫生健康委  市医保局、        医政医管处    2025年底
                                                  市民政局
2     完善基层医疗卫生机构绩效考核  市卫生健康委  市人力资源社会    人事处        持续推进
                                                  保障局、市财政局
3     开展公立医院高质量发展评价    市卫生健康委  /                 医政医管处    2025年9月底
"""


def test_space_aligned_table_reads_as_the_tab_one():
    rec = extract_text(ALIGNED)
    assert _summary(rec) == _summary(extract_text(STANDALONE))
    assert [t.title for t in rec.tasks] == [t.title for t in extract_text(STANDALONE).tasks]
    _no_bad_agency(rec)


def test_division_names_in_a_unit_column_of_the_commissions_table():
    """处/科/室 names in a 配合单位 column of a commission's own table are its divisions."""
    text = STANDALONE.replace("市医保局、\t医政医管处", "市医保局、规划发展处\t医政医管处")
    rec = extract_text(text)
    first = _summary(rec)["1"]
    assert first["support"] == ["市医保局", "市民政局"]
    assert first["divisions"] == ["规划发展处", "医政医管处"]  # in column order
    _no_bad_agency(rec)


def test_model_empty_number_column_and_no_number_column():
    rows = [
        ["序号", "重点任务", "牵头单位", "配合单位"],
        ["", "建设甲", "市卫生健康委", "市财政局"],
        ["", "", "", "市医保局"],
        ["", "建设乙", "市医保局", "／"],
    ]
    model = read_task_table("", _table(rows))
    assert model is not None
    assert [i.title for i in model.items] == ["建设甲", "建设乙"]
    assert [c.text for c in model.items[0].cells[3]] == ["市财政局", "市医保局"]
    assert 3 not in model.items[1].cells


def test_html_cells_with_paragraphs_and_line_breaks():
    """Units in separate <p> of one cell are separate; a name broken with <br> is one name."""
    html = HTML.replace("<td>市发展改革委、市财政局</td>", "<td><p>市发展改革委</p><p>市财政局</p></td>").replace(
        "<td>市人力资源社会保障厅</td>", "<td>市人力资源社会<br/>保障厅</td>"
    )
    assert html != HTML
    rec = extract_text(html_to_text(html), fmt="html")
    assert _summary(rec) == EXPECTED


def test_divisions_in_one_cell_separated_by_spaces():
    # Two <p> (or a PDF's wrapped lines) in one division cell: two divisions, never one name.
    doc = ("示例市卫生健康委员会关于印发重点任务分工的通知\n（本文为测试用虚构文本）\n附件\n重点任务分工表\n"
           "序号\t重点任务\t牵头单位\t配合单位\t委内牵头处室\t委内配合处室\n"
           "1\t建立健全分级诊疗制度\t市卫生健康委\t市医保局\t医政处 基层处\t规划处\n")
    (t,) = extract_text(doc).tasks
    assert [(r.name, r.role, r.divisions) for r in t.responsibilities] == [
        ("市卫生健康委", "lead", ["医政处", "基层处", "规划处"]), ("市医保局", "support", [])]
