"""Indicator rows of a PDF text layer: "居民健康素养水平（%） 14.18 ≥22 ≥30 预期性". The header is
printed down the page letter by letter and each row on one line, its cells separated by spaces and
closed by the nature column (预期性 / 约束性 / 倡导性).
"""

from __future__ import annotations

import re

from healthgov.extract.document import DocView
from healthgov.extract.facts.targets.clauses import task_of
from healthgov.extract.facts.targets.comparators import NATURE
from healthgov.extract.facts.targets.tables import parse_cell_value, split_unit
from healthgov.records import Span, Target, Task

# The header of such a table, its lines joined (a text layer prints its column names letter by
# letter down the page): which target years its value columns have, and whether a baseline comes first.
_HEADER_YEAR = re.compile(r"((?:19|20)\d{2})年?目标值?")
_BASE_COL = re.compile(r"基期|基线|现状")
# A row ends with the nature column (the next group's label may follow it on the same line).
# The page layer cut out of the text leaves blanks, so a page's first letters may follow the row.
_ROW_NATURE = re.compile(r"\s(?P<nature>预期性|约束性|倡导性)(?P<tail>[\s\u4e00-\u9fff（）()]{0,20})$")
# Lines that are not a row's: a group label, the header printed again after a page break.
_NOT_ROW = re.compile(r"^(?:结果性指标|个人和社会倡导性指标|政府工作指标|社会倡导性指标)$|目标值|指标性质|基期水平")
_ROW_NATURE_ANYWHERE = re.compile(r"\s(?:预期性|约束性)")
_NOTE_LINE = re.compile(r"^(说明|计算方法|注)\s*[:：]")
_TOP_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
# A cell that is a value (a number with its comparator, a baseline "2015年为50", a dash), not words.
_VALUE_CELL = re.compile(r"(?:[≥≤<>＜＞]?\d+(?:\.\d+)?%?|(?:19|20)\d{2}年为[\d.]+|[—–\-]+)[#*※△▲]?")
# Where the reader's joining of wrapped lines glued a row to what follows its nature column: the
# next row's number ("预期性27 每千人…"), a note ("预期性说明：…") or a group label ("倡导性政府工作指标").
_GLUED = re.compile(r"(?<=预期性|约束性|倡导性)(?=\s*(?:\d{1,3}(?:\s|$)|说明|计算方法|注\s*[:：]|结果性指标|个人和社会倡导性指标|"
                    r"政府工作指标|社会倡导性指标))")


def _unglued(norm: str, a: int, b: int) -> list[tuple[int, int]]:
    """A line of the text layer cut where rows were glued together (``_GLUED``)."""
    cuts = [m.start() for m in _GLUED.finditer(norm, a, b)]
    return [(x, y) for x, y in zip([a, *cuts], [*cuts, b], strict=True) if x < y]


def aligned_row_targets(doc: DocView, tasks: list[Task], norm: str, rows: list[Span] | None = None) -> list[Target]:
    """Indicator rows of a table whose text layer keeps a row on one line, its cells separated by
    spaces and closed by the nature column: the cells are read when their number is the header's
    (a value written with a space inside would shift the columns: such a row is left out). Every
    row read, with targets or not, is added to ``rows``: its numbers are the table's, not prose; so
    are the notes under a row ("说明：…是指…", "计算方法：…"), definitions and not targets."""
    out: list[Target] = []
    if not _ROW_NATURE_ANYWHERE.search(norm, doc.body_start):
        return []  # no nature column anywhere: no such table (most documents)
    # A table the structure stage recovered (TAB-separated, HTML, DOCX) is read as a table already.
    tables = [(t.span.start, t.span.end) for t in doc.tables]
    marks = {m.group(1): int(m.group(2)) for m in _MARK_YEAR.finditer(norm, doc.body_start)}
    lines = [seg for m in re.finditer(r"[^\n]*", norm)
             if m.start() >= doc.body_start and "\t" not in m.group(0)
             and not any(a <= m.start() < b for a, b in tables)
             for seg in _unglued(norm, m.start(), m.end())]
    i = 0
    while i < len(lines):
        years, base = _header_at(norm, lines, i)
        if not years:
            i += 1
            continue
        ncols = len(years) + (1 if base else 0)
        i += 1
        buf: list[tuple[int, int]] = []
        in_note = False
        while i < len(lines):
            a, b = lines[i]
            s = norm[a:b].strip()
            i += 1
            if _TOP_HEADING.match(s):
                break  # the table is over
            # A note runs on to the next row's number, group label or note label.
            in_note = bool(_NOTE_LINE.match(s)) or (in_note and not re.match(r"\d{1,3}(?:\s|$)", s)
                                                    and not _NOT_ROW.search(s) and not _ROW_NATURE.search(s))
            if in_note:
                if rows is not None:
                    rows.append(Span(a, b))
                buf = []
                continue
            if re.fullmatch(r"\d{1,3}", s) and not buf:
                buf.append((a, b))  # the row's number on a line of its own opens the row
                continue
            if not s or _NOTE_LINE.match(s) or _NOT_ROW.search(s) or _LABEL_PIECE.fullmatch(s):
                buf = [] if (_NOTE_LINE.match(s) or _NOT_ROW.search(s)) else buf
                continue
            buf.append((a, b))
            m = _ROW_NATURE.search(s)
            if m is None:
                continue
            nature = NATURE.get(m.group("nature"))
            text = _row_text(norm, buf)
            # An advocacy row (倡导性) is a row of values when it names its unit ("食盐摄入量（g）
            # 2012年为10.5 ≤5"); else it is a sentence ("每天…1小时以上"), read as prose, or words only.
            if nature or any(split_unit(t)[1] for t in _tokens(text)):
                if rows is not None:
                    rows.append(Span(buf[0][0], buf[-1][1]))
                out.extend(_row_targets(doc, tasks, norm, buf, text, years, base, ncols, nature, marks))
            buf = []
    return out


