"""Task tables in a PDF's text layer: rows recovered from glyph positions, written as TAB rows.

A PDF keeps no table, only glyphs at positions: read line by line, a task table comes out one
cell per line (or two cells run together), and the table model never sees its rows. Here:

- glyphs of a page are grouped into physical rows (one baseline each);
- a header block is one or more consecutive rows made only of short column names (序号, 重点任务,
  牵头单位 ...), at least three columns, one of them a unit or division column. A name spanning
  the names under it (责任单位 over 牵头单位 | 配合单位) prefixes them; a name wrapped onto the
  next row is joined;
- the separator between two columns lies in the gap between their header names where the rows
  below have the fewest glyphs (centred names over left-aligned cells still part right);
- rows under the header belong to the table while their runs of text stay inside one column (a
  full-width "一、…" group row excepted) and no wide vertical gap opens without a ruled line;
- physical rows make one table row between ruled lines, else from one 序号 to the next (a cell
  wrapped over several lines is one cell), else each physical row is a row.

Everything not in a table is left to the line reader untouched (``lines`` says which pdfminer
text lines a table consumed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from healthgov.extract.structure.table_model import DIVISION_KINDS, EMPTY_MARKER, UNIT_KINDS, column_kind

_WORD = re.compile(
    r"^(序号|编号|序|号|重点任务|工作任务|主要任务|任务|具体措施|工作措施|措施|工作内容|主要内容|内容|事项|责任单位|牵头单位|"
    r"配合单位|协助单位|参与单位|责任部门|牵头部门|配合部门|牵头|配合|单位|部门|责任处室|牵头处室|配合处室|委内牵头处室|"
    r"委内配合处室|委内处室|委内牵头|委内配合|处室|科室|完成时限|时间节点|完成时间|时限|时间|节点|备注|工作目标|目标|"
    r"分工|职责|类别|领域|进度|要求|成果|形式|举措|项目|指标)$"
)
_GROUP = re.compile(r"^([一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十\d]+[部分章节]|[(（][一二三四五六七八九十]+[)）])")
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
HEADER_GAP = 0.5  # header names are apart by at least half a character (cell padding)
RUN_GAP = 0.25  # glyphs closer than a quarter character are one run of text


@dataclass(slots=True)
class Glyph:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    line: int  # index of the pdfminer text line it came from, in page order


@dataclass(slots=True)
class Row:
    """Glyphs on one baseline, left to right."""

    glyphs: list[Glyph]

    @property
    def y(self) -> float:
        return sum((g.y0 + g.y1) / 2 for g in self.glyphs) / len(self.glyphs)

    @property
    def size(self) -> float:
        return sorted(g.size for g in self.glyphs)[len(self.glyphs) // 2]

    def runs(self, gap: float) -> list[list[Glyph]]:
        out: list[list[Glyph]] = []
        for g in self.glyphs:
            if out and g.x0 - out[-1][-1].x1 <= gap * self.size:
                out[-1].append(g)
            else:
                out.append([g])
        return out


@dataclass(slots=True)
class PdfTable:
    rows: list[str]  # header row first (none in the part continuing a table), cells TAB-separated
    lines: set[int] = field(default_factory=set)  # the pdfminer text lines it replaces


def text_of(glyphs: list[Glyph]) -> str:
    """Glyphs → text: a space where a gap opens between words, none inside Chinese words."""
    out: list[str] = []
    for k, g in enumerate(glyphs):
        if k:
            prev = glyphs[k - 1]
            gap = g.x0 - prev.x1
            both_cjk = _CJK.match(prev.text) and _CJK.match(g.text)
            if gap > (0.8 if both_cjk else 0.2) * max(g.size, 1.0):
                out.append(" ")
        out.append(g.text)
    return "".join(out)


def page_rows(glyphs: list[Glyph]) -> list[Row]:
    """Glyphs → physical rows, top to bottom (a glyph joins the row whose centre is within
    0.4 of its size: sub-line jitter stays, the next line of a cell does not)."""
    rows: list[Row] = []
    for g in sorted(glyphs, key=lambda g: -(g.y0 + g.y1) / 2):
        yc = (g.y0 + g.y1) / 2
        if rows and abs(rows[-1].y - yc) <= 0.4 * max(g.size, 1.0):
            rows[-1].glyphs.append(g)
        else:
            rows.append(Row([g]))
    for r in rows:
        r.glyphs.sort(key=lambda g: g.x0)
    return rows


@dataclass(slots=True)
class Carry:
    """A table running to the bottom of its page: the next page's rows may continue it."""

    names: list[str]
    extents: list[tuple[float, float]]
    seps: list[float]


