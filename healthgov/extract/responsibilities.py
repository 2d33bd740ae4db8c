"""Who is responsible for each task, and on what basis the role was told.

Sources, in the order they are applied (see DESIGN.md "Responsibilities"):

1. annotations: "(责任单位:A、B)", "[责任单位:...]", "【...】", "(A牵头,B、C按职责分工负责)",
   "(A、B按职责分工负责)", a "责任单位:..." line right after the task; rules inside them
   ("列第一位的为牵头单位,下同"; "以下责任单位均包括X,不再列出");
2. section-level annotations (in a heading or closing a section) for tasks without their own;
3. annex task tables (牵头单位 / 配合单位 / 责任单位 columns) mapped onto the body's tasks, and
   duty lists (unit in column 1, duties in column 2);
4. prose ("由县级卫生健康行政部门承担", "X负责..."), only for tasks still without units and only
   with units that resolve in the agency-type vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from healthgov.extract.agencies import (
    CLOSERS,
    OPENERS,
    _ends_unit,
    resolve_agency,
    split_units,
)
from healthgov.extract.document import Cell, DocView, Table
from healthgov.extract.matcher import LabelMatcher
from healthgov.ontology.vocab import load_vocabularies
from healthgov.records import AgencyRef, Basis, Responsibility, Role, Span, Task

_LEAD_LABELS = "牵头单位|牵头部门|主要负责部门|主要负责单位|主办单位|牵头责任单位"
_SUPPORT_LABELS = "配合单位|配合部门|参与单位|参与部门|协办单位|协助单位|协同单位|配合责任单位"
_NEUTRAL_LABELS = "责任单位|责任部门|负责单位|负责部门|实施单位|责任主体"
_LABEL = re.compile(rf"({_LEAD_LABELS}|{_SUPPORT_LABELS}|{_NEUTRAL_LABELS})\s*[:：]\s*")
_VERB = re.compile(
    r"(共同牵头|牵头负责|牵头|按照职责分工负责|按职责分工负责|按职能分工负责|分工负责|按职责负责|"
    r"负责|配合|参与|协助|协办)\s*$"
)
_FIRST_LEAD_RULE = re.compile(
    r"(列|排|位列|排名|排列)(在)?(第一|首|前)(位|个)?的?(单位|部门)?(为|是)(牵头|主要负责)|"
    r"第一(个|位)?(责任)?(单位|部门)(为|是)牵头|牵头(单位|部门)(列|排)(在)?(第一|首)位"
)
_SCOPED_RULE = re.compile(
    r"(以下|下同|下列|此后|后续).{0,12}?(均|都|皆)(应)?(包括|包含|含|有)(?P<list>.+?)"
    r"(?:[，,;；]?\s*(?:不再(?:一一)?(?:列出|列举|重复|单列)|下同)\s*)?$"
)
_SCOPE_LOCAL = re.compile(r"本(部分|章|节|项|条|篇|段)")


@dataclass
class _Unit:
    name: str  # surface form
    start: int  # absolute, into doc.text
    end: int
    group: str  # "lead" | "support" | "neutral" | "shared-lead"


@dataclass
class _Note:
    start: int
    end: int
    units: list[_Unit] = field(default_factory=list)
    first_lead_rule: bool = False  # states that the first listed is the lead
    rule_persists: bool = False  # ... for later tasks too ("下同")
    scoped: list[_Unit] = field(default_factory=list)  # "以下责任单位均包括X"
    scope_local: bool = False  # the scoped rule covers only the enclosing section
    has_lead: bool = False
    shared_wording: bool = False  # "按职责分工负责": joint responsibility


# --- finding annotations ---------------------------------------------------------------------


def _bracket_groups(line: str) -> list[tuple[int, int]]:
    """(start, end) of every top-level bracket group in a line (end exclusive, incl. brackets)."""
    groups: list[tuple[int, int]] = []
    stack: list[int] = []
    for i, ch in enumerate(line):
        if ch in OPENERS and ch not in "“‘":
            stack.append(i)
        elif ch in CLOSERS and ch not in "”’" and stack:
            start = stack.pop()
            if not stack:
                groups.append((start, i + 1))
    return groups


def _clauses(content: str) -> list[tuple[int, int]]:
    """Split annotation content on 。;； at bracket depth 0 (commas may separate units)."""
    out: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for i, ch in enumerate(content):
        if ch in OPENERS and ch not in "“‘":
            depth += 1
        elif ch in CLOSERS and ch not in "”’":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "。;；":
            out.append((start, i))
            start = i + 1
    out.append((start, len(content)))
    return [(a, b) for a, b in out if content[a:b].strip()]


_RULE_START = re.compile(r"(?:列|排|位列|排名|排列)(?:在)?(?:第一|首|前)|第一(?:个|位)?(?:责任)?(?:单位|部门)(?:为|是)牵头|(?:以下|下列|此后|后续).{0,12}?(?:均|都|皆)")


def _rule_split(content: str, clauses: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut a rule written after a comma off the unit list before it.

    "责任单位:A、B,列第一位的为牵头单位,下同" puts list and rule in one clause; parsed whole,
    the rule would swallow the list. Split at the last depth-0 comma before the rule.
    """
    out: list[tuple[int, int]] = []
    for a, b in clauses:
        clause = content[a:b]
        m = _RULE_START.search(clause)
        cut = -1
        if m and m.start() > 0:
            depth = 0
            for i, ch in enumerate(clause[: m.start()]):
                if ch in OPENERS and ch not in "“‘":
                    depth += 1
                elif ch in CLOSERS and ch not in "”’":
                    depth = max(0, depth - 1)
                elif depth == 0 and ch in ",，":
                    cut = i
        if cut > 0 and clause[:cut].strip():
            out.extend([(a, a + cut), (a + cut + 1, b)])
        else:
            out.append((a, b))
    return out