def _header_at(norm: str, lines: list[tuple[int, int]], i: int) -> tuple[list[int], bool]:
    """The target years and the baseline column of a table header starting at line i, if one does."""
    a = lines[i][0]
    if not norm[a : lines[i][1]].strip().startswith(("领", "序", "指标")):
        return [], False
    window = "".join(norm[x:y].strip() for x, y in lines[i : i + 30])
    head = window[: window.find("性质") + 2] if "性质" in window else ""
    if "指标" not in head:
        return [], False
    years = [int(y) for y in _HEADER_YEAR.findall(head)]
    return years, bool(_BASE_COL.search(head))


# A note giving a marked cell its own year: "#为2020年目标值".
_MARK_YEAR = re.compile(r"([#*※△▲])\s*为\s*((?:19|20)\d{2})\s*年(?:的)?目标值")
# Words a text layer prints apart from the number they qualify: "接近 100", "10 左右".
_PRE_QUAL = re.compile(r"^(?:接近|约|力争|达到)$")
_POST_QUAL = re.compile(r"^(?:左右|以上|以下|及以上|及以下)$")
_WORDS = re.compile(r"[\u4e00-\u9fff、，]+[#*※△▲]?")  # a qualitative cell's piece ("持续", "显著提高")
_UNIT_TOKEN = re.compile(r"[（(][^（）()]{1,12}[）)]$")
# Lines that are no row's piece: a row number alone, the letters of a group label printed down the
# page ("健", "康", "（十一）").
_LABEL_PIECE = re.compile(r"\d{1,4}|[\u4e00-\u9fff（）()、~～]{1,3}|[（(][一二三四五六七八九十]+[）)]")


def _tokens(text: str) -> list[str]:
    """The row's pieces, a qualifier joined to its number and a unit to its indicator."""
    tokens: list[str] = []
    for tok in text.split():
        prev = tokens[-1] if tokens else ""
        if prev and re.fullmatch(r"[（(][^（）()]{1,12}[）)]", tok):
            tokens[-1] += tok  # the indicator's unit printed apart: "筛查率 （%）"
        elif prev and (_PRE_QUAL.match(prev) and _VALUE_CELL.fullmatch(tok) or _POST_QUAL.match(tok)
                       and re.search(r"\d$", prev) or re.fullmatch(r"比|较", prev)
                       or tok.startswith("年") and re.search(r"(?:19|20)\d{2}$", prev)
                       or re.fullmatch(r"(?:19|20)\d{2}年", prev) and _VALUE_CELL.fullmatch(tok)):
            tokens[-1] += tok  # "接近100", "10左右", "比2019年提高", "2018年<0.1": one cell
        else:
            tokens.append(tok)
    return tokens


def _cells(tokens: list[str], ncols: int, base: bool) -> tuple[str, list[str | None]] | None:
    """The indicator and the row's cells, one per column (None: a qualitative cell that cannot be
    placed); None when the cells do not fit the header.

    The cells follow the indicator's unit ("（%）") or, without one, start at the first value. A
    qualitative cell printed over two lines ("持续 保持", "显著 提高") is a run of words: a run of
    one word is one cell, a longer run is as many cells as the values leave, left unread (where
    one cell ends is not written)."""
    unit_at = max((k for k, t in enumerate(tokens) if _UNIT_TOKEN.search(t)), default=-1)
    start = unit_at + 1 if unit_at >= 0 else next((k for k, t in enumerate(tokens) if k and _VALUE_CELL.fullmatch(t)), -1)
    if start <= 0 or start >= len(tokens):
        return None
    groups: list[list[str]] = []  # a value alone, or a run of words
    for t in tokens[start:]:
        if re.search(r"\d", t) or re.fullmatch(r"[—–\-/]+", t):
            groups.append([t])
        elif not _WORDS.fullmatch(t):
            return None
        elif groups and not re.search(r"\d|^[—–\-/]+$", groups[-1][-1]):
            groups[-1].append(t)
        else:
            groups.append([t])
    runs = [g for g in groups if len(g) > 1]
    width = ncols
    if base and ncols > 2 and not runs and len(groups) == ncols - 1:
        # One value printed across the target columns (a merged cell: "— 1", "2012年为10.5 ≤5"):
        # it holds from the first target year on.
        width = 2
    left = width - (len(groups) - len(runs))  # the cells the long runs stand for
    if left < len(runs) or (len(runs) == 1 and left > 1 and groups[-1] is not runs[0]) or (len(runs) > 1 and left != len(runs)):
        return None
    cells: list[str | None] = []
    for g in groups:
        cells += [g[0]] if len(g) == 1 else [None] * (left if len(runs) == 1 else 1)
    return "".join(tokens[:start]), cells


