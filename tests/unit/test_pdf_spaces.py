"""Spaces from a PDF's layout: a run of Chinese drawn in pieces, letter-spaced or justified, reads
without the spaces pdfminer puts into the gaps ("跨省 联网", "政 府工作报告"), while issuers set
apart in a signature block stay apart. Made-up documents, drawn glyph by glyph with reportlab so
that every gap is known; each must read as the same document typed as plain text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_inputs import facts

from healthgov.extract.formats.pdf import read as read_pdf
from healthgov.extract.pipeline import extract_file, extract_text
from healthgov.records import DocumentRecord

pytest.importorskip("reportlab", reason="install the test extras: pip install -e '.[test]'")

FONT = "STSong-Light"  # a standard CID font: no font file needed, text extractable via its CMap
SIZE = 11.0
LEFT, WIDTH = 60.0, 475.0
SMALL = 3.0  # "|": a gap of about a quarter character, which pdfminer reads as a space
WIDE = 11.0  # "‖": a gap of one character, as between two issuers in a signature block
SPREAD = 2.0  # "~" before a line: letter spacing after every character (a spaced-out title)

# The document as plain text; "|", "‖" and "~" only say how the PDF sets it (removed for the TXT).
DOC = [
    "~某市医疗保障局关于推进跨省|联网结算工作的通知",
    "各区县医疗保障局、财政局：",
    "为落实《政|府工作报告》部署，现就推进跨省|联网结算工作通知如下。",
    "一、重点任务",
    "（一）推进跨省|联网结算。扩大跨省联网定点医疗机构覆盖范围，到2025年，跨省联网定点|医疗机构达到500家以上。"
    "（责任单位：市医疗|保障局、市卫生健康|委员会）",
    "（二）加强基金监管。建立跨省异地就医费用审核机制。（责任单位：市医疗保障局、市|财政局）",
    "某市医疗保障局‖某市财政局",
    "2024年5月10日",
]


def _plain(line: str) -> str:
    return line.lstrip("~").replace("|", "").replace("‖", " ")


TXT = "\n".join(_plain(ln) for ln in DOC) + "\n"


def _draw(path: Path, lines: list[str], small: float = SMALL) -> None:
    """Each line a paragraph indented two characters, wrapped at the right margin; every glyph
    placed on its own, so the gaps are exactly those the markers ask for."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(FONT, SIZE)
    y = 780.0
    for line in lines:
        spread = SPREAD if line.startswith("~") else 0.0
        x, gap = LEFT + 2 * SIZE, 0.0
        for ch in line.lstrip("~"):
            if ch in "|‖":
                gap = small if ch == "|" else WIDE
                continue
            w = pdfmetrics.stringWidth(ch, FONT, SIZE)
            if x + gap + w > LEFT + WIDTH:
                x, gap, y = LEFT, 0.0, y - 1.6 * SIZE
            c.drawString(x + gap, y, ch)
            x += gap + w + spread
            gap = 0.0
        y -= 1.6 * SIZE
    c.save()


def _record(tmp_path: Path, lines: list[str]) -> DocumentRecord:
    f = tmp_path / "notice.pdf"
    _draw(f, lines)
    return extract_file(f)


def test_layout_spaces_gone_from_text_names_and_titles(tmp_path: Path) -> None:
    rec = _record(tmp_path, DOC)
    assert rec.format == "pdf"
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", rec.text.replace("某市医疗保障局 某市财政局", ""))
    assert rec.policy.title == "某市医疗保障局关于推进跨省联网结算工作的通知"
    assert "《政府工作报告》" in rec.text
    names = [x.name for t in rec.tasks for x in t.responsibilities]
    assert names == ["市医疗保障局", "市卫生健康委员会", "市医疗保障局", "市财政局"]
    assert [t.title for t in rec.tasks] == ["推进跨省联网结算", "加强基金监管"]
    assert [g.indicator_text for g in rec.targets] == ["跨省联网定点医疗机构"]


def test_reads_as_the_same_document_in_plain_text(tmp_path: Path) -> None:
    rec = _record(tmp_path, DOC)
    assert facts(rec) == facts(extract_text(TXT))


def test_wide_gap_between_issuers_keeps_a_separator(tmp_path: Path) -> None:
    rec = _record(tmp_path, DOC)
    assert "\n某市医疗保障局 某市财政局\n" in rec.text
    assert [i.name for i in rec.policy.issuers] == [i.name for i in extract_text(TXT).policy.issuers]


def test_spans_index_the_records_text(tmp_path: Path) -> None:
    """The record's text is the reader's text: every span points at what the fact says."""
    rec = _record(tmp_path, DOC)
    assert rec.tasks and rec.targets
    for t in rec.tasks:
        assert rec.text[t.span.start : t.span.end] == t.text
        for x in t.responsibilities:
            assert x.span is not None and rec.text[x.span.start : x.span.end] == x.name
    for g in rec.targets:
        assert g.span is not None and rec.text[g.span.start : g.span.end] in g.text
    assert rec.text[rec.targets[0].span.start : rec.targets[0].span.end] == "500家以上"


def test_letter_spacing_and_wrapped_lines(tmp_path: Path) -> None:
    """A whole paragraph letter-spaced and wrapped over several lines reads as one line with no
    space, at the wraps or inside them; Latin words and numbers keep their own spaces."""
    long = "各级医疗保障部门要加强与卫生健康、财政部门的协作，共同推进跨省异地就医直接结算，持续提升参保群众的获得感和满意度。"
    f = tmp_path / "spread.pdf"
    _draw(f, [long, "~" + long, "按DRG 2.0版分组方案 执行。"])
    text, _ = read_pdf(f.read_bytes(), f.name)
    assert text.split("\n")[:3] == [long, long, "按DRG 2.0版分组方案 执行。"]


@pytest.mark.parametrize("gap,joined", [(1.0, True), (3.0, True), (5.0, True), (8.0, False), (11.0, False)])
def test_gap_threshold(tmp_path: Path, gap: float, joined: bool) -> None:
    """Below half a character the gap is layout; from about three quarters on it separates."""
    f = tmp_path / "gap.pdf"
    _draw(f, ["某市卫生健康委员会|某市财政局关于做好医疗保障工作的通知"], small=gap)
    text, _ = read_pdf(f.read_bytes(), f.name)
    want = "某市卫生健康委员会某市财政局" if joined else "某市卫生健康委员会 某市财政局"
    assert text.startswith(want)


def test_real_space_characters_are_kept(tmp_path: Path) -> None:
    """Spaces the PDF holds as characters are the author's, as in TXT: kept whatever their width."""
    f = tmp_path / "sig.pdf"
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    c = canvas.Canvas(str(f))
    c.setFont(FONT, SIZE)
    c.drawString(LEFT, 720, "各有关单位要按照职责分工抓好落实，重要情况及时报告，确保各项工作落到实处。")  # the right margin
    c.drawString(LEFT + 150, 700, "广州市卫生健康委员会   广州市财政局")
    c.drawString(LEFT + 150, 680, "国家卫生计生委 国家发展改革委")
    c.save()
    text, _ = read_pdf(f.read_bytes(), f.name)
    assert text.endswith("\n广州市卫生健康委员会   广州市财政局\n国家卫生计生委 国家发展改革委\n")
