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
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from healthgov.graph.readback import records_from_store
from healthgov.graph.scan import (  # noqa: F401 - callers import them from here
    ID_PAGE,
    NODE_BATCH,
    REL_BATCH,
    GraphChanged,
    check_unchanged,
    dump,
    id_batches,
    iter_nodes,
    iter_rels,
    node_labels,
    nodes_of,
    rels_of,
)
from healthgov.graph.schema import load_schema


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

    Read in pages (``iter_nodes``, ``iter_rels``), but networkx holds the whole graph before it
    writes: GraphML is not streamed (CSV is).
    """
    import networkx as nx

    before = store.graph_version()
    g = nx.MultiDiGraph()
    gid: dict[str, str] = {}
    reserved = {"label", "labels", "key"}
    for n in iter_nodes(store):
        gid[n["key"]] = f"n{len(gid)}"
        props = {k: _scalar(v) for k, v in n["props"].items() if k not in reserved}
        g.add_node(gid[n["key"]], label=caption(n["label"], n["props"]), labels=n["label"], key=n["key"], **props)
    edges = 0
    for r in iter_rels(store):
        props = {k: _scalar(v) for k, v in r["props"].items() if k not in ("label", "type")}
        g.add_edge(gid[r["start"]], gid[r["end"]], key=f"e{edges}", label=r["type"], type=r["type"], **props)
        edges += 1
    check_unchanged(store, before)
    # One GraphML type per attribute: a column that holds 3 and 3.5 becomes double, not two keys.
    nx.write_graphml(g, path, infer_numeric_types=True)
    return len(gid), edges


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


class _Column:
    """What ``_header`` needs to know of a column's values, gathered one value at a time: the
    types of its scalars and of its lists' items, whether an int needs 64 bits, whether a
    value of a date column is not a date."""

    __slots__ = ("date", "scalars", "items", "is_list", "long", "long_item", "not_date", "not_date_item")

    def __init__(self, date: bool) -> None:
        self.date = date
        self.scalars: set[type] = set()
        self.items: set[type] = set()
        self.is_list = self.long = self.long_item = False
        self.not_date = self.not_date_item = not date  # only a date column is checked

    def add_list(self, v: list[Any]) -> None:
        self.is_list = True
        for x in v:
            if x is None:
                continue
            t = type(x)
            self.items.add(t)
            if t is int and not _I32_MIN <= x <= _I32_MAX:
                self.long_item = True
            if not self.not_date_item and not _is_date(x):
                self.not_date_item = True

    @staticmethod
    def _type(kinds: set[type], long: bool, not_date: bool) -> str:
        # The decisions of _csv_type, from the summary instead of the values.
        if kinds == {bool}:
            return "boolean"
        if kinds and kinds <= {int}:
            return "long" if long else "int"
        if kinds and kinds <= {int, float}:
            return "double"
        if kinds and not not_date:
            return "date"
        return "string"

    def header(self, key: str) -> str:
        # A column with any list is an array, typed by its lists' items (``_header``).
        if self.is_list:
            return f"{key}:{self._type(self.items, self.long_item, self.not_date_item)}[]"
        return f"{key}:{self._type(self.scalars, self.long, self.not_date)}"


_I32_MIN, _I32_MAX = -(2**31), 2**31 - 1


class _StreamedTable:
    """One CSV file written as its rows arrive, its typed header known only at the end.

    The rows of the first page are held until ``flush`` (the end of a page) and written with the
    columns they have, sorted; later rows are written at once, a column first seen later added at
    the end (the rows before it are shorter). Meanwhile each column's values are summed up
    (``_Column``). Rows go to ``<name>.part``; ``close`` writes the header, then the body: copied
    as bytes when the columns are in sorted order and no row is short, else read back and put in
    order. Memory: a page and the columns' summaries, never the whole table.
    """

    def __init__(self, path: Path, lead: list[str], last: str, tail: str, dates: frozenset[str],
                 skip: str | None = None) -> None:
        # lead: the headers of the cells before the properties (ids); last: the header of the
        # cell after them (":LABEL", ":TYPE"), whose value is tail in every row.
        self.path, self.lead, self.last, self.tail, self.dates, self.skip = path, lead, last, tail, dates, skip
        self.part = path.with_name(path.name + ".part")
        self.fh = open(self.part, "w", newline="", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.write = csv.writer(self.fh).writerow
        self.order: list[str] = []
        self.columns: dict[str, _Column] = {}
        self.pending: list[tuple[Any, Any, dict[str, Any]]] | None = []
        self.short = False

    def add(self, a: Any, b: Any, props: dict[str, Any]) -> None:
        """A row: its lead cells (``a``, and ``b`` unless None), its properties."""
        columns = self.columns
        for k in props:
            if k not in columns and k != self.skip:
                columns[k] = _Column(k in self.dates)
                self.order.append(k)
                if self.pending is None:
                    self.short = True
        if self.pending is not None:
            self.pending.append((a, b, props))
            return
        self._row(a, b, props)

    def _row(self, a: Any, b: Any, props: dict[str, Any]) -> None:
        cells = [a] if b is None else [a, b]
        columns = self.columns
        for k in self.order:
            v = props.get(k)
            if v is None:
                cells.append("")
                continue
            t = type(v)
            c = columns[k]
            if t is str:
                c.scalars.add(t)
                if not c.not_date and not _is_date(v):
                    c.not_date = True
                cells.append(v)
            elif t is list:
                c.add_list(v)
                cells.append(_cell(v))
            else:
                c.scalars.add(t)
                if t is int and not _I32_MIN <= v <= _I32_MAX:
                    c.long = True
                if not c.not_date:
                    c.not_date = True
                cells.append(_cell(v))
        cells.append(self.tail)
        self.write(cells)

    def flush(self) -> None:
        """The end of a page: the first page's rows are written, in sorted columns."""
        if self.pending is not None:
            self.order.sort()
            pending, self.pending = self.pending, None
            for row in pending:
                self._row(*row)

    def close(self) -> None:
        self.flush()
        self.fh.close()
        keys = sorted(self.order)
        with open(self.path, "w", newline="", encoding="utf-8") as out:
            w = csv.writer(out)
            w.writerow([*self.lead, *(self.columns[k].header(k) for k in keys), self.last])
            if keys == self.order and not self.short:
                out.flush()
                with open(self.part, "rb") as body:
                    shutil.copyfileobj(body, out.buffer, 1 << 20)
            else:
                where = {k: i for i, k in enumerate(self.order)}
                index, n = [where[k] for k in keys], len(self.lead)
                with open(self.part, encoding="utf-8", newline="") as body:
                    for row in csv.reader(body):
                        props = row[n:-1]
                        w.writerow([*row[:n], *(props[i] if i < len(props) else "" for i in index), row[-1]])
        os.unlink(self.part)

    def discard(self) -> None:
        if not self.fh.closed:
            self.fh.close()
        self.part.unlink(missing_ok=True)


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return ";".join(str(_cell(x)) for x in v)  # a list of numbers too
    return v


