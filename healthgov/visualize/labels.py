"""Chinese and English labels of vocabulary concepts, read from the ontology's concept schemes.

The graph stores concept ids; the labels live once, in the vocabularies. A concept the
vocabulary does not know (an older graph, a scheme still being written) falls back to its id,
so a view never fails for want of a label.
"""

from __future__ import annotations

from functools import lru_cache

LEVEL_ZH = {"nation": "国家", "province": "省级", "city": "市级", "county": "县级",
            "township": "乡镇", "village": "村"}  # fmt: skip
# Drawing order of policy lineage: nation at the top. Only the rank is used, never shown.
LEVEL_RANK = {"nation": 0, "province": 1, "city": 2, "county": 3, "township": 4, "village": 5}

ROLE_ZH = {"lead": "牵头", "support": "配合"}
BASIS_EN = {
    "explicit": "stated in the document",
    "convention": "first-listed unit taken as lead by convention",
    "shared": "joint responsibility, no lead named",
    "prose": "stated in running text",
    "scoped": "added by a scoped rule",
    "annex": "from an annex table",
}


@lru_cache(maxsize=1)
def _schemes() -> dict[str, dict[str, tuple[str, str]]]:
    try:
        from healthgov.ontology.vocab import load_vocabularies

        vocab = load_vocabularies()
        return {sid: {c.id: (c.pref_zh, c.pref_en) for c in scheme} for sid, scheme in vocab.schemes.items()}
    except Exception:  # noqa: BLE001 - labels are a nicety; ids still identify concepts
        return {}


def concept(scheme: str, concept_id: str | None) -> tuple[str, str]:
    """(Chinese label, English label) of a concept; ("未知", "unknown") for None."""
    if not concept_id:
        return ("未知", "unknown")
    return _schemes().get(scheme, {}).get(concept_id, (concept_id, concept_id.replace("-", " ")))


def concept_order(scheme: str) -> list[str]:
    """Concept ids in vocabulary order, so colours stay the same from view to view."""
    return list(_schemes().get(scheme, {}))
