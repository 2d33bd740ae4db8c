"""The loader's statements (healthgov/loaders/statements/*.cypher): every one named once, every
ontology term in it known to the schema, and a term the schema lacks refused when the loader is made."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from healthgov.graph.schema import load_schema
from healthgov.loaders.batch import DELETE_STATEMENTS, ROLE_STATEMENTS, TAG_STATEMENTS
from healthgov.loaders.cypher import Statements, templates


def test_every_statement_is_filled_in_from_the_schema() -> None:
    q = Statements(load_schema())
    names = set(templates())
    assert {"policies", "known_policies", "loaded_versions", "cites", "implements", "concepts"} <= names
    assert set(DELETE_STATEMENTS) | set(ROLE_STATEMENTS.values()) | set(TAG_STATEMENTS.values()) <= names
    for name in names - {"concepts"}:
        text = q[name]
        assert "{{" not in text and "//" not in text and text == text.strip(), name
    assert q.tasks.startswith("UNWIND $rows AS row MATCH (p:Policy {id: row.policy})")
    assert "-[:HAS_TASK]->(t:Task)" in q.tasks
    assert q.render("concepts", scheme_class="Topic") == "UNWIND $rows AS row MERGE (c:Topic {id: row.id}) SET c = row"


def test_no_deprecated_subquery_form() -> None:
    for name, text in templates().items():
        assert not re.search(r"CALL\s*\{\s*WITH", text), name


def test_a_term_missing_from_the_ontology_fails_when_the_loader_is_made() -> None:
    schema = load_schema()
    rels = {k: v for k, v in schema.rels.items() if k != "hasTask"}
    with pytest.raises(KeyError, match="hasTask"):
        Statements(replace(schema, rels=rels))
    with pytest.raises(AttributeError, match="no loader statement"):
        Statements(schema).no_such_statement  # noqa: B018
