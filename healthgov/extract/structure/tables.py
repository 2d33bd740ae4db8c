"""Tables: TAB-separated rows, and flattened one-cell-per-line tables rebuilt by the header's
columns; captions and notes under a table.
"""

from __future__ import annotations

import re

from healthgov.extract.document import Cell, Table
from healthgov.extract.structure.aligned import aligned_header, aligned_table
from healthgov.extract.structure.headings import NATURE
from healthgov.extract.structure.inert import LIST_ITEM
from healthgov.extract.structure.layout import Layout, is_title_like
from healthgov.ids import WS
from healthgov.records import Span

_HEADER_CELL = re.compile(
    r"^(类别|类型|领域|分类|序号|编号|指标|指标名称|主要指标|具体指标|指标内容|评价指标|一级指标|二级指标|三级指标|单位|计量单位|"
    r"基线|基线值|基期|现状|现状值|目标|目标值|预期目标|规划目标|属性|性质|指标属性|指标性质|备注|责任单位|牵头单位|配合单位|"
    r"责任部门|牵头部门|配合部门|完成时限|时限|时间|内容|任务|重点任务|项目|项目名称|建设内容|"
    r"\d{4}\s*年?\s*(基线|目标|现状|基期|规划|预期)?\s*(值|目标)?|\d{4}\s*年.{0,4})$"
)


# --- tables ------------------------------------------------------------------------------------

_NUMBERED = re.compile(r"^(\d{1,3}|[一二三四五六七八九十]{1,3})[、.．]?$")


def _cell(lay: Layout, a: int, b: int) -> Cell:
    while a < b and lay.text[a] in WS:
        a += 1
    while b > a and lay.text[b - 1] in WS:
        b -= 1
    return Cell(lay.simp[a:b].strip(WS), Span(a, b))


def find_tables(lay: Layout, inert: list[bool]) -> list[Table]:
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
        cols = aligned_header(lay, i) if not inert[i] and not ln.blank and not ln.removed else None
        if cols is not None:
            t, j = aligned_table(lay, inert, i, cols)
            if t.rows:
                t.caption = _caption(lay, inert, i)
                out.append(t)
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
    # The whole raw line: leading and trailing TABs are empty cells (a continuation row
    # "\t\t各区县政府\t/\t\t医政处\t" keeps its columns), which the stripped line would lose.
    a = lay.text.rfind("\n", 0, ln.start) + 1
    b = lay.text.find("\n", ln.end)
    raw = lay.text[a : len(lay.text) if b < 0 else b]
    cells, off = [], a
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
        while m < len(lay.lines) and LIST_ITEM.match(lay.lines[m].s) and not inert[m]:
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
    body = [_split_cells(lay, r) for r in rows_idx[1:]]
    k = 0
    while k < len(body):
        cells = body[k]
        k += 1
        # A cell wrapped over two lines ("…\t市人力资源社会" / "保障局、市财政局\t人事处\t…"):
        # a numbered row short of the header, whose next line completes the width with its
        # first cell continuing the last one, is one row.
        while (len(cells) < len(header) and k < len(body) and _NUMBERED.match(cells[0].text)
               and len(cells) + len(body[k]) - 1 <= len(header) and not _NUMBERED.match(body[k][0].text)):
            last, nxt = cells[-1], body[k][0]
            joined = Cell(f"{last.text}\n{nxt.text}".strip(), Span(last.span.start, nxt.span.end))
            cells = cells[:-1] + [joined] + body[k][1:]
            k += 1
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
                    p = max((k for k, cc in enumerate(cur) if NATURE.match(cc.text)), default=None)
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