@lru_cache(maxsize=1 << 16)  # a pure function of the string (and the vocabularies)
def _is_note(content: str) -> bool:
    if _LABEL.search(content):
        return True
    for a, b in _clauses(content):
        clause = content[a:b].strip()
        for part in re.split(r"[，,]", clause):
            m = _VERB.search(part)
            if m and m.start() > 0:
                before = part[: m.start()].rstrip("等 ")
                if before and (_ends_unit(before) or resolve_agency(before).agency_type):
                    return True
    return False


def _find_notes(doc: DocView) -> list[_Note]:
    simp = doc.simp
    notes: list[_Note] = []
    pos = doc.body_start
    for line in simp[doc.body_start :].split("\n"):
        lstart = pos
        pos += len(line) + 1
        if not line.strip() or doc.is_removed(lstart):
            continue
        taken: list[tuple[int, int]] = []
        for a, b in _bracket_groups(line):
            content = line[a + 1 : b - 1]
            if len(content) <= 600 and _is_note(content):
                taken.append((a, b))
                notes.append(_parse_note(doc, lstart + a, lstart + b, lstart + a + 1, content))
        # An annotation without brackets: "责任单位:A、B" on its own line or after a sentence.
        m = re.search(rf"(?:^|[。;；])\s*(?P<c>({_LEAD_LABELS}|{_SUPPORT_LABELS}|{_NEUTRAL_LABELS})\s*[:：].*)$", line)
        if m and not any(a <= m.start("c") < b for a, b in taken):
            c0 = m.start("c")
            content = line[c0:].rstrip("。 ")
            notes.append(_parse_note(doc, lstart + c0, lstart + len(line), lstart + c0, content))
    notes.sort(key=lambda n: n.start)
    return notes


def _list_units(doc: DocView, content: str, a: int, b: int, base: int, group: str) -> list[_Unit]:
    seg = content[a:b]
    # "省公安厅、省政务服务办等": the trailing 等 is not part of the last unit.
    stripped = re.sub(r"(等|等部门|等单位|等有关部门)\s*$", "", seg.rstrip(" ，,"))
    out = []
    for _name, x, y in split_units(stripped):
        s, e = base + a + x, base + a + y
        out.append(_Unit(doc.text[s:e], s, e, group))
    return out


