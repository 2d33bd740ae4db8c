"""Targets in indicator tables: a table whose header names 指标 gives one target per row, with
baseline, baseline year, target, target year, unit and nature as the header tells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from healthgov.extract.document import Cell, DocView, Table
from healthgov.extract.facts.targets.clauses import task_of
from healthgov.extract.facts.targets.comparators import NATURE, UNIT_RE, UNITS
from healthgov.extract.facts.targets.grammar import combine, pre_comparator
from healthgov.extract.facts.targets.indicators import resolve_indicator
from healthgov.extract.numbers import (
    NUMBER,
    RANGE_SEP,
    normalise_digits,
    parse_number,
)
from healthgov.records import Comparator, Nature, Span, Target, Task

# --- indicator tables ------------------------------------------------------------------------

_MARKERS = "*＊▲△★☆#※"


@dataclass
class _Cols:
    indicator: int | None
    number: int | None
    baseline: int | None
    target: int | None
    unit: int | None
    nature: int | None
    baseline_year: int | None
    target_year: int | None


# A column that explains an indicator (指标说明, 指标解释, 指标定义, 计算口径) is not the indicator.
_EXPLANATION = re.compile(r"说明|解释|定义|口径|计算|来源|备注|内涵|含义")


def _columns(header: list[str]) -> _Cols:
    ind = num = base = tgt = unit = nat = None
    years: list[tuple[int, int]] = []
    for i, h in enumerate(header):
        h = normalise_digits(h)
        y = re.search(r"((?:19|20)\d{2})", h)
        if re.search(r"序号|编号", h):
            num = i
        elif re.search(r"属性|性质|类型", h) and "指标" not in h.replace("指标属性", "").replace("指标性质", ""):
            nat = i
        elif re.search(r"属性|性质", h):
            nat = i
        elif h == "单位" or h.endswith("单位") and "责任" not in h:
            unit = i
        elif re.search(r"基线|基期|现状|基数", h):
            base = i
            if y:
                years.append((i, int(y.group(1))))
        elif re.search(r"目标|期末|规划值", h):
            tgt = i
            if y:
                years.append((i, int(y.group(1))))
        elif y:
            years.append((i, int(y.group(1))))
        elif "指标" in h and not _EXPLANATION.search(h):
            ind = i  # the most specific (last) 指标 column: 一级/二级/三级指标
    by = ty = None
    if years:
        years.sort(key=lambda p: p[1])
        if base is None and len(years) >= 2:
            base = years[0][0]
        if tgt is None:
            tgt = years[-1][0]
        for i, y in years:
            if i == base:
                by = y
            if i == tgt:
                ty = y
    return _Cols(ind, num, base, tgt, unit, nat, by, ty)


def is_indicator_table(table: Table) -> bool:
    return any("指标" in h for h in table.header) and bool(table.rows)


# A cell may carry its own year and comparator: "力争2023年达到60%", "2025年达到80%以上".
_CELL_YEAR = re.compile(r"^(?P<aim>力争)?(?:到|至)?(?P<y>(?:19|20)\d{2})\s*年(?:底|末)?(?:前)?[,，]?\s*")
# Words a cell may open with; 稳定在/保持在 ("稳定在95以上") are kept as text, as written.
_CELL_PRE = re.compile(r"^(力争)?(达到|达|不低于|不少于|不高于|不超过|不得低于|不得超过|低于|高于|超过|控制在|至少|"
                       r"大于|小于|多于|少于|最多|至多|最少)?")


def parse_cell_value(text: str) -> tuple[Comparator, float | None, float | None, str | None, int | None]:
    """A table value: "78.6左右" → about; "≤15" → <=; "25" → =; "力争2023年达到60%" → about 60
    in 2023; anything else worded → text. The last item is a year written in the cell."""
    t = normalise_digits(text).strip().lstrip(_MARKERS)
    year = None
    ym = _CELL_YEAR.match(t)
    if ym:
        year = int(ym.group("y"))
        t = (ym.group("aim") or "") + t[ym.end():]
    words = _CELL_PRE.match(t)
    pre_words = words.group(0) if words else ""
    m = re.fullmatch(rf"(≥|≤|>=|<=|>|<)?\s*({NUMBER})\s*({UNIT_RE})?(?:{RANGE_SEP}({NUMBER})\s*({UNIT_RE})?)?\s*(以上|以下|左右|以内)?", t[len(pre_words):])
    if m:
        lo = parse_number(m.group(2))
        hi = parse_number(m.group(4)) if m.group(4) else None
        unit = m.group(5) or m.group(3)
        if hi is not None:
            return "range", lo, hi, unit, year
        cmp = combine(pre_comparator(pre_words + (m.group(1) or "")), m.group(6) or "")
        return cmp or "=", lo, None, unit, year
    n = re.search(rf"({NUMBER})\s*({UNIT_RE})?", t)
    if n and re.search(r"\d", n.group(1)):
        return "text", parse_number(n.group(1)), None, n.group(2), year
    return "text", None, None, None, year


def parse_cell_values(text: str) -> list[tuple[Comparator, float | None, float | None, str | None, int | None]]:
    """A cell read like prose: "2023年达到80%，力争2035年达到95%" is two values with their years;
    a cell of one value is that value."""
    parts = [p for p in re.split(r"[，,；;]", text) if p.strip()]
    if len(parts) > 1 and all(_CELL_YEAR.match(normalise_digits(p).strip().lstrip(_MARKERS)) for p in parts):
        return [parse_cell_value(p) for p in parts]
    return [parse_cell_value(text)]


_UNIT_PAREN = re.compile(r"[(（]\s*([^()（）]{1,8})\s*[)）]\s*$")


def split_unit(indicator: str) -> tuple[str, str | None]:
    m = _UNIT_PAREN.search(indicator)
    if m:
        u = m.group(1)
        if u in UNITS or re.fullmatch(r"[/%‰\d万千百亿]+.*|[\u4e00-\u9fff]{1,2}/.+|种类|[万亿]?元|[万亿]?人|[万亿]?人次|个|张|岁|天|小时|分钟", u):
            # "（1/10 万）" is the rate per 100 000 that prose writes "18/10万": one unit, "/10万".
            u = re.sub(r"\s+", "", u)
            return indicator[: m.start()].strip(), u[1:] if re.fullmatch(r"1/\d*[十百千万]", u) else u
    return indicator, None


def table_notes(doc: DocView, table: Table) -> list[tuple[str, int, int]]:
    """Footnotes of a table: (text, start, end); the structure stage's, else the "注" block after it."""
    if table.notes:
        return [(c.text, c.span.start, c.span.end) for c in table.notes]
    out: list[tuple[str, int, int]] = []
    started = False
    pos = table.span.end
    for line in doc.simp[table.span.end : table.span.end + 4000].split("\n"):
        lstart, pos = pos, pos + len(line) + 1
        s = line.strip()
        if not s:
            continue
        if not started and re.match(r"注\s*[:：]?", s):
            started = True
            rest = re.sub(r"^注\s*[:：]?\s*", "", s)
            if rest:
                out.append((rest, lstart, lstart + len(line)))
            continue
        if started and re.match(r"\d+\s*[.、．]", s):
            out.append((s, lstart, lstart + len(line)))
            continue
        break
    return out


