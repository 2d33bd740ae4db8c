"""Writing records into the graph: documents in batches, one transaction per batch.

- One write path (``healthgov.loaders.batch``): new documents go ``batch_docs`` per transaction,
  each statement an ``UNWIND`` over the rows of all of them; a single document is a batch of one.
- A document is replaced as a whole inside one transaction: its old sections, tasks, targets
  and outgoing edges are deleted and the new ones written before the commit, so
  readers see the old document or the new one, never half of either.
- A batch that fails is retried one document per transaction: a bad document fails alone.
- Unchanged documents (same sha256 on a loaded Policy) are skipped.
- Shared nodes (agencies, jurisdictions, vocabulary concepts) are merged on their ``id``, which a
  uniqueness constraint guards (concurrent ``MERGE`` is only safe with one).
- Citations point at the cited Policy when it is in the graph (by normalised document number,
  then by exact title), else at a placeholder Policy (``loaded = false``) with the id the
  document will have, upgraded in place when the document arrives.
- Every write goes through ``Store.execute_write``, which bumps the graph's version as the last
  statement of the transaction (``healthgov.graph.version``).

The statements are ``healthgov/loaders/statements/*.cypher`` (``healthgov.loaders.cypher``):
labels and relationship types filled in from the schema, every value a parameter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import neo4j

from healthgov.graph.schema import GraphSchema, load_schema
from healthgov.graph.version import NOT_BOOKKEEPING
from healthgov.loaders.batch import BatchWriter, unwind
from healthgov.loaders.cypher import Statements
from healthgov.loaders.rows import DocumentRows, document_rows
from healthgov.records import DocumentRecord

# The one scheme whose class is not the CamelCase of its id (see DESIGN.md, Files).
_SCHEME_CLASS_ALIASES = {"admin-level": "AdministrativeLevel"}
R = TypeVar("R")
# A lost store is not retried document by document: the rest would fail the same way.
LOST = (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired)
_COUNTERS = ("nodes_created", "nodes_deleted", "relationships_created", "relationships_deleted", "properties_set")


def scheme_class(scheme_id: str, schema: GraphSchema) -> str:
    """The class (node label) of a concept scheme's concepts: ``agency-type`` → ``AgencyType``."""
    local = _SCHEME_CLASS_ALIASES.get(scheme_id) or "".join(p.capitalize() for p in scheme_id.split("-"))
    return schema.label(local)


@dataclass
class LoadResult:
    policy_id: str
    source: str
    status: Literal["loaded", "skipped"]


Outcome = LoadResult | BaseException


class _Stop(Exception):
    """Loading cannot go on (the store is gone)."""


class _CountingTx:
    """A transaction that remembers its results, to add up their counters once it commits."""

    def __init__(self, tx: Any) -> None:
        self.tx = tx
        self.results: list[Any] = []

    def run(self, cypher: str, params: dict[str, Any] | None = None, **kw: Any) -> Any:
        result = self.tx.run(cypher, params, **kw)
        self.results.append(result)
        return result

    def counters(self) -> Counter[str]:
        """The counters of every statement run (inside the transaction: after it, results are gone)."""
        total: Counter[str] = Counter()
        for r in self.results:
            try:
                c = r.consume().counters
            except Exception:  # noqa: BLE001 - counters are informative only
                continue
            for k in _COUNTERS:
                total[k] += getattr(c, k, 0) or 0
        return total


@dataclass
class _Pending:
    key: Any
    rec: DocumentRecord
    rows: DocumentRows


