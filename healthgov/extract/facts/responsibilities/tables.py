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
)
from healthgov.extract.facts.responsibilities.placement import section_chain
from healthgov.extract.facts.responsibilities.rules import Unit, resp
from healthgov.extract.facts.unit_lists import split_units
from healthgov.extract.structure.table_model import (
    DIVISION_KINDS,
    EMPTY_MARKER,
    UNIT_KINDS,
    MCell,
    read_task_table,
)
from healthgov.ids import place_info, places
from healthgov.records import AgencyRef, Basis, Jurisdiction, Obligation, Role, Span, Task

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


def duty_rows(doc: DocView, tasks: list[Task] | None = None) -> list[tuple[AgencyRef, Cell]]:
    """Rows of duty-list tables: (the unit in column 1, the cell of its duties); and, when the
    body's ``tasks`` are given, the items of task tables that map onto none of them: (their
    first unit, their content cell).

    A duty list names a unit in its first column and that unit's duties in the second (e.g.
    "省卫生健康委 | 推动将健康融入所有政策实施..."). The pipeline may make a task of each row;
    ``assign_responsibilities`` then gives the task its units.
    """
    out: list[tuple[AgencyRef, Cell]] = []
    juris = doc.policy.jurisdiction
    for table in doc.tables:
        if not _is_duty_table(table):
            if tasks is not None:
                out += _unmapped_items(doc, table, tasks)
            continue
        # When the header names the column (部门/单位), every row is a unit's duties, even a
        # unit the vocabulary does not know yet ("句投集团"): the table says so, not the vocabulary.
        by_header = bool(re.search(r"部门|单位|机构", re.sub(r"\s+", "", table.header[0])))
        for row in table.rows:
            if len(row) >= 2 and row[1].text.strip() and (_is_agency_cell(row[0].text) or (by_header and row[0].text.strip())):
                out.append((resolve_agency(doc.text[row[0].span.start : row[0].span.end], juris), row[1]))
    return out


def _unmapped_items(doc: DocView, table: Table, tasks: list[Task]) -> list[tuple[AgencyRef, Cell]]:
    """Items of a task table (with unit columns and a content column) that no body task matches:
    a standalone 分工表 whose rows are the tasks."""
    model = read_task_table(doc.text, table)
    if model is None:
        return []
    kinds = [c.kind for c in model.columns]
    content = next((i for i, k in enumerate(kinds) if k == "content"), None)
    if content is None or not any(k in UNIT_KINDS for k in kinds):
        return []
    out: list[tuple[AgencyRef, Cell]] = []
    for item in model.items:
        cells = item.cells.get(content)
        if not cells or _row_task(tasks, item.span, item.title, item.number) is not None:
            continue
        first = next((c for k, cs in sorted(item.cells.items()) if kinds[k] in UNIT_KINDS for c in cs), None)
        ref = resolve_agency(first.text, doc.policy.jurisdiction) if first else AgencyRef("")
        out.append((ref, Cell(cells[0].text, cells[0].span)))
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
    return _text_units(doc.text[cell.span.start : cell.span.end], doc.simp[cell.span.start : cell.span.end],
                       cell.span.start, None)


def _text_units(raw: str, simp: str, start: int, whole: Span | None) -> list[Unit]:
    """Units of a cell's text at offset ``start``; ``whole`` (a cell joined from pieces in several
    rows) gives every unit the cell's span, since its text is not one slice of the document."""
    units: list[Unit] = []

    def add(a: int, b: int) -> None:
        if whole is not None:
            units.append(Unit(re.sub(r"\s+", "", raw[a:b]), whole.start, whole.end, "neutral"))
        else:
            name = raw[a:b]
            if re.search(r"\s", name) and resolve_agency(re.sub(r"\s+", "", name)).agency_type:
                name = re.sub(r"\s+", "", name)  # a name wrapped inside its cell: one name
            units.append(Unit(name, start + a, start + b, "neutral"))

    for _n, x, y in split_units(re.sub(r"(等|等部门|等单位)\s*$", "", simp)):
        if EMPTY_MARKER.match(re.sub(r"\s+", "", simp[x:y])):
            continue
        # A table cell may separate units by spaces only ("市人社局 医保中心"), but a space can
        # also be a line wrapped inside one name ("省人力资源社会 保障厅"): split only if every
        # part is a unit and the whole is not one known body that a part alone is not.
        part = simp[x:y]
        pieces = [(m.start(), m.end()) for m in re.finditer(r"\S+", part)]
        if len(pieces) > 1 and all(ends_unit(part[a:b]) for a, b in pieces) and not _one_name(part, pieces):
            for a, b in pieces:
                add(x + a, x + b)
        else:
            add(x, y)
    return units


