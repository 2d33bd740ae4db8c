"""Task tables in PDFs with a text layer read like the same table in TXT: rows recovered from glyph
positions (ruled or not), a cell wrapped over two lines is one cell, "/" is empty, a row without
its own 序号 continues its item. Made-up tables, drawn with reportlab."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_task_tables import _HEAD, EXPECTED, TXT, _no_bad_agency, _roles, _summary

from healthgov.extract.formats.pdf import read as read_pdf
from healthgov.extract.pipeline import extract_file, extract_text

pytest.importorskip("reportlab", reason="install the test extras: pip install -e '.[test]'")

FONT = "STSong-Light"  # a standard CID font: no font file needed, text extractable via its CMap
SIZE = 10.0
WIDTHS = [30, 90, 70, 80, 70, 70, 55]  # 序号 | 重点任务 | 牵头单位 | 配合单位 | 委内牵头处室 | 委内配合处室 | 完成时限
HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "委内牵头处室", "委内配合处室", "完成时限"]
# The table of test_task_tables.TXT as a PDF lays it out: a cell is a list of its lines (the
# title and two unit lists wrapped), the first item's second row a row of its own without 序号.
ROWS: list[list[str | list[str]]] = [
    ["1", ["加强基层医疗卫生", "机构建设"], "市卫生健康委", ["市发展改革委、", "市财政局"], "基层处", "规划处", "2024年底"],
    ["", "", "各区县政府", "/", "", "医政处", ""],
    ["2", "强化基层人才队伍", "市卫生健康委", ["市人力资源社会", "保障厅"], "人事处", "基层处", "2025年"],
    ["3", "提升慢病管理水平", "市卫生健康委", "/", "疾控处", "—", "长期"],
]


def _canvas(path: Path):  # noqa: ANN202 - a reportlab Canvas
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(FONT, SIZE)
    return c


def _prose(c, lines: list[str], y: float) -> float:  # noqa: ANN001
    """Paragraphs indented two characters, wrapped at the right margin (as test_inputs._pdf)."""
    from reportlab.pdfbase import pdfmetrics

    width = 475.0
    for ln in lines:
        cur, avail, first = "", width - 2 * SIZE, True
        for ch in ln + "\n":
            if ch == "\n" or pdfmetrics.stringWidth(cur + ch, FONT, SIZE) > avail:
                c.drawString(60 + (2 * SIZE if first else 0), y, cur)
                y -= SIZE * 1.6
                cur, avail, first = "", width, False
            if ch != "\n":
                cur += ch
    return y


def _table(c, y: float, ruled: bool, rows: slice = slice(None), header: bool = True) -> float:  # noqa: ANN001
    """The header and ROWS from y down, cells left-aligned with 3pt padding; with ruled lines
    (a grid) or without (rows told apart by position only)."""
    xs = [60.0]
    for w in WIDTHS:
        xs.append(xs[-1] + w)
    pitch = SIZE * 1.3
    top = y + SIZE
    rule_ys = [top]
    for row in [HEADER, *ROWS[rows]] if header else ROWS[rows]:
        cells = [v if isinstance(v, list) else [v] for v in row]
        for col, lines in enumerate(cells):
            for k, line in enumerate(lines):
                c.drawString(xs[col] + 3, y - k * pitch, line)
        y -= max(len(v) for v in cells) * pitch + 0.6 * SIZE
        rule_ys.append(y + SIZE * 0.9)
    if ruled:
        for ry in rule_ys:
            c.line(xs[0], ry, xs[-1], ry)
        for x in xs:
            c.line(x, rule_ys[0], x, rule_ys[-1])
    return y - 2 * SIZE


def _document(path: Path, ruled: bool) -> None:
    c = _canvas(path)
    y = _prose(c, [ln.strip() for ln in _HEAD.split("\n") if ln.strip()], 780.0)
    y = _table(c, y, ruled)
    c.drawString(60 + 2 * SIZE, y, "请各单位按照分工抓好落实。")
    c.save()


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_pdf_task_table_reads_as_the_txt_one(tmp_path: Path, ruled: bool) -> None:
    f = tmp_path / "plan.pdf"
    _document(f, ruled)
    rec = extract_file(f)
    assert rec.format == "pdf"
    assert _summary(rec) == EXPECTED
    assert _roles(rec) == _roles(extract_text(TXT))
    _no_bad_agency(rec)
    # The header and the numbered rows are TAB rows; the prose around them is prose.
    assert "\t".join(HEADER) in rec.text
    assert "2\t强化基层人才队伍\t市卫生健康委\t" in rec.text
    assert "请各单位按照分工抓好落实。\n" in rec.text and "\t请各单位" not in rec.text


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_pdf_table_across_a_page_break(tmp_path: Path, ruled: bool) -> None:
    """A table running on to the next page, a page number under its first part: one table."""
    f = tmp_path / "plan.pdf"
    c = _canvas(f)
    y = _prose(c, [ln.strip() for ln in _HEAD.split("\n") if ln.strip()], 780.0)
    _table(c, y, ruled, slice(0, 2))
    c.drawString(290, 40, "- 1 -")
    c.showPage()
    c.setFont(FONT, SIZE)
    y = _table(c, 780.0, ruled, slice(2, None), header=False)
    c.drawString(60 + 2 * SIZE, y, "请各单位按照分工抓好落实。")
    c.save()
    rec = extract_file(f)
    assert _summary(rec) == EXPECTED
    assert _roles(rec) == _roles(extract_text(TXT))
    assert "- 1 -" not in rec.text


def test_two_header_rows_centred_names_and_group_rows(tmp_path: Path) -> None:
    """责任单位 centred over 牵头单位 | 配合单位, the other names centred between the two header
    rows, full-width "一、…" group rows: columns and items as in TXT."""
    from reportlab.pdfbase import pdfmetrics

    f = tmp_path / "plan.pdf"
    c = _canvas(f)
    y = _prose(c, ["某市卫生健康委员会关于印发某市基层卫生服务能力提升实施方案的通知", "附件", "重点任务分工表"], 780.0)
    xs = [60, 100, 260, 350, 450, 515]

    def centred(x0: float, x1: float, y: float, s: str) -> None:
        c.drawString((x0 + x1 - pdfmetrics.stringWidth(s, FONT, SIZE)) / 2, y, s)

    for col, name in ((0, "序号"), (1, "重点任务"), (4, "完成时限")):
        centred(xs[col], xs[col + 1], y - 6, name)
    centred(xs[2], xs[4], y, "责任单位")
    centred(xs[2], xs[3], y - 13, "牵头单位")
    centred(xs[3], xs[4], y - 13, "配合单位")
    y -= 32
    rows = [["一、强化基层能力"], ["1", "加强基层医疗卫生机构建设", "市卫生健康委", ["市发展改革委、", "市财政局"], "2024年底"],
            ["二、慢病防治"], ["2", "提升慢病管理水平", "市卫生健康委", "/", "长期"]]
    for row in rows:
        height = 1
        for col, v in enumerate(row):
            lines = v if isinstance(v, list) else [v]
            height = max(height, len(lines))
            for k, line in enumerate(lines):
                if col == 0 and len(row) > 1:
                    centred(xs[0], xs[1], y - k * 13, line)
                else:
                    c.drawString(xs[col] + 3, y - k * 13, line)
        y -= height * 13 + 8
    c.save()
    text, _ = read_pdf(f.read_bytes(), f.name)
    txt = (
        "某市卫生健康委员会关于印发某市基层卫生服务能力提升实施方案的通知\n附件\n重点任务分工表\n"
        "序号\t重点任务\t牵头单位\t配合单位\t完成时限\n一、强化基层能力\t\t\t\t\n"
        "1\t加强基层医疗卫生机构建设\t市卫生健康委\t市发展改革委、市财政局\t2024年底\n二、慢病防治\t\t\t\t\n"
        "2\t提升慢病管理水平\t市卫生健康委\t/\t长期\n"
    )
    assert "序号\t重点任务\t责任单位牵头单位\t责任单位配合单位\t完成时限\n" in text
    assert _summary(extract_text(text, fmt="pdf")) == _summary(extract_text(txt)) != {}
    assert [t.title for t in extract_text(text, fmt="pdf").tasks] == ["加强基层医疗卫生机构建设", "提升慢病管理水平"]


def test_pdf_table_cells_wrapped_joined(tmp_path: Path) -> None:
    f = tmp_path / "plan.pdf"
    _document(f, ruled=False)
    text, _ = read_pdf(f.read_bytes(), f.name)
    rows = [ln.split("\t") for ln in text.split("\n") if "\t" in ln]
    assert len(rows) == 4  # the header and three items (the unnumbered row joins item 1)
    assert rows[1][:4] == ["1", "加强基层医疗卫生机构建设", "市卫生健康委 各区县政府", "市发展改革委、 市财政局"]
    assert rows[2][3] == "市人力资源社会 保障厅" and rows[3][3] == "/"


def test_prose_pdf_gives_no_table_rows(tmp_path: Path) -> None:
    """Running text, short lines and a line naming columns in a sentence are no table."""
    f = tmp_path / "prose.pdf"
    c = _canvas(f)
    lines = [ln.strip() for ln in _HEAD.split("\n") if ln.strip()]
    lines += ["各牵头单位、配合单位要按照完成时限推进重点任务。", "序号 重点任务", "牵头单位"]
    _prose(c, lines, 780.0)
    c.save()
    text, _ = read_pdf(f.read_bytes(), f.name)
    assert "\t" not in text
    assert "各牵头单位、配合单位要按照完成时限推进重点任务。" in text
