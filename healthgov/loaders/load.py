"""Writing records into the graph: one transaction per document, parameterised ``UNWIND`` batches.

- A document is replaced as a whole inside one transaction: its old sections, tasks, targets
  and outgoing edges are deleted and the new ones written before the commit, so
  readers see the old document or the new one, never half of either; a failure rolls back that
  document alone.
- Unchanged documents (same sha256 on a loaded Policy) are skipped.
- Shared nodes (agencies, jurisdictions, vocabulary concepts) are merged on their ``id``, which a
  uniqueness constraint guards (concurrent ``MERGE`` is only safe with one).
- Citations point at the cited Policy when it is in the graph (by normalised document number,
  then by exact title), else at a placeholder Policy (``loaded = false``) with the id the
  document will have, upgraded in place when the document arrives.

Labels and relationship types are spliced into the Cypher from the schema (identifiers derived
from the ontology); every value travels as a parameter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import neo4j

from healthgov.graph.schema import GraphSchema, load_schema
from healthgov.graph.version import META_LABEL
from healthgov.ids import policy_id as citation_policy_id
from healthgov.loaders.rows import DocumentRows, document_rows
from healthgov.records import DocumentRecord

# The one scheme whose class is not the CamelCase of its id (see DESIGN.md, Files).
_SCHEME_CLASS_ALIASES = {"admin-level": "AdministrativeLevel"}
T = TypeVar("T")
_TAG_SCHEMES = {"institution-type": "concernsInstitution", "tier": "atTier", "topic": "hasTopic"}


def scheme_class(scheme_id: str, schema: GraphSchema) -> str:
    """The class (node label) of a concept scheme's concepts: ``agency-type`` → ``AgencyType``."""
    local = _SCHEME_CLASS_ALIASES.get(scheme_id) or "".join(p.capitalize() for p in scheme_id.split("-"))
    return schema.label(local)


@dataclass
class LoadResult:
    policy_id: str
    source: str
    status: Literal["loaded", "skipped"]


