"""A task table read as items: named columns, header rows combined, continuation rows merged.

``document.Table`` holds rows of cells as the reader found them (TAB rows from TXT, HTML and
DOCX, where HTML ``rowspan``/``colspan`` are already expanded: a spanned value repeats in every
row it covers). ``read_task_table`` turns one into a ``TaskTable``:

- header rows are found by their column names (序号, 重点任务, 牵头单位, 配合单位, 委内牵头处室,
  完成时限 ...); a caption row above them ("重点任务分工表") is skipped, and two header rows (a
  "责任单位" spanning "牵头单位 | 配合单位") are combined column by column;
- each column gets a kind (``column_kind``): number, content, lead, support, neutral (units),
  division-lead, division-support, division (a body's own 处室/科室), deadline, or None;
- empty markers ("/", "／", "—", "-", "无") are empty cells;
- a row without a number of its own (or repeating the item's number, as an expanded rowspan
  does) continues the item above: its cells join the item's, and a unit name wrapped over two
  rows ("市人力资源社会" + "保障厅") is joined back into one cell;
- a full-width group row ("一、…" alone in its row) closes the item and is no item itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from healthgov.extract.document import Cell, Table
from healthgov.records import Span

EMPTY_MARKER = re.compile(r"^[/／\\—–\-－_─━]*$|^(无|暂无)$")
_HEADER_WORD = re.compile(
    r"序号|编号|任务|措施|内容|事项|单位|部门|处室|科室|牵头|配合|协助|参与|协办|责任|时限|时间|节点|备注|指标|目标|"
    r"项目|分工|工作|职责|类别|领域|进度|要求|成果|形式|举措"
)
_GROUP_ROW = re.compile(r"^([一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十\d]+[部分章节]|[(（][一二三四五六七八九十]+[)）])")
UNIT_KINDS = ("lead", "support", "neutral")
DIVISION_KINDS = ("division-lead", "division-support", "division")


@dataclass(slots=True)
class MCell:
    text: str  # simplified, whitespace inside kept; "" for an empty marker
    raw: str  # as written (joined pieces for a wrapped cell)
    span: Span
    joined: bool = False  # True when a wrapped cell was joined from pieces in several rows


@dataclass(slots=True)
class Column:
    name: str  # the combined header text ("责任单位牵头单位", "委内处室牵头处室")
    kind: str | None


@dataclass(slots=True)
class Item:
    number: str | None
    title: str  # the content cell, if any
    span: Span
    cells: dict[int, list[MCell]] = field(default_factory=dict)  # column → non-empty cells in order


@dataclass(slots=True)
class TaskTable:
    columns: list[Column]
    items: list[Item]


def column_kind(name: str) -> str | None:
    """What a column holds, from its (combined) header text."""
    n = re.sub(r"\s+", "", name)
    if not n:
        return None
    if re.search(r"处室|科室|处\(室\)|内设机构|委内|局内|厅内|^处$", n):
        if re.search(r"牵头|主办|负责|主责", n):
            return "division-lead"
        if re.search(r"配合|协助|参与|协办|协同", n):
            return "division-support"
        return "division"
    if re.fullmatch(r"序号|编号|序|No\.?|NO\.?", n):
        return "number"
    if re.search(r"牵头|主要负责|主办", n):
        return "lead"
    if re.search(r"配合|参与|协办|协助|协同", n):
        return "support"
    if re.search(r"责任单位|责任部门|负责单位|负责部门|实施单位|部门$|单位$", n):
        return "neutral"
    if re.search(r"时限|时间|节点|进度", n):
        return "deadline"
    if re.search(r"任务|内容|措施|事项|工作|职责|举措|项目", n):
        return "content"
    return None


def _is_header_row(texts: list[str]) -> bool:
    full = [re.sub(r"\s+", "", t) for t in texts if t.strip()]
    if len(full) < 2:
        return False
    if any(re.fullmatch(r"\d+", t) for t in full):
        return False
    words = sum(1 for t in full if len(t) <= 14 and _HEADER_WORD.search(t))
    return words * 5 >= len(full) * 3


def _combine(header_rows: list[list[str]], width: int) -> list[str]:
    """Column names from one or more header rows: an upper cell spanning columns (written once,
    then empty) names every column below it; identical repeats (an expanded rowspan) count once."""
    names = [""] * width
    for r, row in enumerate(header_rows):
        last = ""
        for c in range(width):
            t = re.sub(r"\s+", "", row[c]) if c < len(row) else ""
            lower = [re.sub(r"\s+", "", x[c]) for x in header_rows[r + 1 :] if c < len(x)]
            if not t and any(lower) and r + 1 < len(header_rows):
                t = last  # under a spanning upper cell
            elif t:
                last = t
            else:
                last = ""
            if t and not names[c].endswith(t):
                names[c] += t
    return names


def _mcell(text: str, c: Cell) -> MCell:
    s = c.text.strip()
    if EMPTY_MARKER.match(re.sub(r"\s+", "", s)):
        return MCell("", "", c.span)
    return MCell(s, text[c.span.start : c.span.end].strip(), c.span)


def read_task_table(text: str, table: Table) -> TaskTable | None:
    """The items of a task table (see the module docstring); None when no header row names columns."""
    rows: list[list[Cell]] = [[Cell(h, Span(table.span.start, table.span.start)) for h in table.header]]
    rows += table.rows
    k = 0
    while k < len(rows) and k < 3 and not _is_header_row([c.text for c in rows[k]]):
        k += 1  # caption rows ("重点任务分工表" alone in its row)
    if k >= len(rows) or not _is_header_row([c.text for c in rows[k]]):
        return None
    first = k
    while k < len(rows) and _is_header_row([c.text for c in rows[k]]):
        k += 1
    width = max(len(r) for r in rows)
    names = _combine([[c.text for c in r] for r in rows[first:k]], width)
    columns = [Column(n, column_kind(n)) for n in names]
    return TaskTable(columns, _items(text, columns, rows[k:]))


def _items(text: str, columns: list[Column], rows: list[list[Cell]]) -> list[Item]:
    kinds = [c.kind for c in columns]
    num_col = next((i for i, k in enumerate(kinds) if k == "number"), None)
    if num_col is not None and not any(num_col < len(r) and r[num_col].text.strip() for r in rows):
        num_col = None  # a 序号 column left empty: items are told by their content
    content_col = next((i for i, k in enumerate(kinds) if k == "content"), None)
    key_col = num_col if num_col is not None else (content_col if content_col is not None else 0)
    unit_cols = {i for i, k in enumerate(kinds) if k in UNIT_KINDS or k in DIVISION_KINDS}
    items: list[Item] = []
    cur: Item | None = None
    prev_row: dict[int, MCell] = {}
    for row in rows:
        cells = [_mcell(text, c) for c in row]
        full = [(i, c) for i, c in enumerate(cells) if c.text]
        if not full:
            continue
        if len(full) == 1 and full[0][0] not in unit_cols and _GROUP_ROW.match(full[0][1].text):
            cur, prev_row = None, {}
            continue
        key = cells[key_col].text if key_col < len(cells) else ""
        if cur is None or (key and key != _key_of(cur, key_col, num_col)):
            number = key if num_col is not None else None
            title = cells[content_col].text if content_col is not None and content_col < len(cells) else ""
            cur = Item(number, title, Span(row[0].span.start, row[-1].span.end))
            items.append(cur)
            prev_row = {}
        else:
            cur.span = Span(cur.span.start, max(cur.span.end, row[-1].span.end))
        this_row: dict[int, MCell] = {}
        for i, c in full:
            got = cur.cells.setdefault(i, [])
            if any(x.text == c.text for x in got):
                continue  # an expanded rowspan repeats the cell above
            before = prev_row.get(i)
            if i in unit_cols and before is not None and before is got[-1] and wraps(before.text, c.text):
                got[-1] = MCell(before.text + c.text, before.raw + c.raw, Span(before.span.start, c.span.end), True)
                this_row[i] = got[-1]
                continue
            got.append(c)
            this_row[i] = c
        prev_row = this_row
    return items


def _key_of(item: Item, key_col: int, num_col: int | None) -> str:
    if num_col is not None:
        return item.number or ""
    got = item.cells.get(key_col)
    return got[0].text if got else ""


def wraps(before: str, after: str) -> bool:
    """Whether ``after`` continues a unit name wrapped from ``before`` ("省人力资源社会" + "保障厅",
    "市人力资源社会" + "保障局、市财政局"): the last name above and the first name below make a
    known kind of body while the name above alone is not one."""
    from healthgov.extract.facts.agencies import resolve_agency

    a, b = re.sub(r"\s+", "", before), re.sub(r"\s+", "", after)
    tail = re.split(r"[、，,;；]", a)[-1]  # the last name of the cell above
    head = re.split(r"[、，,;；]", b)[0]  # the first name of the fragment
    if not tail or not head or resolve_agency(tail).agency_type or resolve_agency(head).agency_type:
        return False  # either is a name of its own ("市民政局" under "规划发展处")
    return bool(resolve_agency(tail + head).agency_type)