def _marker_notes(notes: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for n in notes:
        for ch in _MARKERS:
            if ch in n and re.search(rf"[“\"']?{re.escape(ch)}[”\"']?\s*(号|的)?", n):
                out[ch] = re.sub(r"^\d+\s*[.、．]\s*", "", n).strip()
    return out


def _quoted_notes(notes: list[str]) -> list[tuple[str, str]]:
    out = []
    for n in notes:
        for q in re.findall(r"[“\"]([^”\"]{3,40})[”\"]", n):
            out.append((q, re.sub(r"^\d+\s*[.、．]\s*", "", n).strip()))
    return out


def _align(row: list[Cell], header: list[str], cols: _Cols) -> dict[str, Cell | str | None]:
    """Map a row's cells to roles; rows of flattened tables may miss or split cells."""
    texts = [c.text for c in row]
    aligned = len(row) == len(header) and (
        cols.indicator is None or re.search(r"[\u4e00-\u9fff]", texts[cols.indicator])
    ) and (cols.number is None or re.fullmatch(r"\d*", texts[cols.number]))
    if aligned:
        get = lambda i: row[i] if i is not None and i < len(row) else None  # noqa: E731
        return {
            "indicator": get(cols.indicator),
            "baseline": get(cols.baseline),
            "target": get(cols.target),
            "unit": get(cols.unit),
            "nature": get(cols.nature),
        }
    # Indicator: the cell after a bare number cell, or a cell numbered "12.xxx".
    ind_i = None
    for i, t in enumerate(texts):
        if re.fullmatch(r"\d+", t) and i + 1 < len(texts):
            ind_i = i + 1
            break
        if re.match(r"\d+\s*[.、．]\s*\S", t) and re.search(r"[\u4e00-\u9fff]", t):
            ind_i = i
            break
    if ind_i is None:
        cjk = [i for i, t in enumerate(texts) if re.search(r"[\u4e00-\u9fff]{2,}", t) and t not in NATURE]
        ind_i = cjk[0] if cjk else 0
    nat_i = next((i for i in range(len(texts) - 1, ind_i, -1) if re.search(r"约束性|预期性|定量|定性", texts[i])), None)
    end = nat_i if nat_i is not None else len(texts)
    vals = list(range(ind_i + 1, end))
    if cols.nature is None and nat_i is None and cols.indicator is not None:
        # Trailing explanation columns (指标说明) are not values.
        vals = [i for i in vals if i - ind_i <= 2]
    ncols = sum(1 for c in (cols.baseline, cols.target) if c is not None)
    merged = [[i] for i in vals]
    while ncols and len(merged) > ncols:
        # Join a split cell: prefer a fragment without digits joined to what follows it.
        k = next((k for k in range(len(merged) - 1) if not re.search(r"\d", texts[merged[k][-1]])), len(merged) - 2)
        merged[k] = merged[k] + merged.pop(k + 1)
    res: dict[str, Cell | str | None] = {"indicator": row[ind_i], "nature": row[nat_i] if nat_i is not None else None, "unit": None}
    joined = ["".join(texts[i] for i in g) for g in merged]
    if ncols == 2 and len(joined) == 2:
        res["baseline"], res["target"] = joined
    elif ncols == 2 and len(joined) == 1:
        res["baseline"], res["target"] = None, None
        res["single"] = joined[0]
    elif ncols == 1 and joined:
        key = "target" if cols.target is not None else "baseline"
        res[key] = joined[0]
    return res


def _text_of(x: Cell | str | None) -> str:
    if x is None:
        return ""
    return x.text if isinstance(x, Cell) else x


def table_targets(doc: DocView, tasks: list[Task]) -> list[Target]:
    out: list[Target] = []
    for table in doc.tables:
        if not is_indicator_table(table):
            continue
        cols = _columns(table.header)
        notes = [n for n, _a, _b in table_notes(doc, table)]
        by_marker = _marker_notes(notes)
        quoted = _quoted_notes(notes)
        for row in table.rows:
            if not row:
                continue
            cells = _align(row, table.header, cols)
            ind_cell = cells.get("indicator")
            ind_raw = _text_of(ind_cell)
            ind_text = re.sub(r"^\d+\s*[.、．]\s*", "", ind_raw).strip()
            if not re.search(r"[\u4e00-\u9fff]", ind_text):
                continue
            row_markers = {ch for c in row for ch in c.text if ch in _MARKERS}
            ind_clean = ind_text.strip(_MARKERS + " ")
            ind_clean, paren_unit = split_unit(ind_clean)
            target_s = _text_of(cells.get("target")).strip()
            base_s = _text_of(cells.get("baseline")).strip()
            note_parts: list[str] = []
            single = cells.get("single")
            if single:
                note_parts.append(f"one value given for the baseline and target columns: {single}")
            values = parse_cell_values(target_s) if target_s else [("text", None, None, None, None)]
            for ch in sorted(row_markers):
                if ch in by_marker:
                    note_parts.append(by_marker[ch])
            for q, n in quoted:
                if q == ind_clean:
                    note_parts.append(n)
            nat_s = _text_of(cells.get("nature")).strip()
            nature: Nature | None = NATURE.get(nat_s)  # type: ignore[assignment]
            if nat_s and nature is None:
                note_parts.append(f"指标性质: {nat_s}")
            span = Span(row[0].span.start, row[-1].span.end)
            for cmp, value, vmax, vunit, cell_year in values:
                unit = _text_of(cells.get("unit")).strip() or paren_unit or vunit
                out.append(
                    Target(
                        id="",
                        text=" | ".join(doc.text[c.span.start : c.span.end].strip() for c in row),
                        indicator=resolve_indicator(ind_clean),
                        indicator_text=ind_clean,
                        comparator=cmp,
                        value=value,
                        value_max=vmax,
                        unit=unit or None,
                        year=(cell_year or cols.target_year) if target_s else None,
                        baseline=base_s.strip(_MARKERS) or None,
                        baseline_year=cols.baseline_year if base_s else None,
                        nature=nature,
                        note="; ".join(note_parts) or None,
                        task=task_of(tasks, span.start),
                        span=span,
                    )
                )
    return out
