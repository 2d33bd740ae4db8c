"""Exports that other tools open: GraphML (Gephi, networkx), CSV (neo4j-admin), RDF (any RDF tool).

Each is written from the seed corpus in the bundled engine (the ``corpus_store`` fixture) and read
back the way the other tool would: networkx and the GraphML XSD, Python's csv and the header rules
of ``neo4j-admin database import full``, rdflib and pyshacl on the exported file alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

import healthgov
from healthgov.graph import export as ex
from healthgov.ontology.rdf import HG, HGV, ontology_graph, shapes_graph

DATA = Path(__file__).resolve().parents[1] / "data"
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def dumped(corpus_store):
    return ex.dump(corpus_store)


# --- GraphML ------------------------------------------------------------------------------------


def test_graphml_keeps_every_edge_and_names_nodes(corpus_store, dumped, tmp_path: Path) -> None:
    import networkx as nx
    from lxml import etree

    nodes, rels = dumped
    path = tmp_path / "g.graphml"
    assert ex.write_graphml(corpus_store, path) == (len(nodes), len(rels))

    doc = etree.parse(str(path))
    schema = etree.XMLSchema(etree.parse(str(DATA / "graphml-1.0.xsd")))
    assert schema.validate(doc), schema.error_log
    edge_ids = [e.get("id") for e in doc.iter(f"{GRAPHML_NS}edge")]
    assert len(edge_ids) == len(rels) and len(set(edge_ids)) == len(rels)  # Gephi keeps one edge per id

    g = nx.read_graphml(path, force_multigraph=True)
    assert g.number_of_nodes() == len(nodes) and g.number_of_edges() == len(rels)
    by_key = {d["key"]: d for _, d in g.nodes(data=True)}
    assert len(by_key) == len(nodes)
    for n in nodes:
        d = by_key[n["key"]]
        assert d["labels"] == n["label"]
        assert d["label"] and d["label"] != n["label"], d  # a caption, not the graph label
    p = next(n for n in nodes if n["label"] == "Policy" and n["props"].get("loaded"))
    assert by_key[p["key"]]["label"] == p["props"]["title"]
    a = next(n for n in nodes if n["label"] == "Agency")
    assert by_key[a["key"]]["label"] == a["props"]["name"]
    t = next(n for n in nodes if n["label"] == "Task" and n["props"].get("number"))
    assert by_key[t["key"]]["label"] == f"{t['props']['number']} {t['props']['title']}"
    types = sorted(d["type"] for *_, d in g.edges(data=True))
    assert types == sorted(r["type"] for r in rels)


# --- CSV for neo4j-admin ------------------------------------------------------------------------

ADMIN_TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point", "date",
               "localtime", "time", "localdatetime", "datetime", "duration"}
SPECIAL = re.compile(r"^(ID|START_ID|END_ID)\([A-Za-z]+\)$|^(LABEL|TYPE|IGNORE)$")


def test_csv_headers_types_and_multiline_cells(corpus_store, dumped, tmp_path: Path) -> None:
    nodes, rels = dumped
    out = tmp_path / "csv"
    ex.write_csv(corpus_store, out)
    files = sorted(out.glob("*.csv"))
    date_columns = 0
    for f in files:
        with open(f, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        header = rows[0]
        for col, h in enumerate(header):
            name, _, kind = h.rpartition(":")
            assert kind, f"{f.name}: column {h!r} has no type"
            if SPECIAL.match(kind):
                continue
            assert name, h
            base = kind[:-2] if kind.endswith("[]") else kind
            assert base in ADMIN_TYPES, f"{f.name}: {h!r} is not a neo4j-admin type"
            if base == "date":
                date_columns += 1
                for r in rows[1:]:
                    for v in filter(None, r[col].split(";")):
                        dt.date.fromisoformat(v)
            if base == "int":
                assert all(-(2**31) <= int(r[col]) < 2**31 for r in rows[1:] if r[col])
    assert date_columns >= 2  # issued_on, published_on

    with open(out / "nodes_Policy.csv", encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert "issued_on:date" in header and "loaded:boolean" in header
    with open(out / "nodes_Task.csv", encoding="utf-8", newline="") as fh:
        tasks = {r["id:ID(Task)"]: r for r in csv.DictReader(fh)}
    text = next(k for k in next(iter(tasks.values())) if k.startswith("text:"))
    assert "span_start:int" in tasks[next(iter(tasks))]
    expected = {n["props"]["id"]: n["props"] for n in nodes if n["label"] == "Task"}
    assert tasks.keys() == expected.keys()
    multiline = [i for i, p in expected.items() if "\n" in p.get("text", "")]
    assert multiline, "the corpus has task texts that span lines"
    for i in multiline:
        assert tasks[i][text] == expected[i]["text"]

    guide = (out / "IMPORT.md").read_text(encoding="utf-8")
    for option in ("neo4j-admin database import full", "--multiline-fields=true", "--overwrite-destination=true",
                   "'--array-delimiter=;'", "docker compose stop", "docker compose run"):
        assert option in guide, option
    named = set(re.findall(r"--(?:nodes|relationships)=/import/(\S+?\.csv)", guide))
    assert named == {f.name for f in files}
    # Both commands (local and docker) list every file.
    assert guide.count("--nodes=/import/nodes_Task.csv") == 2


# --- RDF ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(corpus_store) -> tuple[Graph, str, str]:
    g = ex.to_rdf(corpus_store)
    ttl = ex.serialize_rdf(g, "ttl")
    return Graph().parse(data=ttl, format="turtle"), ttl, ex.serialize_rdf(g, "jsonld")


def test_rdf_export_labels_languages_vocabulary_and_provenance(exported) -> None:
    g, _, _ = exported
    instances = {s for c in (HG.Policy, HG.Section, HG.Task, HG.Agency, HG.Jurisdiction, HG.Target,
                             HG.Responsibility, HG.SourceDocument, HG.TextSpan) for s in g.subjects(RDF.type, c)}
    assert len(instances) > 500
    unlabelled = [s for s in instances if g.value(s, RDFS.label) is None]
    assert not unlabelled, unlabelled[:5]
    for p in (HG.title, HG.name, HG.text, HG.indicatorText):
        values = list(g.objects(None, p))
        assert values and all(isinstance(o, Literal) and (o.language or "").startswith("zh") for o in values), p
    # Chinese without a tag only where the value is a code or identifier, not prose (hg:nameForm
    # "current:卫健委" is part of an agency's key).
    untagged = {g.qname(p) for _, p, o in g if isinstance(o, Literal) and not o.language and CJK.search(str(o))}
    assert untagged <= {"hg:sectionPath", "hg:number", "hg:unit", "hg:defaultUnit", "hg:docNumber",
                        "hg:docNumberRaw", "hg:baseline", "hg:annexLabel", "hg:nameForm"}, untagged
    span = next(g.subjects(RDF.type, HG.TextSpan))
    assert g.value(span, RDFS.label).language == "en"

    concepts = {o for _, p, o in g if isinstance(o, URIRef) and str(o).startswith(str(HGV))
                and p in (HG.agencyType, HG.administrativeLevel, HG.hasTopic, HG.atTier, HG.concernsInstitution,
                          HG.measures)}
    assert len(concepts) > 50
    for c in concepts:
        scheme = g.value(c, SKOS.inScheme)
        assert scheme is not None and (scheme, RDF.type, SKOS.ConceptScheme) in g, c
        assert {lab.language for lab in g.objects(c, SKOS.prefLabel)} >= {"zh", "en"}, c
        assert g.value(c, RDFS.label) is not None and g.value(scheme, RDFS.label) is not None

    (activity,) = set(g.subjects(RDF.type, PROV.Activity))
    start, end = g.value(activity, PROV.startedAtTime).toPython(), g.value(activity, PROV.endedAtTime).toPython()
    assert isinstance(start, dt.datetime) and start <= end
    agent = g.value(activity, PROV.wasAssociatedWith)
    assert g.value(agent, OWL.versionInfo) == Literal(healthgov.__version__)
    assert healthgov.__version__ in str(g.value(agent, RDFS.label))
    (dataset,) = set(g.subjects(PROV.wasGeneratedBy, activity))
    assert g.value(dataset, PROV.generatedAtTime) is not None


def test_rdf_export_alone_conforms_even_with_rdfs_inference(exported) -> None:
    from pyshacl import validate

    g, _, _ = exported
    conforms, _, text = validate(g, shacl_graph=shapes_graph(), inference="none", advanced=True, allow_warnings=True)
    assert conforms, text[:3000]
    conforms, _, text = validate(g, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="rdfs",
                                 advanced=True, allow_warnings=True)
    assert conforms, text[:3000]


def test_a_concept_outside_its_scheme_fails_even_with_rdfs_inference(exported) -> None:
    from pyshacl import validate

    g = Graph()
    g += exported[0]
    agency, good = next(iter(g.subject_objects(HG.agencyType)))
    g.remove((agency, HG.agencyType, good))
    g.add((agency, HG.agencyType, HGV["agency-type/no-such-type"]))
    for inference in ("none", "rdfs"):
        # rdfs: the range of hg:agencyType makes the bad IRI an hg:AgencyType; scheme membership
        # is what the inference cannot supply.
        conforms, _, text = validate(g, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference=inference,
                                     advanced=True, allow_warnings=True)
        assert not conforms, inference
        assert "not a concept of the agency-type scheme" in text, inference


def test_jsonld_has_a_context_and_reads_back(exported) -> None:
    g, _, text = exported
    data = json.loads(text)
    assert data["@context"]["hg"] == str(HG) and data["@context"]["skos"] == str(SKOS)
    assert "@graph" in data
    keys = {k for item in data["@graph"] for k in item}
    assert "hg:title" in keys and "rdfs:label" in keys
    assert any(item.get("@type") == "hg:Policy" for item in data["@graph"])
    back = Graph().parse(data=text, format="json-ld")
    assert len(back) == len(g)


def test_export_command_writes_jsonld_with_context(corpus_store, tmp_path: Path) -> None:
    from healthgov.graph.commands import export

    out = tmp_path / "kg.jsonld"
    export(fmt="jsonld", out=out, store_uri=None, data_dir=corpus_store.data_dir, validate=False)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["@context"]["hgv"] == str(HGV)


# --- streamed reading and CSV (bounded memory) ------------------------------------------------


def _csv_from_dump(nodes: list[dict], rels: list[dict], directory: Path) -> None:
    """The CSV files as the whole-graph writer made them (from ``dump``): the reference the
    streamed ``write_csv`` must match byte for byte."""
    from collections import defaultdict

    dates = ex._date_keys()
    directory.mkdir()
    by_label: dict[str, list[dict]] = defaultdict(list)
    for n in nodes:
        by_label[n["label"]].append(n)
    label_of = {n["key"]: n["label"] for n in nodes}
    node_id = {n["key"]: str(n["props"]["id"]) for n in nodes}
    for label, items in sorted(by_label.items()):
        header = ex._header([{k: v for k, v in n["props"].items() if k != "id"} for n in items], dates)
        with open(directory / f"nodes_{label}.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow([f"id:ID({label})", *(h for _, h in header), ":LABEL"])
            for n in items:
                w.writerow([node_id[n["key"]], *(ex._cell(n["props"].get(k)) for k, _ in header), label])
    by_type: dict[tuple, list[dict]] = defaultdict(list)
    for r in rels:
        by_type[(r["type"], label_of[r["start"]], label_of[r["end"]])].append(r)
    for (rtype, a, b), items in sorted(by_type.items()):
        header = ex._header([r["props"] for r in items], dates)
        with open(directory / f"rels_{rtype}_{a}_{b}.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow([f":START_ID({a})", f":END_ID({b})", *(h for _, h in header), ":TYPE"])
            for r in items:
                w.writerow([node_id[r["start"]], node_id[r["end"]], *(ex._cell(r["props"].get(k)) for k, _ in header),
                            rtype])


def test_streamed_reading_is_dump_in_its_order(corpus_store, dumped) -> None:
    nodes, rels = dumped
    # Small pages and batches: many keyset pages per label, relationship batches within a page.
    assert list(ex.iter_nodes(corpus_store, page=7, batch=3)) == nodes
    assert list(ex.iter_nodes(corpus_store, page=30, batch=7)) == nodes
    assert list(ex.iter_rels(corpus_store, page=7, batch=3)) == rels
    assert list(ex.iter_rels(corpus_store)) == rels


@pytest.mark.parametrize(("page", "batch", "rel_batch"), [(ex.ID_PAGE, ex.NODE_BATCH, ex.REL_BATCH), (30, 7, 3)])
def test_streamed_csv_is_the_whole_graph_csv_byte_for_byte(corpus_store, dumped, tmp_path: Path, page, batch,
                                                           rel_batch) -> None:
    nodes, rels = dumped
    _csv_from_dump(nodes, rels, tmp_path / "reference")
    assert ex.write_csv(corpus_store, tmp_path / "streamed", page=page, batch=batch,
                        rel_batch=rel_batch) == (len(nodes), len(rels))
    reference = sorted(f.name for f in (tmp_path / "reference").glob("*.csv"))
    assert sorted(f.name for f in (tmp_path / "streamed").glob("*.csv")) == reference
    for name in reference:
        assert (tmp_path / "streamed" / name).read_bytes() == (tmp_path / "reference" / name).read_bytes(), name
    assert not list((tmp_path / "streamed").glob("*.part"))


def test_streamed_table_orders_columns_that_come_late(tmp_path: Path) -> None:
    """A column first seen after the first page is put in its sorted place; earlier rows get ''."""
    path = tmp_path / "t.csv"
    t = ex._StreamedTable(path, ["id:ID(X)"], ":LABEL", "X", frozenset({"on"}), skip="id")
    t.add("a", None, {"id": "a", "z": 1, "m": "x"})
    t.flush()
    t.add("b", None, {"id": "b", "c": [1, 2], "z": 2**40, "on": "2024-01-02"})
    t.add("c", None, {"id": "c", "m": "two\nlines", "on": "2024-02-30"})
    t.close()
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [["id:ID(X)", "c:int[]", "m:string", "on:string", "z:long", ":LABEL"],
                    ["a", "", "x", "", "1", "X"],
                    ["b", "1;2", "", "2024-01-02", str(2**40), "X"],
                    ["c", "", "two\nlines", "2024-02-30", "", "X"]]
    assert not (tmp_path / "t.csv.part").exists()
    expected = ex._header([{"z": 1, "m": "x"}, {"c": [1, 2], "z": 2**40, "on": "2024-01-02"},
                           {"m": "two\nlines", "on": "2024-02-30"}], frozenset({"on"}))
    assert rows[0][1:-1] == [h for _, h in expected]


def test_csv_export_refuses_a_graph_written_meanwhile(corpus_store, tmp_path: Path, monkeypatch) -> None:
    """The pages are separate transactions: a write between them (the version moved) fails the export."""
    versions = iter([("epoch", 1), ("epoch", 2)])
    monkeypatch.setattr(corpus_store, "graph_version", lambda: next(versions))
    with pytest.raises(ex.GraphChanged, match="written during the export"):
        ex.write_csv(corpus_store, tmp_path / "csv")
    assert not list((tmp_path / "csv").glob("*.part"))