def _parse_note(doc: DocView, start: int, end: int, base: int, content: str) -> _Note:
    """Parse one annotation; base is the absolute offset of content[0]."""
    note = _Note(start=start, end=end)
    for a, b in _rule_split(content, _clauses(content)):
        clause = content[a:b]
        if _FIRST_LEAD_RULE.search(clause):
            note.first_lead_rule = True
            note.rule_persists = bool(re.search(r"下同|以下|下列|后同", clause))
            continue
        m = _SCOPED_RULE.search(clause)
        if m and "牵头" not in m.group("list"):
            la, lb = a + m.start("list"), a + m.end("list")
            note.scoped.extend(_list_units(doc, content, la, lb, base, "support"))
            note.scope_local = bool(_SCOPE_LOCAL.search(clause))
            continue
        _parse_clause(doc, note, content, a, b, base)
    note.has_lead = any(u.group in ("lead", "shared-lead") for u in note.units)
    # "按职责分工负责" without a lead: joint responsibility (basis shared). A plain
    # "责任单位:A、B" list falls back on the first-is-lead convention instead.
    note.shared_wording = bool(re.search(r"分工负责|按职责负责|共同负责|各司其职", content))
    return note


def _parse_clause(doc: DocView, note: _Note, content: str, a: int, b: int, base: int) -> None:
    clause = content[a:b]
    labels = list(_LABEL.finditer(clause))
    if labels:
        for i, m in enumerate(labels):
            la = a + m.end()
            lb = a + (labels[i + 1].start() if i + 1 < len(labels) else len(clause))
            label = m.group(1)
            group = "lead" if re.fullmatch(_LEAD_LABELS, label) else (
                "support" if re.fullmatch(_SUPPORT_LABELS, label) else "neutral"
            )
            # "牵头单位:A;配合单位:B" may share a clause separated by a comma only.
            note.units.extend(_list_units(doc, content, la, lb, base, group))
        return
    # Verb form: "A牵头,B、C按职责分工负责" / "A、B共同牵头" / "A负责".
    segments: list[tuple[int, int, str]] = []
    seg_start = a
    for m in re.finditer(
        r"(共同牵头|牵头负责|牵头|按照职责分工负责|按职责分工负责|按职能分工负责|分工负责|按职责负责|负责|配合|参与|协助|协办)"
        r"(?=\s*(?:[，,；;。]|$))",
        clause,
    ):
        verb = m.group(1)
        s, e = seg_start, a + m.start()
        if content[s:e].strip(" ，,"):
            segments.append((s, e, verb))
        seg_start = a + m.end()
        while seg_start < b and content[seg_start] in " ，,":
            seg_start += 1
    if not segments:
        # A bare list inside a note whose other clauses carry the cue.
        if clause.strip() and (_ends_unit(clause.strip()) or resolve_agency(clause).agency_type):
            note.units.extend(_list_units(doc, content, a, b, base, "neutral"))
        return
    for s, e, verb in segments:
        if verb == "共同牵头":
            group = "shared-lead"
        elif "牵头" in verb:
            group = "lead"
        elif verb in ("配合", "参与", "协助", "协办"):
            group = "support"
        else:
            group = "neutral"
        note.units.extend(_list_units(doc, content, s, e, base, group))


# --- turning notes into responsibilities -----------------------------------------------------


def _resp(u: _Unit, role: Role, basis: Basis, order: int, ref: AgencyRef, implicit: bool = False) -> Responsibility:
    return Responsibility(
        name=u.name,
        role=role,
        basis=basis,
        agency_type=ref.agency_type,
        level=ref.level,
        implicit=implicit,
        order=order,
        span=Span(u.start, u.end),
    )