def _one_name(part: str, pieces: list[tuple[int, int]]) -> bool:
    if not resolve_agency(re.sub(r"\s+", "", part)).agency_type:
        return False
    return any(not resolve_agency(part[a:b]).agency_type for a, b in pieces)


def _in_annex(doc: DocView, table: Table) -> bool:
    chain = [doc.section(s) for s in section_chain(doc, table.section)]
    if any(s is not None and (s.kind == "annex" or s.number.startswith("附件")) for s in chain):
        return True
    if "附件" in table.caption:
        return True
    return bool(re.search(r"(^|\n)\s*附件\s*\d*", doc.simp[max(0, table.span.start - 300) : table.span.start]))


def duty_list_jurisdiction(doc: DocView) -> Jurisdiction | None:
    """The jurisdiction of a duty list that names none (an annex file, "省级相关部门…职责清单"):
    its units are mostly of one level (省…) and every place a unit names ("海口海关") lies in
    one province: that province. None when the list does not tell."""
    names = [r[0].text for t in doc.tables if _is_duty_table(t) for r in t.rows if r and r[0].text.strip()]
    if len(names) < 3:
        return None
    levels = [resolve_agency(n).level for n in names]
    if levels.count("province") * 2 <= len(names):
        return None
    _table, keys = places()
    found: set[str] = set()
    for n in names:
        key = next((k for k in keys if len(k) >= 2 and n.startswith(k)), None)
        rec = place_info(key) if key else None
        if rec is not None:
            found.add(rec[0] if rec[1] == "province" else rec[2] or "")
    found.discard("")
    rec = place_info(found.pop()) if len(found) == 1 else None
    return Jurisdiction(rec[0], "province", rec[2]) if rec is not None and rec[1] == "province" else None


def apply_tables(doc: DocView, tasks: list[Task], juris) -> None:
    """Units from task tables and duty lists. A duty list that names no jurisdiction takes the
    one its units tell (``duty_list_jurisdiction``): it is set on ``doc.policy``."""
    if juris is None and doc.policy.jurisdiction is None:
        juris = doc.policy.jurisdiction = duty_list_jurisdiction(doc)
    for table in doc.tables:
        basis: Basis = "annex" if _in_annex(doc, table) else "explicit"
        if _is_duty_table(table):
            _apply_duty_table(doc, table, tasks, basis, juris)
            continue
        model = read_task_table(doc.text, table)
        if model is None:
            continue
        kinds = [c.kind for c in model.columns]
        if not any(k in UNIT_KINDS or k in DIVISION_KINDS for k in kinds):
            continue
        owner = _owner(doc)
        for item in model.items:
            task = _row_task(tasks, item.span, item.title, item.number)
            if task is None:
                continue
            groups: list[tuple[list[Unit], str]] = []
            divisions: list[tuple[str, MCell]] = []
            for col, cells in sorted(item.cells.items()):
                kind = kinds[col] if col < len(kinds) else None
                for cell in cells:
                    if kind in DIVISION_KINDS:
                        divisions.append((kind, cell))
                        continue
                    if kind not in UNIT_KINDS:
                        continue
                    units = _mcell_units(doc, cell)
                    if owner is not None:
                        units, own = _split_divisions(units)
                        divisions += [(_division_kind(kind), MCell(u.name, u.name, Span(u.start, u.end))) for u in own]
                    groups.append((units, kind))
            _add_table_units(task, groups, basis, juris, first_lead=False)
            if divisions:
                _add_divisions(task, divisions, owner, basis, juris)


def _apply_duty_table(doc: DocView, table: Table, tasks: list[Task], basis: Basis, juris) -> None:
    for row in table.rows:
        if not row or not _is_agency_cell(row[0].text):
            continue
        task = _row_task(tasks, Span(row[0].span.start, row[-1].span.end), None, None)
        if task is not None:
            _add_table_units(task, [(_cell_units(doc, row[0]), "neutral")], basis, juris, first_lead=False)


