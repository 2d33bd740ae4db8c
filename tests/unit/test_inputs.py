"""Real-world inputs built from the seed texts: other encodings, a saved government web page,
DOCX and PDF. Each must give the same records as the clean UTF-8 text it was made from.

Every input is generated here from ``corpus/`` (no fixtures checked in), so what is compared is
exactly one text in two containers.
"""

from __future__ import annotations

import codecs
import html
import re
from pathlib import Path

import pytest
from conftest import SEEDS

from healthgov.extract.errors import ExtractError
from healthgov.extract.pipeline import extract_file
from healthgov.records import DocumentRecord

S = {p.name[:3]: p for p in SEEDS.glob("*.txt")}
HANGZHOU = "003"

# An annex task table as government plans attach it: a group heading spanning the whole row,
# one lead unit spanning two rows. Rows name body tasks of the Hangzhou plan by their titles.
ANNEX_ROWS: list[tuple[str, str, str, str]] = [
    ("1", "高标准推进“医学高峰”建设", "市数据资源局", "市审计局"),
    ("2", "高质量推动中医药学科发展", "市数据资源局", "市统计局"),
    ("3", "高水平打造县级强院", "市医疗保障局", "市民政局、市审计局"),
]
ANNEX_GROUP = "一、优质医疗资源提质扩容行动"
ANNEX_HEADER = ("序号", "重点任务", "牵头单位", "配合单位")


def _seed_text(key: str) -> str:
    return S[key].read_text(encoding="utf-8")


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def _annex_tsv() -> list[str]:
    """The annex table as the clean text writes it: one line per row, cells TAB-separated,
    a spanned cell's value in every row it covers."""
    group = "\t".join([ANNEX_GROUP] + [""] * (len(ANNEX_HEADER) - 1))  # a colspan cell keeps the row's columns
    return ["附件", "重点任务分工表", "\t".join(ANNEX_HEADER), group] + ["\t".join(r) for r in ANNEX_ROWS]


def _compact(s: str | None) -> str:
    return re.sub(r"\s+", "", s or "")


def facts(r: DocumentRecord) -> dict:
    """What a researcher reads from a record, independent of offsets and of line breaks."""
    p = r.policy
    return {
        "policy": (p.id, p.title, p.doc_number, p.issued_on, p.published_on, [i.name for i in p.issuers],
                   p.jurisdiction.name if p.jurisdiction else None, p.language_script,
                   sorted((c.title, c.doc_number, c.relation) for c in p.cites)),
        "tasks": [(t.id, t.path, _compact(t.title), _compact(t.text),
                   [(_compact(x.name), x.role, x.basis, x.implicit) for x in t.responsibilities],
                   t.institutions, t.tiers, t.topics) for t in r.tasks],
        "targets": [(g.id, g.indicator, _compact(g.indicator_text), g.comparator, g.value, g.value_max, g.unit, g.year,
                     g.task) for g in r.targets],
    }


def _comparable(r: DocumentRecord) -> dict:
    d = r.to_dict(include_text=True)
    for k in ("source", "sha256", "encoding", "format"):
        d.pop(k)
    return d


# --- encodings ---------------------------------------------------------------------------------

# Characters of the seeds that Big5 lacks, with the form a Big5 page writes instead.
_BIG5_FORMS = str.maketrans({"産": "產", "\xa0": " "})

_REF: dict[str, DocumentRecord] = {}


def ref(key: str) -> DocumentRecord:
    """The record of the UTF-8 seed (cached: the Chenzhou plan takes seconds)."""
    if key not in _REF:
        _REF[key] = extract_file(S[key])
    return _REF[key]


@pytest.mark.parametrize(
    "key,encoding",
    [(k, e) for k in ("000", "002", "003", "004") for e in ("gb18030", "utf-16")] + [("003", "utf-16-be-bom")],
)
def test_encodings_give_identical_records(tmp_path: Path, key: str, encoding: str) -> None:
    text = _seed_text(key)
    if encoding == "utf-16-be-bom":
        raw = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    else:
        raw = text.encode(encoding)
    f = tmp_path / f"{key}.txt"
    f.write_bytes(raw)
    r = extract_file(f)
    assert r.encoding == {"utf-16-be-bom": "utf-16"}.get(encoding, encoding)
    assert _comparable(r) == _comparable(ref(key))


def test_big5_traditional_gives_identical_records(tmp_path: Path) -> None:
    text = _seed_text("001").translate(_BIG5_FORMS)
    raw = text.encode("big5")  # strict: the whole seed is representable, nothing replaced
    (tmp_path / "utf8.txt").write_text(text, encoding="utf-8")
    (tmp_path / "big5.txt").write_bytes(raw)
    r, want = extract_file(tmp_path / "big5.txt"), extract_file(tmp_path / "utf8.txt")
    assert r.encoding == "big5" and r.policy.language_script == "traditional"
    assert r.policy.doc_number == "国卫基层发〔2023〕41号" and len(r.tasks) == 20
    assert _comparable(r) == _comparable(want)