def _roles(note: _Note, first_lead: bool) -> list[tuple[_Unit, Role, Basis]]:
    """Role and basis of each unit of a note (see DESIGN.md for the choices)."""
    out: list[tuple[_Unit, Role, Basis]] = []
    if note.has_lead:
        for u in note.units:
            if u.group == "shared-lead":
                out.append((u, "lead", "shared"))
            elif u.group == "lead":
                out.append((u, "lead", "explicit"))
            else:
                out.append((u, "support", "explicit"))
        return out
    neutral_shared = any(u.group == "neutral" for u in note.units)
    neutral = [u for u in note.units if u.group == "neutral"]
    if len(neutral) == 1:
        # A sole responsible unit (with or without named supporters) is the lead.
        return [(u, "lead" if u is neutral[0] else "support", "explicit") for u in note.units]
    for i, u in enumerate(note.units):
        if u.group == "support":
            out.append((u, "support", "explicit"))
        elif first_lead:
            out.append((u, "lead" if i == 0 else "support", "explicit"))
        elif neutral_shared and _is_shared_wording(note):
            out.append((u, "support", "shared"))
        else:
            out.append((u, "lead" if i == 0 else "support", "convention"))
    return out


def _is_shared_wording(note: _Note) -> bool:
    return note.shared_wording


def _section_chain(doc: DocView, section_id: str | None) -> list[str]:
    chain = []
    while section_id is not None:
        chain.append(section_id)
        sec = doc.section(section_id)
        section_id = sec.parent if sec else None
    return chain


def _innermost_section(doc: DocView, pos: int) -> str | None:
    best = None
    for s in doc.sections:
        if s.span.start <= pos < s.span.end and (best is None or s.level > best.level):
            best = s
    return best.id if best else None


def assign_responsibilities(doc: DocView, tasks: list[Task]) -> None:
    """Fill ``task.responsibilities`` for every task (see the module docstring)."""
    juris = doc.policy.jurisdiction
    notes = _find_notes(doc)
    ordered = sorted(tasks, key=lambda t: t.span.start)
    inside, section_notes = _attach(doc, notes, ordered)

    rule_active = False
    scoped: list[tuple[_Note, int]] = []  # (rule note, scope end)
    task_notes: dict[str, list[_Note]] = {t.id: [] for t in ordered}
    for note in notes:
        tid = inside.get(id(note))
        if tid is not None:
            task_notes[tid].append(note)
    for t in ordered:
        own = task_notes[t.id]
        resps: list[Responsibility] = []
        seen: set[str] = set()
        for note in own:
            first_lead = rule_active or note.first_lead_rule
            for u, role, basis in _roles(note, first_lead):
                key = re.sub(r"\s+", "", u.name)
                if key in seen:
                    continue
                seen.add(key)
                resps.append(_resp(u, role, basis, len(resps), resolve_agency(u.name, juris)))
            if note.first_lead_rule and note.rule_persists:
                rule_active = True
        if own:
            # Scoped rules stated earlier add their units to every later annotated task they cover.
            for rule_note, scope_end in scoped:
                if rule_note.end <= own[0].start < scope_end:
                    for u in rule_note.scoped:
                        key = re.sub(r"\s+", "", u.name)
                        if key in seen:
                            continue
                        seen.add(key)
                        ref = resolve_agency(u.name, juris)
                        resps.append(_resp(u, "support", "scoped", len(resps), ref, implicit=True))
        for note in own:
            if note.scoped:
                scoped.append((note, _scope_end(doc, note)))
        t.responsibilities = resps

    _apply_section_notes(doc, ordered, section_notes, task_notes, juris)
    _apply_tables(doc, ordered, juris)
    _apply_prose(doc, ordered, juris)


def _scope_end(doc: DocView, note: _Note) -> int:
    if note.scope_local:
        sec = doc.section(_innermost_section(doc, note.start))
        if sec is not None:
            parent = doc.section(sec.parent) if sec.parent else None
            return (parent or sec).span.end
    return len(doc.text)


def _line_start(simp: str, pos: int) -> int:
    return simp.rfind("\n", 0, pos) + 1


