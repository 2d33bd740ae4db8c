"""Text layers of printed documents (issue 25): hard line wraps rejoined, the page layer (page
numbers, running headers, marks, letterheads, a table of contents) kept out of tasks and names, a
title block printed after the first page's text, a law database's header fields.

Made-up texts in the forms of the real ones; the real documents of ../shared/extra are checked at
the end (every one loads, no name carries whitespace, no task carries page chrome).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from healthgov.extract.formats.wraps import margin, unwrap
from healthgov.extract.pipeline import extract_paths, extract_text
from healthgov.records import DocumentRecord

EXTRA = Path(__file__).resolve().parents[2].parent / "shared" / "extra"

# Thirty characters to a line, as a PDF's text layer saved as .txt prints them.
_BODY = ("为切实加强我区登革热防控工作认真查找薄弱环节和隐患及时分析防控工作存在的问题区卫生健康局联合区住房城乡建设和水利局"
         "于五月组织对部分建筑工地物业小区的登革热防控工作进行抽查督导现将情况通报如下各镇街道要进一步完善联防联控机制健全联络机制"
         "协同推动建筑工地物业小区开展爱国卫生专项行动推动落实各项防蚊灭蚊工作合力防控登革热")


def _wrapped(text: str, width: int = 30) -> str:
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def test_unwrap_joins_lines_that_reach_the_margin() -> None:
    text = _wrapped(_BODY) + "。\n一、督导情况\n" + _wrapped(_BODY) + "。\n"
    out = unwrap(text)
    assert margin(text.split("\n")) == 60  # thirty CJK characters are sixty columns
    assert _BODY + "。" in out and out.count("\n") == 3  # two paragraphs and the heading between them
    assert "\n一、督导情况\n" in out  # an item never continues the line before it


def test_unwrap_keeps_what_a_wrap_never_joins() -> None:
    lines = _wrapped(_BODY).split("\n")
    text = "\n".join([
        *lines[:3], "佛山市顺德区卫生健康局",  # a signature line standing alone after a full line
        *lines[:3], "2024 年 6 月 7 日",  # a date alone
        *lines[:3], "依申请公开",  # a disclosure mark
        *lines[:3], "—2 —",  # a page number
        "序号\t单位\t职责", *lines[:2],  # a table row
    ])
    out = unwrap(text)
    for kept in ("\n佛山市顺德区卫生健康局\n", "\n2024 年 6 月 7 日\n", "\n依申请公开\n", "\n—2 —\n", "\n序号\t单位\t职责\n"):
        assert kept in out, kept


def test_unwrap_leaves_unwrapped_text_alone() -> None:
    # A web page or a DOCX: one paragraph a line, of any length. No margin, nothing changes.
    text = "\n".join(_BODY[: 20 + 7 * k] for k in range(12))
    assert margin(text.split("\n")) is None and unwrap(text) == text


_NOTICE = """各镇（街道）卫生健康办公室，各学校：
当前我区涉登革热疫点学校蚊媒密度高，现将有关情况通报如下：
一、督导情况
{body}
佛 山 市 顺 德 区 卫 生 健 康 局
佛山市顺德区教育局
依申请公开
佛山市顺德区卫生健康局 佛山市顺德区教育
局关于学校登革热防控工作的通报

—2 —
抽查的各学校高度重视登革热防控工作，基本能够做好防控工作部署和应对准备。
二、防控建议
（一）完善联防联控机制
各镇（街道）要进一步完善联防联控机制，健全联络机制。

—3 —
（二）加强督导
区卫生健康局要加强督导。
佛山市顺德区卫生健康局 佛山市顺德区教育局
2024 年 6 月 27 日
抄送：区疾控中心。
"""


def test_a_title_printed_after_the_first_pages_text() -> None:
    body = "本次督导采取现场检查、查阅资料、集中反馈的方式进行，对我区部分学校进行现场抽查。"
    rec = extract_text(_NOTICE.format(body=body), "notice.txt")
    p = rec.policy
    assert p.title == "佛山市顺德区卫生健康局 佛山市顺德区教育局关于学校登革热防控工作的通报"
    assert [i.name for i in p.issuers] == ["佛山市顺德区卫生健康局", "佛山市顺德区教育局"]
    assert p.issued_on == "2024-06-27" and p.jurisdiction is not None and p.jurisdiction.name == "顺德区"
    kinds = {r.kind for r in rec.removed}
    assert {"letterhead", "title", "mark", "page", "distribution"} <= kinds
    # No task carries the letterhead, the title, a page number or the mark.
    for t in rec.tasks:
        assert not re.search(r"依申请公开|—\s*\d+\s*—|佛 山 市|关于学校登革热防控工作的通报|抄送", t.text), t.text
    first = next(t for t in rec.tasks if t.number.startswith("一"))
    # the item's text goes on over the page break, without the title block between
    assert body in first.text and first.text.endswith("应对准备。")


def test_running_headers_and_page_numbers_are_chrome() -> None:
    pages = []
    for n in range(1, 6):
        pages.append(f"中央和国务院相关文件\n\n- {n} -\n第{n}章 总则\n"
                     f"第{n}条 国务院卫生健康主管部门负责全国工作，统筹推进相关事项，确保各项措施落到实处。")
    text = "中华人民共和国示范法\n" + "\n\f\n".join(pages) + "\n"
    rec = extract_text(text, "law.txt")
    heads = [r for r in rec.removed if r.kind == "running-header"]
    assert len(heads) == 5 and {r.text for r in heads} == {"中央和国务院相关文件"}
    assert all("中央和国务院相关文件" not in t.text for t in rec.tasks)


def test_law_database_header_fields() -> None:
    text = """中华人民共和国示范促进法