def _date_keys() -> frozenset[str]:
    s = load_schema()
    return frozenset({s.key("issuedOn"), s.key("publishedOn")})


def _csv_pages(store: Any, page: int, batch: int,
               rel_batch: int) -> Iterator[tuple[str, list[Any], Iterator[list[Any]]]]:
    """(label, nodes, their outgoing relationships) a batch at a time, label by label; a label's
    last batch is followed by (label, [], no relationships)."""
    for label in node_labels(store):
        for ids in id_batches(store, label, page, batch):
            yield label, nodes_of(store, label, ids), rels_of(store, label, ids, rel_batch)
        yield label, [], iter(())


def write_csv(store: Any, directory: Path, page: int = ID_PAGE, batch: int = NODE_BATCH,
              rel_batch: int = REL_BATCH) -> tuple[int, int]:
    """One node file per label and one relationship file per (type, start label, end label).

    Ids live in one ID space per label (a Tier and an AdministrativeLevel can both be "county").

    Streamed: label by label, keyset pages of ids (``id_pages``); a batch of those nodes
    (``nodes_of``) is written to its label's file, then their outgoing relationships
    (``rels_of``) to theirs: memory holds a page of ids and a batch whatever the graph's size. Rows and files are those of ``dump``, in its order. Raises ``GraphChanged`` if the graph was
    written meanwhile.
    """
    dates = _date_keys()
    directory.mkdir(parents=True, exist_ok=True)
    before = store.graph_version()
    node_files, rel_files, nodes, rels = [], [], 0, 0
    open_tables: list[_StreamedTable] = []
    table: _StreamedTable | None = None  # made with a label's first node: a label without nodes has no file
    by_type: dict[tuple[str, str], _StreamedTable] = {}
    try:
        for label, rows, label_rels in _csv_pages(store, page, batch, rel_batch):
            if not rows:  # the label's end
                for t in open_tables:
                    t.close()
                if table is not None:
                    node_files.append(table.path.name)
                open_tables, table, by_type = [], None, {}
                continue
            if table is None:
                table = _StreamedTable(directory / f"nodes_{label}.csv", [f"id:ID({label})"], ":LABEL", label,
                                       dates, skip="id")
                open_tables.append(table)
            for node_id, props in rows:
                table.add(str(node_id), None, props)
            nodes += len(rows)
            for start, rtype, end_label, end, props in label_rels:
                out = by_type.get((rtype, end_label))
                if out is None:
                    rname = f"rels_{rtype}_{label}_{end_label}.csv"
                    out = by_type[(rtype, end_label)] = _StreamedTable(
                        directory / rname, [f":START_ID({label})", f":END_ID({end_label})"], ":TYPE", rtype, dates)
                    open_tables.append(out)
                    rel_files.append((rtype, label, end_label, rname))
                out.add(str(start), str(end), props)
                rels += 1
            for t in open_tables:
                t.flush()
        check_unchanged(store, before)
    finally:
        for t in open_tables:
            t.discard()
    (directory / "IMPORT.md").write_text(import_instructions(node_files, [f for *_, f in sorted(rel_files)]),
                                         encoding="utf-8")
    return nodes, rels


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
