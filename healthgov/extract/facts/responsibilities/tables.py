"""Responsibilities from tables: annex task tables (牵头单位 / 配合单位 / 责任单位 columns) mapped onto
the body's tasks, and duty lists (unit in column 1, duties in column 2).
"""

from __future__ import annotations

import re
from functools import lru_cache

from healthgov.extract.document import Cell, DocView, Table
from healthgov.extract.facts.agencies import (
    ends_unit,
    resolve_agency,
    split_units,
)
from healthgov.extract.facts.responsibilities.placement import section_chain
from healthgov.extract.facts.responsibilities.rules import Unit, resp
from healthgov.records import AgencyRef, Basis, Role, Span, Task

# --- tables ----------------------------------------------------------------------------------

_UNIT_HEADER = re.compile(r"单位|部门|责任|牵头|配合|参与|协办")
_CONTENT_HEADER = re.compile(r"任务|内容|措施|事项|工作|职责|重点|领域")


@lru_cache(maxsize=1 << 16)  # a pure function of the string (and the vocabularies)
def _header_role(h: str) -> str | None:
    h = re.sub(r"\s+", "", h)
    if re.search(r"牵头|主要负责|主办", h):
        return "lead"
    if re.search(r"配合|参与|协办|协助|协同", h):
        return "support"
    if re.search(r"责任单位|责任部门|负责单位|负责部门|实施单位|部门$|单位$", h):
        return "neutral"
    return None


@lru_cache(maxsize=1 << 16)  # a pure function of the string (and the vocabularies)
def _is_agency_cell(text: str) -> bool:
    s = re.sub(r"\s+", "", text)
    if not s or len(s) > 40 or re.search(r"[。；;：:]", s):
        return False
    return bool(resolve_agency(s).agency_type) or ends_unit(s.rstrip("等"))


def duty_rows(doc: DocView) -> list[tuple[AgencyRef, Cell]]:
    """Rows of duty-list tables: (the unit in column 1, the cell of its duties).

    A duty list names a unit in its first column and that unit's duties in the second (e.g.
    "省卫生健康委 | 推动将健康融入所有政策实施..."). The pipeline may make a task of each row;
    ``assign_responsibilities`` then gives the task that unit.
    """
    out: list[tuple[AgencyRef, Cell]] = []
    juris = doc.policy.jurisdiction
    for table in doc.tables:
        if not _is_duty_table(table):
            continue
        # When the header names the column (部门/单位), every row is a unit's duties, even a
        # unit the vocabulary does not know yet ("句投集团"): the table says so, not the vocabulary.
        by_header = bool(re.search(r"部门|单位|机构", re.sub(r"\s+", "", table.header[0])))
        for row in table.rows:
            if len(row) >= 2 and row[1].text.strip() and (_is_agency_cell(row[0].text) or (by_header and row[0].text.strip())):
                out.append((resolve_agency(doc.text[row[0].span.start : row[0].span.end], juris), row[1]))
    return out


def _is_duty_table(table: Table) -> bool:
    if not table.rows or not table.header:
        return False
    if any(_header_role(h) in ("lead", "support") for h in table.header[1:]):
        return False  # a task table with unit columns, not a duty list
    first = [r[0].text for r in table.rows if r]
    agencies = sum(1 for c in first if _is_agency_cell(c))
    return agencies >= max(1, (len(first) * 3) // 5) and bool(
        re.search(r"部门|单位|机构", re.sub(r"\s+", "", table.header[0])) or agencies == len(first)
    )


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[\W\d_]+", "", s)
    return {s[i : i + 2] for i in range(len(s) - 1)}


