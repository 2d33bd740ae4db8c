"""The rules an annotation states about its units, and the role each unit gets.

"列第一位的为牵头单位" (the first listed leads, "下同": for later tasks too), "以下责任单位均包括X,
not listed again" (scoped units), joint wording ("按职责分工负责"); ``unit_roles`` turns a parsed
annotation into (unit, role, basis) and ``resp`` into a ``Responsibility``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from healthgov.extract.facts.agencies import (
    CLOSERS,
    OPENERS,
)
from healthgov.records import AgencyRef, Basis, Responsibility, Role, Span

FIRST_LEAD_RULE = re.compile(
    r"(列|排|位列|排名|排列)(在)?(第一|首|前)(位|个)?的?(单位|部门)?(为|是)(牵头|主要负责)|"
    r"第一(个|位)?(责任)?(单位|部门)(为|是)牵头|牵头(单位|部门)(列|排)(在)?(第一|首)位"
)
SCOPED_RULE = re.compile(
    r"(以下|下同|下列|此后|后续).{0,12}?(均|都|皆)(应)?(包括|包含|含|有)(?P<list>.+?)"
    r"(?:[，,;；]?\s*(?:不再(?:一一)?(?:列出|列举|重复|单列)|下同)\s*)?$"
)
SCOPE_LOCAL = re.compile(r"本(部分|章|节|项|条|篇|段)")


@dataclass
class Unit:
    name: str  # surface form
    start: int  # absolute, into doc.text
    end: int
    group: str  # "lead" | "support" | "neutral" | "shared-lead"


@dataclass
class Note:
    start: int
    end: int
    units: list[Unit] = field(default_factory=list)
    first_lead_rule: bool = False  # states that the first listed is the lead
    rule_persists: bool = False  # ... for later tasks too ("下同")
    scoped: list[Unit] = field(default_factory=list)  # "以下责任单位均包括X"
    scope_local: bool = False  # the scoped rule covers only the enclosing section
    has_lead: bool = False
    shared_wording: bool = False  # "按职责分工负责": joint responsibility


_RULE_START = re.compile(r"(?:列|排|位列|排名|排列)(?:在)?(?:第一|首|前)|第一(?:个|位)?(?:责任)?(?:单位|部门)(?:为|是)牵头|(?:以下|下列|此后|后续).{0,12}?(?:均|都|皆)")


def rule_split(content: str, clauses: list[tuple[int, int]]) -> list[tuple[int, int]]:
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


# --- turning notes into responsibilities -----------------------------------------------------


def resp(u: Unit, role: Role, basis: Basis, order: int, ref: AgencyRef, implicit: bool = False) -> Responsibility:
    return Responsibility(
        name=u.name,
        role=role,
        basis=basis,
        agency_type=ref.agency_type,
        level=ref.level,
        implicit=implicit,
        order=order,
        span=Span(u.start, u.end),
        name_form=ref.name_form,
        jurisdiction=ref.jurisdiction,
    )


def unit_roles(note: Note, first_lead: bool) -> list[tuple[Unit, Role, Basis]]:
    """Role and basis of each unit of a note (see DESIGN.md for the choices)."""
    out: list[tuple[Unit, Role, Basis]] = []
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


def _is_shared_wording(note: Note) -> bool:
    return note.shared_wording