def _attach(doc: DocView, notes: list[_Note], tasks: list[Task]) -> tuple[dict[int, str], list[_Note]]:
    """Which task each note belongs to; the rest are section-level notes.

    A note inside a task's span is the task's. A note outside every task belongs to the task
    before it when it ends the paragraph that continues that task, or sits on its own line right
    after it - except when it closes a section whose other tasks carry no notes: then it names
    the units of the whole section, like a note in a section heading.
    """
    simp = doc.simp
    inside: dict[int, str] = {}
    after: dict[int, Task] = {}
    section_notes: list[_Note] = []
    has_inside: set[str] = set()
    for note in notes:
        owner = next((t for t in tasks if t.span.start <= note.start and note.end <= t.span.end), None)
        if owner is not None:
            inside[id(note)] = owner.id
            has_inside.add(owner.id)
            continue
        prev = None
        for t in tasks:
            if t.span.end <= note.start:
                prev = t
        if prev is None or _innermost_section(doc, note.start) not in (
            _section_chain(doc, prev.section) or [None]
        ):
            section_notes.append(note)
            continue
        ls = _line_start(simp, note.start)
        between = simp[prev.span.end : note.start]
        own_line = not simp[ls : note.start].strip()
        in_heading = any(s.span.start <= note.start and ls <= s.span.start for s in doc.sections)
        if in_heading:
            section_notes.append(note)
        elif not between.strip() or (not own_line and between.count("\n") <= 1):
            after[id(note)] = prev
        else:
            section_notes.append(note)
    noted = has_inside | {t.id for t in after.values()}
    for note in notes:
        t = after.get(id(note))
        if t is None:
            continue
        siblings = [s for s in tasks if s.section == t.section]
        last = siblings and siblings[-1].id == t.id
        others_bare = all(s.id not in noted or s.id == t.id for s in siblings)
        if t.id in has_inside or (last and len(siblings) > 1 and others_bare):
            section_notes.append(note)
        else:
            inside[id(note)] = t.id
    return inside, section_notes


def _apply_section_notes(doc, tasks, section_notes, task_notes, juris) -> None:
    """Give tasks without their own annotation the units of the nearest enclosing section note."""
    by_section: dict[str, _Note] = {}
    for note in section_notes:
        sec_id = _innermost_section(doc, note.start)
        if sec_id is not None:
            by_section.setdefault(sec_id, note)
    for t in tasks:
        if t.responsibilities or task_notes[t.id]:
            continue
        note = next((by_section[s] for s in _section_chain(doc, t.section) if s in by_section), None)
        if note is None:
            continue
        resps = []
        for u, role, basis in _roles(note, note.first_lead_rule):
            ref = resolve_agency(u.name, juris)
            resps.append(_resp(u, role, basis, len(resps), ref, implicit=True))
        t.responsibilities = resps


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
    return bool(resolve_agency(s).agency_type) or _ends_unit(s.rstrip("等"))


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


def _cell_units(doc: DocView, cell: Cell) -> list[_Unit]:
    raw = doc.text[cell.span.start : cell.span.end]
    simp = doc.simp[cell.span.start : cell.span.end]
    units: list[_Unit] = []
    for _n, x, y in split_units(re.sub(r"(等|等部门|等单位)\s*$", "", simp)):
        # A table cell may separate units by spaces only ("市人社局 医保中心"), but a space can
        # also be damage inside one name ("省自然资源和 规划厅"): split only if every part is a unit.
        part = simp[x:y]
        pieces = [(m.start(), m.end()) for m in re.finditer(r"\S+", part)]
        if len(pieces) > 1 and all(_ends_unit(part[a:b]) for a, b in pieces):
            for a, b in pieces:
                s, e = cell.span.start + x + a, cell.span.start + x + b
                units.append(_Unit(doc.text[s:e], s, e, "neutral"))
        else:
            s, e = cell.span.start + x, cell.span.start + y
            units.append(_Unit(raw[x:y], s, e, "neutral"))
    return units


def _in_annex(doc: DocView, table: Table) -> bool:
    chain = [doc.section(s) for s in _section_chain(doc, table.section)]
    if any(s is not None and (s.kind == "annex" or s.number.startswith("附件")) for s in chain):
        return True
    if "附件" in table.caption:
        return True
    return bool(re.search(r"(^|\n)\s*附件\s*\d*", doc.simp[max(0, table.span.start - 300) : table.span.start]))


def _apply_tables(doc: DocView, tasks: list[Task], juris) -> None:
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
        task.responsibilities.append(_resp(u, role, b, len(task.responsibilities), ref))


# --- prose -----------------------------------------------------------------------------------