_PAGE_NO = re.compile(r"^[-－—–\s]*(\d{1,4}|第\s*\d+\s*页(\s*共\s*\d+\s*页)?)[-－—–\s]*$")


def find_tables(glyphs: list[Glyph], rules: list[tuple[float, float, float]],
                carry: Carry | None = None) -> tuple[list[PdfTable], Carry | None]:
    """The task tables of one page, and the table left open at its bottom. ``rules``: horizontal
    ruled lines (y, x0, x1); ``carry``: the table left open on the page before."""
    rows = page_rows([g for g in glyphs if g.text.strip()])
    out: list[PdfTable] = []
    i, last, open_ = 0, 0, None  # last: the row after the last table
    if carry is not None:
        got = _continued(rows, rules, carry)
        if got is not None:
            out.append(got[0])
            i = last = got[1]
            open_ = carry
    while i < len(rows):
        got = _header_block(rows, i)
        body: list[Row] = []
        if got is not None:
            names, extents, end = got
            mine = _rules_of(rules, extents)
            seps = _separators(rows[end:], extents)
            body = _body(rows, end, rows[end - 1], seps, extents, mine)
        if not body:
            i += 1
            continue
        table = PdfTable(["\t".join(names), *_table_rows(body, seps, names, mine)])
        table.lines = {g.line for r in rows[i : end + len(body)] for g in r.glyphs}
        out.append(table)
        i = last = end + len(body)
        open_ = Carry(names, extents, seps)
    if open_ is None or any(not _PAGE_NO.match(text_of(r.glyphs)) for r in rows[last:]):
        return out, None
    out[-1].lines |= {g.line for r in rows[last:] for g in r.glyphs}  # a page number between two parts
    return out, open_


def _rules_of(rules: list[tuple[float, float, float]], extents: list[tuple[float, float]]) -> list[tuple[float, float, float]]:
    """The ruled lines of a table: those across at least half its width."""
    left, right = extents[0][0], extents[-1][1]
    return [(y, x0, x1) for y, x0, x1 in rules if min(x1, right) - max(x0, left) >= (right - left) / 2]


def _continued(rows: list[Row], rules: list[tuple[float, float, float]], carry: Carry) -> tuple[PdfTable, int] | None:
    """Rows at the top of a page that continue the table open on the page before (its header
    repeated or not; a page number or running header above them dropped)."""
    k = 0
    while k < len(rows) and _PAGE_NO.match(text_of(rows[k].glyphs)):
        k += 1
    start = k
    got = _header_block(rows, k) if k < len(rows) else None
    if got is not None and got[0] == carry.names:
        start = got[2]
    if start >= len(rows):
        return None
    mine = _rules_of(rules, carry.extents)
    body = _body(rows, start, None, carry.seps, carry.extents, mine)
    n = len(carry.names)
    if not body or start == k and not mine and sum(1 for c in _cells(body[0], carry.seps, n) if c) < 2:
        return None  # no header again, no ruled lines and no row of cells: the page goes on in prose
    table = PdfTable(_table_rows(body, carry.seps, carry.names, mine))
    table.lines = {g.line for r in rows[: start + len(body)] for g in r.glyphs}
    return table, start + len(body)


def _is_name(run: list[Glyph]) -> bool:
    t = re.sub(r"\s+", "", "".join(g.text for g in run))
    return bool(_WORD.match(t))


def _names(row: Row) -> list[list[Glyph]] | None:
    """A row's header names, or None when it holds anything else. Two names set closer than the
    header gap ("委内牵头处室委内配合处室" in narrow columns) are split where known names meet."""
    out: list[list[Glyph]] = []
    for run in row.runs(HEADER_GAP):
        if _is_name(run):
            out.append(run)
            continue
        k = 0
        while k < len(run):
            end = next((e for e in range(len(run), k, -1) if e - k >= 2 and _is_name(run[k:e])), None)
            if end is None:
                return None
            out.append(run[k:end])
            k = end
    return out


def _header_block(rows: list[Row], i: int) -> tuple[list[str], list[tuple[float, float]], int] | None:
    """Column names and their x extents from the header rows starting at ``i``, and the index of
    the first row after them; None when row ``i`` opens no header."""
    block: list[list[list[Glyph]]] = []
    j = i
    while j < len(rows) and (names := _names(rows[j])) is not None:
        if block and rows[j - 1].y - rows[j].y > 2.5 * rows[j].size:
            break
        block.append(names)
        j += 1
    if not block or len(block[0]) < 2 and len(block) < 2:
        return None
    cols = _columns(block)
    kinds = [column_kind(n) for n, _ in cols]
    if len(cols) < 3 or not any(k in UNIT_KINDS or k in DIVISION_KINDS for k in kinds):
        return None
    return [n for n, _ in cols], [e for _, e in cols], j


