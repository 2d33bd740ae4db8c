"""Indicator tables flattened into labelled rows: a table copied from a page or a PDF as one
paragraph per row, each cell written after its column's name ("领域：健康水平 指标：人均预期寿命(岁)
2015年：76.34 2020年：77.3 2030年：79.0"). A row gives one target per year column after the
policy's own year (the earlier ones are its baseline), each value read like a table cell.
"""

from __future__ import annotations

import re

from healthgov.extract.document import DocView
from healthgov.extract.facts.targets.clauses import task_of
from healthgov.extract.facts.targets.comparators import NATURE
from healthgov.extract.facts.targets.tables import parse_cell_value, split_unit
from healthgov.records import Span, Target, Task

_ROW = re.compile(r"指标\s*[:：]\s*(?P<ind>[^：:\n]{2,60}?)\s*(?=(?:19|20)\d{2}\s*年\s*[:：])")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*[:：]\s*")
# Where a row ends: the next row's first label, the end of a paragraph, or a line break that a
# value or a year label does not continue ("2015 年：" / "10.7 2020 年：9.5").
_ROW_END = re.compile(r"领域\s*[:：]|指标\s*[:：]|。|\n(?!\s*(?:(?:19|20)\d{2}\s*年\s*[:：]|[\d.≥≤<>]))")


def labelled_targets(doc: DocView, tasks: list[Task], norm: str) -> list[Target]:
    """``norm``: the simplified text with its digits normalised (``numbers.normalise_digits``)."""
    issued = doc.policy.issued_on or doc.policy.published_on
    issue_year = int(issued[:4]) if issued and issued[:4].isdigit() else None
    out: list[Target] = []
    for m in _ROW.finditer(norm, doc.body_start):
        end_m = _ROW_END.search(norm, m.end())
        end = end_m.start() if end_m else len(norm)
        labels = list(_YEAR.finditer(norm, m.end("ind"), end))
        if len(labels) < 2:
            continue
        indicator, unit = split_unit(doc.simp[m.start("ind") : m.end("ind")].strip())
        # A value runs to the next label; a year glued to the value before it ("76.342020年：")
        # starts the next label, not the value.
        cells = [(int(lab.group(1)), lab.end(), labels[k + 1].start() if k + 1 < len(labels) else end)
                 for k, lab in enumerate(labels)]
        baseline = next(((y, norm[a:b].strip()) for y, a, b in cells if issue_year and y <= issue_year), None)
        for year, a, b in cells:
            if issue_year is None or year <= issue_year:
                continue
            raw = re.sub(r"\s+", "", norm[a:b])
            if not raw:
                continue
            cmp, value, vmax, vunit, _cell_year = parse_cell_value(raw)
            out.append(Target(
                id="", text=doc.text[m.start() : end].strip(), indicator_text=indicator, comparator=cmp,
                value=value, value_max=vmax, unit=unit or vunit, year=year,
                baseline=baseline[1] if baseline else None, baseline_year=baseline[0] if baseline else None,
                task=task_of(tasks, a), span=Span(a, a + len(norm[a:b].rstrip())),
            ))
    return out


# --- rows of a PDF text layer: "居民健康素养水平（%） 14.18 ≥22 ≥30 预期性" --------------------------

