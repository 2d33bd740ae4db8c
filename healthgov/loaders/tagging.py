"""Institutions, tiers and topics a task mentions, from the vocabularies' labels.

Labels (pref, alt and hidden) are matched in the simplified task text, longest first, without
overlaps (so "乡镇卫生院" is not also "卫生院"); results are ordered by first occurrence and
deduplicated. Tiers come from explicit tier words and from the tier each mentioned institution
type serves (``hg:servesTier``), placed where the institution is mentioned.
"""

from __future__ import annotations

from healthgov.ontology.vocab import Concept, Scheme, load_vocabularies
from healthgov.records import Task
from healthgov.textutil import to_simplified

_LABELS: dict[int, list[tuple[str, Concept]]] = {}


def _labels(scheme: Scheme) -> list[tuple[str, Concept]]:
    key = id(scheme)
    if key not in _LABELS:
        _LABELS[key] = [(lab, c) for lab, c in scheme.labels(hidden=True) if lab]
    return _LABELS[key]


def find_concepts(text: str, scheme: Scheme) -> list[tuple[int, Concept]]:
    """(position, concept) for every non-overlapping label match in text, in text order."""
    taken = bytearray(len(text))
    hits: list[tuple[int, Concept]] = []
    # Most labels cannot occur in a given task: skip those whose first character the text lacks
    # (a set lookup instead of a str.find over the whole text; same labels, same order, same hits).
    chars = set(text)
    for label, concept in _labels(scheme):
        if label[0] not in chars:
            continue
        start = text.find(label)
        while start >= 0:
            end = start + len(label)
            if not any(taken[start:end]):
                taken[start:end] = b"\x01" * len(label)
                hits.append((start, concept))
            start = text.find(label, start + 1)
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