def _columns(block: list[list[list[Glyph]]]) -> list[tuple[str, tuple[float, float]]]:
    """Columns of a header block: a name spanning names of another row (责任单位 over 牵头单位 |
    配合单位) prefixes theirs; names overlapping one another (a name wrapped in its cell) are
    one column, top first."""
    runs = [(r, run) for r, row in enumerate(block) for run in row]
    spans = {id(run): hull for r, run in runs if (hull := _spanned(r, run, block, runs)) is not None}
    plain = sorted((x for x in runs if id(x[1]) not in spans), key=lambda x: x[1][0].x0)
    cols: list[tuple[list[tuple[int, list[Glyph]]], float, float]] = []
    for r, run in plain:
        if cols and run[0].x0 < cols[-1][2] and cols[-1][1] < run[-1].x1:
            parts, x0, x1 = cols[-1]
            cols[-1] = ([*parts, (r, run)], min(x0, run[0].x0), max(x1, run[-1].x1))
        else:
            cols.append(([(r, run)], run[0].x0, run[-1].x1))
    out = []
    for parts, x0, x1 in cols:
        over = [text_of(run) for r, run in runs if id(run) in spans and spans[id(run)][0] <= x0 and x1 <= spans[id(run)][1]]
        name = "".join(over) + "".join(text_of(run) for _r, run in sorted(parts, key=lambda p: p[0]))
        out.append((re.sub(r"\s+", "", name), (x0, x1)))
    return out


def _spanned(r: int, run: list[Glyph], block: list[list[list[Glyph]]],
             runs: list[tuple[int, list[Glyph]]]) -> tuple[float, float] | None:
    """The x extent of the names a header name spans in another row: two or more it overlaps,
    or two neighbours it sits between (centred over both) with no other name in between."""
    x0, x1 = run[0].x0, run[-1].x1
    mid = (x0 + x1) / 2
    for r2, row in enumerate(block):
        if r2 == r:
            continue
        hit = [o for o in row if o[0].x0 < x1 and x0 < o[-1].x1]
        if len(hit) >= 2:
            return hit[0][0].x0, hit[-1][-1].x1
        for b, c in zip(row, row[1:], strict=False):
            between = [o for _r, o in runs if o is not run and b[-1].x1 < (o[0].x0 + o[-1].x1) / 2 < c[0].x0]
            if not hit and b[-1].x1 <= x0 and x1 <= c[0].x0 and not between and (b[0].x0 + b[-1].x1) / 2 < mid:
                return b[0].x0, c[-1].x1
    return None


def _separators(rows: list[Row], extents: list[tuple[float, float]]) -> list[float]:
    """Between each two header names, the x where the rows below have the fewest glyphs (the
    middle of the widest such stretch). Rows are counted down to the first line of running
    text (a run across two header gaps)."""
    spans: list[tuple[float, float]] = []
    for r in rows[:200]:
        runs = r.runs(RUN_GAP)
        if len(runs) == 1 and _GROUP.match(text_of(r.glyphs)):
            continue  # a group row spans columns: it tells nothing of where they part
        if any(_across(run, extents) >= 2 for run in runs):
            break
        spans += [(g.x0, g.x1) for g in r.glyphs]
    seps: list[float] = []
    for (_a0, a1), (b0, _b1) in zip(extents, extents[1:], strict=False):
        if b0 <= a1:
            seps.append((a1 + b0) / 2)
            continue
        steps = max(1, int((b0 - a1) / 0.5))
        xs = [a1 + (b0 - a1) * (k + 0.5) / steps for k in range(steps)]
        cover = [sum(1 for x0, x1 in spans if x0 < x < x1) for x in xs]
        low = min(cover)
        best, cur, best_mid = 0, 0, (a1 + b0) / 2
        for k, c in enumerate(cover):
            cur = cur + 1 if c == low else 0
            if cur > best:
                best, best_mid = cur, (xs[k - cur + 1] + xs[k]) / 2
        seps.append(best_mid)
    return seps


def _across(run: list[Glyph], extents: list[tuple[float, float]]) -> int:
    """How many gaps between header names a run of text covers whole."""
    return sum(1 for (_a0, a1), (b0, _b1) in zip(extents, extents[1:], strict=False) if run[0].x0 <= a1 and run[-1].x1 >= b0)


