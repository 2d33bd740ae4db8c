"""Every enumerated value that is spelled in several places is spelled the same in all of them.

Each source is read as what it is: the records' ``Literal`` types, the ontology and the shapes
with rdflib, a named query's ``enum(...)`` through the query registry's own header parser, the
views' label tables as dicts. Adding a value (a new ``basis``, say) means adding it everywhere
this file lists; the failure names the places that lack it.
"""

from __future__ import annotations

import typing
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from rdflib import OWL, RDFS, SKOS, Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import SH

from healthgov import records
from healthgov.graph.schema import load_schema
from healthgov.ontology.rdf import ONTOLOGY_TTL, SHAPES_TTL
from healthgov.queries import registry
from healthgov.visualize import data as view_data
from healthgov.visualize import labels

HG = Namespace("https://w3id.org/healthgov/ontology#")
VOCAB_DIR = Path(ONTOLOGY_TTL).parent / "vocab"


@cache
def _ttl(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def literal_values(tp: object) -> list[str]:
    """The values of a ``Literal[...]`` type."""
    assert typing.get_origin(tp) is typing.Literal, tp
    return list(typing.get_args(tp))


def ontology_one_of(prop: str) -> list[str]:
    """The ``owl:oneOf`` list of the datatype that is ``hg:{prop}``'s range in healthgov.ttl."""
    g = _ttl(ONTOLOGY_TTL)
    ranges = list(g.objects(HG[prop], RDFS.range))
    assert len(ranges) == 1, f"hg:{prop} has {len(ranges)} ranges"
    one_of = g.value(ranges[0], OWL.oneOf)
    assert one_of is not None, f"hg:{prop}'s range is not an owl:oneOf"
    return [str(v) for v in Collection(g, one_of)]


def shapes_in(prop: str) -> list[str]:
    """The ``sh:in`` list of the property shape on ``hg:{prop}`` in shapes.ttl (exactly one)."""
    g = _ttl(SHAPES_TTL)
    lists = [g.value(shape, SH["in"]) for shape in g.subjects(SH.path, HG[prop])]
    lists = [lst for lst in lists if lst is not None]
    assert len(lists) == 1, f"{len(lists)} shapes constrain hg:{prop} with sh:in"
    return [str(v) for v in Collection(g, lists[0])]


def query_enum(query: str, param: str) -> list[str]:
    """The ``enum(...)`` of a named query's ``@param``, as the registry parses the header."""
    spec = registry.get(query).param(param)
    assert spec is not None and spec.type.base == "enum", f"{query}.{param} is not an enum"
    return list(spec.type.choices)


def vocabulary(scheme: str, rank: str) -> list[str]:
    """The notations of a SKOS scheme's concepts (vocab/{scheme}.ttl), in the order of ``hg:{rank}``."""
    g = _ttl(VOCAB_DIR / f"{scheme}.ttl")
    concepts = [(int(g.value(c, HG[rank])), str(g.value(c, SKOS.notation))) for c in g.subjects(SKOS.inScheme, None)]
    return [n for _, n in sorted(concepts)]


def assert_same(**sources: list[str]) -> None:
    """Every source lists the same values, each once."""
    for name, values in sources.items():
        repeated = [v for v, n in Counter(values).items() if n > 1]
        assert not repeated, f"{name} repeats {repeated}"
    union = sorted(set().union(*map(set, sources.values())))
    missing = {name: [v for v in union if v not in values] for name, values in sources.items()}
    missing = {name: m for name, m in missing.items() if m}
    assert not missing, "the places disagree; each lacks: " + "; ".join(f"{n}: {m}" for n, m in missing.items())


# --- how a lead was decided (basis) ---------------------------------------------------------------


def test_basis() -> None:
    assert_same(
        records=literal_values(records.Basis),
        ontology=ontology_one_of("basis"),
        shapes=shapes_in("basis"),
        who_leads=query_enum("who-leads", "basis"),
        view_labels=list(labels.BASIS_EN),
    )


# --- role: lead or support ------------------------------------------------------------------------


def test_role() -> None:
    assert_same(
        records=literal_values(records.Role),
        ontology=ontology_one_of("role"),
        shapes=shapes_in("role"),
        who_leads=[r for r in query_enum("who-leads", "role") if r != "any"],
        view_labels=list(labels.ROLE_ZH),
        view_relationships=list(view_data.ROLES),
    )


def test_role_relationship_types_are_the_schemas() -> None:
    """The views match roles by relationship type: the one the ontology derives."""
    schema = load_schema()
    assert view_data.ROLES == {"lead": schema.rel("leadAgency"), "support": schema.rel("supportingAgency")}


# --- targets: comparator and nature ---------------------------------------------------------------


def test_comparator() -> None:
    assert_same(
        records=literal_values(records.Comparator),
        ontology=ontology_one_of("comparator"),
        shapes=shapes_in("comparator"),
    )


def test_nature() -> None:
    assert_same(
        records=literal_values(records.Nature),
        ontology=ontology_one_of("nature"),
        shapes=shapes_in("nature"),
    )


def test_target_kind() -> None:
    assert_same(
        records=literal_values(records.TargetKind),
        ontology=ontology_one_of("targetKind"),
        shapes=shapes_in("targetKind"),
        compare_targets=query_enum("compare-targets", "kind"),
    )


# --- administrative levels ------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["jurisdictions", "policies", "who-leads"])
def test_admin_levels_in_queries(query: str) -> None:
    assert_same(records=literal_values(records.Level), vocabulary=vocabulary("admin-level", "levelRank"),
                **{query.replace("-", "_"): query_enum(query, "level")})


def test_admin_levels_in_views() -> None:
    levels = vocabulary("admin-level", "levelRank")
    assert_same(records=literal_values(records.Level), vocabulary=levels,
                view_names=list(labels.LEVEL_ZH), view_ranks=list(labels.LEVEL_RANK))
    # The lineage view draws the levels top-down in the vocabulary's order (nation first).
    assert sorted(labels.LEVEL_RANK, key=labels.LEVEL_RANK.get) == levels
    assert literal_values(records.Level) == levels


# --- citations: cites or implements ---------------------------------------------------------------


def test_citation_relations() -> None:
    relation = typing.get_type_hints(records.Citation)["relation"]
    g = _ttl(ONTOLOGY_TTL)
    # hg:cites and the properties under it (rdfs:subPropertyOf*), by local name.
    properties = [str(p).removeprefix(str(HG)) for p in g.transitive_subjects(RDFS.subPropertyOf, HG.cites)]
    assert_same(
        records=literal_values(relation),
        ontology=properties,
        policy_lineage=query_enum("policy-lineage", "relation"),
    )
    # implements is a kind of cites, so "relation=cites" in the lineage query covers both.
    assert (HG.implements, RDFS.subPropertyOf, HG.cites) in g
