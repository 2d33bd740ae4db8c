"""Which task each annotation belongs to; section-level annotations (in a heading or closing a
section) given to the tasks without their own.
"""

from __future__ import annotations

from healthgov.extract.document import DocView
from healthgov.extract.facts.agencies import (
    resolve_agency,
)
from healthgov.extract.facts.responsibilities.rules import Note, resp, unit_roles
from healthgov.records import Task


def section_chain(doc: DocView, section_id: str | None) -> list[str]:
    chain = []
    while section_id is not None:
        chain.append(section_id)
        sec = doc.section(section_id)
        section_id = sec.parent if sec else None
    return chain


def innermost_section(doc: DocView, pos: int) -> str | None:
    best = None
    for s in doc.sections:
        if s.span.start <= pos < s.span.end and (best is None or s.level > best.level):
            best = s
    return best.id if best else None


def _line_start(simp: str, pos: int) -> int:
    return simp.rfind("\n", 0, pos) + 1


def attach(doc: DocView, notes: list[Note], tasks: list[Task]) -> tuple[dict[int, str], list[Note]]:
    """Which task each note belongs to; the rest are section-level notes.

    A note inside a task's span is the task's. A note outside every task belongs to the task
    before it when it ends the paragraph that continues that task, or sits on its own line right
    after it - except when it closes a section whose other tasks carry no notes: then it names
    the units of the whole section, like a note in a section heading.
    """
    simp = doc.simp
    inside: dict[int, str] = {}
    after: dict[int, Task] = {}
    section_notes: list[Note] = []
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
        if prev is None or innermost_section(doc, note.start) not in (
            section_chain(doc, prev.section) or [None]
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


def apply_section_notes(doc, tasks, section_notes, task_notes, juris) -> None:
    """Give tasks without their own annotation the units of the nearest enclosing section note."""
    by_section: dict[str, Note] = {}
    for note in section_notes:
        sec_id = innermost_section(doc, note.start)
        if sec_id is not None:
            by_section.setdefault(sec_id, note)
    for t in tasks:
        if t.responsibilities or task_notes[t.id]:
            continue
        note = next((by_section[s] for s in section_chain(doc, t.section) if s in by_section), None)
        if note is None:
            continue
        resps = []
        for u, role, basis in unit_roles(note, note.first_lead_rule):
            ref = resolve_agency(u.name, juris)
            resps.append(resp(u, role, basis, len(resps), ref, implicit=True))
        t.responsibilities = resps
