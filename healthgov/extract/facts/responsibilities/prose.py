"""Responsibilities from prose, for tasks that have none from annotations or tables.

National and provincial documents name who does what in running text: "国家卫生健康委要会同相关
部门…", "由各省级卫生健康行政部门制定具体办法", "财政、发展改革、卫生健康等部门要建立协调推进
机制", "A负责…；B负责…". The grammar of such sentences is in ``prose_subjects``; here the bodies
found become responsibilities (``basis`` "prose", or "shared" for a plain list of co-subjects),
with the span of the sentence as evidence. A body the agency-type vocabulary does not know is
kept (``agency_type`` None) and reported in the document's warnings.
"""

from __future__ import annotations

import re

from healthgov.extract.document import DocView
from healthgov.extract.facts.agencies import resolve_agency
from healthgov.extract.facts.collectives import collective_ref
from healthgov.extract.facts.responsibilities.obligations import task_obligations
from healthgov.extract.facts.responsibilities.prose_subjects import Duty, find_duties
from healthgov.extract.facts.responsibilities.subjects import Named, document_aliases
from healthgov.extract.matcher import LabelMatcher
from healthgov.ontology.vocab import load_vocabularies
from healthgov.records import AgencyRef, Responsibility, Span, Task

_MENTION_MATCHER: list[tuple[list[str], LabelMatcher]] = []


def mention_matcher() -> tuple[list[str], LabelMatcher] | None:
    """A matcher over the agency-type labels (built once per process; workers warm it)."""
    if not _MENTION_MATCHER:
        try:
            labels = [lab for lab, _c in load_vocabularies()["agency-type"].labels() if len(lab) >= 2]
        except KeyError:
            return None
        _MENTION_MATCHER.append((labels, LabelMatcher(labels)))
    return _MENTION_MATCHER[0]


def apply_prose(doc: DocView, tasks: list[Task], juris, warnings: list[str] | None = None) -> None:
    """Fill the responsibilities of tasks still without any from the duty sentences in them."""
    with document_aliases(doc.simp):
        for t in tasks:
            simp = doc.simp[t.span.start : t.span.end]
            have = {o.name for o in t.obligations}  # (a duty table's enterprises come first)
            t.obligations += [o for o in task_obligations(doc, t, simp) if o.name not in have]
            if t.responsibilities:
                continue
            t.responsibilities = _task_responsibilities(doc, t, find_duties(simp), juris, warnings)


def _task_responsibilities(doc: DocView, t: Task, duties: list[Duty], juris, warnings) -> list[Responsibility]:
    out: list[Responsibility] = []
    index: dict[str, Responsibility] = {}
    off = t.span.start
    for d in duties:
        span = Span(off + d.sentence[0], off + d.sentence[1])
        entries = [(u, d.role, d.basis) for u in d.units] + [(u, d.object_role, d.object_basis) for u in d.supporters]
        for u, role, basis in entries:
            name = _surface(doc, u, off)
            key = re.sub(r"\s+", "", u.name)
            have = index.get(key)
            if have is not None:
                if role == "lead" and have.role != "lead":
                    have.role, have.basis, have.span = "lead", basis, span
                continue
            ref = (collective_ref(u.name) if u.collective else None) or _resolve(name, u, juris)
            if ref.agency_type is None and not u.collective and warnings is not None:
                warnings.append(f"task {t.id}: unit not in the agency-type vocabulary: {name}")
            r = Responsibility(name=name, role=role, basis=basis, agency_type=ref.agency_type,
                               level=ref.level, order=len(out), span=span, collective=u.collective,
                               name_form=ref.name_form, jurisdiction=ref.jurisdiction)
            index[key] = r
            out.append(r)
    return out


def _surface(doc: DocView, u: Named, off: int) -> str:
    """The name as written; a list item gets the generic head of its list ("财政" → "财政部门")."""
    name = doc.written(off + u.start, off + u.end)
    if u.prefix:
        name = doc.text[off + u.prefix_at : off + u.prefix_at + len(u.prefix)] + name
    if u.head:
        name += doc.text[off + u.head_at : off + u.head_at + len(u.head)]
    return name


def _resolve(name: str, u: Named, juris) -> AgencyRef:
    ref = resolve_agency(name, juris)
    if ref.agency_type is None:
        # "医保主管部门", "卫生健康行政部门": the qualifier does not change the body.
        bare = re.sub(r"(主管|行政|管理|职能)部门$", "部门", u.name)
        if bare != u.name:
            alt = resolve_agency(bare, juris)
            if alt.agency_type is not None:
                ref.agency_type, ref.level = alt.agency_type, alt.level
    return ref