def _cell_spans(norm: str, a: int, b: int, cells: list[str | None]) -> list[Span | None]:
    """Where each cell is printed, found from the row's end (an indicator may hold the same
    number: "5 岁以下儿童死亡率"); a cell's pieces may stand apart ("接近 100")."""
    spans: list[Span | None] = [None] * len(cells)
    end = b
    for k in range(len(cells) - 1, -1, -1):
        cell = cells[k]
        if cell is None:
            continue
        pattern = re.compile(r"\s*".join(re.escape(ch) for ch in cell))
        found = [m for m in pattern.finditer(norm, a, end)]
        if found:
            spans[k] = Span(found[-1].start(), found[-1].end())
            end = found[-1].start()
    return spans


def _row_text(norm: str, buf: list[tuple[int, int]]) -> str:
    text = " ".join(norm[x:y].strip() for x, y in buf)
    text = _ROW_NATURE.sub("", text).strip()
    text = re.sub(r"^\d{1,3}\s+", "", text)  # the row's number
    return re.sub(r"((?:19|20)\d{2})\s*年为\s*", r"\1年为", text)  # a baseline of its own year: one cell


def _row_targets(doc: DocView, tasks: list[Task], norm: str, buf: list[tuple[int, int]], text: str,
                 years: list[int], base: bool, ncols: int, nature: str | None, marks: dict[str, int]) -> list[Target]:
    a, b = buf[0][0], buf[-1][1]
    tokens = _tokens(text)
    parsed = _cells(tokens, ncols, base)
    if parsed is None:
        return _shared_cells(doc, tasks, norm, a, b, tokens, years, base, nature, marks)
    indicator, cells = parsed
    if len(cells) < ncols:
        years = years[:1]
    indicator, unit = split_unit(indicator)
    if not re.search(r"[\u4e00-\u9fff]{2}", indicator):
        return []
    baseline = cells[0] if base else None
    spans = _cell_spans(norm, a, b, cells)
    items = [(indicator, unit, year, cell, span)
             for year, cell, span in zip(years, cells[1:] if base else cells, spans[1:] if base else spans, strict=False)]
    return _targets(doc, tasks, a, b, items, baseline, nature, marks)


def _shared_cells(doc: DocView, tasks: list[Task], norm: str, a: int, b: int, tokens: list[str], years: list[int],
                  base: bool, nature: str | None, marks: dict[str, int]) -> list[Target]:
    """A row naming several indicators, each with its unit ("A的比例（%），B的比例（%） — 100 70 100
    80"): each target column holds one value per indicator, in their order."""
    unit_at = max((k for k, t in enumerate(tokens) if _UNIT_TOKEN.search(t)), default=-1)
    values = tokens[unit_at + 1 :]
    names = [n for n in re.split(r"(?<=[）)])[，,、]", "".join(tokens[: unit_at + 1])) if n]
    k = len(names)
    if k < 2 or not all(_VALUE_CELL.fullmatch(v) for v in values) or len(values) != (1 if base else 0) + k * len(years):
        return []
    baseline = values[0] if base else None
    cells = values[1:] if base else values
    spans = _cell_spans(norm, a, b, list(values))
    spans = spans[1:] if base else spans
    items = []
    for n, cell in enumerate(cells):
        indicator, unit = split_unit(names[n % k])
        items.append((indicator, unit, years[n // k], cell, spans[n]))
    return _targets(doc, tasks, a, b, items, baseline, nature, marks)


def _targets(doc: DocView, tasks: list[Task], a: int, b: int, items: list, baseline: str | None,
             nature: str | None, marks: dict[str, int]) -> list[Target]:
    """The targets of a row's cells: (indicator, unit, year, cell, span) each."""
    out: list[Target] = []
    for indicator, unit, year, cell, span in items:
        if cell is None or re.fullmatch(r"[—–\-/]+", cell) or re.match(r"(?:比|较)(?:19|20)\d{2}年", cell):
            continue  # "比2019年提高": a change whose amount is printed elsewhere
        if cell[-1] in marks:
            cell, year = cell[:-1], marks[cell[-1]]  # "≥70#", "#为2020年目标值"
        cmp, value, vmax, vunit, _y = parse_cell_value(cell)
        if value is None and nature is None:
            continue  # an advocacy row's words ("不断提高") set no target
        out.append(Target(
            id="", text=doc.text[a:b].strip(), indicator_text=indicator, comparator=cmp, value=value,
            value_max=vmax, unit=(unit or vunit) if value is not None else None, year=year,
            baseline=None if baseline is None or re.fullmatch(r"[—–\-/]+", baseline) else baseline,
            nature=nature, task=task_of(tasks, a), span=span or Span(a, b),  # type: ignore[arg-type]
        ))
    return out
