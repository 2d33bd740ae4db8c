"""Institutions, tiers and topics a task mentions, from the vocabularies' labels.

Labels (pref, alt and hidden) are matched in the simplified task text, longest first, without
overlaps (so "乡镇卫生院" is not also "卫生院"); results are ordered by first occurrence and
deduplicated. Tiers come from explicit tier words and from the tier each mentioned institution
type serves (``hg:servesTier``), placed where the institution is mentioned.
"""

from __future__ import annotations

from healthgov.extract.matcher import LabelMatcher
from healthgov.ids import to_simplified
from healthgov.ontology.vocab import Concept, Scheme, load_vocabularies
from healthgov.records import Task

_MATCHERS: dict[int, tuple[list[tuple[str, Concept]], LabelMatcher]] = {}


def _matcher(scheme: Scheme) -> tuple[list[tuple[str, Concept]], LabelMatcher]:
    key = id(scheme)
    if key not in _MATCHERS:
        labels = [(lab, c) for lab, c in scheme.labels(hidden=True) if lab]
        _MATCHERS[key] = (labels, LabelMatcher([lab for lab, _c in labels]))
    return _MATCHERS[key]


def find_concepts(text: str, scheme: Scheme) -> list[tuple[int, Concept]]:
    """(position, concept) for every non-overlapping label match in text, in text order.

    Labels are taken longest first (the order of ``Scheme.labels``), each at every position
    where it occurs, unless the place is taken by an earlier (longer) label."""
    labels, matcher = _matcher(scheme)
    taken = bytearray(len(text))
    hits: list[tuple[int, Concept]] = []
    for rank, start in matcher.occurrences(text):
        label, concept = labels[rank]
        end = start + len(label)
        if not any(taken[start:end]):
            taken[start:end] = b"\x01" * len(label)
            hits.append((start, concept))
    hits.sort(key=lambda h: h[0])
    return hits


def _ordered_ids(hits: list[tuple[int, str]]) -> list[str]:
    out: list[str] = []
    for _pos, cid in sorted(hits, key=lambda h: h[0]):
        if cid not in out:
            out.append(cid)
    return out


def tag_tasks(tasks: list[Task]) -> None:
    """Fill ``institutions``, ``tiers`` and ``topics`` of each task."""
    vocab = load_vocabularies()
    schemes = vocab.schemes
    inst = schemes.get("institution-type")
    tier = schemes.get("tier")
    topic = schemes.get("topic")
    for t in tasks:
        text = to_simplified(t.text)
        inst_hits = find_concepts(text, inst) if inst else []
        t.institutions = _ordered_ids([(p, c.id) for p, c in inst_hits])
        tier_hits = [(p, c.id) for p, c in find_concepts(text, tier)] if tier else []
        for p, c in inst_hits:
            served = c.props.get("serves_tier")
            if served and tier is not None and served in tier.concepts:
                tier_hits.append((p, served))
        t.tiers = _ordered_ids(tier_hits)
        t.topics = _ordered_ids([(p, c.id) for p, c in find_concepts(text, topic)]) if topic else []