class Cypher:
    """The loader's statements, with labels and types filled in from the schema once."""

    def __init__(self, s: GraphSchema) -> None:
        self.s = s
        P, T, SEC, TG = s.label("Policy"), s.label("Task"), s.label("Section"), s.label("Target")
        A, J = s.label("Agency"), s.label("Jurisdiction")
        AL, AT, IND = s.label("AdministrativeLevel"), s.label("AgencyType"), s.label("Indicator")
        HS, HT, HG = s.rel("hasSection"), s.rel("hasTask"), s.rel("hasTarget")
        LEAD, SUP, ISS = s.rel("leadAgency"), s.rel("supportingAgency"), s.rel("issuedBy")
        CIT, IMP, HJ = s.rel("cites"), s.rel("implements"), s.rel("hasJurisdiction")
        ADM = s.rel("administrativeLevel")
        self.rel_for_role = {"lead": LEAD, "support": SUP}
        self.rel_for_relation = {"cites": CIT, "implements": IMP}
        self.labels = {"P": P, "T": T, "SEC": SEC, "TG": TG, "A": A, "J": J}
        loaded, doc_number = s.key("loaded"), s.key("docNumber")

        self.prior_agencies = (
            f"MATCH (p:{P} {{id: $id}})-[:{ISS}]->(a:{A}) RETURN a.id AS id "
            f"UNION MATCH (p:{P} {{id: $id}})-[:{HT}]->(:{T})-[:{LEAD}|{SUP}]->(a:{A}) RETURN a.id AS id"
        )
        self.prior_cited = f"MATCH (p:{P} {{id: $id}})-[:{CIT}|{IMP}]->(c:{P}) RETURN DISTINCT c.id AS id"
        self.delete = [
            f"MATCH (p:{P} {{id: $id}})-[:{HT}]->(:{T})-[:{HG}]->(g:{TG}) DETACH DELETE g",
            f"MATCH (p:{P} {{id: $id}})-[:{HG}]->(g:{TG}) DETACH DELETE g",
            f"MATCH (p:{P} {{id: $id}})-[:{HT}]->(t:{T}) DETACH DELETE t",
            f"MATCH (p:{P} {{id: $id}})-[:{HS}]->(x:{SEC}) DETACH DELETE x",
            f"MATCH (p:{P} {{id: $id}})-[r]->() DELETE r",
        ]
        self.policy = f"MERGE (p:{P} {{id: $id}}) SET p = $props"
        self.stale_placeholders = (
            f"MATCH (old:{P}) WHERE old.id <> $id AND old.{loaded} = false AND "
            f"((old.{doc_number} IS NOT NULL AND old.{doc_number} = $doc_number) OR "
            f"(old.title_key IS NOT NULL AND old.title_key = $title_key)) RETURN old.id AS id"
        )
        self.move_citations = [
            f"MATCH (old:{P} {{id: $old}})<-[r:{rel}]-(src:{P}) MATCH (p:{P} {{id: $id}}) "
            f"MERGE (src)-[n:{rel}]->(p) SET n += properties(r) DELETE r"
            for rel in (CIT, IMP)
        ]
        self.drop_node = f"MATCH (old:{P} {{id: $old}}) DETACH DELETE old"
        self.jurisdictions = [
            f"UNWIND $rows AS row MERGE (j:{J} {{id: row.id}}) "
            f"SET j.name = row.name, j.level = coalesce(row.level, j.level)",
            f"UNWIND $rows AS row WITH row WHERE row.level IS NOT NULL MATCH (j:{J} {{id: row.id}}) "
            f"MERGE (l:{AL} {{id: row.level}}) MERGE (j)-[:{ADM}]->(l)",
            f"UNWIND $rows AS row WITH row WHERE row.parent IS NOT NULL MATCH (j:{J} {{id: row.id}}) "
            f"MERGE (q:{J} {{id: row.parent}}) ON CREATE SET q.name = row.parent "
            f"MERGE (j)-[:{s.rel('partOfJurisdiction')}]->(q)",
        ]
        self.policy_jurisdiction = f"MATCH (p:{P} {{id: $id}}) MATCH (j:{J} {{id: $j}}) CREATE (p)-[:{HJ}]->(j)"
        self.sections = [
            f"UNWIND $rows AS row MATCH (p:{P} {{id: $id}}) CREATE (p)-[:{HS}]->(x:{SEC}) SET x = row.props",
            f"UNWIND $rows AS row WITH row WHERE row.parent IS NOT NULL MATCH (c:{SEC} {{id: row.props.id}}) "
            f"MATCH (q:{SEC} {{id: row.parent}}) CREATE (c)-[:{s.rel('subsectionOf')}]->(q)",
        ]
        self.tasks = [
            f"UNWIND $rows AS row MATCH (p:{P} {{id: $id}}) CREATE (p)-[:{HT}]->(t:{T}) SET t = row.props",
            f"UNWIND $rows AS row WITH row WHERE row.section IS NOT NULL MATCH (t:{T} {{id: row.props.id}}) "
            f"MATCH (x:{SEC} {{id: row.section}}) CREATE (t)-[:{s.rel('inSection')}]->(x)",
        ]
        self.agencies = [
            f"UNWIND $rows AS row MERGE (a:{A} {{id: row.id}}) ON CREATE SET a = row "
            f"SET a.agency_type = coalesce(a.agency_type, row.agency_type), a.level = coalesce(a.level, row.level), "
            f"a.jurisdiction = coalesce(a.jurisdiction, row.jurisdiction)",
            f"UNWIND $rows AS row WITH row WHERE row.agency_type IS NOT NULL MATCH (a:{A} {{id: row.id}}) "
            f"MERGE (t:{AT} {{id: row.agency_type}}) MERGE (a)-[:{s.rel('agencyType')}]->(t)",
            f"UNWIND $rows AS row WITH row WHERE row.level IS NOT NULL MATCH (a:{A} {{id: row.id}}) "
            f"MERGE (l:{AL} {{id: row.level}}) MERGE (a)-[:{ADM}]->(l)",
            f"UNWIND $rows AS row WITH row WHERE row.jurisdiction IS NOT NULL MATCH (a:{A} {{id: row.id}}) "
            f"MATCH (j:{J} {{id: row.jurisdiction}}) MERGE (a)-[:{HJ}]->(j)",
        ]
        self.issuers = (
            f"UNWIND $rows AS row MATCH (p:{P} {{id: $id}}) MATCH (a:{A} {{id: row.agency}}) "
            f"CREATE (p)-[r:{ISS}]->(a) SET r = row.props"
        )
        self.responsibilities = {
            role: f"UNWIND $rows AS row MATCH (t:{T} {{id: row.task}}) MATCH (a:{A} {{id: row.agency}}) "
            f"CREATE (t)-[r:{rel}]->(a) SET r = row.props"
            for role, rel in self.rel_for_role.items()
        }
        self.tags = {
            scheme: f"UNWIND $rows AS row MATCH (t:{T} {{id: row.task}}) "
            f"MERGE (c:{scheme_class(scheme, s)} {{id: row.concept}}) CREATE (t)-[:{s.rel(prop)}]->(c)"
            for scheme, prop in _TAG_SCHEMES.items()
        }
        self.task_targets = (
            f"UNWIND $rows AS row MATCH (t:{T} {{id: row.task}}) CREATE (t)-[:{HG}]->(g:{TG}) SET g = row.props"
        )
        self.policy_targets = (
            f"UNWIND $rows AS row MATCH (p:{P} {{id: $id}}) CREATE (p)-[:{HG}]->(g:{TG}) SET g = row.props"
        )
        self.measures = (
            f"UNWIND $rows AS row WITH row WHERE row.indicator IS NOT NULL MATCH (g:{TG} {{id: row.props.id}}) "
            f"MERGE (i:{IND} {{id: row.indicator}}) CREATE (g)-[:{s.rel('measures')}]->(i)"
        )
        self.citation_candidates = (
            f"UNWIND $keys AS k MATCH (c:{P}) WHERE (k.doc_number IS NOT NULL AND c.{doc_number} = k.doc_number) "
            f"OR (k.title_key IS NOT NULL AND c.title_key = k.title_key) "
            f"RETURN k.i AS i, c.id AS id, c.{loaded} AS loaded, c.{doc_number} = k.doc_number AS by_number"
        )
        self.placeholders = f"UNWIND $rows AS row MERGE (c:{P} {{id: row.id}}) ON CREATE SET c = row"
        self.citations = {
            relation: f"UNWIND $rows AS row MATCH (p:{P} {{id: $id}}) MATCH (c:{P} {{id: row.target}}) "
            f"MERGE (p)-[r:{rel}]->(c) ON CREATE SET r = row.props"
            for relation, rel in self.rel_for_relation.items()
        }
        self.orphan_agencies = (
            f"UNWIND $ids AS aid MATCH (a:{A} {{id: aid}}) "
            f"WHERE NOT EXISTS {{ MATCH (a)<-[:{ISS}|{LEAD}|{SUP}]-() }} DETACH DELETE a"
        )
        self.orphan_placeholders = (
            f"UNWIND $ids AS cid MATCH (c:{P} {{id: cid}}) "
            f"WHERE c.{loaded} = false AND NOT EXISTS {{ MATCH (c)<--() }} DETACH DELETE c"
        )
        # --- several new documents in one transaction (``Loader.write_new``): every row names its
        # policy (``row.policy``) instead of one ``$id`` per transaction.
        self.batch_known = " UNION ".join(
            f"UNWIND ${param} AS x MATCH (c:{P}) WHERE c.{key} = x "
            f"RETURN c.id AS id, c.{loaded} AS loaded, c.{doc_number} AS doc_number, c.title_key AS title_key, "
            f"COUNT {{ (c)-->() }} AS out"
            for param, key in (("ids", "id"), ("doc_numbers", doc_number), ("title_keys", "title_key"))
        )
        self.batch_policies = f"UNWIND $rows AS row MERGE (p:{P} {{id: row.id}}) SET p = row.props"
        self.batch_jurisdictions = [
            f"UNWIND $rows AS row MERGE (j:{J} {{id: row.id}}) "
            f"SET j.name = row.name, j.level = coalesce(row.level, j.level)",
            f"UNWIND $rows AS row MATCH (j:{J} {{id: row.id}}) "
            f"MERGE (l:{AL} {{id: row.level}}) MERGE (j)-[:{ADM}]->(l)",
            f"UNWIND $rows AS row MATCH (j:{J} {{id: row.id}}) "
            f"MERGE (q:{J} {{id: row.parent}}) ON CREATE SET q.name = row.parent "
            f"MERGE (j)-[:{s.rel('partOfJurisdiction')}]->(q)",
        ]
        self.batch_policy_jurisdiction = (
            f"UNWIND $rows AS row MATCH (p:{P} {{id: row.policy}}) MATCH (j:{J} {{id: row.j}}) CREATE (p)-[:{HJ}]->(j)"
        )
        self.batch_sections = (
            f"UNWIND $rows AS row MATCH (p:{P} {{id: row.policy}}) CREATE (p)-[:{HS}]->(x:{SEC}) SET x = row.props"
        )
        self.batch_tasks = (
            f"UNWIND $rows AS row MATCH (p:{P} {{id: row.policy}}) CREATE (p)-[:{HT}]->(t:{T}) SET t = row.props"
        )
        self.batch_agencies = [
            f"UNWIND $rows AS row MERGE (a:{A} {{id: row.id}}) ON CREATE SET a = row "
            f"SET a.agency_type = coalesce(a.agency_type, row.agency_type), a.level = coalesce(a.level, row.level), "
            f"a.jurisdiction = coalesce(a.jurisdiction, row.jurisdiction)",
            f"UNWIND $rows AS row MATCH (a:{A} {{id: row.id}}) "
            f"MERGE (t:{AT} {{id: row.agency_type}}) MERGE (a)-[:{s.rel('agencyType')}]->(t)",
            f"UNWIND $rows AS row MATCH (a:{A} {{id: row.id}}) "
            f"MERGE (l:{AL} {{id: row.level}}) MERGE (a)-[:{ADM}]->(l)",
            f"UNWIND $rows AS row MATCH (a:{A} {{id: row.id}}) "
            f"MATCH (j:{J} {{id: row.jurisdiction}}) MERGE (a)-[:{HJ}]->(j)",
        ]
        self.batch_issuers = (
            f"UNWIND $rows AS row MATCH (p:{P} {{id: row.policy}}) MATCH (a:{A} {{id: row.agency}}) "
            f"CREATE (p)-[r:{ISS}]->(a) SET r = row.props"
        )
        self.batch_policy_targets = (
            f"UNWIND $rows AS row MATCH (p:{P} {{id: row.policy}}) CREATE (p)-[:{HG}]->(g:{TG}) SET g = row.props"
        )
        self.batch_placeholders = f"UNWIND $rows AS row MERGE (c:{P} {{id: row.id}}) ON CREATE SET c = row"
        self.batch_citations = {
            relation: f"UNWIND $rows AS row MATCH (p:{P} {{id: row.policy}}) MATCH (c:{P} {{id: row.target}}) "
            f"CREATE (p)-[r:{rel}]->(c) SET r = row.props"
            for relation, rel in self.rel_for_relation.items()
        }
        self.current = f"MATCH (p:{P} {{id: $id}}) RETURN p.{s.key('sha256')} AS sha256, p.{loaded} AS loaded"
        self.exists = f"MATCH (p:{P} {{id: $id}}) RETURN p.id AS id"
        self.loaded_hashes = f"MATCH (p:{P}) WHERE p.{loaded} = true RETURN p.{s.key('sha256')} AS sha256"
        self.by_content = f"MATCH (p:{P}) WHERE p.{s.key('sha256')} = $sha256 AND p.{loaded} = true RETURN p.id AS id LIMIT 1"


