"""The graph read back out of the store: RDF (via ``healthgov.ontology.rdf``), GraphML and CSV.

RDF is made by rebuilding the ``DocumentRecord`` of every loaded policy *from the store*
(``healthgov.graph.readback``) and mapping it with ``record_to_graph``, so what is exported (and
SHACL-validated) is what the graph holds, not what the files say today. GraphML and CSV are a
straight dump of nodes and relationships; the CSV is the input format of
``neo4j-admin database import full``.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from healthgov.graph.readback import records_from_store
from healthgov.graph.schema import load_schema
from healthgov.graph.version import META_LABEL

# --- a raw dump ----------------------------------------------------------------------------


def dump(store: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every node (key, label, properties) and relationship (start, end, type, properties).

    The graph's version node (``healthgov.graph.version``) is bookkeeping, not data: left out.
    """
    nodes = store.read(f"MATCH (n) WHERE NOT n:{META_LABEL} "
                       "RETURN elementId(n) AS eid, labels(n)[0] AS label, properties(n) AS props")
    rels = store.read(
        "MATCH (a)-[r]->(b) RETURN elementId(a) AS s, elementId(b) AS e, type(r) AS type, properties(r) AS props"
    )
    # Stable, engine-independent keys: elementId differs between engines and between builds.
    key = {n["eid"]: f"{n['label']}:{n['props'].get('id', n['eid'])}" for n in nodes}
    out_nodes = sorted(({"key": key[n["eid"]], "label": n["label"], "props": n["props"]} for n in nodes),
                       key=lambda n: n["key"])
    out_rels = sorted(({"start": key[r["s"]], "end": key[r["e"]], "type": r["type"], "props": r["props"]}
                       for r in rels), key=lambda r: (r["start"], r["type"], r["end"], json.dumps(r["props"], sort_keys=True)))
    return out_nodes, out_rels


def _scalar(v: Any) -> Any:
    if isinstance(v, list):  # GraphML has no list type
        return json.dumps(v, ensure_ascii=False)
    return v


def caption(label: str, props: dict[str, Any]) -> str:
    """What a person calls a node: an agency's name, a task's number and title, a policy's title."""
    def join(*parts: Any) -> str:
        return " ".join(str(p) for p in parts if p not in (None, "")).strip()

    if label in ("Section", "Task"):
        text = join(props.get("number"), props.get("title"))
    elif label == "Policy":
        text = join(props.get("title")) or join(props.get("doc_number"))
    elif label == "Target":
        what = props.get("indicator_text") or str(props.get("text") or "")[:40]
        value = join(props.get("value"), props.get("unit")).replace(" ", "") if props.get("value") is not None else ""
        text = join(what, props.get("comparator") if value else None, value, props.get("target_year"))
    elif "pref_zh" in props:
        text = join(props.get("pref_zh"))
    else:
        text = join(props.get("name"))
    return text or str(props.get("id", label))


def write_graphml(store: Any, path: Path) -> tuple[int, int]:
    """GraphML that Gephi, Cytoscape and networkx read whole.

    GraphML 1.0 types node and edge ids as XML NMTOKENs (no "/" or spaces) and wants edge ids
    unique: Gephi keeps one edge per repeated id. So ids are canonical (``n0``…, ``e0``…, in the
    sorted order of ``dump``); the engine-independent key is the ``key`` attribute, the graph label
    is ``labels``, and ``label`` (what Gephi shows as the caption) is a human name.
    """
    import networkx as nx

    nodes, rels = dump(store)
    g = nx.MultiDiGraph()
    gid = {n["key"]: f"n{i}" for i, n in enumerate(nodes)}
    reserved = {"label", "labels", "key"}
    for n in nodes:
        props = {k: _scalar(v) for k, v in n["props"].items() if k not in reserved}
        g.add_node(gid[n["key"]], label=caption(n["label"], n["props"]), labels=n["label"], key=n["key"], **props)
    for i, r in enumerate(rels):
        props = {k: _scalar(v) for k, v in r["props"].items() if k not in ("label", "type")}
        g.add_edge(gid[r["start"]], gid[r["end"]], key=f"e{i}", label=r["type"], type=r["type"], **props)
    # One GraphML type per attribute: a column that holds 3 and 3.5 becomes double, not two keys.
    nx.write_graphml(g, path, infer_numeric_types=True)
    return len(nodes), len(rels)


# neo4j-admin's property types (Neo4j 5 operations manual, "Import": header format).
ADMIN_TYPES = frozenset({"int", "long", "float", "double", "boolean", "byte", "short", "char", "string",
                         "point", "date", "localtime", "time", "localdatetime", "datetime", "duration"})