def _similar(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / min(len(x), len(y))


def _cell_units(doc: DocView, cell: Cell) -> list[Unit]:
    raw = doc.text[cell.span.start : cell.span.end]
    simp = doc.simp[cell.span.start : cell.span.end]
    units: list[Unit] = []
    for _n, x, y in split_units(re.sub(r"(等|等部门|等单位)\s*$", "", simp)):
        # A table cell may separate units by spaces only ("市人社局 医保中心"), but a space can
        # also be damage inside one name ("省自然资源和 规划厅"): split only if every part is a unit.
        part = simp[x:y]
        pieces = [(m.start(), m.end()) for m in re.finditer(r"\S+", part)]
        if len(pieces) > 1 and all(ends_unit(part[a:b]) for a, b in pieces):
            for a, b in pieces:
                s, e = cell.span.start + x + a, cell.span.start + x + b
                units.append(Unit(doc.text[s:e], s, e, "neutral"))
        else:
            s, e = cell.span.start + x, cell.span.start + y
            units.append(Unit(raw[x:y], s, e, "neutral"))
    return units


def _in_annex(doc: DocView, table: Table) -> bool:
    chain = [doc.section(s) for s in section_chain(doc, table.section)]
    if any(s is not None and (s.kind == "annex" or s.number.startswith("附件")) for s in chain):
        return True
    if "附件" in table.caption:
        return True
    return bool(re.search(r"(^|\n)\s*附件\s*\d*", doc.simp[max(0, table.span.start - 300) : table.span.start]))


def apply_tables(doc: DocView, tasks: list[Task], juris) -> None:
    for table in doc.tables:
        roles = [_header_role(h) for h in table.header]
        duty = _is_duty_table(table)
        if not duty and not any(roles):
            continue
        basis: Basis = "annex" if _in_annex(doc, table) else "explicit"
        content_col = next(
            (i for i, h in enumerate(table.header) if _CONTENT_HEADER.search(h) and not _UNIT_HEADER.search(h)),
            None,
        )
        for row in table.rows:
            if not row:
                continue
            row_span = Span(row[0].span.start, row[-1].span.end)
            if duty:
                if not _is_agency_cell(row[0].text):
                    continue
                task = _row_task(tasks, row_span, None, None)
                if task is None:
                    continue
                groups = [(_cell_units(doc, row[0]), "neutral")]
            else:
                content = row[content_col].text if content_col is not None and content_col < len(row) else ""
                number = row[0].text if re.fullmatch(r"\d+|[一二三四五六七八九十]+", row[0].text) else None
                task = _row_task(tasks, row_span, content, number)
                if task is None:
                    continue
                groups = [
                    (_cell_units(doc, cell), roles[i] or "neutral")
                    for i, cell in enumerate(row)
                    if i < len(roles) and roles[i] is not None and cell.text.strip()
                ]
            _add_table_units(task, groups, basis, juris, first_lead=False)


def _row_task(tasks: list[Task], row_span: Span, content: str | None, number: str | None) -> Task | None:
    for t in tasks:
        if row_span.start <= t.span.start and t.span.end <= row_span.end:
            return t
        if t.span.start <= row_span.start and row_span.end <= t.span.end:
            return t
    if not content:
        return None
    body = [t for t in tasks if not (row_span.start <= t.span.start < row_span.end)]
    scored = sorted(((_similar(content, t.title or t.text[:60]), t) for t in body), key=lambda p: -p[0])
    if scored and scored[0][0] >= 0.5 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    if number is not None:
        same = [t for t in body if t.number.strip("()（）.、") == number]
        if len(same) == 1:
            return same[0]
    return None


def _add_table_units(task: Task, groups, basis: Basis, juris, first_lead: bool) -> None:
    seen = {re.sub(r"\s+", "", r.name) for r in task.responsibilities}
    has_lead = any(g == "lead" for _u, g in groups)
    all_units = [(u, g) for units, g in groups for u in units]
    neutral = [u for u, g in all_units if g == "neutral"]
    for u, g in all_units:
        key = re.sub(r"\s+", "", u.name)
        if key in seen:
            continue
        seen.add(key)
        if g == "lead":
            role: Role = "lead"
        elif g == "support":
            role = "support"
        elif has_lead:
            role = "support"
        else:
            role = "lead" if neutral and u is neutral[0] else "support"
        b: Basis = basis if (g != "neutral" or len(neutral) == 1 or has_lead) else "convention"
        ref = resolve_agency(u.name, juris)
        task.responsibilities.append(resp(u, role, b, len(task.responsibilities), ref))