# The header of such a table, its lines joined (a text layer prints its column names letter by
# letter down the page): which target years its value columns have, and whether a baseline comes first.
_HEADER_YEAR = re.compile(r"((?:19|20)\d{2})年?目标值?")
_BASE_COL = re.compile(r"基期|基线|现状")
# A row ends with the nature column (the next group's label may follow it on the same line).
_ROW_NATURE = re.compile(r"\s(?P<nature>预期性|约束性|倡导性)(?P<tail>[\u4e00-\u9fff（）()]{0,14})$")
# Lines that are not a row's: a group label, the header printed again after a page break.
_NOT_ROW = re.compile(r"^(?:结果性指标|个人和社会倡导性指标|政府工作指标|社会倡导性指标)$|目标值|指标性质|基期水平")
_ROW_NATURE_ANYWHERE = re.compile(r"\s(?:预期性|约束性)")
_NOTE_LINE = re.compile(r"^(说明|计算方法|注)\s*[:：]")
_TOP_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
# A cell that is a value (a number with its comparator, a baseline "2015年为50", a dash), not words.
_VALUE_CELL = re.compile(r"[≥≤<>＜＞]?\d+(?:\.\d+)?%?|(?:19|20)\d{2}年为[\d.]+|[—–\-]+")
# Where the reader's joining of wrapped lines glued a row to what follows its nature column: the
# next row's number ("预期性27 每千人…"), a note ("预期性说明：…") or a group label ("倡导性政府工作指标").
_GLUED = re.compile(r"(?<=预期性|约束性|倡导性)(?=\s*(?:\d{1,3}\s|说明|计算方法|注\s*[:：]|结果性指标|个人和社会倡导性指标|"
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
            if not s or _NOTE_LINE.match(s) or _NOT_ROW.search(s) or re.fullmatch(r"\d{1,4}|[\u4e00-\u9fff（）()、~～]{1,3}", s):
                buf = [] if (_NOTE_LINE.match(s) or _NOT_ROW.search(s)) else buf
                continue
            buf.append((a, b))
            m = _ROW_NATURE.search(s)
            if m is None:
                continue
            if rows is not None:
                rows.append(Span(buf[0][0], buf[-1][1]))
            if m.group("nature") in NATURE:  # an advocacy row (倡导性) sets no value
                out.extend(_row_targets(doc, tasks, norm, buf, years, base, ncols, NATURE[m.group("nature")]))
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


def _row_targets(doc: DocView, tasks: list[Task], norm: str, buf: list[tuple[int, int]], years: list[int],
                 base: bool, ncols: int, nature: str) -> list[Target]:
    a, b = buf[0][0], buf[-1][1]
    text = " ".join(norm[x:y].strip() for x, y in buf)
    text = _ROW_NATURE.sub("", text).strip()
    text = re.sub(r"^\d{1,3}\s+", "", text)  # the row's number
    text = re.sub(r"((?:19|20)\d{2})\s*年为\s*", r"\1年为", text)  # a baseline of its own year: one cell
    tokens: list[str] = []
    for tok in text.split():
        if tokens and re.fullmatch(r"[（(][^（）()]{1,12}[）)]", tok):
            tokens[-1] += tok  # the indicator's unit printed apart: "筛查率 （%）"
        else:
            tokens.append(tok)
    width = ncols
    if (base and len(years) > 1 and len(tokens) > 2 and _VALUE_CELL.fullmatch(tokens[-1])
            and (len(tokens) <= ncols or not _VALUE_CELL.fullmatch(tokens[-ncols]))):
        # One value printed across the target columns (a merged cell: "— 1", "2012年为10.5 ≤5"):
        # it holds from the first target year on.
        width, years = 2, years[:1]
    if len(tokens) <= width:
        return []
    cells = tokens[-width:]
    if re.search(r"(?:19|20)\d{2}年为|^[\d.≥≤<>—–\-]+$", tokens[-width - 1]):
        return []  # a cell written with a space inside ("显著 提高") shifted the columns
    indicator, unit = split_unit("".join(tokens[:-width]))
    if not re.search(r"[\u4e00-\u9fff]{2}", indicator):
        return []
    baseline = cells[0] if base else None
    out: list[Target] = []
    for year, cell in zip(years, cells[1:] if base else cells, strict=True):
        if re.fullmatch(r"[—–\-/]+", cell):
            continue
        cmp, value, vmax, vunit, _y = parse_cell_value(cell)
        at = norm.find(cell, a, b)
        span = Span(at, at + len(cell)) if at >= 0 else Span(a, b)
        out.append(Target(
            id="", text=doc.text[a:b].strip(), indicator_text=indicator, comparator=cmp, value=value,
            value_max=vmax, unit=unit or vunit, year=year,
            baseline=None if baseline is None or re.fullmatch(r"[—–\-/]+", baseline) else baseline,
            nature=nature, task=task_of(tasks, a), span=span,  # type: ignore[arg-type]
        ))
    return out
