"""Who is responsible for each task, and on what basis the role was told.

Sources, in the order they are applied (see DESIGN.md "Responsibilities"):

1. annotations: "(责任单位:A、B)", "[责任单位:...]", "【...】", "(A牵头,B、C按职责分工负责)",
   "(A、B按职责分工负责)", a "责任单位:..." line right after the task; rules inside them
   ("列第一位的为牵头单位,下同"; "以下责任单位均包括X,不再列出");
2. section-level annotations (in a heading or closing a section) for tasks without their own;
3. annex task tables (牵头单位 / 配合单位 / 责任单位 columns) mapped onto the body's tasks, and
   duty lists (unit in column 1, duties in column 2);
4. prose ("由县级卫生健康行政部门承担", "X负责...", "X要会同Y...", "A、B等部门要..."), only for
   tasks still without units (``prose`` and ``prose_subjects``).
"""

from __future__ import annotations

import re

from healthgov.extract.document import DocView
from healthgov.extract.facts.agencies import resolve_agency
from healthgov.extract.facts.collectives import is_collective
from healthgov.extract.facts.responsibilities.annotations import find_notes
from healthgov.extract.facts.responsibilities.placement import apply_section_notes, attach, innermost_section
from healthgov.extract.facts.responsibilities.prose import apply_prose
from healthgov.extract.facts.responsibilities.rules import Note, resp, unit_roles
from healthgov.extract.facts.responsibilities.tables import apply_tables
from healthgov.records import Responsibility, Task


def assign_responsibilities(doc: DocView, tasks: list[Task], warnings: list[str] | None = None) -> None:
    """Fill ``task.responsibilities`` for every task (see the module docstring); units named in
    prose that the vocabulary does not know are reported in ``warnings``."""
    juris = doc.policy.jurisdiction
    notes = find_notes(doc)
    ordered = sorted(tasks, key=lambda t: t.span.start)
    inside, section_notes = attach(doc, notes, ordered)

    rule_active = False
    scoped: list[tuple[Note, int]] = []  # (rule note, scope end)
    task_notes: dict[str, list[Note]] = {t.id: [] for t in ordered}
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
            for u, role, basis in unit_roles(note, first_lead):
                key = re.sub(r"\s+", "", u.name)
                if key in seen:
                    continue
                seen.add(key)
                resps.append(resp(u, role, basis, len(resps), resolve_agency(u.name, juris)))
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
                        resps.append(resp(u, "support", "scoped", len(resps), ref, implicit=True))
        for note in own:
            if note.scoped:
                scoped.append((note, _scope_end(doc, note)))
        t.responsibilities = resps

    apply_section_notes(doc, ordered, section_notes, task_notes, juris)
    apply_tables(doc, ordered, juris)
    apply_prose(doc, ordered, juris, warnings)
    for t in ordered:  # whatever the form that named it, a class of bodies is marked as one
        for r in t.responsibilities:
            r.collective = r.collective or is_collective(r.name)
            if r.collective:
                r.name_form = None  # a class of bodies is never one body (healthgov.ids.agency_key)


def _scope_end(doc: DocView, note: Note) -> int:
    if note.scope_local:
        sec = doc.section(innermost_section(doc, note.start))
        if sec is not None:
            parent = doc.section(sec.parent) if sec.parent else None
            return (parent or sec).span.end
    return len(doc.text)