发文机关 全国人大常委会
发文日期 2019 年 12 月 28 日
效力级别 法律
发文字号 主席令第 38 号
法条正文
第一章 总则
第一条 为了发展示范事业，制定本法。
第二条 国务院卫生健康主管部门负责全国示范工作。
第三条 县级以上地方人民政府卫生健康主管部门负责本行政区域内的示范工作。
"""
    p = extract_text(text, "law.txt").policy
    assert p.title == "中华人民共和国示范促进法"
    assert [i.name for i in p.issuers] == ["全国人大常委会"] and p.doc_number == "主席令第38号"
    assert p.issued_on == "2019-12-28" and p.jurisdiction is not None and p.jurisdiction.name == "全国"


@pytest.fixture(scope="module")
def extra() -> list[DocumentRecord]:
    if not EXTRA.is_dir():
        pytest.skip("../shared/extra not available")
    out = list(extract_paths([EXTRA]))
    errors = [r for r in out if not isinstance(r, DocumentRecord)]
    assert not errors, errors  # every real document loads
    return out


def test_real_documents_load_with_clean_names(extra: list[DocumentRecord]) -> None:
    assert len(extra) == len(list(EXTRA.glob("*.txt")))
    names = [r.name for d in extra for t in d.tasks for r in t.responsibilities]
    names += [i.name for d in extra for i in d.policy.issuers]
    assert names and not [n for n in names if re.search(r"\s", n)]
    assert all(d.policy.title and not re.search(r"依申请公开|不公开|—\s*\d+\s*—", d.policy.title) for d in extra)


def test_real_documents_tasks_carry_no_page_chrome(extra: list[DocumentRecord]) -> None:
    chrome = re.compile(r"^\s*(?:[—–\-]\s*\d{1,3}\s*[—–\-]|依申请公开|不公开|特\s*急|抄\s*送[:：]|中央和国务院相关文件)\s*$", re.M)
    bad = [(d.source, t.number, m.group(0)) for d in extra for t in d.tasks for m in [chrome.search(t.text)] if m]
    assert not bad, bad[:5]


def test_an_enumeration_under_its_lead_stays_in_its_item() -> None:
    # "下列人员应当…：" and short items under it: the item's enumeration, not tasks of their own;
    # items that carry sentences of their own stay tasks.
    rec = extract_text("某市卫生健康委关于印发示范工作方案的通知\n某卫发〔2099〕2号\n各区卫生健康局：\n一、重点任务\n"
                       "（一）加强人员管理。下列人员应当优先接种疫苗：\n1.医务人员；\n2.教师；\n3.在校学生。\n"
                       "（二）完善工作机制。主要任务如下：\n1.建立联席会议制度。市卫生健康委牵头，每季度召开一次会议，"
                       "研究解决重大问题。\n2.健全督导考核制度。市卫生健康委负责，将考核结果纳入年度绩效评价。\n"
                       "某市卫生健康委\n2099年1月1日\n", "plan.txt")
    assert [t.number for t in rec.tasks] == ["(一)", "1", "2"]
    first = rec.tasks[0]
    assert first.text.endswith("3.在校学生。") and "2.教师；" in first.text


def test_width_is_the_east_asian_width() -> None:
    # The margin is measured with one regex instead of a lookup per character: it must agree with
    # Unicode's East Asian Width (W and F count two) on every character policy texts use.
    import unicodedata

    from healthgov.extract.formats.wraps import width

    # the blocks Chinese policy texts are written in (Latin, punctuation, CJK symbols and ideographs,
    # compatibility, small and full-width forms), and every character of the real documents
    blocks = [(0x20, 0x250), (0x2000, 0x2070), (0x2190, 0x2200), (0x2460, 0x2500), (0x3000, 0x3040),
              (0x4E00, 0xA000, 7), (0xF900, 0xFB00), (0xFE10, 0xFE70), (0xFF00, 0xFFF0)]
    chars = [chr(c) for b in blocks for c in range(*b)]
    for f in [*EXTRA.glob("*.txt"), *(Path(__file__).resolve().parents[2] / "corpus").glob("*.txt")]:
        chars += sorted(set(f.read_text(encoding="utf-8")))
    wrong = [ch for ch in chars if unicodedata.category(ch)[0] != "C"
             and width(ch) != (2 if unicodedata.east_asian_width(ch) in "WF" else 1)]
    assert not wrong, [hex(ord(c)) for c in wrong[:10]]