def _mcell_units(doc: DocView, cell: MCell) -> list[Unit]:
    if cell.joined:
        return _text_units(cell.raw, cell.text, cell.span.start, cell.span)
    return _cell_units(doc, Cell(cell.text, cell.span))


_DIVISION_NAME = re.compile(r"(处|科|室|中心)$")


def _owner(doc: DocView) -> AgencyRef | None:
    """The body whose table it is: the document's first issuer that is a known kind of body."""
    for ref in doc.policy.issuers:
        if ref.agency_type:
            return ref
    return None


def _split_divisions(units: list[Unit]) -> tuple[list[Unit], list[Unit]]:
    """Names of a body's own divisions ("基层处", "疾控处", "妇幼科") listed in a unit column of its
    own table: no known kind of body, no level prefix, a 处/科/室 name."""
    keep, own = [], []
    for u in units:
        ref = resolve_agency(u.name)
        name = re.sub(r"\s+", "", u.name)
        if not ref.agency_type and ref.level is None and len(name) <= 8 and re.search(r"(处|科|室)$", name):
            own.append(u)
        else:
            keep.append(u)
    return keep, own


def _division_kind(kind: str | None) -> str:
    return {"lead": "division-lead", "support": "division-support"}.get(kind or "", "division")


def _add_divisions(task: Task, divisions: list[tuple[str, MCell]], owner: AgencyRef | None, basis: Basis,
                   juris) -> None:
    """The owning body's divisions go on its responsibility (added, implicit, when the row does not
    name the body itself): divisions are parts of the body, never agencies of the jurisdiction."""
    names: list[str] = []
    for _k, cell in divisions:
        for _n, x, y in split_units(cell.text):
            piece = cell.text[x:y].strip()
            parts = piece.split()
            # "规划处 医政处" (two <p> of one cell): two divisions; "人事 处" (a wrapped name): one
            if len(parts) < 2 or not all(re.search(r"[处科室]$", q) and len(q) >= 2 for q in parts):
                parts = [re.sub(r"\s+", "", piece)]
            for n in parts:
                if n and not EMPTY_MARKER.match(n) and n not in names:
                    names.append(n)
    if not names:
        return
    target = None
    if owner is not None:
        target = next((r for r in task.responsibilities if _same_body(r, owner)), None)
    elif task.responsibilities:
        target = next((r for r in task.responsibilities if r.role == "lead"), task.responsibilities[0])
    if target is None and owner is not None:
        leads_here = any(k == "division-lead" for k, _c in divisions)
        has_lead = any(r.role == "lead" for r in task.responsibilities)
        role: Role = "lead" if leads_here and not has_lead else "support"
        first = divisions[0][1]
        unit = Unit(owner.name, first.span.start, first.span.end, "neutral")
        target = resp(unit, role, basis, len(task.responsibilities), resolve_agency(owner.name, juris), implicit=True)
        task.responsibilities.append(target)
    if target is not None:
        target.divisions.extend(n for n in names if n not in target.divisions)


def _same_body(r, owner: AgencyRef) -> bool:
    if re.sub(r"\s+", "", r.name) == re.sub(r"\s+", "", owner.name):
        return True
    return bool(r.agency_type and r.agency_type == owner.agency_type and r.level == owner.level)


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


_ENTERPRISE = re.compile(r"(?:集团|公司|企业)$")


def _add_table_units(task: Task, groups, basis: Basis, juris, first_lead: bool) -> None:
    seen = {re.sub(r"\s+", "", r.name) for r in task.responsibilities}
    has_lead = any(g == "lead" for _u, g in groups)
    all_units = [(u, g) for units, g in groups for u in units]
    neutral = [u for u, g in all_units if g == "neutral"]
    for u, g in all_units:
        key = re.sub(r"\s+", "", u.name)
        if key in seen:
            continue
        if _ENTERPRISE.search(key):  # an enterprise a duty list names is obliged, never an agency
            task.obligations.append(Obligation(key, None, Span(u.start, u.end)))
            seen.add(key)
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