class _Stop(Exception):
    """Loading cannot go on (the store is gone)."""


_COUNTERS = ("nodes_created", "nodes_deleted", "relationships_created", "relationships_deleted", "properties_set")


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


def _run(tx: neo4j.ManagedTransaction, cypher: str, **params: Any) -> list[dict[str, Any]]:
    return tx.run(cypher, params).data()


def _batches(rows: list[Any], size: int = 500) -> Iterable[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _unwind(tx: neo4j.ManagedTransaction, cypher: str, rows: list[Any], **params: Any) -> None:
    for batch in _batches(rows):
        tx.run(cypher, {**params, "rows": batch}).consume()


@dataclass
class Loader:
    store: Any  # healthgov.graph.store.Store (duck-typed: anything with execute_write/read)
    schema: GraphSchema = field(default_factory=load_schema)
    force: bool = False

    def __post_init__(self) -> None:
        self.q = Cypher(self.schema)
        # What committed document transactions changed (the engine's counters): the build's summary.
        self.written: Counter[str] = Counter()

    # --- vocabularies ------------------------------------------------------------------

    def load_vocabularies(self) -> int:
        """Concept schemes as nodes (id, zh/en labels, ranks) with SERVES_TIER; idempotent."""
        from healthgov.ontology.vocab import load_vocabularies

        s = self.schema
        vocab = load_vocabularies()
        plans: list[tuple[str, list[dict[str, Any]]]] = []
        serves: list[dict[str, str]] = []
        for scheme in vocab:
            label = scheme_class(scheme.id, s)
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
            plans.append((label, rows))
        IT, TR = scheme_class("institution-type", s), scheme_class("tier", s)
        serves_cypher = (
            f"UNWIND $rows AS row MATCH (i:{IT} {{id: row.src}}) MERGE (t:{TR} {{id: row.dst}}) "
            f"MERGE (i)-[:{s.rel('servesTier')}]->(t)"
        )

        def work(tx: neo4j.ManagedTransaction) -> int:
            for label, rows in plans:
                _unwind(tx, f"UNWIND $rows AS row MERGE (c:{label} {{id: row.id}}) SET c = row", rows)
            _unwind(tx, serves_cypher, serves)
            return sum(len(r) for _, r in plans)

        return self.store.execute_write(work)

    # --- documents ---------------------------------------------------------------------

    def has_content(self, sha256: str) -> bool:
        """Whether a loaded document has exactly these bytes (lets a build skip extracting it)."""
        return bool(self.store.read(self.q.by_content, {"sha256": sha256}))

    def loaded_hashes(self) -> set[str]:
        """The sha256 of every loaded document: one query, so a build checks N files against a
        set instead of sending N ``has_content`` round trips (the rebuild-after-one-change cost)."""
        return {r["sha256"] for r in self.store.read(self.q.loaded_hashes) if r["sha256"]}

    def is_current(self, rec: DocumentRecord) -> bool:
        rows = self.store.read(self.q.current, {"id": rec.policy.id})
        return bool(rows) and rows[0]["sha256"] == rec.sha256 and rows[0]["loaded"] is True

    def load(self, rec: DocumentRecord, rows: DocumentRows | None = None) -> LoadResult:
        """One document in one transaction: new, or replacing its previous version."""
        if not self.force and self.is_current(rec):
            return LoadResult(rec.policy.id, rec.source, "skipped")
        rows = rows if rows is not None else document_rows(self.schema, rec)
        self._counted_write(lambda tx: self._write(tx, rows))
        return LoadResult(rec.policy.id, rec.source, "loaded")

    def write_new(self, docs: list[DocumentRows]) -> int:
        """Write the longest leading run of ``docs`` that are new to the graph in ONE transaction,
        with the same UNWIND statements over the rows of all of them; return how many.

        The graph ends exactly as loading them one by one (``load``) would leave it, citations
        between them included (see ``_BatchWriter``). 0 means ``docs[0]`` needs ``load``: it is
        in the graph already, or folds a placeholder. Atomic like ``load``: a reader sees each
        document whole or not at all, a failure rolls the whole batch back.
        """
        if not docs:
            return 0
        writer = _BatchWriter(self)

        def work(tx: neo4j.ManagedTransaction) -> int:
            plan = writer.plan(tx, docs)
            if plan.docs:
                writer.write(tx, plan)
            return len(plan.docs)

        return self._counted_write(work)

    def load_batched(self, items: Iterable[tuple[Any, DocumentRecord]],
                     batch_docs: int = 100) -> Iterator[tuple[Any, LoadResult | BaseException]]:
        """Load ``(key, record)`` pairs, new documents ``batch_docs`` per transaction; yield each
        key with its outcome (a ``LoadResult`` or the exception that stopped it), in order.

        - A document already in the graph is replaced alone (``load``), in its place in the order.
        - A batch that fails is retried one document per transaction: a bad document fails
          alone, the others load. A lost connection is not retried: every document of the
          batch is reported with it and loading stops (the rest would fail the same way).
        - The caller may stop early (``break``): what was yielded as loaded is committed.
        """
        pending: list[tuple[Any, DocumentRecord, DocumentRows]] = []

        def flush() -> Iterator[tuple[Any, LoadResult | BaseException]]:
            while pending:
                try:
                    n = self.write_new([rows for _, _, rows in pending]) if batch_docs > 1 else 0
                except _LOST as e:
                    for key, _, _ in pending:
                        yield key, e
                    pending.clear()
                    raise _Stop from e
                except Exception:  # noqa: BLE001 - isolate the culprit: one document per transaction
                    n = -1
                if n > 0:
                    for key, rec, _ in pending[:n]:
                        yield key, LoadResult(rec.policy.id, rec.source, "loaded")
                    del pending[:n]
                    continue
                # The first document alone (n == 0), or every document alone after a failed batch.
                for key, rec, rows in list(pending if n < 0 else pending[:1]):
                    pending.pop(0)
                    try:
                        yield key, self.load(rec, rows)
                    except _LOST as e:
                        yield key, e
                        for k2, _, _ in pending:
                            yield k2, e
                        pending.clear()
                        raise _Stop from e
                    except Exception as e:  # noqa: BLE001 - reported, the others go on
                        yield key, e

        try:
            for key, rec in items:
                try:
                    rows = document_rows(self.schema, rec)
                except Exception as e:  # noqa: BLE001 - a record the loader refuses fails alone
                    yield key, e
                    continue
                if any(r.policy_id == rows.policy_id for _, _, r in pending):
                    yield from flush()  # the same policy twice: the later replaces the earlier
                pending.append((key, rec, rows))
                if len(pending) >= max(1, batch_docs):
                    yield from flush()
            yield from flush()
        except _Stop:
            return

    def _counted_write(self, work: Callable[[Any], T]) -> T:
        """``store.execute_write`` that adds the committed transaction's counters to ``written``."""
        box: dict[str, Counter[str]] = {}

        def counted(tx: neo4j.ManagedTransaction) -> T:
            proxy = _CountingTx(tx)
            out = work(proxy)
            box["counters"] = proxy.counters()  # the last attempt's: the one that commits
            return out

        out = self.store.execute_write(counted)
        self.written.update(box.get("counters", Counter()))
        return out

    def _write(self, tx: neo4j.ManagedTransaction, d: DocumentRows) -> None:
        q, pid = self.q, d.policy_id
        old_agencies: list[str] = []
        old_cited: list[str] = []
        # A document that is not in the graph yet has nothing to delete: checking that inside
        # the transaction saves 8 of its ~35 round trips, which is most of a fresh build's cost.
        if _run(tx, q.exists, id=pid):
            old_agencies = [r["id"] for r in _run(tx, q.prior_agencies, id=pid)]
            old_cited = [r["id"] for r in _run(tx, q.prior_cited, id=pid)]
            for stmt in q.delete:
                tx.run(stmt, {"id": pid}).consume()

        tx.run(q.policy, {"id": pid, "props": d.policy}).consume()
        # A placeholder created from a title-only citation has another id: fold it into this one.
        doc_number = d.policy.get(self.schema.key("docNumber"))
        for r in _run(tx, q.stale_placeholders, id=pid, doc_number=doc_number, title_key=d.policy.get("title_key")):
            for stmt in q.move_citations:
                tx.run(stmt, {"old": r["id"], "id": pid}).consume()
            tx.run(q.drop_node, {"old": r["id"]}).consume()

        for stmt in q.jurisdictions:
            _unwind(tx, stmt, d.jurisdictions)
        if d.policy_jurisdiction:
            tx.run(q.policy_jurisdiction, {"id": pid, "j": d.policy_jurisdiction}).consume()

        for stmt in q.sections:
            _unwind(tx, stmt, d.sections, id=pid)
        for stmt in q.tasks:
            _unwind(tx, stmt, d.tasks, id=pid)
        for stmt in q.agencies:
            _unwind(tx, stmt, d.agencies)
        _unwind(tx, q.issuers, d.issuers, id=pid)
        for role, rows in d.responsibilities.items():
            _unwind(tx, q.responsibilities[role], rows)
        for scheme, rows in d.tags.items():
            _unwind(tx, q.tags[scheme], rows)
        _unwind(tx, q.task_targets, [r for r in d.targets if r["task"]])
        _unwind(tx, q.policy_targets, [r for r in d.targets if not r["task"]], id=pid)
        _unwind(tx, q.measures, d.targets)

        self._write_citations(tx, d)
        if old_agencies:
            tx.run(q.orphan_agencies, {"ids": old_agencies}).consume()
        if stale_cited := [c for c in old_cited if c != pid]:
            tx.run(q.orphan_placeholders, {"ids": stale_cited}).consume()

    def _write_citations(self, tx: neo4j.ManagedTransaction, d: DocumentRows) -> None:
        q, pid = self.q, d.policy_id
        if not d.citations:
            return
        keys = [{"i": i, "doc_number": c["doc_number"], "title_key": c["title_key"]} for i, c in enumerate(d.citations)]
        best: dict[int, tuple[tuple[bool, bool, str], str]] = {}
        for r in _run(tx, q.citation_candidates, keys=keys):
            # Prefer a match by document number, then a loaded document, then the smallest id (stable).
            rank = (not r["by_number"], r["loaded"] is not True, r["id"])
            if r["i"] not in best or rank < best[r["i"]][0]:
                best[r["i"]] = (rank, r["id"])
        placeholders: dict[str, dict[str, Any]] = {}
        edges: dict[str, dict[str, dict[str, Any]]] = {"cites": {}, "implements": {}}
        s = self.schema
        for i, c in enumerate(d.citations):
            if i in best:
                target = best[i][1]
            else:
                target = citation_policy_id(c["doc_number"], c["title"])
                placeholders.setdefault(target, {k: v for k, v in {
                    "id": target,
                    s.key("title"): c["title"],
                    "title_key": c["title_key"],
                    s.key("docNumber"): c["doc_number"],
                    s.key("loaded"): False,
                }.items() if v is not None})
            if target == pid:
                continue  # a document naming itself
            # One edge per cited document and relation: the first mention's span is its evidence.
            edges[c["relation"]].setdefault(target, {"target": target, "props": c["props"]})
        _unwind(tx, q.placeholders, [p for t, p in placeholders.items() if t != pid])
        for relation, rows in edges.items():
            _unwind(tx, q.citations[relation], list(rows.values()), id=pid)


# --- several new documents per transaction -------------------------------------------------

_Outcome = LoadResult | BaseException
_LOST = (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired)


@dataclass
class _Known:
    """A Policy node as sequential loading would see it at some point of a batch."""

    loaded: Any
    doc_number: str | None
    title_key: str | None
    out: int = 0  # outgoing relationships (a placeholder has none)
    in_batch: bool = False


@dataclass
class _Plan:
    """What the documents of a batch write, decided before the first statement that writes."""

    docs: list[DocumentRows] = field(default_factory=list)
    placeholders: dict[str, dict[str, Any]] = field(default_factory=dict)
    citations: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {"cites": [], "implements": []})


