"""Where a target phrase sits: clause and sentence bounds, year and plan anchors, the task a
position belongs to.
"""

from __future__ import annotations

import re

from healthgov.records import Task

YEAR_ANCHOR = re.compile(
    r"(?P<pre>到|至|截至|截止到|截止|力争到|力争|在)?\s*(?P<y>(?:19|20)\d{2})\s*年"
    r"(?P<fine>(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?\s*(?:底|末|年底|年末|上半年|下半年)?)"
    r"(?P<post>\s*(?:前|之前|以前|内))?"
)
PLAN_ANCHOR = re.compile(r"(到|至)?[“\"]?十([一二三四五六七八九])五[”\"]?(期末|末|时期|期间)")
_CLAUSE_SEP = "，,；;。：:！？\n"


def clause_bounds(norm: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause around pos: between separators outside brackets, or a bracket's content."""
    a, depth = pos, 0
    while a > lo:
        ch = norm[a - 1]
        if ch in ")）]】":
            depth += 1
        elif ch in "(（[【":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and ch in _CLAUSE_SEP:
            break
        a -= 1
    b, depth = pos, 0
    while b < hi:
        ch = norm[b]
        if ch in "(（[【":
            depth += 1
        elif ch in ")）]】":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and ch in _CLAUSE_SEP:
            break
        b += 1
    return a, b


def sentence_start(norm: str, pos: int, lo: int) -> int:
    a = pos
    while a > lo and norm[a - 1] not in "。；;！？\n":
        a -= 1
    return a


def para_start(norm: str, pos: int, lo: int) -> int:
    a = norm.rfind("\n", lo, pos)
    return lo if a < 0 else a + 1


def is_cn(s: str) -> bool:
    return not re.search(r"\d", s)


def task_of(tasks: list[Task], pos: int) -> str | None:
    best = None
    for t in tasks:
        if t.span.start <= pos < t.span.end and (best is None or t.span.end - t.span.start < best.span.end - best.span.start):
            best = t
    return best.id if best else None


def sentence_end(norm: str, pos: int, hi: int) -> int:
    b = pos
    while b < hi and norm[b] not in "。；;！？\n":
        b += 1
    return min(hi, b + 1) if b < hi and norm[b] in "。；;！？" else b
