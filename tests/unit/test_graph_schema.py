"""The property-graph schema is derived from the ontology, not typed a second time."""

from __future__ import annotations

import pytest

from healthgov.graph.schema import from_turtle, load_schema, snake, upper_snake

TINY = """
@prefix hg: <https://w3id.org/healthgov/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix other: <https://example.org/other#> .
hg:Policy a owl:Class .
hg:Task a owl:Class .
hg:TextSpan a owl:Class ; hg:graphRole "rdf-only" .
other:Thing a owl:Class .
hg:hasTask a owl:ObjectProperty .
hg:partOfJurisdiction a owl:ObjectProperty , owl:TransitiveProperty .
hg:wasSeenIn a owl:ObjectProperty ; hg:graphRole "rdf-only" .
hg:docNumberRaw a owl:DatatypeProperty .
hg:sha256 a owl:DatatypeProperty .
hg:sourceURL a owl:DatatypeProperty .
"""


def test_case_conversions() -> None:
    assert upper_snake("hasTask") == "HAS_TASK"
    assert upper_snake("partOfJurisdiction") == "PART_OF_JURISDICTION"
    assert snake("docNumberRaw") == "doc_number_raw"
    assert snake("sha256") == "sha256"
    assert snake("sourceURL") == "source_url"
    assert snake("valueMax") == "value_max"


def test_derivation_from_a_tiny_ontology() -> None:
    s = from_turtle(TINY)
    assert s.label("Policy") == "Policy" and s.label("Task") == "Task"
    assert "Thing" not in s.labels  # only the hg: namespace
    assert s.rel("hasTask") == "HAS_TASK" and s.rel("partOfJurisdiction") == "PART_OF_JURISDICTION"
    assert s.key("docNumberRaw") == "doc_number_raw" and s.key("sourceURL") == "source_url"
    assert s.key("id") == "id"  # graph-only key
    assert s.node_labels() == ["Policy", "Task"]  # TextSpan is rdf-only
    with pytest.raises(KeyError, match="RDF-only"):
        s.label("TextSpan")
    with pytest.raises(KeyError, match="RDF-only"):
        s.rel("wasSeenIn")
    with pytest.raises(KeyError):
        s.rel("noSuchProperty")
    with pytest.raises(KeyError):
        s.key("noSuchKey")
    ddl = s.statements()
    assert "CREATE CONSTRAINT policy_id IF NOT EXISTS FOR (n:Policy) REQUIRE n.id IS UNIQUE" in ddl
    assert "CREATE CONSTRAINT task_id IF NOT EXISTS FOR (n:Task) REQUIRE n.id IS UNIQUE" in ddl
    assert all("IF NOT EXISTS" in stmt for stmt in ddl)
    assert not any("TextSpan" in stmt for stmt in ddl)


def test_unsafe_names_are_refused() -> None:
    s = from_turtle(TINY.replace("hg:Task a owl:Class .", "<https://w3id.org/healthgov/ontology#Bad Name> a owl:Class ."))
    with pytest.raises(ValueError, match="safe Cypher identifier"):
        s.label("Bad Name")


def test_the_real_ontology_gives_the_design_names() -> None:
    s = load_schema()
    for cls in ("Policy", "Section", "Task", "Agency", "AgencyType", "Jurisdiction", "AdministrativeLevel",
                "Tier", "InstitutionType", "Topic", "Indicator", "Target"):
        assert cls in s.node_labels()
    for local, rel in (("leadAgency", "LEAD_AGENCY"), ("supportingAgency", "SUPPORTING_AGENCY"),
                       ("issuedBy", "ISSUED_BY"), ("servesTier", "SERVES_TIER"), ("implements", "IMPLEMENTS")):
        assert s.rel(local) == rel
    for local, key in (("spanStart", "span_start"), ("sectionPath", "section_path"), ("sourcePath", "source_path"),
                       ("tierRank", "tier_rank"), ("loaded", "loaded")):
        assert s.key(local) == key
    assert "Responsibility" not in s.node_labels()
