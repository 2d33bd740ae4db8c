"""Annotated lists: "(责任单位:A、B)", "[责任单位:...]", "【...】", "(A牵头,B、C按职责分工负责)",
"(A、B按职责分工负责)", a "责任单位:..." line right after the task: found in the text and
parsed into units (with the rules they state, ``rules``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from healthgov.extract.document import DocView
from healthgov.extract.facts.agencies import (
    CLOSERS,
    OPENERS,
    ends_unit,
    resolve_agency,
)
from healthgov.extract.facts.responsibilities.rules import (
    FIRST_LEAD_RULE,
    SCOPE_LOCAL,
    SCOPED_RULE,
    Note,
    Unit,
    rule_split,
)
from healthgov.extract.facts.unit_lists import split_units

_LEAD_LABELS = "牵头单位|牵头部门|主要负责部门|主要负责单位|主办单位|牵头责任单位"
_SUPPORT_LABELS = "配合单位|配合部门|参与单位|参与部门|协办单位|协助单位|协同单位|配合责任单位"
_NEUTRAL_LABELS = "责任单位|责任部门|负责单位|负责部门|实施单位|责任主体"
_LABEL = re.compile(rf"({_LEAD_LABELS}|{_SUPPORT_LABELS}|{_NEUTRAL_LABELS})\s*[:：]\s*")
_VERB = re.compile(
    r"(共同牵头|牵头负责|牵头|按照职责分工负责|按职责分工负责|按职能分工负责|分工负责|按职责负责|"
    r"负责|配合|参与|协助|协办)\s*$"
)


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
                if before and (ends_unit(before) or resolve_agency(before).agency_type):
                    return True
    return False


def find_notes(doc: DocView) -> list[Note]:
    simp = doc.simp
    notes: list[Note] = []
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


def _list_units(doc: DocView, content: str, a: int, b: int, base: int, group: str) -> list[Unit]:
    seg = content[a:b]
    # "省公安厅、省政务服务办等": the trailing 等 is not part of the last unit.
    # ("各省级人民政府分别负责": the adverb before the verb is not part of the name either.)
    stripped = re.sub(r"(等|等部门|等单位|等有关部门|分别|共同|各自)\s*$", "", seg.rstrip(" ，,"))
    out = []
    for name, x, y in split_units(stripped):
        s, e = base + a + x, base + a + y
        # A level sharing the next unit's stem ("市、区财政部门": the level + the stem), or the last
        # level of a list 各 distributes over ("各区、县(市)政府": 各 + 县(市)政府).
        written = doc.written(s, e)
        plain = stripped[x:y]
        surface = written + name[len(plain):] if name.startswith(plain) else name[: len(name) - len(plain)] + written
        out.append(Unit(surface, s, e, group))
    return out


def _parse_note(doc: DocView, start: int, end: int, base: int, content: str) -> Note:
    """Parse one annotation; base is the absolute offset of content[0]."""
    note = Note(start=start, end=end)
    for a, b in rule_split(content, _clauses(content)):
        clause = content[a:b]
        if FIRST_LEAD_RULE.search(clause):
            note.first_lead_rule = True
            note.rule_persists = bool(re.search(r"下同|以下|下列|后同", clause))
            continue
        m = SCOPED_RULE.search(clause)
        if m and "牵头" not in m.group("list"):
            la, lb = a + m.start("list"), a + m.end("list")
            note.scoped.extend(_list_units(doc, content, la, lb, base, "support"))
            note.scope_local = bool(SCOPE_LOCAL.search(clause))
            continue
        _parse_clause(doc, note, content, a, b, base)
    note.has_lead = any(u.group in ("lead", "shared-lead") for u in note.units)
    # "按职责分工负责" without a lead: joint responsibility (basis shared). A plain
    # "责任单位:A、B" list falls back on the first-is-lead convention instead.
    note.shared_wording = bool(re.search(r"分工负责|按职责负责|共同负责|各司其职", content))
    return note


def _parse_clause(doc: DocView, note: Note, content: str, a: int, b: int, base: int) -> None:
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
        if clause.strip() and (ends_unit(clause.strip()) or resolve_agency(clause).agency_type):
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
