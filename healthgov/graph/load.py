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

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import neo4j

from healthgov.graph.rows import DocumentRows, citation_policy_id, document_rows
from healthgov.graph.schema import GraphSchema, load_schema
from healthgov.records import DocumentRecord

# The one scheme whose class is not the CamelCase of its id (see DESIGN.md, Files).
_SCHEME_CLASS_ALIASES = {"admin-level": "AdministrativeLevel"}
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
        self.current = f"MATCH (p:{P} {{id: $id}}) RETURN p.{s.key('sha256')} AS sha256, p.{loaded} AS loaded"
        self.exists = f"MATCH (p:{P} {{id: $id}}) RETURN p.id AS id"
        self.loaded_hashes = f"MATCH (p:{P}) WHERE p.{loaded} = true RETURN p.{s.key('sha256')} AS sha256"
        self.by_content = f"MATCH (p:{P}) WHERE p.{s.key('sha256')} = $sha256 AND p.{loaded} = true RETURN p.id AS id LIMIT 1"


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

    def load(self, rec: DocumentRecord) -> LoadResult:
        if not self.force and self.is_current(rec):
            return LoadResult(rec.policy.id, rec.source, "skipped")
        rows = document_rows(self.schema, rec)
        self.store.execute_write(lambda tx: self._write(tx, rows))
        return LoadResult(rec.policy.id, rec.source, "loaded")

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


def graph_counts(store: Any) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes by label and relationships by type (one label per node: see docs/graph.md)."""
    nodes = store.read("MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n ORDER BY label")
    rels = store.read("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type")
    return {r["label"]: r["n"] for r in nodes}, {r["type"]: r["n"] for r in rels}