def test_gb18030_of_traditional_seed(tmp_path: Path) -> None:
    # GB18030 covers every character: a traditional text in it is still the same document.
    f = tmp_path / "t.txt"
    f.write_bytes(_seed_text("001").encode("gb18030"))
    assert _comparable(extract_file(f)) == _comparable(ref("001"))


# --- HTML --------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_政策文件_{site}</title>
<script type="text/javascript">var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script");
hm.src = "https://hm.example.cn/hm.js?x"; document.body.appendChild(hm); }})();</script>
<style>.main-nav li {{ float: left; }} #zoom p {{ text-indent: 2em; }}</style>
</head>
<body>
<header class="site-banner"><div class="top-bar"><a href="/">首页</a> | <a href="/wza">无障碍</a> |
<a href="/en">English</a> | <a href="/login">登录</a></div><div class="logo"><img src="logo.png" alt="{site}"></div></header>
<nav class="main-nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/zcwj">政策文件</a></li><li><a href="/bsfw">办事服务</a></li><li><a href="/hdjl">互动交流</a></li></ul></nav>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a href="/zcwj">政策文件</a></div>
<div class="main clearfix">
 <div class="article-box">
  <div class="share-bar bdsharebuttonbox">分享到：<a class="bds_weixin">微信</a><a class="bds_tsina">微博</a>
  <a class="bds_qzone">QQ空间</a></div>
  <div class="font-size">字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></div>
  <div id="zoom" class="TRS_Editor">
{body}
  </div>
  <div class="print-close"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
 </div>
 <div class="sidebar related"><h3>相关文件</h3><ul>
  <li><a href="/a1">关于做好2023年基本公共卫生服务工作的通知</a></li>
  <li><a href="/a2">关于进一步加强乡村医生队伍建设的实施意见</a></li>
  <li><a href="/a3">关于推进医疗联合体建设和发展的指导意见</a></li></ul></div>
