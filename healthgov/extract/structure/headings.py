"""Headings and the section tree: GB/T 9704 and plan forms by rank (第X部分/篇 < 第X章 < 第X节 <
第X条 < 一、 < (一) < 1. < (1) < ①), 专栏 boxes, 附件N annexes; where each heading's text ends, and
which headings are tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from healthgov.extract.clean import PAGE_KINDS
from healthgov.extract.structure.layout import CN_NUM, Layout, is_name_like, is_title_like
from healthgov.ids import WS
from healthgov.records import Section

# Section titles whose items are not tasks: background, guiding ideas, principles, goals. A
# title that starts with an action verb is a task however it ends ("进一步夯实事业发展基础").
ACTION_START = re.compile(
    r"^(进一步|着力|全面|大力|积极|切实|持续|不断|加快|加强|加大|完善|强化|推进|推动|健全|建立|提升|提高|促进|深化|"
    r"实现|巩固|落实|打造|构建|优化|保障|夯实|确保|坚持推进|开展|实施|做好|抓好|筑牢|织牢|发展|培育|规范|统筹)"
)
NOT_TASK_TITLE = re.compile(
    r"(总体要求|指导思想|基本原则|工作原则|总体思路|规划背景|发展背景|编制背景|编制依据|总则|附则)|"
    r"((工作|发展|现实|良好|已有|坚实)基础|现状|形势|机遇|挑战|背景|意义|目标|原则|思想|思路|适用范围|规划期限|主要指标)$"
)

_RANK = {"part": 0, "chapter": 1, "section": 2, "article": 3, "h1": 4, "h2": 5, "h3": 6, "h4": 7, "h5": 8, "enum": 9}
_HEAD = [
    ("part", re.compile(rf"^第([{CN_NUM}\d]+)(部分|篇)\s*")),
    ("chapter", re.compile(rf"^第([{CN_NUM}\d]+)章\s*")),
    ("section", re.compile(rf"^第([{CN_NUM}\d]+)节\s*")),
    ("article", re.compile(rf"^第([{CN_NUM}\d]+)条\s*")),
    ("h1", re.compile(rf"^([{CN_NUM}]+)\s*[、.]\s*")),
    ("h2", re.compile(rf"^\(\s*([{CN_NUM}]+)\s*\)\s*")),
    ("h3", re.compile(r"^(\d{1,2})\s*[.、](?!\d)\s*")),
    ("h4", re.compile(r"^\(\s*(\d{1,2})\s*\)\s*")),
    ("h5", re.compile(r"^([①-⑳])\s*")),
    # "一是…。二是…。": enumerated measures that many documents use instead of numbers.
    ("enum", re.compile(rf"^([{CN_NUM}]+)是(?=\S)")),
]
_BOX = re.compile(rf"^专栏\s*([{CN_NUM}\d]*)\s*[:.、]?\s*")
_ANNEX = re.compile(r"^附件\s*(\d*)\s*$")
# An item may open with its deadline: "(一)2025年底前,完成…", "1. 2026年6月底前…".
_DATE_START = re.compile(r"(19|20)\d{2}\s*年")
_SENT_END = re.compile(r"[。!?;！？；]")
NATURE = re.compile(r"^(预期性|约束性|定量|定性|指导性|引导性|监测性)$")


@dataclass
class Head:
    kind: str
    number: str  # as written, normalised brackets: "一", "(三)", "2", "第一章", "专栏1", "附件1"
    title: str
    line: int
    start: int  # offset of the heading line start
    rank: float
    inline: bool  # the line carries text after the heading's first sentence
    title_end: int  # offset where the title ends
    parent: Head | None = None
    children: list[Head] = field(default_factory=list)
    excluded: bool = False
    is_task: bool = False
    end: int = 0  # offset of the end of its content
    section_id: str | None = None


# --- headings ----------------------------------------------------------------------------------


def _match_heading(s: str) -> tuple[str, str, int] | None:
    """(kind, number, offset where the heading's text starts) for a line, or None."""
    m = _ANNEX.match(s)
    if m:
        return "annex", f"附件{m.group(1)}", m.end()
    m = _BOX.match(s)
    if m and len(s) <= 50 and not _SENT_END.search(s):
        return "box", f"专栏{m.group(1)}", m.end()
    for kind, pat in _HEAD:
        m = pat.match(s)
        if not m:
            continue
        rest = s[m.end() :]
        if not rest or not (re.match(r"[\u4e00-\u9fff“\"‘《(A-Za-z]", rest) or _DATE_START.match(rest)):
            return None
        num = m.group(1)
        if kind in ("part", "chapter", "section", "article"):
            number = s[: m.end()].strip()
            number = re.sub(r"\s+", "", number)
        elif kind in ("h2", "h4"):
            number = f"({num})"
        elif kind == "enum":
            number = f"{num}是"
        else:
            number = num
        return kind, number, m.end()
    return None


def find_headings(lay: Layout, inert: list[bool]) -> list[Head]:
    heads: list[Head] = []
    n = len(lay.lines)
    for i in range(lay.body_start_line, n):
        ln = lay.lines[i]
        if inert[i] or ln.blank:
            continue
        hm = _match_heading(ln.s)
        if hm is None:
            continue
        kind, number, off = hm
        rest = ln.s[off:]
        if kind == "annex":
            j = lay.next_content(i + 1)
            title = lay.text[lay.lines[j].start : lay.lines[j].end] if j < n and is_title_like(lay.lines[j].s) else ""
            if title:
                inert[j] = True
            heads.append(Head(kind, number, title, i, ln.start, -1, False, ln.end))
            continue
        m = _SENT_END.search(rest)
        t0 = ln.start + off
        if m:
            t1 = t0 + m.start()
            after = rest[m.end() :].strip(WS)
            inline = bool(after) or m.start() > 50
            title_end = t1 if not inline else t0 + m.end()
        else:
            t1 = ln.end
            inline = len(rest) > 50
            title_end = ln.end
        # Titles are evidence: the original script, as written.
        title = lay.text[t0:t1].strip(WS + ":：")
        rank = -0.5 if kind == "box" else _RANK[kind]
        heads.append(Head(kind, number, title, i, ln.start, rank, inline, title_end))
    return heads


def build_tree(heads: list[Head]) -> Head:
    root = Head("root", "", "", -1, 0, -9, False, 0)
    stack: list[Head] = [root]
    for h in heads:
        if h.kind == "annex":
            stack = [root]
        elif h.kind == "box":
            # A box sits beside the items it follows: its parent is the items' container.
            top = stack[-1]
            if len(stack) > 1 and top.kind not in ("annex", "box") and top.kind != "root":
                # the item it follows closes; the box takes its place and rank
                h.rank = top.rank
                stack.pop()
            elif top.kind == "box":
                h.rank = top.rank
                stack.pop()
            else:
                h.rank = top.rank + 1
        else:
            while len(stack) > 1:
                top = stack[-1]
                if top.kind == "box":
                    first = h.number in ("1", "一", "(一)", "(1)", "①") and not top.children
                    if h.rank < top.rank or (h.rank == top.rank and not first) or (h.rank > top.rank and top.children and h.kind != top.children[0].kind and not first):
                        stack.pop()
                        continue
                    break
                if top.rank >= h.rank:
                    stack.pop()
                    continue
                break
        parent = stack[-1]
        h.parent = parent if parent is not root else None
        parent.children.append(h)
        stack.append(h)
    return root


def mark_ends(lay: Layout, inert: list[bool], heads: list[Head], table_lines: set[int]) -> None:
    """The end offset of each heading's content: its last own line, children included.

    A paragraph that follows the last item of a list and is followed only by the document's end
    (signature, annexes) is a closing remark of the whole text, owned by no section.
    """
    by_line = {h.line: h for h in heads}
    n = len(lay.lines)
    stack: list[Head] = []
    next_head_line = [n] * (n + 1)
    nxt = n
    for i in range(n - 1, -1, -1):
        next_head_line[i] = nxt
        if i in by_line:
            nxt = i
    for i in range(lay.body_start_line, n):
        ln = lay.lines[i]
        if i in by_line:
            h = by_line[i]
            while stack and stack[-1] is not h.parent and h.parent is not None and stack[-1] is not None:
                if _is_ancestor(stack[-1], h):
                    break
                stack.pop()
            if h.parent is None:
                stack = []
            stack.append(h)
            for s in stack:
                s.end = max(s.end, ln.end)
            continue
        if (inert[i] and i not in table_lines) or ln.blank:
            continue
        if not stack:
            continue
        if i not in table_lines and (next_head_line[i] >= n or _only_tail(lay, inert, i, next_head_line[i])):
            top = stack[-1]
            if top.inline and not top.children:
                continue  # a closing remark after the last inline item
            if is_name_like(ln.s):
                continue  # a signature repeated without its date
        for s in stack:
            s.end = max(s.end, ln.end)


def _only_tail(lay: Layout, inert: list[bool], i: int, upto: int) -> bool:
    """True when nothing but signature/annex material lies between line i and line ``upto``."""
    for k in range(i + 1, min(upto, len(lay.lines))):
        if lay.lines[k].removed or lay.lines[k].blank:
            continue
        if inert[k]:
            return True
    return upto >= len(lay.lines)


def _is_ancestor(a: Head, h: Head) -> bool:
    p = h.parent
    while p is not None:
        if p is a:
            return True
        p = p.parent
    return False


def task_end(lay: Layout, inert: list[bool], h: Head, heads: list[Head]) -> int:
    """Where a task's text ends (see module doc): heading-only tasks take the paragraphs under
    them; an inline item takes following paragraphs only when a sibling item follows them."""
    n = len(lay.lines)
    ln = lay.lines[h.line]
    end = ln.end
    j = h.line + 1
    lines_after: list[int] = []
    after_page: list[bool] = []  # the line comes after a page break (its previous line is on another page)
    crossed = False
    while j < n:
        lj = lay.lines[j]
        if lj.blank or lj.kind in PAGE_KINDS:
            crossed = crossed or lj.kind in PAGE_KINDS
            j += 1  # a page break inside an item: its text goes on on the next page
            continue
        if inert[j] or lj.removed:
            break
        if _match_heading(lj.s) is not None and any(x.line == j for x in heads):
            break
        lines_after.append(j)
        after_page.append(crossed)
        crossed = False
        j += 1
    if not lines_after:
        return end
    if h.inline:
        nxt = next((x for x in heads if x.line == j), None)
        if nxt is None or nxt.kind != h.kind or nxt.parent is not h.parent:
            # The last item keeps only its own paragraph: continued over a page break when its
            # last line there ends mid-sentence.
            last = h.line
            for k, paged in zip(lines_after, after_page, strict=True):
                if not paged or _SENTENCE_END_LINE.search(lay.lines[last].s):
                    break
                last = k
            return lay.lines[last].end
    return lay.lines[lines_after[-1]].end


_SENTENCE_END_LINE = re.compile(r"[。！？!?；;：:）)]$")


# --- helpers -----------------------------------------------------------------------------------


def first_sentence(s: str) -> str:
    m = _SENT_END.search(s)
    return (s[: m.start()] if m else s).strip(WS)


def heading_path(h: Head) -> list[str]:
    out = []
    p: Head | None = h
    while p is not None:
        out.append(p.number)
        p = p.parent
    return out[::-1]


def depth(h: Head) -> int:
    d, p = 1, h.parent
    while p is not None:
        if not p.is_task:
            d += 1
        p = p.parent
    return d


def section_kind(kind: str) -> str:
    return kind


def innermost_section(sections: list[Section], pos: int) -> str | None:
    best = None
    for s in sections:
        if s.span.start <= pos < max(s.span.end, s.span.start + 1) and (best is None or s.level >= best.level):
            best = s
    return best.id if best else None