_PROSE_VERB = re.compile(r"^(?:要|应|应当|须|必须)?(负责|牵头|承担|主管|会同|统筹|组织|发挥牵头|具体负责)")
_PROSE_TOKEN = re.compile(r"国家|国务院|中央|各级|(?:省|市|县|区|州|旗|乡|镇|乡镇|街道|区县)(?:级|委)?")


_MENTION_MATCHER: list[tuple[list[str], LabelMatcher]] = []


def _mention_matcher() -> tuple[list[str], LabelMatcher] | None:
    if not _MENTION_MATCHER:
        try:
            labels = [lab for lab, _c in load_vocabularies()["agency-type"].labels() if len(lab) >= 2]
        except KeyError:
            return None
        _MENTION_MATCHER.append((labels, LabelMatcher(labels)))
    return _MENTION_MATCHER[0]


def _agency_mentions(simp: str, juris) -> list[tuple[int, int]]:
    """Spans of agency names in running text: a vocabulary label plus its level prefix."""
    mm = _mention_matcher()
    if mm is None:
        return []
    labels, matcher = mm
    taken = [False] * len(simp)
    found: list[tuple[int, int]] = []
    # Labels longest first; each label's non-overlapping occurrences left to right (what
    # str.find from the end of the previous one gives), skipping places an earlier label took.
    rank_now, next_free = -1, 0
    for rank, m_start in matcher.occurrences(simp):
        if rank != rank_now:
            rank_now, next_free = rank, 0
        if m_start < next_free:
            continue
        m_end = m_start + len(labels[rank])
        next_free = m_end
        if any(taken[m_start:m_end]):
            continue
        start = m_start
        # Extend leftwards over level words and the document's own place names only:
        # a free place-name pattern would swallow "要求" in "要求市卫生健康委".
        places = [p for p in ((juris.name, juris.parent) if juris else ()) if p]
        moved = True
        while moved:
            moved = False
            for p in places:
                if start >= len(p) and simp.startswith(p, start - len(p)):
                    start -= len(p)
                    moved = True
            pm = None
            for k in range(min(4, start), 0, -1):
                if _PROSE_TOKEN.fullmatch(simp[start - k : start]):
                    pm = k
                    break
            if pm:
                start -= pm
                moved = True
        for i in range(start, m_end):
            taken[i] = True
        found.append((start, m_end))
    return sorted(found)


def _apply_prose(doc: DocView, tasks: list[Task], juris) -> None:
    for t in tasks:
        if t.responsibilities:
            continue
        simp = doc.simp[t.span.start : t.span.end]
        resps: list[Responsibility] = []
        seen: set[str] = set()
        for a, b in _agency_mentions(simp, juris):
            before = simp[max(0, a - 1) : a]
            after = simp[b : b + 8]
            subject = a == 0 or before in "，,。；;：:、（(由\n " or simp[max(0, a - 2) : a] in ("并由", "统一由")
            if not subject:
                continue
            vm = _PROSE_VERB.match(after)
            by = before == "由" or simp[max(0, a - 2) : a].endswith("由")
            if not vm and not (by and re.match(r"(负责|承担|牵头|统一|组织|会同|具体)", after)):
                continue
            name = doc.text[t.span.start + a : t.span.start + b]
            ref = resolve_agency(name, juris)
            if ref.agency_type is None or name in seen:
                continue
            seen.add(name)
            u = _Unit(name, t.span.start + a, t.span.start + b, "lead")
            resps.append(_resp(u, "lead", "prose", len(resps), ref))
            # "X会同Y..." names Y as supporting.
            if vm and vm.group(1) == "会同":
                rest = simp[b + vm.end() :]
                for c, d in _agency_mentions(rest[:60], juris):
                    if c > 0 and rest[c - 1] not in "、和及与":
                        break
                    nm = doc.text[t.span.start + b + vm.end() + c : t.span.start + b + vm.end() + d]
                    r2 = resolve_agency(nm, juris)
                    if r2.agency_type and nm not in seen:
                        seen.add(nm)
                        s0 = t.span.start + b + vm.end() + c
                        resps.append(_resp(_Unit(nm, s0, s0 + len(nm), "support"), "support", "prose", len(resps), r2))
        t.responsibilities = resps