_INT32 = range(-(2**31), 2**31)


def _is_date(v: Any) -> bool:
    import datetime as dt

    try:
        return isinstance(v, str) and len(v) == 10 and dt.date.fromisoformat(v) is not None
    except ValueError:
        return False


def _csv_type(values: list[Any], date: bool = False) -> str:
    present = [v for v in values if v is not None]
    kinds = {type(v) for v in present}
    if kinds == {bool}:
        return "boolean"
    if kinds and kinds <= {int}:
        return "int" if all(v in _INT32 for v in present) else "long"
    if kinds and kinds <= {int, float}:
        return "double"
    # Only a column the ontology says is a date, and only if every value is one: a single
    # "2023年" would make the whole import fail.
    if date and present and all(_is_date(v) for v in present):
        return "date"
    return "string"


def _header(props: list[dict[str, Any]], dates: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(key, neo4j-admin header) for every property key: typed, lists as arrays (``;``-separated)."""
    keys = sorted({k for p in props for k in p})
    out = []
    for k in keys:
        vals = [p.get(k) for p in props]
        if any(isinstance(v, list) for v in vals):
            inner = [x for v in vals if isinstance(v, list) for x in v]
            out.append((k, f"{k}:{_csv_type(inner, k in dates)}[]"))
        else:
            out.append((k, f"{k}:{_csv_type(vals, k in dates)}"))
    return out


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return ";".join(_cell(x) for x in v)
    return v


def _date_keys() -> frozenset[str]:
    s = load_schema()
    return frozenset({s.key("issuedOn"), s.key("publishedOn")})


def write_csv(store: Any, directory: Path) -> tuple[int, int]:
    """One node file per label and one relationship file per (type, start label, end label).

    Ids live in one ID space per label (a Tier and an AdministrativeLevel can both be "county").
    """
    nodes, rels = dump(store)
    dates = _date_keys()
    directory.mkdir(parents=True, exist_ok=True)
    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n in nodes:
        by_label[n["label"]].append(n)
    label_of = {n["key"]: n["label"] for n in nodes}
    node_id = {n["key"]: str(n["props"].get("id", n["key"])) for n in nodes}
    node_files, rel_files = [], []
    for label, items in sorted(by_label.items()):
        header = _header([{k: v for k, v in n["props"].items() if k != "id"} for n in items], dates)
        name = f"nodes_{label}.csv"
        with open(directory / name, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow([f"id:ID({label})", *(h for _, h in header), ":LABEL"])
            for n in items:
                w.writerow([node_id[n["key"]], *(_cell(n["props"].get(k)) for k, _ in header), label])
        node_files.append((label, name))
    by_type: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rels:
        by_type[(r["type"], label_of[r["start"]], label_of[r["end"]])].append(r)
    for (rtype, a, b), items in sorted(by_type.items()):
        header = _header([r["props"] for r in items], dates)
        name = f"rels_{rtype}_{a}_{b}.csv"
        with open(directory / name, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow([f":START_ID({a})", f":END_ID({b})", *(h for _, h in header), ":TYPE"])
            for r in items:
                w.writerow([node_id[r["start"]], node_id[r["end"]], *(_cell(r["props"].get(k)) for k, _ in header), rtype])
        rel_files.append(name)
    (directory / "IMPORT.md").write_text(import_instructions([f for _, f in node_files], rel_files), encoding="utf-8")
    return len(nodes), len(rels)


def import_options(node_files: list[str], rel_files: list[str], root: str = "/import") -> list[str]:
    """The options of ``neo4j-admin database import full`` for these files (Neo4j 5)."""
    return [
        # The database exists as soon as Neo4j has started once; without this the import refuses.
        "--overwrite-destination=true",
        # Task and target texts keep their line breaks: quoted cells span lines.
        "--multiline-fields=true",
        "--array-delimiter=;",
        *(f"--nodes={root}/{f}" for f in node_files),
        *(f"--relationships={root}/{f}" for f in rel_files),
    ]


def import_instructions(node_files: list[str], rel_files: list[str]) -> str:
    def command(prefix: str) -> str:
        return prefix + " \\\n  ".join(["neo4j-admin database import full neo4j",
                                        *(f"'{o}'" if ";" in o else o for o in import_options(node_files, rel_files))])

    return f"""# Importing into Neo4j 5

These files are in the input format of `neo4j-admin database import full` (Neo4j 5): typed
headers (`:int`, `:double`, `:boolean`, `:date`, arrays as `type[]` with `;` between items),
one ID space per label (`id:ID(Task)`, `:START_ID(Task)`, `:END_ID(Agency)`), cells that span
lines (task texts). The import replaces the whole database, and Neo4j must not be running it.

## A Neo4j installation

Copy this directory's files to the server's import directory (here `/import`), then:

```sh
neo4j stop
{command("")}
neo4j start
```

## The docker-compose.yml of healthgov

Neo4j Community cannot stop one database while the server runs, so stop the container and run
the import in a one-off container on the same data volume, with this directory mounted at
`/import`:

```sh
docker compose stop healthgov neo4j
{command('docker compose run --rm --no-deps -v "$PWD/export-csv:/import:ro" neo4j ')}
docker compose start neo4j healthgov
```

(replace `$PWD/export-csv` with this directory). The healthgov service's next `healthgov build`
creates the constraints and indexes (`IF NOT EXISTS`) and skips the documents already there.
"""


def instances_rdf(store: Any):  # noqa: ANN201 - rdflib.Graph, imported lazily
    """The graph's instances as RDF: the records rebuilt from the store, mapped by ``record_to_graph``."""
    from rdflib import Graph

    from healthgov.ontology.rdf import bind_prefixes, record_to_graph

    g = bind_prefixes(Graph())
    for rec in records_from_store(store):
        g += record_to_graph(rec)
    return g


def to_rdf(store: Any):  # noqa: ANN201 - rdflib.Graph, imported lazily
    """The whole graph as RDF that stands alone: the instances (``instances_rdf``), the
    vocabulary concepts and schemes they refer to, and the provenance of the export itself.

    That provenance is a ``prov:Activity`` (the export, with its start and end time) associated
    with the healthgov release that ran it, which generated the dataset
    ``hgd:dataset/{time}`` (``prov:generatedAtTime``; the ontology version it conforms to).
    """
    import datetime as dt

    from rdflib import OWL, RDF, RDFS, XSD, Literal, URIRef
    from rdflib.namespace import DCTERMS, PROV

    import healthgov
    from healthgov.ontology.rdf import HGD, with_vocabulary

    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    g = instances_rdf(store)
    with_vocabulary(g)
    ended = dt.datetime.now(dt.UTC).replace(microsecond=0)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    version = healthgov.__version__
    activity, dataset, software = HGD[f"export/{stamp}"], HGD[f"dataset/{stamp}"], HGD[f"software/healthgov/{version}"]
    ontology = URIRef("https://w3id.org/healthgov/ontology")

    def when(t: dt.datetime) -> Literal:
        return Literal(t.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)

    for triple in (
        (software, RDF.type, PROV.SoftwareAgent),
        (software, RDFS.label, Literal(f"healthgov {version}", lang="en")),
        (software, OWL.versionInfo, Literal(version)),
        (activity, RDF.type, PROV.Activity),
        (activity, RDFS.label, Literal(f"healthgov {version} export of the graph, {started.isoformat()}", lang="en")),
        (activity, PROV.startedAtTime, when(started)),
        (activity, PROV.endedAtTime, when(ended)),
        (activity, PROV.wasAssociatedWith, software),
        (dataset, RDF.type, PROV.Entity),
        (dataset, RDFS.label, Literal(f"healthgov knowledge graph, exported {started.isoformat()}", lang="en")),
        (dataset, PROV.wasGeneratedBy, activity),
        (dataset, PROV.generatedAtTime, when(ended)),
        (dataset, DCTERMS.conformsTo, ontology),
    ):
        g.add(triple)
    return g


def jsonld_context() -> dict[str, str]:
    """The JSON-LD ``@context`` of an export: the prefixes, so keys read ``hg:title``."""
    from healthgov.ontology.rdf import PREFIXES

    return {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def serialize_rdf(graph: Any, fmt: str) -> str:
    """Turtle (``ttl``) or compact JSON-LD with an inline ``@context`` (``jsonld``)."""
    if fmt == "ttl":
        return graph.serialize(format="turtle")
    return graph.serialize(format="json-ld", context=jsonld_context(), auto_compact=True, indent=1)


def validate_rdf(graph: Any, inference: str = "none") -> tuple[bool, str]:
    """SHACL validation against the ontology's shapes (``healthgov.ontology.rdf.validate``)."""
    from healthgov.ontology.rdf import validate

    conforms, text = validate(graph, inference=inference)
    return bool(conforms), str(text)
