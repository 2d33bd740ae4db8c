"""Responsibilities from prose ("由县级卫生健康行政部门承担", "X负责..."): only for tasks still without
units, and only with units that resolve in the agency-type vocabulary.
"""

from __future__ import annotations

import re

from healthgov.extract.document import DocView
from healthgov.extract.facts.agencies import (
    resolve_agency,
)
from healthgov.extract.facts.responsibilities.rules import Unit, resp
from healthgov.extract.matcher import LabelMatcher
from healthgov.ontology.vocab import load_vocabularies
from healthgov.records import Responsibility, Task

# --- prose -----------------------------------------------------------------------------------

_PROSE_VERB = re.compile(r"^(?:要|应|应当|须|必须)?(负责|牵头|承担|主管|会同|统筹|组织|发挥牵头|具体负责)")
_PROSE_TOKEN = re.compile(r"国家|国务院|中央|各级|(?:省|市|县|区|州|旗|乡|镇|乡镇|街道|区县)(?:级|委)?")


_MENTION_MATCHER: list[tuple[list[str], LabelMatcher]] = []


def mention_matcher() -> tuple[list[str], LabelMatcher] | None:
    if not _MENTION_MATCHER:
        try:
            labels = [lab for lab, _c in load_vocabularies()["agency-type"].labels() if len(lab) >= 2]
        except KeyError:
            return None
        _MENTION_MATCHER.append((labels, LabelMatcher(labels)))
    return _MENTION_MATCHER[0]


def _agency_mentions(simp: str, juris) -> list[tuple[int, int]]:
    """Spans of agency names in running text: a vocabulary label plus its level prefix."""
    mm = mention_matcher()
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


def apply_prose(doc: DocView, tasks: list[Task], juris) -> None:
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
            u = Unit(name, t.span.start + a, t.span.start + b, "lead")
            resps.append(resp(u, "lead", "prose", len(resps), ref))
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
                        resps.append(resp(Unit(nm, s0, s0 + len(nm), "support"), "support", "prose", len(resps), r2))
        t.responsibilities = resps