def _key_match(c: _Known, doc_number: str | None, title_key: str | None) -> tuple[bool, bool]:
    """(matches, by_number) with Cypher's null semantics: ``null = x`` is never true."""
    by_number = doc_number is not None and c.doc_number is not None and c.doc_number == doc_number
    by_title = title_key is not None and c.title_key is not None and c.title_key == title_key
    return by_number or by_title, by_number


class _BatchWriter:
    """Plans and writes a batch of new documents exactly as loading them one by one would.

    Sequential loading of a document D does, beside writing D's own rows: (1) upgrade a
    placeholder with D's id in place, (2) fold placeholders with another id that match D's number
    or title into D, (3) resolve each citation against the Policies in the graph *at that moment*
    (those loaded before D, and the placeholders they made). The plan replays (1) and (3) in
    Python, document by document, over the Policies of the graph that any of the batch's ids, doc
    numbers or title keys can reach (read inside the transaction), plus those the batch itself
    makes. A document that needs (2), or is already loaded (a replacement), ends the batch there:
    it goes through the one-document path, which does exactly what it always did.
    """

    def __init__(self, loader: Loader) -> None:
        self.loader = loader
        self.q = loader.q
        self.s = loader.schema

    def _keys(self, d: DocumentRows) -> tuple[str | None, str | None]:
        return d.policy.get(self.s.key("docNumber")), d.policy.get("title_key")

    def plan(self, tx: neo4j.ManagedTransaction, docs: list[DocumentRows]) -> _Plan:
        ids: set[str] = set()
        numbers: set[str] = set()
        titles: set[str] = set()
        for d in docs:
            ids.add(d.policy_id)
            dn, tk = self._keys(d)
            numbers.update([dn] if dn else [])
            titles.update([tk] if tk else [])
            for c in d.citations:
                ids.add(citation_policy_id(c["doc_number"], c["title"]))
                numbers.update([c["doc_number"]] if c["doc_number"] is not None else [])
                titles.update([c["title_key"]] if c["title_key"] is not None else [])
        known: dict[str, _Known] = {}
        for r in _run(tx, self.q.batch_known, ids=sorted(ids), doc_numbers=sorted(numbers), title_keys=sorted(titles)):
            known[r["id"]] = _Known(r["loaded"], r["doc_number"], r["title_key"], r["out"] or 0)

        plan = _Plan()
        s = self.s
        for d in docs:
            pid = d.policy_id
            dn, tk = self._keys(d)
            own = known.get(pid)
            if own is not None and (own.loaded is not False or own.out or own.in_batch):
                break  # loaded already (or twice in this batch): a replacement, one document alone
            if any(c.loaded is False and cid != pid and _key_match(c, dn, tk)[0] for cid, c in known.items()):
                break  # a placeholder made from another citation of it: folded by the one-document path
            known[pid] = _Known(d.policy.get(s.key("loaded")), dn, tk, in_batch=True)
            plan.docs.append(d)
            if not d.citations:
                continue
            # As ``Loader._write_citations``, with the candidates from ``known`` instead of a query.
            best: dict[int, tuple[tuple[bool, bool, str], str]] = {}
            for i, c in enumerate(d.citations):
                for cid, node in known.items():
                    hit, by_number = _key_match(node, c["doc_number"], c["title_key"])
                    if hit:
                        rank = (not by_number, node.loaded is not True, cid)
                        if i not in best or rank < best[i][0]:
                            best[i] = (rank, cid)
            edges: dict[str, dict[str, dict[str, Any]]] = {"cites": {}, "implements": {}}
            for i, c in enumerate(d.citations):
                if i in best:
                    target = best[i][1]
                else:
                    target = citation_policy_id(c["doc_number"], c["title"])
                    if target != pid and target not in known:  # MERGE … ON CREATE: the first mention makes it
                        row = {k: v for k, v in {
                            "id": target,
                            s.key("title"): c["title"],
                            "title_key": c["title_key"],
                            s.key("docNumber"): c["doc_number"],
                            s.key("loaded"): False,
                        }.items() if v is not None}
                        plan.placeholders[target] = row
                        known[target] = _Known(False, c["doc_number"], c["title_key"])
                if target == pid:
                    continue
                edges[c["relation"]].setdefault(target, {"policy": pid, "target": target, "props": c["props"]})
            for relation, rows in edges.items():
                plan.citations[relation].extend(rows.values())
        return plan

    def write(self, tx: neo4j.ManagedTransaction, plan: _Plan) -> None:
        q, docs = self.q, plan.docs
        run = _unwind  # no rows, no statement
        run(tx, q.batch_policies, [{"id": d.policy_id, "props": d.policy} for d in docs])

        # Jurisdictions: one row per node, as the per-document statements leave it (the last
        # non-null level wins), and each distinct level and parent edge once.
        jur: dict[str, dict[str, Any]] = {}
        levels: dict[tuple[str, str], None] = {}
        parents: dict[tuple[str, str], None] = {}
        for d in docs:
            for r in d.jurisdictions:
                prev = jur.get(r["id"])
                level = r.get("level") if r.get("level") is not None else (prev or {}).get("level")
                jur[r["id"]] = {"id": r["id"], "name": r.get("name"), "level": level}
                if r.get("level") is not None:
                    levels[(r["id"], r["level"])] = None
                if r.get("parent") is not None:
                    parents[(r["id"], r["parent"])] = None
        run(tx, q.batch_jurisdictions[0], [{k: v for k, v in r.items() if v is not None} for r in jur.values()])
        run(tx, q.batch_jurisdictions[1], [{"id": i, "level": v} for i, v in levels])
        run(tx, q.batch_jurisdictions[2], [{"id": i, "parent": v} for i, v in parents])
        run(tx, q.batch_policy_jurisdiction,
            [{"policy": d.policy_id, "j": d.policy_jurisdiction} for d in docs if d.policy_jurisdiction])

        run(tx, q.batch_sections, [{**r, "policy": d.policy_id} for d in docs for r in d.sections])
        run(tx, q.sections[1], [r for d in docs for r in d.sections if r["parent"] is not None])
        run(tx, q.batch_tasks, [{**r, "policy": d.policy_id} for d in docs for r in d.tasks])
        run(tx, q.tasks[1], [r for d in docs for r in d.tasks if r["section"] is not None])

        # Agencies: the node as the first row makes it (ON CREATE SET a = row) with each of the
        # three coalesced keys from the first row that has it; each distinct edge once.
        agencies: dict[str, dict[str, Any]] = {}
        edges: dict[str, dict[tuple[str, Any], None]] = {"agency_type": {}, "level": {}, "jurisdiction": {}}
        for d in docs:
            for r in d.agencies:
                a = agencies.setdefault(r["id"], dict(r))
                for k, seen in edges.items():
                    if r.get(k) is not None:
                        seen[(r["id"], r[k])] = None
                        if a.get(k) is None:
                            a[k] = r[k]
        run(tx, q.batch_agencies[0], list(agencies.values()))
        for stmt, k in zip(q.batch_agencies[1:], ("agency_type", "level", "jurisdiction"), strict=True):
            run(tx, stmt, [{"id": i, k: v} for i, v in edges[k]])

        run(tx, q.batch_issuers, [{**r, "policy": d.policy_id} for d in docs for r in d.issuers])
        for d in docs:  # what the one-document path would refuse (KeyError), this refuses too
            for role in d.responsibilities:
                q.responsibilities[role]  # noqa: B018
            for scheme in d.tags:
                q.tags[scheme]  # noqa: B018
        for role, stmt in q.responsibilities.items():
            run(tx, stmt, [r for d in docs for r in d.responsibilities.get(role, [])])
        for scheme, stmt in q.tags.items():
            run(tx, stmt, [r for d in docs for r in d.tags.get(scheme, [])])
        run(tx, q.task_targets, [r for d in docs for r in d.targets if r["task"]])
        run(tx, q.batch_policy_targets, [{**r, "policy": d.policy_id} for d in docs for r in d.targets if not r["task"]])
        run(tx, q.measures, [r for d in docs for r in d.targets if r.get("indicator") is not None])

        batch_ids = {d.policy_id for d in docs}
        run(tx, q.batch_placeholders, [r for t, r in plan.placeholders.items() if t not in batch_ids])
        for relation, rows in plan.citations.items():
            run(tx, q.batch_citations[relation], rows)


def graph_counts(store: Any) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes by label and relationships by type (one label per node: see docs/graph.md)."""
    # The version node is bookkeeping, not data: not counted.
    nodes = store.read(f"MATCH (n) WHERE NOT n:{META_LABEL} RETURN labels(n)[0] AS label, count(*) AS n ORDER BY label")
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
