"""One write path, any batch size: new documents 1, 7 or 100 per transaction (``build``'s default
is 100; one document alone is a batch of one) leave the same graph, whatever the order; loading
again skips, forcing replaces each document as it was; a bad document fails alone.
Real bundled engine over Bolt.
"""

from __future__ import annotations

import collections
import copy
import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import EXTRA, ROOT, SEEDS

from healthgov.extract.pipeline import extract_paths
from healthgov.graph import engine
from healthgov.graph.schema import create_schema, load_schema
from healthgov.graph.store import open_store
from healthgov.graph.version import META_LABEL
from healthgov.loaders.load import Loader, LoadResult
from healthgov.records import DocumentRecord

sys.path.insert(0, str(ROOT))
from benchmarks.generate_corpus import generate  # noqa: E402


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[DocumentRecord]:
    gen = tmp_path_factory.mktemp("generated")
    generate(gen, 40, seed=11)  # national, provincial, city and county plans citing each other
    recs = [r for r in extract_paths([SEEDS, EXTRA, gen]) if isinstance(r, DocumentRecord)]
    assert len(recs) >= 50
    assert sum(len(r.policy.cites) for r in recs) >= 40  # citations within and across batches
    return recs


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    data = tmp_path_factory.mktemp("batched") / "data"
    s = open_store(data_dir=data)
    try:
        yield s
    finally:
        s.close()
        engine.stop(data)


def _fresh(store: Any) -> Loader:
    store.write("MATCH (n) DETACH DELETE n")
    schema = load_schema()
    create_schema(store, schema)
    loader = Loader(store, schema)
    loader.load_vocabularies()
    return loader


def _graph(store: Any) -> tuple[collections.Counter, collections.Counter]:
    """Every node and relationship, keyed by content (element ids differ between loads)."""
    nodes = store.read(f"MATCH (n) WHERE NOT n:{META_LABEL} "
                       "RETURN elementId(n) AS eid, labels(n) AS labels, properties(n) AS props")
    rels = store.read("MATCH (a)-[r]->(b) RETURN elementId(a) AS s, elementId(b) AS e, type(r) AS type, "
                      "properties(r) AS props")

    def js(v: Any) -> str:
        return json.dumps(v, sort_keys=True, ensure_ascii=False, default=str)

    key = {n["eid"]: (tuple(n["labels"]), n["props"].get("id") or js(n["props"])) for n in nodes}
    return (collections.Counter((key[n["eid"]], js(n["props"])) for n in nodes),
            collections.Counter((key[r["s"]], r["type"], key[r["e"]], js(r["props"])) for r in rels))


def _batched(store: Any, recs: list[DocumentRecord], batch_docs: int) -> tuple[collections.Counter, collections.Counter]:
    loader = _fresh(store)
    outcomes = list(loader.load_batched(((r.source, r) for r in recs), batch_docs=batch_docs))
    assert [k for k, _ in outcomes] == [r.source for r in recs]
    assert all(isinstance(o, LoadResult) and o.status == "loaded" for _, o in outcomes), outcomes
    return _graph(store)


@pytest.mark.parametrize("order", ["as listed", "reversed"])
def test_the_graph_is_the_same_whatever_the_batch_size(store, records, order) -> None:
    recs = records if order == "as listed" else records[::-1]
    expected = _batched(store, recs, 1)
    assert sum(expected[0].values()) > 1000 and sum(expected[1].values()) > 3000
    for batch_docs in (7, 100):
        got = _batched(store, recs, batch_docs)
        assert got[0] == expected[0], (batch_docs, list((got[0] - expected[0]).items())[:3],
                                       list((expected[0] - got[0]).items())[:3])
        assert got[1] == expected[1], (batch_docs, list((got[1] - expected[1]).items())[:3],
                                       list((expected[1] - got[1]).items())[:3])


def test_loading_again_in_batches_changes_nothing(store, records) -> None:
    before = _batched(store, records, 100)
    loader = Loader(store, load_schema())
    again = list(loader.load_batched(((r.source, r) for r in records), batch_docs=100))
    assert {o.status for _, o in again} == {"skipped"}
    loader.force = True  # each replaced alone (a batch of one), as it was
    forced = list(loader.load_batched(((r.source, r) for r in records), batch_docs=100))
    assert {o.status for _, o in forced} == {"loaded"}
    assert _graph(store) == before


def test_a_bad_document_fails_alone_and_its_batch_still_loads(store, records) -> None:
    recs = [r for r in records if r.tasks][:6]
    bad = copy.deepcopy(recs[3])
    # Its tasks take the ids of another document's: the engine's unique constraint refuses them
    # when the batch commits, after the rows were sent (a failure in the engine, not in Python).
    donor = recs[0]
    for t, other in zip(bad.tasks, donor.tasks, strict=False):
        t.id = other.id
    bad.tasks = bad.tasks[: len(donor.tasks)]
    for t in bad.tasks:
        t.responsibilities, t.institutions, t.tiers, t.topics = [], [], [], []
    bad.targets = []
    batch = [*recs[:3], bad, *recs[4:]]
    loader = _fresh(store)
    outcomes = dict(loader.load_batched(((r.policy.id, r) for r in batch), batch_docs=100))
    assert isinstance(outcomes.pop(bad.policy.id), Exception)
    assert all(isinstance(o, LoadResult) and o.status == "loaded" for o in outcomes.values()), outcomes
    loaded = {r["id"] for r in store.read("MATCH (p:Policy) WHERE p.loaded = true RETURN p.id AS id")}
    assert loaded == set(outcomes)
    assert not store.read("MATCH (p:Policy {id: $id})-->() RETURN p LIMIT 1", {"id": bad.policy.id})