def _col(x: float, seps: list[float]) -> int:
    return sum(1 for s in seps if x >= s)


def _rule_between(rules: list[tuple[float, float, float]], top: float, bottom: float, x0: float, x1: float) -> bool:
    return any(bottom < y < top and rx0 < x1 and x0 < rx1 for y, rx0, rx1 in rules)


def _body(rows: list[Row], start: int, head: Row | None, seps: list[float], extents: list[tuple[float, float]],
          rules: list[tuple[float, float, float]]) -> list[Row]:
    """The rows of the table under its header (``head``: its last row; None at the top of a
    page that continues it): each run inside one column (or a group row), no wide gap without
    a ruled line, nothing left of the table."""
    left, right = extents[0][0], extents[-1][1]
    ruled = bool(rules) if head is None else _rule_between(rules, head.y + head.size, head.y - 3 * head.size, left, right)
    body: list[Row] = []
    for r in rows[start:]:
        size = max(r.size, 1.0)
        prev = body[-1] if body else head
        if prev is not None and prev.y - r.y > 3 * size and not _rule_between(rules, prev.y, r.y, left, right):
            break
        if r.glyphs[0].x0 < left - 2 * size:
            break
        if ruled and not _rule_between(rules, r.y, r.y - 12 * size, left, right):
            break  # below the table's last ruled line
        if not _inside(r, seps, size) and not (_GROUP.match(text_of(r.glyphs)) and len(r.runs(RUN_GAP)) == 1):
            break
        body.append(r)
    return body


def _inside(r: Row, seps: list[float], size: float) -> bool:
    tol = 0.3 * size
    return not any(run[0].x0 < s - tol and run[-1].x1 > s + tol for run in r.runs(RUN_GAP) for s in seps)


def _cells(r: Row, seps: list[float], n: int) -> list[str]:
    if _GROUP.match(text_of(r.glyphs)) and not _inside(r, seps, r.size):
        return [text_of(r.glyphs)] + [""] * (n - 1)  # a group row: its text in the first cell
    parts: list[list[Glyph]] = [[] for _ in range(n)]
    for g in r.glyphs:
        parts[min(_col((g.x0 + g.x1) / 2, seps), n - 1)].append(g)
    return [text_of(p).strip() for p in parts]


def _table_rows(body: list[Row], seps: list[float], names: list[str], rules: list[tuple[float, float, float]]) -> list[str]:
    """Physical rows → TAB rows: between ruled lines, else from one 序号 to the next."""
    n = len(names)
    kinds = [column_kind(x) for x in names]
    num = next((k for k, kind in enumerate(kinds) if kind == "number"), None)
    cells = [_cells(r, seps, n) for r in body]
    ruled = any(_rule_between(rules, a.y, b.y, 0, 1e9) for a, b in zip(body, body[1:], strict=False))
    groups: list[list[list[str]]] = []
    for k, c in enumerate(cells):
        if not groups:
            new = True
        elif ruled:
            new = _rule_between(rules, body[k - 1].y, body[k].y, 0, 1e9)
        elif num is not None:
            new = bool(c[num]) or _is_group(c) or _is_group(groups[-1][0])
        else:
            new = True
        if new:
            groups.append([c])
        else:
            groups[-1].append(c)
    return ["\t".join(_join([g[col] for g in grp], kinds[col]) for col in range(n)) for grp in groups]


def _is_group(cells: list[str]) -> bool:
    return bool(cells[0]) and not any(cells[1:]) and bool(_GROUP.match(cells[0]))


def _join(pieces: list[str], kind: str | None) -> str:
    """A cell's pieces from several lines: units apart by a space (the unit reader splits there
    and joins a name wrapped mid-word back), divisions by 、 after a whole name, other text run
    together when the break falls between Chinese characters. An empty marker beside text is
    dropped."""
    got = [p for p in pieces if p]
    if len(got) > 1:
        got = [p for p in got if not EMPTY_MARKER.match(p)] or got[:1]
    out = ""
    for p in got:
        if not out:
            pass
        elif kind in DIVISION_KINDS:
            # Division names are read without spaces: a line ending in a whole name (…处) is
            # followed by another name, else the name wraps.
            out += "、" if re.search(r"(处|科|室)$", out) else ""
        elif kind in UNIT_KINDS or not (_CJK.match(out[-1]) and _CJK.match(p[0])):
            out += " "
        out += p
    return out
