"""Sections, tables and tasks of a policy document.

Headings (GB/T 9704 and plan forms), by rank: 第X部分/篇 < 第X章 < 第X节 < 第X条 < 一、 < (一) <
1. < (1) < ①; 专栏 boxes sit beside the items they follow; 附件N starts an annex. A heading may
carry its text on the same line ("(一)完善XX。text..."): its title is then the first sentence.

Tasks are the lowest numbered items that carry content:
- a numbered paragraph ("1.高标准推进...。text...(责任单位:...)") is a task;
- a heading whose body paragraphs are unnumbered ("(一)加强学生心理健康教育" + paragraphs, a
  第X节 of plain paragraphs) is itself the task, its text running to the next heading;
- each paragraph of a 专栏 box is a task (a box lists named projects; numbered "专栏2/1", ...);
- items under background, principle and goal sections are not tasks (``NOT_TASK_TITLE``), they
  stay sections so the target extractor can read goal sections.
Headings that are not tasks are sections; a task's ``section`` is its innermost section.

Repeated paragraphs (a 专栏 printed twice) are recorded as ``Removed(kind="duplicate")``; tables
are TAB-separated rows or flattened one-cell-per-line tables rebuilt by the header's columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from healthgov.extract.document import Cell, Table
from healthgov.extract.layout import CN_NUM, Layout, build_layout, is_name_like, is_title_like
from healthgov.ids import WS, to_simplified
from healthgov.records import Removed, Section, Span, Task

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
_ANNEX_REF = re.compile(r"^附件\s*\d*\s*[:.、]")
_LIST_ITEM = re.compile(r"^\d{1,2}\s*[.、]\s*\S")
_FOOTNOTE = re.compile(r"^(\[\d+\]|【\d+】|注\s*\d*\s*[:]|注释\s*[:])")
_SENT_END = re.compile(r"[。!?;！？；]")
_NATURE = re.compile(r"^(预期性|约束性|定量|定性|指导性|引导性|监测性)$")
_HEADER_CELL = re.compile(
    r"^(类别|类型|领域|分类|序号|编号|指标|指标名称|主要指标|具体指标|指标内容|评价指标|一级指标|二级指标|三级指标|单位|计量单位|"
    r"基线|基线值|基期|现状|现状值|目标|目标值|预期目标|规划目标|属性|性质|指标属性|指标性质|备注|责任单位|牵头单位|配合单位|"
    r"责任部门|牵头部门|配合部门|完成时限|时限|时间|内容|任务|重点任务|项目|项目名称|建设内容|"
    r"\d{4}\s*年?\s*(基线|目标|现状|基期|规划|预期)?\s*(值|目标)?|\d{4}\s*年.{0,4})$"
)


@dataclass
class _Head:
    kind: str
    number: str  # as written, normalised brackets: "一", "(三)", "2", "第一章", "专栏1", "附件1"
    title: str
    line: int
    start: int  # offset of the heading line start
    rank: float
    inline: bool  # the line carries text after the heading's first sentence
    title_end: int  # offset where the title ends
    parent: _Head | None = None
    children: list[_Head] = field(default_factory=list)
    excluded: bool = False
    is_task: bool = False
    end: int = 0  # offset of the end of its content
    section_id: str | None = None


def parse_structure(
    text: str, simp: str, removed: list[Removed], policy_id: str, layout: Layout | None = None
) -> tuple[list[Section], list[Table], list[Task], int]:
    """Sections, tables and tasks (ids ``{policy_id}/s{n}``, ``/t{n}``), and where the body starts.

    Appends ``Removed(kind="duplicate")`` records to ``removed`` for repeated paragraphs.
    """
    lay = layout or build_layout(text, simp, removed)
    n = len(lay.lines)
    body0 = lay.body_start_line
    inert = [False] * n  # lines that are not body text: header, signatures, lists, tables, notes
    for i in range(min(body0, n)):
        inert[i] = True
    for sig in lay.signatures:
        for i in range(sig.first, min(sig.last + 1, n)):
            inert[i] = True
    for i, ln in enumerate(lay.lines):
        if ln.removed:
            inert[i] = True
    _mark_lists(lay, inert)
    before_tables = list(inert)
    tables = _tables(lay, inert)
    table_lines = {i for i in range(n) if inert[i] and not before_tables[i]}
    dups = _duplicates(lay, inert)
    for i in dups:
        ln = lay.lines[i]
        removed.append(Removed("duplicate", text[ln.start : ln.end], Span(ln.start, ln.end)))
        inert[i] = True
    footnote = [not inert[i] and bool(_FOOTNOTE.match(lay.lines[i].s)) and i > body0 for i in range(n)]
    for i in range(n):
        if footnote[i]:
            inert[i] = True
    heads = _headings(lay, inert)
    root = _tree(heads)
    _ends(lay, inert, heads, table_lines)
    for h in heads:
        title = to_simplified(h.title).rstrip("。")
        # A short goal/principle title is not a task even if it starts like an action ("发展目标").
        goal_like = bool(NOT_TASK_TITLE.search(title)) and (not ACTION_START.match(title) or len(title) <= 6)
        h.excluded = bool(goal_like or h.kind == "annex") or (
            h.parent is not None and h.parent.excluded
        )
    tasks_raw: list[tuple[_Head | None, str, list[str], str, int, int]] = []  # (section head, number, path, title, start, end)
    for h in heads:
        kids = [c for c in h.children if c.kind != "box"]
        if h.kind == "box":
            if h.excluded:
                continue
            k = 0
            for i in range(h.line + 1, n):
                ln = lay.lines[i]
                if ln.start >= h.end:
                    break
                if inert[i] or ln.blank:
                    continue
                k += 1
                tasks_raw.append((h, str(k), _path(h) + [str(k)], _first_sentence(lay.text[ln.start : ln.end]), ln.start, ln.end))
            continue
        if kids or h.excluded or h.kind in ("annex", "part"):
            continue
        start, end = h.start, _task_end(lay, inert, h, heads)
        if end <= h.title_end and not h.inline:
            continue  # a bare heading with nothing under it
        h.is_task = True
        tasks_raw.append((h.parent, h.number, _path(h), h.title, start, end))
    # Sections: every heading that is not a task.
    sections: list[Section] = []
    for h in heads:
        if h.is_task:
            continue
        h.section_id = f"{policy_id}/s{len(sections) + 1}"
        parent = h.parent
        while parent is not None and parent.is_task:
            parent = parent.parent
        sections.append(
            Section(h.section_id, _section_kind(h.kind), h.number, h.title, _depth(h), parent.section_id if parent else None,
                    Span(h.start, max(h.end, h.title_end)))
        )
    tasks: list[Task] = []
    for sec_head, number, path, title, start, end in sorted(tasks_raw, key=lambda t: t[4]):
        sh = sec_head
        while sh is not None and sh.is_task:
            sh = sh.parent
        tid = f"{policy_id}/t{len(tasks) + 1}"
        tasks.append(Task(tid, sh.section_id if sh else None, path, number, title, text[start:end], Span(start, end)))
    for t in tables:
        t.section = _innermost(sections, t.span.start)
    del root
    return sections, tables, tasks, lay.body_start


# --- lines that are not body text ------------------------------------------------------------


def _mark_lists(lay: Layout, inert: list[bool]) -> None:
    """Annex reference lists ("附件:1.xxx / 2.xxx") are not tasks."""
    n = len(lay.lines)
    i = 0
    while i < n:
        s = lay.lines[i].s
        if not inert[i] and _ANNEX_REF.match(s) and len(s) <= 80 and "。" not in s:
            inert[i] = True
            j = lay.next_content(i + 1)
            while j < n and _LIST_ITEM.match(lay.lines[j].s) and len(lay.lines[j].s) <= 60 and "。" not in lay.lines[j].s:
                inert[j] = True
                j = lay.next_content(j + 1)
            i = j
            continue
        i += 1


_SPACES = re.compile(r"\s+")


def _duplicates(lay: Layout, inert: list[bool]) -> list[int]:
    """Paragraphs printed twice: the later exact copy, or the shorter of two that share a long start."""
    seen: dict[str, int] = {}
    out: set[int] = set()
    body = [i for i, ln in enumerate(lay.lines) if not inert[i] and len(ln.s) >= 20]
    keys = {i: _SPACES.sub("", lay.lines[i].s) for i in body}  # each line's key, computed once
    for i in body:
        key = keys[i]
        if key in seen:
            out.add(i)
        else:
            seen[key] = i
    for x, i in enumerate(body):
        if i in out:
            continue
        a = keys[i]
        for j in body[x + 1 : x + 8]:
            if j in out or j - i > 16:
                continue
            b = keys[j]
            if a != b and a[:25] == b[:25] and not re.match(r"^[(\d一二三四五六七八九十第]", a):
                out.add(i if len(a) < len(b) else j)
    return sorted(out)


# --- tables ------------------------------------------------------------------------------------


def _cell(lay: Layout, a: int, b: int) -> Cell:
    while a < b and lay.text[a] in WS:
        a += 1
    while b > a and lay.text[b - 1] in WS:
        b -= 1
    return Cell(lay.simp[a:b].strip(WS), Span(a, b))


def _tables(lay: Layout, inert: list[bool]) -> list[Table]:
    out: list[Table] = []
    n = len(lay.lines)
    i = 0
    while i < n:
        ln = lay.lines[i]
        if inert[i] and i < lay.body_start_line:
            i += 1
            continue
        if not ln.removed and _tabbed(lay, ln):
            j = i
            rows_idx = []
            while j < n and _tabbed(lay, lay.lines[j]) and not lay.lines[j].removed:
                rows_idx.append(j)
                j += 1
            out.append(_tab_table(lay, inert, rows_idx))
            i = j
            continue
        if not inert[i] and not ln.blank and _HEADER_CELL.match(ln.s):
            t = _flat_table(lay, inert, i)
            if t is not None:
                out.append(t[0])
                i = t[1]
                continue
        i += 1
    return out


def _tabbed(lay: Layout, ln) -> bool:
    """A table row: TABs in the raw line. A full-width group row ("一、…" then empty cells) has
    only trailing TABs, which the stripped line drops; it still belongs to its table."""
    a = lay.text.rfind("\n", 0, ln.start) + 1
    b = lay.text.find("\n", ln.end)
    return "\t" in lay.text[a : len(lay.text) if b < 0 else b]


def _split_cells(lay: Layout, idx: int) -> list[Cell]:
    ln = lay.lines[idx]
    raw = lay.text[ln.start : ln.end]
    cells, off = [], ln.start
    for part in raw.split("\t"):
        cells.append(_cell(lay, off, off + len(part)))
        off += len(part) + 1
    return cells


def _caption(lay: Layout, inert: list[bool], i: int) -> str:
    j = lay.prev_content(i - 1)
    if j >= 0 and is_title_like(lay.lines[j].s) and len(lay.lines[j].s) <= 40:
        return lay.simp[lay.lines[j].start : lay.lines[j].end].strip(WS)
    return ""


def _notes(lay: Layout, inert: list[bool], j: int) -> tuple[list[Cell], int]:
    """Footnotes right after a table: "注:..." and the numbered lines under a bare "注:"."""
    notes: list[Cell] = []
    k = lay.next_content(j)
    if k < len(lay.lines) and re.match(r"^注\s*\d*\s*[:]?", lay.lines[k].s) and not inert[k]:
        ln = lay.lines[k]
        inert[k] = True
        if len(ln.s) > 3:
            # "注:带*号数据为..." is the whole note; numbered lines after it are the body again.
            notes.append(_cell(lay, ln.start, ln.end))
            return notes, k + 1
        m = lay.next_content(k + 1)
        while m < len(lay.lines) and _LIST_ITEM.match(lay.lines[m].s) and not inert[m]:
            inert[m] = True
            notes.append(_cell(lay, lay.lines[m].start, lay.lines[m].end))
            m = lay.next_content(m + 1)
        return notes, m
    return notes, j


def _tab_table(lay: Layout, inert: list[bool], rows_idx: list[int]) -> Table:
    for r in rows_idx:
        inert[r] = True
    header_cells = _split_cells(lay, rows_idx[0])
    header = [re.sub(r"\s+", "", c.text) for c in header_cells]
    rows: list[list[Cell]] = []
    for r in rows_idx[1:]:
        cells = _split_cells(lay, r)
        if len(cells) < len(header):
            # Merged cells (rowspan) leave the leading columns out: pad them so cells line up.
            pad = [Cell("", Span(cells[0].span.start, cells[0].span.start)) for _ in range(len(header) - len(cells))]
            cells = pad + cells
        rows.append(cells)
    first, last = lay.lines[rows_idx[0]], lay.lines[rows_idx[-1]]
    notes, _ = _notes(lay, inert, rows_idx[-1] + 1)
    return Table(Span(first.start, last.end), header, rows, None, _caption(lay, inert, rows_idx[0]), notes)


def _flat_table(lay: Layout, inert: list[bool], i: int) -> tuple[Table, int] | None:
    """A table flattened to one cell per line: a run of header-word lines, then the cells."""
    n = len(lay.lines)
    hdr: list[int] = []
    j = i
    while j < n and not inert[j] and _HEADER_CELL.match(lay.lines[j].s) and len(lay.lines[j].s) <= 12:
        hdr.append(j)
        j = lay.next_content(j + 1)
    header = [re.sub(r"\s+", "", lay.lines[k].s) for k in hdr]
    if len(hdr) < 3 or not any(re.search(r"指标|序号|项目|任务|内容", h) for h in header):
        return None
    cells_idx: list[int] = []
    while j < n and not inert[j]:
        s = lay.lines[j].s
        if re.match(r"^注\s*\d*\s*[:]", s) or len(s) > 40 or s.endswith("。"):
            break
        cells_idx.append(j)
        j = lay.next_content(j + 1)
    if len(cells_idx) < len(header):
        return None
    cells = [_cell(lay, lay.lines[k].start, lay.lines[k].end) for k in cells_idx]
    rows = _rebuild_rows(cells, header)
    for k in hdr + cells_idx:
        inert[k] = True
    notes, after = _notes(lay, inert, cells_idx[-1] + 1)
    span = Span(lay.lines[hdr[0]].start, lay.lines[cells_idx[-1]].end)
    return Table(span, header, rows, None, _caption(lay, inert, hdr[0]), notes), max(after, cells_idx[-1] + 1)


def _rebuild_rows(cells: list[Cell], header: list[str]) -> list[list[Cell]]:
    """Rows from a flat list of cells: by the 序号 column's running number when there is one
    (cells before it, like a 类别 shown once per group, open the next row), else by width."""
    ncol = len(header)
    num_col = next((k for k, h in enumerate(header) if re.search(r"序号|编号", h)), None)
    has_nature = bool(re.search(r"属性|性质", header[-1]))
    if num_col is None:
        return [cells[k : k + ncol] for k in range(0, len(cells), ncol)]
    rows: list[list[Cell]] = []
    cur: list[Cell] = []
    cur_has_num = False
    expected = 1
    for x, c in enumerate(cells):
        nxt = cells[x + 1].text if x + 1 < len(cells) else ""
        if c.text == str(expected) and re.search(r"[\u4e00-\u9fff]", nxt):
            carry: list[Cell] = []
            if cur_has_num:
                if has_nature:
                    p = max((k for k, cc in enumerate(cur) if _NATURE.match(cc.text)), default=None)
                    if p is not None:
                        carry = cur[p + 1 :]
                        cur = cur[: p + 1]
                else:
                    width = ncol - num_col
                    k0 = next(k for k, cc in enumerate(cur) if cc.text == str(expected - 1))
                    rest = cur[k0:]
                    if len(rest) > width:
                        carry = rest[width:][-num_col:] if num_col else []
                        cur = cur[: len(cur) - len(carry)]
                rows.append(cur)
                cur = carry + [c]
            else:
                cur.append(c)
            cur_has_num = True
            expected += 1
        else:
            cur.append(c)
    if cur:
        rows.append(cur)
    return rows


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
        if not rest or not re.match(r"[\u4e00-\u9fff“\"‘《(A-Za-z]", rest):
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


def _headings(lay: Layout, inert: list[bool]) -> list[_Head]:
    heads: list[_Head] = []
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
            heads.append(_Head(kind, number, title, i, ln.start, -1, False, ln.end))
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
        heads.append(_Head(kind, number, title, i, ln.start, rank, inline, title_end))
    return heads


def _tree(heads: list[_Head]) -> _Head:
    root = _Head("root", "", "", -1, 0, -9, False, 0)
    stack: list[_Head] = [root]
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


def _ends(lay: Layout, inert: list[bool], heads: list[_Head], table_lines: set[int]) -> None:
    """The end offset of each heading's content: its last own line, children included.

    A paragraph that follows the last item of a list and is followed only by the document's end
    (signature, annexes) is a closing remark of the whole text, owned by no section.
    """
    by_line = {h.line: h for h in heads}
    n = len(lay.lines)
    stack: list[_Head] = []
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


def _is_ancestor(a: _Head, h: _Head) -> bool:
    p = h.parent
    while p is not None:
        if p is a:
            return True
        p = p.parent
    return False


def _task_end(lay: Layout, inert: list[bool], h: _Head, heads: list[_Head]) -> int:
    """Where a task's text ends (see module doc): heading-only tasks take the paragraphs under
    them; an inline item takes following paragraphs only when a sibling item follows them."""
    n = len(lay.lines)
    ln = lay.lines[h.line]
    end = ln.end
    j = h.line + 1
    lines_after: list[int] = []
    while j < n:
        lj = lay.lines[j]
        if lj.blank:
            j += 1
            continue
        if inert[j] or lj.removed:
            break
        if _match_heading(lj.s) is not None and any(x.line == j for x in heads):
            break
        lines_after.append(j)
        j += 1
    if not lines_after:
        return end
    if h.inline:
        nxt = next((x for x in heads if x.line == j), None)
        if nxt is None or nxt.kind != h.kind or nxt.parent is not h.parent:
            return end
    return lay.lines[lines_after[-1]].end


# --- helpers -----------------------------------------------------------------------------------


def _first_sentence(s: str) -> str:
    m = _SENT_END.search(s)
    return (s[: m.start()] if m else s).strip(WS)


def _path(h: _Head) -> list[str]:
    out = []
    p: _Head | None = h
    while p is not None:
        out.append(p.number)
        p = p.parent
    return out[::-1]


def _depth(h: _Head) -> int:
    d, p = 1, h.parent
    while p is not None:
        if not p.is_task:
            d += 1
        p = p.parent
    return d


def _section_kind(kind: str) -> str:
    return kind


def _innermost(sections: list[Section], pos: int) -> str | None:
    best = None
    for s in sections:
        if s.span.start <= pos < max(s.span.end, s.span.start + 1) and (best is None or s.level >= best.level):
            best = s
    return best.id if best else None