@dataclass
class Loader:
    store: Any  # healthgov.graph.store.Store (duck-typed: anything with execute_write/read)
    schema: GraphSchema = field(default_factory=load_schema)
    force: bool = False

    def __post_init__(self) -> None:
        self.q = Statements(self.schema)
        self.writer = BatchWriter(self.q, self.schema)
        # What committed transactions changed (the engine's counters): the build's summary.
        self.written: Counter[str] = Counter()
        self.statements_sent = 0  # statements run by committed transactions

    # --- vocabularies ------------------------------------------------------------------

    def load_vocabularies(self) -> int:
        """Concept schemes as nodes (id, zh/en labels, ranks) with SERVES_TIER; idempotent."""
        from healthgov.ontology.vocab import load_vocabularies

        s = self.schema
        plans: list[tuple[str, list[dict[str, Any]]]] = []
        serves: list[dict[str, str]] = []
        for scheme in load_vocabularies():
            rows = []
            for c in scheme:
                row = {"id": c.id, "pref_zh": c.pref_zh, "pref_en": c.pref_en, "scheme": scheme.id,
                       "alt_labels": list(c.alt_labels), "broader": list(c.broader)}
                for prop, local in (("tier_rank", "tierRank"), ("level_rank", "levelRank"), ("default_unit", "default_unit")):
                    if prop in c.props:
                        row[s.key(local)] = c.props[prop]
                if "serves_tier" in c.props:
                    serves.append({"src": c.id, "dst": str(c.props["serves_tier"])})
                rows.append({k: v for k, v in row.items() if v not in (None, "")})
            plans.append((self.q.render("concepts", scheme_class=scheme_class(scheme.id, s)), rows))

        def work(tx: neo4j.ManagedTransaction) -> int:
            for cypher, rows in plans:
                unwind(tx, cypher, rows)
            unwind(tx, self.q.serves_tier, serves)
            return sum(len(r) for _, r in plans)

        return self.store.execute_write(work)

    # --- what is loaded ----------------------------------------------------------------

    def has_content(self, sha256: str) -> bool:
        """Whether a loaded document has exactly these bytes (lets a build skip extracting it)."""
        return bool(self.store.read(self.q.by_content, {"sha256": sha256}))

    def loaded_hashes(self) -> set[str]:
        """The sha256 of every loaded document: one query, so a build checks N files against a
        set instead of sending N ``has_content`` round trips (the rebuild-after-one-change cost)."""
        return {r["sha256"] for r in self.store.read(self.q.loaded_hashes) if r["sha256"]}

    def current(self, recs: Iterable[DocumentRecord]) -> set[str]:
        """The policy ids of ``recs`` loaded with exactly their content (one query)."""
        sha = {rec.policy.id: rec.sha256 for rec in recs}
        if not sha:
            return set()
        rows = self.store.read(self.q.loaded_versions, {"ids": sorted(sha)})
        return {r["id"] for r in rows if r["sha256"] == sha.get(r["id"])}

    def is_current(self, rec: DocumentRecord) -> bool:
        return rec.policy.id in self.current([rec])

    # --- writing -----------------------------------------------------------------------

    def load(self, rec: DocumentRecord, rows: DocumentRows | None = None) -> LoadResult:
        """One document in one transaction (a batch of one): new, or replacing its previous version."""
        if not self.force and self.is_current(rec):
            return LoadResult(rec.policy.id, rec.source, "skipped")
        self.write([rows if rows is not None else document_rows(self.schema, rec)])
        return LoadResult(rec.policy.id, rec.source, "loaded")

    def write(self, docs: list[DocumentRows]) -> int:
        """Write the longest leading run of ``docs`` one transaction can hold (at least the first,
        see ``healthgov.loaders.batch``); return how many. Atomic: a reader sees each document
        whole or not at all, a failure rolls the whole batch back."""
        if not docs:
            return 0
        return self._counted_write(lambda tx: self.write_in(tx, docs))

    def write_in(self, tx: Any, docs: list[DocumentRows]) -> int:
        """``write`` inside the caller's transaction (anything with ``run``): plan, then write."""
        plan = self.writer.plan(tx, docs)
        self.writer.write(tx, plan)
        return len(plan.docs)

    def load_batched(self, items: Iterable[tuple[Any, DocumentRecord]], batch_docs: int = 100) -> Iterator[tuple[Any, Outcome]]:
        """Load ``(key, record)`` pairs, up to ``batch_docs`` per transaction; yield each key with
        its outcome (a ``LoadResult`` or the exception that stopped it), in order.

        - A document already in the graph is replaced alone, in its place in the order.
        - A batch that fails is retried one document per transaction: a bad document fails
          alone, the others load. A lost connection is not retried: every document of the
          batch is reported with it and loading stops (the rest would fail the same way).
        - The caller may stop early (``break``): what was yielded as loaded is committed.
        """
        pending: list[_Pending] = []
        try:
            for key, rec in items:
                try:
                    rows = document_rows(self.schema, rec)
                except Exception as e:  # noqa: BLE001 - a record the loader refuses fails alone
                    yield key, e
                    continue
                if any(p.rows.policy_id == rows.policy_id for p in pending):
                    yield from self._flush(pending)  # the same policy twice: the later replaces the earlier
                pending.append(_Pending(key, rec, rows))
                if len(pending) >= max(1, batch_docs):
                    yield from self._flush(pending)
            yield from self._flush(pending)
        except _Stop:
            return

    def _flush(self, pending: list[_Pending]) -> Iterator[tuple[Any, Outcome]]:
        """Everything pending, in order: unchanged documents skipped, the others written."""
        current = set() if self.force or not pending else self.current(p.rec for p in pending)
        while pending:
            head = pending[0]
            if head.rows.policy_id in current:
                pending.pop(0)
                yield head.key, LoadResult(head.rec.policy.id, head.rec.source, "skipped")
                continue
            batch = []
            for p in pending:
                if p.rows.policy_id in current:
                    break
                batch.append(p)
            try:
                n = self.write([p.rows for p in batch])
            except LOST as e:
                yield from self._lost(pending, e)
            except Exception as e:  # noqa: BLE001 - isolate the culprit: one document per transaction
                if len(batch) == 1:
                    pending.pop(0)
                    yield head.key, e
                else:
                    yield from self._one_by_one(pending, len(batch))
                continue
            for p in pending[:n]:
                yield p.key, LoadResult(p.rec.policy.id, p.rec.source, "loaded")
            del pending[:n]

    def _one_by_one(self, pending: list[_Pending], n: int) -> Iterator[tuple[Any, Outcome]]:
        """The first ``n`` pending documents, one transaction each (after their batch failed)."""
        for _ in range(n):
            p = pending.pop(0)
            try:
                self.write([p.rows])
            except LOST as e:
                pending.insert(0, p)
                yield from self._lost(pending, e)
            except Exception as e:  # noqa: BLE001 - reported, the others go on
                yield p.key, e
            else:
                yield p.key, LoadResult(p.rec.policy.id, p.rec.source, "loaded")

    @staticmethod
    def _lost(pending: list[_Pending], e: BaseException) -> Iterator[tuple[Any, Outcome]]:
        """The store is gone: every pending document is reported with the error, and loading stops."""
        for p in pending:
            yield p.key, e
        pending.clear()
        raise _Stop from e

    def _counted_write(self, work: Callable[[Any], R]) -> R:
        """``store.execute_write`` that adds the committed transaction's counters to ``written``."""
        box: dict[str, Any] = {}

        def counted(tx: neo4j.ManagedTransaction) -> R:
            proxy = _CountingTx(tx)
            out = work(proxy)
            box["counters"], box["statements"] = proxy.counters(), len(proxy.results)  # the attempt that commits
            return out

        out = self.store.execute_write(counted)
        self.written.update(box.get("counters", Counter()))
        self.statements_sent += box.get("statements", 0)
        return out


def graph_counts(store: Any) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes by label and relationships by type (one label per node: see docs/graph.md)."""
    # The version node is bookkeeping, not data: not counted.
    nodes = store.read(f"MATCH (n) WHERE {NOT_BOOKKEEPING} RETURN labels(n)[0] AS label, count(*) AS n ORDER BY label")
    rels = store.read("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type")
    return {r["label"]: r["n"] for r in nodes}, {r["type"]: r["n"] for r in rels}


def node_counts(store: Any, schema: GraphSchema | None = None) -> dict[str, int]:
    """Nodes per label, one count per label of the schema: cheap on both engines (a label count
    is kept by the store), unlike a scan of every node or relationship (``graph_counts``)."""
    schema = schema or load_schema()
    out: dict[str, int] = {}
    for label in schema.node_labels():
        rows = store.read(f"MATCH (n:{label}) RETURN count(n) AS n")
        if rows and rows[0]["n"]:
            out[label] = rows[0]["n"]
    return out
