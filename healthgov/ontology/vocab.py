"""Read the SKOS concept schemes in ``ontology/vocab/*.ttl`` into plain Python objects.

The vocabularies are data a researcher can read and extend; the loaders consult them through
this module and never keep a second copy of labels in code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

VOCAB_DIR = Path(__file__).parent / "vocab"
HG = Namespace("https://w3id.org/healthgov/ontology#")
HGV = "https://w3id.org/healthgov/vocab/"

# Datatype/object properties on concepts that the code reads, by the key used in Concept.props.
_PROPS = {
    HG.tierRank: "tier_rank",
    HG.levelRank: "level_rank",
    HG.defaultUnit: "default_unit",
    HG.servesTier: "serves_tier",
    HG.severalBodies: "several_bodies",  # agency-type: its labels name several bodies per place
}


@dataclass(frozen=True)
class Concept:
    id: str
    iri: str
    scheme: str
    pref_zh: str
    pref_en: str
    alt_labels: tuple[str, ...] = ()
    hidden_labels: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    # hg:formerLabel: altLabels that name a body since reorganised (agency-type; docs/DESIGN.md)
    former_labels: tuple[str, ...] = ()
    # hg:formerBody: each predecessor body's names, its full name first ("卫生和计划生育委员会",
    # "卫生计生委", "卫计委"), sorted by full name
    former_bodies: tuple[tuple[str, ...], ...] = ()
    props: dict = field(default_factory=dict, hash=False, compare=False)

    def all_labels(self) -> tuple[str, ...]:
        return (self.pref_zh, *self.alt_labels)

    def former_body(self, label: str) -> str:
        """The full name of the predecessor body a former label names (its hg:formerBody group);
        the label itself when no group lists it."""
        simp = _simplify(label)
        return next((names[0] for names in self.former_bodies if simp in names), simp)


@dataclass
class Scheme:
    id: str
    iri: str
    title: str
    concepts: dict[str, Concept]
    _index: dict[str, Concept] = field(default_factory=dict, repr=False)
    _labels: dict[bool, list[tuple[str, Concept]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for c in self.concepts.values():
            for label in c.all_labels():
                self._index.setdefault(_simplify(label), c)

    def lookup(self, label: str) -> Concept | None:
        return self._index.get(_simplify(label.strip()))

    def labels(self, hidden: bool = False) -> list[tuple[str, Concept]]:
        """Every (simplified label, concept) pair, longest label first, for matching in text."""
        # Extractors ask for this once per task or table cell: building it (hundreds of opencc
        # conversions and a sort) was a third of extraction time. A copy keeps the cache safe.
        if hidden not in self._labels:
            self._labels[hidden] = self._build_labels(hidden)
        return list(self._labels[hidden])

    def _build_labels(self, hidden: bool) -> list[tuple[str, Concept]]:
        pairs = {(_simplify(lab), c.id) for c in self.concepts.values() for lab in c.all_labels()}
        if hidden:
            pairs |= {(_simplify(lab), c.id) for c in self.concepts.values() for lab in c.hidden_labels}
        return sorted(((lab, self.concepts[cid]) for lab, cid in pairs), key=lambda p: (-len(p[0]), p[0]))

    def __iter__(self):
        return iter(self.concepts.values())

    def __len__(self) -> int:
        return len(self.concepts)

    def __getitem__(self, concept_id: str) -> Concept:
        return self.concepts[concept_id]


@dataclass
class Vocabularies:
    schemes: dict[str, Scheme]

    def __getitem__(self, scheme_id: str) -> Scheme:
        return self.schemes[scheme_id]

    def __iter__(self):
        return iter(self.schemes.values())


def _simplify(text: str) -> str:
    from healthgov.ids import to_simplified

    return to_simplified(text)


def _local(iri: URIRef | str) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _label(g: Graph, s: URIRef, p: URIRef, lang: str) -> str:
    for o in g.objects(s, p):
        if isinstance(o, Literal) and (o.language or "").lower() == lang:
            return str(o)
    return ""


def vocab_graph() -> Graph:
    g = Graph()
    for path in sorted(VOCAB_DIR.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


@lru_cache(maxsize=1)
def load_vocabularies() -> Vocabularies:
    g = vocab_graph()
    schemes: dict[str, Scheme] = {}
    for scheme_iri in g.subjects(RDF.type, SKOS.ConceptScheme):
        sid = _local(scheme_iri)
        concepts: dict[str, Concept] = {}
        for c in g.subjects(SKOS.inScheme, scheme_iri):
            cid = _local(c)
            props = {}
            for p, key in _PROPS.items():
                o = g.value(c, p)
                if o is not None:
                    props[key] = _local(o) if isinstance(o, URIRef) else o.toPython()
            concepts[cid] = Concept(
                id=cid,
                iri=str(c),
                scheme=sid,
                pref_zh=_label(g, c, SKOS.prefLabel, "zh"),
                pref_en=_label(g, c, SKOS.prefLabel, "en"),
                alt_labels=tuple(sorted(str(o) for o in g.objects(c, SKOS.altLabel))),
                hidden_labels=tuple(sorted(str(o) for o in g.objects(c, SKOS.hiddenLabel))),
                broader=tuple(sorted(_local(o) for o in g.objects(c, SKOS.broader))),
                former_labels=tuple(sorted(str(o) for o in g.objects(c, HG.formerLabel))),
                former_bodies=tuple(sorted(tuple(_simplify(n) for n in str(o).split())
                                           for o in g.objects(c, HG.formerBody))),
                props=props,
            )
        title = _label(g, scheme_iri, SKOS.prefLabel, "en") or sid
        schemes[sid] = Scheme(id=sid, iri=str(scheme_iri), title=title, concepts=concepts)
    return Vocabularies(schemes=schemes)


def former_body_key(agency_type: str | None, name_form: str | None) -> str | None:
    """For a former name (``name_form`` "former:卫计委"), the full name of the predecessor body it
    names ("卫生和计划生育委员会": the vocabulary's hg:formerBody); else None. What an agency named
    by a predecessor's name is keyed by (``healthgov.ids.agency_identity``)."""
    form, _sep, label = (name_form or "").partition(":")
    if form != "former" or not label or not agency_type:
        return None
    try:
        concept = load_vocabularies()["agency-type"][agency_type]
    except KeyError:
        return None
    return concept.former_body(label)