</div>
<footer><p>主办单位：{site}办公室　版权所有</p><p>ICP备05001234号　公网安备33010302000123号　网站标识码：3301000001</p>
<p><a href="/map">网站地图</a> | <a href="/lxwm">联系我们</a></p></footer>
<script>document.write('<p>访问统计</p>');</script>
</body></html>
"""


def _html_table(header: tuple[str, ...], group: str, rows: list[tuple[str, str, str, str]]) -> str:
    """The annex table as a web page writes it: a full-width colspan group row and rowspan
    for a lead unit repeated on consecutive rows."""
    out = ['<table border="1" cellspacing="0"><tbody>',
           "<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>",
           f'<tr><td colspan="{len(header)}"><strong>{html.escape(group)}</strong></td></tr>']
    i = 0
    while i < len(rows):
        n, task, lead, support = rows[i]
        span = 1
        while i + span < len(rows) and rows[i + span][2] == lead:
            span += 1
        out.append(f"<tr><td>{n}</td><td><p>{html.escape(task)}</p></td>"
                   f'<td rowspan="{span}">{html.escape(lead)}</td><td>{html.escape(support)}</td></tr>')
        for n2, task2, _lead2, support2 in rows[i + 1 : i + span]:
            out.append(f"<tr><td>{n2}</td><td>{html.escape(task2)}</td><td>{html.escape(support2)}</td></tr>")
        i += span
    out.append("</tbody></table>")
    return "\n".join(out)


def _page(lines: list[str], title: str, table: str = "", charset: str = "utf-8") -> str:
    body = "\n".join(f'<p style="text-indent:2em;">{html.escape(ln)}</p>' for ln in lines)
    return PAGE.format(title=html.escape(title), site="某市人民政府门户网站", charset=charset, body=body + "\n" + table)


@pytest.mark.parametrize("key", ["000", "001", "003"])
def test_government_page_gives_the_records_of_its_text(tmp_path: Path, key: str) -> None:
    text = _seed_text(key)
    page = tmp_path / f"{key}.html"
    page.write_text(_page(_lines(text), ref(key).policy.title), encoding="utf-8")
    r = extract_file(page)
    assert r.format == "html"
    assert facts(r) == facts(ref(key))
    for chrome in ("var _hmt", "政务公开", "分享到", "打印本页", "版权所有", "相关文件", "网站标识码", "访问统计"):
        assert chrome not in r.text or chrome in text, chrome  # a seed saved from the web has its own


def test_gb18030_page_with_annex_table(tmp_path: Path) -> None:
    lines = _lines(_seed_text(HANGZHOU))
    clean = tmp_path / "clean.txt"
    clean.write_text("\n".join(lines + _annex_tsv()) + "\n", encoding="utf-8")
    want = extract_file(clean)
    # The table reached the records: the rowspan lead applies to both of its rows.
    by_title = {t.title.rstrip("。"): t for t in want.tasks}
    for _n, task, lead, _s in ANNEX_ROWS:
        assert (lead, "lead", "annex") in [(x.name, x.role, x.basis) for x in by_title[task].responsibilities], task
    assert ("市审计局", "support", "annex") in [(x.name, x.role, x.basis) for x in by_title["高标准推进“医学高峰”建设"].responsibilities]

    head = ["附件", "重点任务分工表"]
    table = "".join(f"<p>{h}</p>" for h in head) + _html_table(ANNEX_HEADER, ANNEX_GROUP, ANNEX_ROWS)
    page = tmp_path / "hz.htm"
    page.write_bytes(_page(lines, want.policy.title, table, charset="gb18030").encode("gb18030"))
    r = extract_file(page)
    assert (r.format, r.encoding) == ("html", "gb18030")
    assert facts(r) == facts(want)
    assert "\t".join(ANNEX_ROWS[1]) in r.text  # the rowspan cell repeated on the second row


def test_html_rowspan_colspan_grid() -> None:
    from healthgov.extract.formats.html import html_to_text

    t = html_to_text("<table><tr><td rowspan=2>A</td><td colspan=2>B</td></tr><tr><td>c</td><td>d</td></tr>"
                     "<tr><td>e</td><td rowspan=3>f</td><td>g</td></tr><tr><td>h</td></tr></table>")
    assert t.split("\n")[:4] == ["A\tB\t", "A\tc\td", "e\tf\tg", "h\tf"]


# --- DOCX --------------------------------------------------------------------------------------


def _docx(path: Path, lines: list[str], with_annex: bool) -> None:
    import docx

    d = docx.Document()
    for ln in lines:
        d.add_paragraph(ln)
    if with_annex:
        d.add_paragraph("附件")
        d.add_paragraph("重点任务分工表")
        rows = [ANNEX_HEADER, (ANNEX_GROUP, "", "", ""), *ANNEX_ROWS]
        tbl = d.add_table(rows=len(rows), cols=len(ANNEX_HEADER))
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                if cell:
                    tbl.cell(i, j).text = cell
        # Word's merged cells: the group heading across the row, the shared lead down two rows.
        tbl.cell(1, 0).merge(tbl.cell(1, 3))
        tbl.cell(2, 2).merge(tbl.cell(3, 2))
        tbl.cell(2, 2).text = ANNEX_ROWS[0][2]
    d.save(path)


@pytest.mark.parametrize("key", ["000", "001"])
def test_docx_paragraphs(tmp_path: Path, key: str) -> None:
    f = tmp_path / f"{key}.docx"
    _docx(f, _lines(_seed_text(key)), with_annex=False)
    r = extract_file(f)
    assert r.format == "docx"
    assert facts(r) == facts(ref(key))


def test_docx_with_annex_table(tmp_path: Path) -> None:
    lines = _lines(_seed_text(HANGZHOU))
    clean = tmp_path / "clean.txt"
    clean.write_text("\n".join(lines + _annex_tsv()) + "\n", encoding="utf-8")
    f = tmp_path / "hz.docx"
    _docx(f, lines, with_annex=True)
    r = extract_file(f)
    assert "\t".join(ANNEX_ROWS[1]) in r.text and ANNEX_GROUP + "\t\t\t\n" in r.text
    assert facts(r) == facts(extract_file(clean))


# --- PDF ---------------------------------------------------------------------------------------


def _pdf(path: Path, lines: list[str], size: float = 11) -> None:
    """An A4 PDF with a text layer, laid out like an official document: each paragraph indented
    two characters, lines wrapped at the right margin by width."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"  # a standard CID font: no font file needed, text extractable via its CMap
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    c = canvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    left, top, bottom, width = 60.0, h - 60, 60.0, w - 120

    def wrap(text: str) -> list[str]:
        out, cur, avail = [], "", width - 2 * size
        for ch in text:
            if pdfmetrics.stringWidth(cur + ch, font, size) > avail:
                out.append(cur)
                cur, avail = "", width
            cur += ch
        return [*out, cur]

    y = top
    for ln in lines:
        for k, part in enumerate(wrap(ln)):
            if y < bottom:
                c.showPage()
                y = top
            c.setFont(font, size)
            c.drawString(left + (2 * size if k == 0 else 0), y, part)
            y -= size * 1.6
    c.save()


@pytest.mark.parametrize("key", ["000", "001", "003"])
def test_pdf_with_text_layer(tmp_path: Path, key: str) -> None:
    pytest.importorskip("reportlab", reason="install the test extras: pip install -e '.[test]'")
    f = tmp_path / f"{key}.pdf"
    _pdf(f, _lines(_seed_text(key)))
    r = extract_file(f)
    assert r.format == "pdf"
    assert facts(r) == facts(ref(key))
    assert sum(len(t.responsibilities) for t in r.tasks) == sum(len(t.responsibilities) for t in ref(key).tasks) > 0


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    pytest.importorskip("reportlab", reason="install the test extras: pip install -e '.[test]'")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    # A scan: only drawn shapes, no text objects.
    f = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(f), pagesize=A4)
    for i in range(40):
        c.rect(60 + (i % 7) * 60, 100 + i * 15, 50, 8, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(ExtractError) as e:
        extract_file(f)
    assert e.value.path.endswith("scan.pdf") and "no text layer" in e.value.reason
