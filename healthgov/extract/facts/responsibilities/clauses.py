"""Clauses of a task's text: where one may open, the sentence around a position, and the record of a
duty found in one (``Duty``). Shared by the duty grammar (``prose_subjects``), the forms that name
bodies by what the text does with them (``governance_forms``) and the obliged institutions
(``obligations``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from healthgov.extract.facts.responsibilities.subjects import Named

BOUNDARY = "，,。；;：:\n！!？?"
SENTENCE_END = "。；;！!？?\n"
MAX_SUBJECT = 60

_OPENER = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十\d]+[)）.、．]\s*|第[一二三四五六七八九十百\d]+[章节条]\s*)?(?:同时|此外|其中|另外|为此|对此|并且?)?[，,]?"
    r"(?:\d{4}年(?:\d{1,2}月)?(?:底|末|中)?(?:前|起|以前|以来)，?)?"  # "2019年6月底前各省份要…"
)


@dataclass
class Duty:
    units: list[Named]
    role: str  # "lead" | "support"
    basis: str  # "prose" | "shared"
    sentence: tuple[int, int]
    supporters: list[Named]  # bodies named after the verb: "X会同Y" (Y supports), "X配合Y" (Y leads)
    object_role: str = "support"
    object_basis: str = "prose"
    leads_by_word: bool = False  # the role is told by 牵头/负责/主管/统筹, not only by being the subject
    modal: bool = False  # the duty is said with 要/应当/须 …


@lru_cache(maxsize=16)  # (the duties, the institutions obliged and the bodies set up read one text)
def clause_starts(s: str) -> list[int]:
    """Where a clause may open: the start, after every clause punctuation mark, and after a run of
    blanks (the page layer cut out between a heading at a page's foot and the next page's text)."""
    starts = [skip_opener(s, 0)]
    for i, ch in enumerate(s):
        if ch in BOUNDARY and i + 1 < len(s):
            starts.append(skip_opener(s, i + 1))
    starts += [m.end() for m in re.finditer(r"(?<=[^\s])[ \u3000]{2,}(?=[^\s])", s)]
    return sorted(set(starts))


def skip_opener(s: str, i: int) -> int:
    while i < len(s) and s[i].isspace():  # a line break and the next paragraph's indent
        i += 1
    m = _OPENER.match(s[i : i + 12])
    return i + (m.end() if m else 0)


def sentence_span(s: str, start: int) -> tuple[int, int]:
    a = start
    while a > 0 and s[a - 1] not in SENTENCE_END:
        a -= 1
    b = start
    while b < len(s) and s[b] not in SENTENCE_END:
        b += 1
    if b < len(s) and s[b] not in "\n":
        b += 1
    while a < b and s[a] in " \t\u3000":
        a += 1
    return a, b


# "中央军事委员会负责卫生工作的部门": a verb inside a relative clause naming a body, not a duty.
