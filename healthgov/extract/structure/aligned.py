"""Tables laid out with spaces: columns aligned under a header line of column names.

A text export of a Word table often pads cells with spaces instead of TABs:

    序号  重点任务                牵头单位      配合单位
    1     加强基层医疗机构建设    市卫生健康委  市财政局
                                                市医保局

The header line (three or more column names, one of them a unit column such as 牵头单位 or
责任单位, separated by two or more spaces) gives each column its start in display columns (a
Chinese character is two wide); every following line until a blank line or a line of running
text is a row, each run of text in the column whose start is nearest at or before it.
"""

from __future__ import annotations

import re
import unicodedata

from healthgov.extract.document import Cell, Table
from healthgov.extract.structure.layout import Layout
from healthgov.records import Span

_GAP = re.compile(r"(?:[ \u00a0]{2,}|\u3000+)")
_NAME = re.compile(
    r"^(序号|编号|重点任务|工作任务|主要任务|具体措施|工作措施|任务|内容|工作内容|主要内容|责任单位|牵头单位|配合单位|"
    r"协助单位|参与单位|责任部门|牵头部门|配合部门|责任处室|牵头处室|配合处室|委内牵头处室|委内配合处室|完成时限|"
    r"时间节点|完成时间|时限|备注)$"
)
_UNIT_NAME = re.compile(r"单位|部门|处室")


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)


def _runs(line: str) -> list[tuple[int, int, int]]:
    """(display column, start, end) of each run of text between gaps of 2+ spaces."""
    out: list[tuple[int, int, int]] = []
    pos = 0
    for part in _GAP.split(line):
        start = line.find(part, pos) if part else pos
        if part.strip():
            a = start + (len(part) - len(part.lstrip()))
            b = start + len(part.rstrip())
            out.append((_width(line[:a]), a, b))
        pos = start + len(part)
    return out


def _raw_line(lay: Layout, i: int) -> tuple[int, str]:
    ln = lay.lines[i]
    a = lay.text.rfind("\n", 0, ln.start) + 1
    b = lay.text.find("\n", ln.end)
    return a, lay.text[a : len(lay.text) if b < 0 else b]


def aligned_header(lay: Layout, i: int) -> list[tuple[int, str]] | None:
    """The columns (display start, name) when line ``i`` is a header of column names."""
    _a, raw = _raw_line(lay, i)
    if "\t" in raw:
        return None
    runs = _runs(raw)
    names = [re.sub(r"\s+", "", raw[a:b]) for _c, a, b in runs]
    if len(runs) < 3 or not all(_NAME.match(n) for n in names) or not any(_UNIT_NAME.search(n) for n in names):
        return None
    return [(c, n) for (c, _a, _b), n in zip(runs, names, strict=True)]


def aligned_table(lay: Layout, inert: list[bool], i: int, columns: list[tuple[int, str]]) -> tuple[Table, int]:
    """The table under the header line ``i``; the index of the line after it."""
    starts = [c for c, _n in columns]
    rows: list[list[Cell]] = []
    j = i + 1
    while j < len(lay.lines) and not lay.lines[j].blank and not lay.lines[j].removed:
        a, raw = _raw_line(lay, j)
        runs = _runs(raw)
        if not runs or (len(runs) == 1 and runs[0][0] < starts[1] and _width(raw[runs[0][1] : runs[0][2]]) > 60):
            break  # running text again
        cells = [Cell("", Span(a + runs[0][1], a + runs[0][1])) for _ in starts]
        for col, x, y in runs:
            k = max((n for n, s in enumerate(starts) if s <= col + 1), default=0)
            prev = cells[k]
            if prev.text:  # two runs in one column: one cell
                cells[k] = Cell(prev.text + " " + lay.simp[a + x : a + y], Span(prev.span.start, a + y))
            else:
                cells[k] = Cell(lay.simp[a + x : a + y], Span(a + x, a + y))
        rows.append(cells)
        j += 1
    if rows:
        for k in range(i, j):
            inert[k] = True
    span = Span(lay.lines[i].start, lay.lines[j - 1].end)
    return Table(span, [n for _c, n in columns], rows), j
