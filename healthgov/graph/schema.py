"""The property-graph schema, derived from the ontology (``healthgov/ontology/healthgov.ttl``).

Node label = class local name, relationship type = UPPER_SNAKE of the object property's local
name, property key = snake_case of the datatype property's local name (docs/DESIGN.md). Code
asks this module by ontology local name (``schema.rel("leadAgency")`` → ``"LEAD_AGENCY"``), so a
term renamed or dropped in the ontology fails loudly at load time instead of drifting.

Labels and relationship types cannot be Cypher parameters, so the loader splices them into its
statements: they come from here (checked identifiers), never from data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, Graph, URIRef

from healthgov.graph.version import KEPT_LABEL

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology" / "healthgov.ttl"
HG = "https://w3id.org/healthgov/ontology#"

# Keys the property graph needs that are not ontology terms: node identity and the SKOS labels
# of vocabulary nodes (skos:prefLabel/notation/inScheme in RDF), and the section tree's shape.
GRAPH_KEYS = frozenset(
    {"id", "pref_zh", "pref_en", "alt_labels", "scheme", "kind", "depth", "path", "title_key",
     "names", "agency_type", "institution_type", "level", "jurisdiction", "format", "encoding", "language_script",
     "warnings", "task", "section", "broader", "default_unit", "serves_tier", "year", "policy",
     "text_simplified", "aliases", "name_rank",
     "lead_rows", "support_rows", "named_lead_rows", "named_support_rows"}
)
GRAPH_ROLE = HG + "graphRole"  # annotation: "node" | "relationship" | "property" | "rdf-only"
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def upper_snake(local: str) -> str:
    return snake(local).upper()


def snake(local: str) -> str:
    """``docNumberRaw`` → ``doc_number_raw``, ``sha256`` → ``sha256``, ``sourceURL`` → ``source_url``."""
    s = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", local)
    return s.replace("-", "_").lower()


def _local(iri: URIRef) -> str | None:
    s = str(iri)
    return s[len(HG):] if s.startswith(HG) and len(s) > len(HG) else None


@dataclass(frozen=True)
class GraphSchema:
    labels: dict[str, str] = field(default_factory=dict)  # class local name → node label
    rels: dict[str, str] = field(default_factory=dict)  # object property local name → rel type
    keys: dict[str, str] = field(default_factory=dict)  # datatype property local name → key
    # Terms the ontology marks hg:graphRole "rdf-only": a Responsibility is the properties of a
    # LEAD_AGENCY / SUPPORTING_AGENCY relationship, provenance is properties on the fact.
    rdf_only: frozenset[str] = frozenset()

    def label(self, local: str) -> str:
        return self._get(self.labels, local, "class")

    def rel(self, local: str) -> str:
        return self._get(self.rels, local, "object property")

    def key(self, local: str) -> str:
        """A property key: an ontology datatype property, or one of the graph-only ``GRAPH_KEYS``."""
        if local in self.keys:
            return self._get(self.keys, local, "datatype property")
        if local in GRAPH_KEYS:
            return local
        raise KeyError(f"hg:{local} is not a datatype property of the ontology (nor a graph-only key)")

    def _get(self, table: dict[str, str], local: str, what: str) -> str:
        if local in self.rdf_only:
            raise KeyError(f"hg:{local} is RDF-only (hg:graphRole): it has no place in the property graph")
        try:
            name = table[local]
        except KeyError:
            raise KeyError(f"hg:{local} is not an {what} of the ontology") from None
        if not _IDENT.match(name):  # spliced into Cypher: must be a plain identifier
            raise ValueError(f"{name!r} derived from hg:{local} is not a safe Cypher identifier")
        return name

    def node_labels(self) -> list[str]:
        return sorted(v for k, v in self.labels.items() if k not in self.rdf_only)

    def statements(self) -> list[str]:
        """Idempotent DDL: a unique ``id`` per node label and lookup indexes the loader uses."""
        out = [
            f"CREATE CONSTRAINT {snake(label)}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
            for label in self.node_labels()
        ]
        # Agency.jurisdiction: the loader's ``successors`` statement finds a type's bodies in one place
        # by it; without the index each row scans every Agency (6 s a batch at 3,000 documents).
        lookups = (("Policy", "docNumber"), ("Policy", "title_key"), ("Policy", "sha256"), ("Agency", "name"),
                   ("Agency", "jurisdiction"))
        for cls, local in lookups:
            try:
                label, key = self.label(cls), self.key(local)
            except KeyError:  # an ontology without the term: nothing to index
                continue
            out.append(f"CREATE INDEX {snake(label)}_{key} IF NOT EXISTS FOR (n:{label}) ON (n.{key})")
        # The kept answers (healthgov.queries.kept): read by slot, forgotten by part (a place, an indicator).
        out += [f"CREATE CONSTRAINT healthgov_kept_id IF NOT EXISTS FOR (n:{KEPT_LABEL}) REQUIRE n.id IS UNIQUE",
                f"CREATE INDEX healthgov_kept_slot IF NOT EXISTS FOR (n:{KEPT_LABEL}) ON (n.slot)",
                f"CREATE INDEX healthgov_kept_part IF NOT EXISTS FOR (n:{KEPT_LABEL}) ON (n.part)"]
        return out


def derive(graph: Graph) -> GraphSchema:
    rdf_only = frozenset(
        local for subj, role in graph.subject_objects(URIRef(GRAPH_ROLE))
        if str(role) == "rdf-only" and isinstance(subj, URIRef) and (local := _local(subj))
    )
    labels: dict[str, str] = {}
    rels: dict[str, str] = {}
    keys: dict[str, str] = {}
    for s in graph.subjects(RDF.type, OWL.Class):
        if isinstance(s, URIRef) and (local := _local(s)):
            labels[local] = local
    object_types = (OWL.ObjectProperty, OWL.TransitiveProperty, OWL.SymmetricProperty)
    for t in object_types:
        for s in graph.subjects(RDF.type, t):
            if isinstance(s, URIRef) and (local := _local(s)):
                rels[local] = upper_snake(local)
    for s in graph.subjects(RDF.type, OWL.DatatypeProperty):
        if isinstance(s, URIRef) and (local := _local(s)):
            keys[local] = snake(local)
    return GraphSchema(labels, rels, keys, rdf_only)


def from_turtle(text: str) -> GraphSchema:
    return derive(Graph().parse(data=text, format="turtle"))


@lru_cache(maxsize=1)
def load_schema(path: str | None = None) -> GraphSchema:
    ttl = Path(path) if path else ONTOLOGY
    if not ttl.exists():
        raise FileNotFoundError(f"the ontology {ttl} is missing: the graph schema is derived from it")
    return derive(Graph().parse(ttl, format="turtle"))


def create_schema(store: object, schema: GraphSchema | None = None) -> list[str]:
    """Create constraints and indexes (idempotent: ``IF NOT EXISTS``). Returns the statements run."""
    schema = schema or load_schema()
    statements = schema.statements()
    with store.session() as s:  # type: ignore[attr-defined]
        for stmt in statements:  # DDL one statement per transaction: Neo4j refuses to mix it with writes
            s.run(stmt).consume()
    return statements
