"""Building the graph from the sample corpus into the real bundled engine, over Bolt (no mocks).

Expectations come from reading the documents: e.g. the Chongqing plan lists
"(责任单位:市财政局、市卫生健康委)" under task 18 "完善政府投入机制", so its lead is 市财政局.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from healthgov.graph import engine
from healthgov.graph.commands import register
from healthgov.graph.export import dump
from healthgov.graph.store import open_store
from healthgov.loaders.load import Loader

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
CHONGQING, HANGZHOU = "000_f609406be53c2961.txt", "003_e5f6dd014c1e0675.txt"
CQ_NUMBER, HZ_NUMBER = "渝府办发〔2023〕76号", "杭政办函〔2022〕47号"



def _app() -> typer.Typer:
    # Only the graph commands: this module tests them, not whatever else cli.py registers.
    app = typer.Typer()

    @app.callback()
    def _main() -> None: ...

    register(app)
    return app


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(_app(), list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: pytest.MonkeyPatch):
    root = tmp_path_factory.mktemp("graph")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    data = root / "data"
    monkeypatch_module.delenv("NEO4J_URI", raising=False)
    code, out = run_cli("build", str(corpus), "--data-dir", str(data))
    assert code == 0, out
    store = open_store(data_dir=data)
    yield {"root": root, "corpus": corpus, "data": data, "store": store, "first_output": out}
    store.close()
    engine.stop(data)


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def lead_and_support(store, doc_number: str, title: str) -> tuple[list[str], list[str]]:
    rows = store.read(
        "MATCH (p:Policy {doc_number: $dn})-[:HAS_TASK]->(t:Task) WHERE t.title STARTS WITH $title "
        "OPTIONAL MATCH (t)-[:LEAD_AGENCY]->(a:Agency) OPTIONAL MATCH (t)-[:SUPPORTING_AGENCY]->(b:Agency) "
        "RETURN t.id AS id, collect(DISTINCT a.name) AS lead, collect(DISTINCT b.name) AS support",
        {"dn": doc_number, "title": title},
    )
    assert len(rows) == 1, f"expected one task {title!r} in {doc_number}, got {rows}"
    return sorted(rows[0]["lead"]), sorted(rows[0]["support"])


def test_build_summary_and_counts(env) -> None:
    out = env["first_output"]
    assert "5 loaded, 0 unchanged (skipped), 0 failed" in out
    store = env["store"]
    counts = {r["label"]: r["n"] for r in store.read("MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n")}
    loaded = store.read("MATCH (p:Policy) WHERE p.loaded = true RETURN p.doc_number AS dn ORDER BY dn")
    # ORDER BY puts null last (ascending) on both engines; the Guang'an plan shows no number.
    assert [r["dn"] for r in loaded] == [*sorted(["国卫基层发〔2023〕41号", "郴政办发〔2021〕41号", HZ_NUMBER, CQ_NUMBER]), None]
    # The Chongqing plan numbers its key tasks 1-20 under 二 (checked by reading it): one node each.
    cq_tasks = store.read("MATCH (:Policy {doc_number: $dn})-[:HAS_TASK]->(t:Task) WHERE t.section_path STARTS WITH '二/' "
                          "RETURN count(t) AS n, collect(t.number) AS numbers", {"dn": CQ_NUMBER})
    assert cq_tasks[0]["n"] == 20 and sorted(cq_tasks[0]["numbers"], key=int) == [str(i) for i in range(1, 21)]
    for label in ("Policy", "Task", "Section", "Agency", "Target", "Jurisdiction", "AgencyType", "Tier", "Topic"):
        assert counts.get(label, 0) > 0, label
    assert "Responsibility" not in counts and "TextSpan" not in counts  # RDF-only classes


def test_lead_agencies_chongqing(env) -> None:
    s = env["store"]
    # "(责任单位:市财政局、市卫生健康委)": first listed leads.
    assert lead_and_support(s, CQ_NUMBER, "完善政府投入机制") == (["市财政局"], ["市卫生健康委"])
    assert lead_and_support(s, CQ_NUMBER, "深化价格和支付方式改革") == (
        ["市医保局"], sorted(["市卫生健康委", "国家金融监督管理总局重庆监管局"]))
    assert lead_and_support(s, CQ_NUMBER, "推进人事薪酬制度改革")[0] == ["市委编办"]
    # "(责任单位:市卫生健康委)": a sole unit leads, nobody supports.
    assert lead_and_support(s, CQ_NUMBER, "加强防治结合") == (["市卫生健康委"], [])


def test_lead_agencies_hangzhou(env) -> None:
    s = env["store"]
    lead, support = lead_and_support(s, HZ_NUMBER, "深化医疗服务价格改革")
    assert lead == ["市医疗保障局"] and "市卫生健康委员会" in support
    assert lead_and_support(s, HZ_NUMBER, "深化人事薪酬制度改革")[0] == ["市人力社保局"]
    assert lead_and_support(s, HZ_NUMBER, "落实政府投入责任")[0] == ["市财政局"]


def test_shared_agencies_provenance_and_citations(env) -> None:
    s = env["store"]
    # One node for 重庆 市卫生健康委, shared by all the tasks it appears in, typed and placed.
    rows = s.read(
        "MATCH (a:Agency {name: '市卫生健康委', jurisdiction: '重庆市'}) "
        "OPTIONAL MATCH (a)-[:AGENCY_TYPE]->(t:AgencyType) OPTIONAL MATCH (a)-[:HAS_JURISDICTION]->(j:Jurisdiction) "
        "RETURN count(DISTINCT a) AS n, collect(DISTINCT t.id) AS types, collect(DISTINCT j.name) AS js, "
        "COUNT { (a)<-[:LEAD_AGENCY]-() } AS leads"
    )
    assert rows[0]["n"] == 1 and rows[0]["types"] == ["health-commission"] and rows[0]["js"] == ["重庆市"]
    assert rows[0]["leads"] >= 15
    # Provenance: the lead edge carries the span of the unit in the source text.
    text = (CORPUS / CHONGQING).read_text(encoding="utf-8")
    ev = s.read(
        "MATCH (p:Policy {doc_number: $dn})-[:HAS_TASK]->(t:Task {title: '完善政府投入机制'})-[r:LEAD_AGENCY]->(a) "
        "RETURN r.span_start AS a, r.span_end AS b, r.source_path AS src, r.section_path AS sp, t.span_start AS ts",
        {"dn": CQ_NUMBER},
    )[0]
    assert text[ev["a"]:ev["b"]] == "市财政局" and ev["src"].endswith(CHONGQING) and ev["sp"].endswith("18")
    # Vocabulary concepts are nodes with both labels; institution types serve tiers.
    tier = s.read("MATCH (c:InstitutionType)-[:SERVES_TIER]->(t:Tier) RETURN count(*) AS n, "
                  "min(t.tier_rank) AS lo, max(t.tier_rank) AS hi")[0]
    assert tier["n"] > 0 and 1 <= tier["lo"] <= tier["hi"] <= 6
    assert s.read("MATCH (t:AgencyType {id: 'health-commission'}) RETURN t.pref_zh AS zh, t.pref_en AS en")[0]["en"]
    # Chongqing implements 中办发〔2023〕10号, which is not in the corpus: a placeholder.
    cited = s.read("MATCH (:Policy {doc_number: $dn})-[:IMPLEMENTS]->(c:Policy) RETURN c.doc_number AS dn, c.loaded AS loaded",
                   {"dn": CQ_NUMBER})
    assert {"dn": "中办发〔2023〕10号", "loaded": False} in cited


def test_build_again_is_identical(env) -> None:
    before = dump(env["store"])
    code, out = run_cli("build", str(env["corpus"]), "--data-dir", str(env["data"]))
    assert code == 0 and "0 loaded, 5 unchanged (skipped), 0 failed" in out
    assert dump(env["store"]) == before
    # --force reloads every document: still the same graph, property for property.
    code, out = run_cli("build", str(env["corpus"]), "--data-dir", str(env["data"]), "--force")
    assert code == 0 and "5 loaded" in out
    assert dump(env["store"]) == before


def _doc_part(d, pid: str):
    nodes, rels = d
    return ([n for n in nodes if pid in n["key"]],
            [r for r in rels if pid in r["start"] or pid in r["end"]])


def test_rebuild_after_changing_one_document(env) -> None:
    s = env["store"]
    pids = {r["dn"]: r["id"] for r in s.read("MATCH (p:Policy) WHERE p.loaded = true RETURN p.id AS id, p.doc_number AS dn")}
    before = dump(s)
    path = env["corpus"] / CHONGQING
    original = path.read_text(encoding="utf-8")
    changed = original.replace("(责任单位:市财政局、市卫生健康委)", "(责任单位:市卫生健康委、市财政局)")
    assert changed != original
    path.write_text(changed, encoding="utf-8")
    try:
        code, out = run_cli("build", str(env["corpus"]), "--data-dir", str(env["data"]))
        assert code == 0 and "1 loaded, 4 unchanged (skipped), 0 failed" in out
        assert lead_and_support(s, CQ_NUMBER, "完善政府投入机制") == (["市卫生健康委"], ["市财政局"])
        after = dump(s)
        for dn, pid in pids.items():
            if dn != CQ_NUMBER:
                assert _doc_part(after, pid) == _doc_part(before, pid), f"{dn} changed"
        # Same number of tasks, sections and targets: the old ones were replaced, not added to.
        assert len(after[0]) == len(before[0]) and len(after[1]) == len(before[1])
    finally:
        path.write_text(original, encoding="utf-8")
    code, out = run_cli("build", str(env["corpus"]), "--data-dir", str(env["data"]))
    assert code == 0 and "1 loaded" in out
    assert dump(s) == before


def test_failure_midway_leaves_nothing_behind(env) -> None:
    from healthgov.extract.pipeline import extract_file

    s = env["store"]
    before = dump(s)
    rec = extract_file(CORPUS / HANGZHOU)
    assert rec.targets, "the Hangzhou plan has targets"

    # 1. A new version of a loaded document whose last write fails (a map is not a property
    # value on either engine): the transaction has already deleted the old tasks and written the
    # new policy and tasks when it fails.
    bad = copy.deepcopy(rec)
    bad.sha256 = "0" * 64
    bad.targets[-1].unit = {"not": "a property value"}  # type: ignore[assignment]
    with pytest.raises(Exception):  # noqa: B017 - the engine's own error type
        Loader(s).load(bad)
    assert dump(s) == before

    # 2. A new document failing the same way: not a trace of it.
    new = copy.deepcopy(bad)
    new.policy.id = "pfailed000001"
    with pytest.raises(Exception):  # noqa: B017
        Loader(s).load(new)
    assert s.read("MATCH (p:Policy {id: 'pfailed000001'}) RETURN count(p) AS n") == [{"n": 0}]
    assert dump(s) == before


def test_build_reports_failed_files(env) -> None:
    corpus = env["root"] / "with-junk"
    shutil.copytree(env["corpus"], corpus)
    (corpus / "junk.txt").write_bytes(b"\x00\x01\x02 not a policy \xff\xfe")
    code, out = run_cli("build", str(corpus), "--data-dir", str(env["data"]))
    assert code == 1
    assert "5 unchanged (skipped), 1 failed" in out
    assert any(line.startswith("FAILED ") and "junk.txt" in line for line in out.splitlines())


def test_export_rdf_roundtrips_and_validates(env) -> None:
    from rdflib.compare import isomorphic

    from healthgov.extract.pipeline import extract_paths
    from healthgov.graph.export import instances_rdf, to_rdf, validate_rdf
    from healthgov.ontology.rdf import record_to_graph

    full = to_rdf(env["store"])
    conforms, report = validate_rdf(full)
    assert conforms, report
    # What the store holds is what the files say: the RDF read back equals the RDF extracted.
    from rdflib import Graph

    g = instances_rdf(env["store"])
    expected = Graph()
    for rec in extract_paths([env["corpus"]]):
        expected += record_to_graph(rec)
    assert len(g) == len(expected) and isomorphic(g, expected)
    # The export adds the vocabulary and its own provenance to the instances, and drops nothing.
    assert len(full - g) > 0 and not (g - full)

    out = env["root"] / "kg.ttl"
    code, text = run_cli("export", "--format", "ttl", "--out", str(out), "--data-dir", str(env["data"]), "--no-validate")
    assert code == 0, text
    assert len(Graph().parse(out, format="turtle")) == len(full)


def test_export_graphml_and_csv(env) -> None:
    import csv

    import networkx as nx

    s = env["store"]
    nodes, rels = dump(s)
    gml = env["root"] / "kg.graphml"
    code, out = run_cli("export", "--format", "graphml", "--out", str(gml), "--data-dir", str(env["data"]))
    assert code == 0, out
    g = nx.read_graphml(gml)
    assert g.number_of_nodes() == len(nodes) and g.number_of_edges() == len(rels)

    d = env["root"] / "csv"
    code, out = run_cli("export", "--format", "csv", "--out", str(d), "--data-dir", str(env["data"]))
    assert code == 0, out
    with open(d / "nodes_Task.csv", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "id:ID(Task)" and rows[0][-1] == ":LABEL"
    assert "span_start:int" in rows[0]
    assert len(rows) - 1 == sum(1 for n in nodes if n["label"] == "Task")
    n_rels = 0
    for f in d.glob("rels_*.csv"):
        with open(f, encoding="utf-8") as fh:
            r = list(csv.reader(fh))
        assert r[0][0].startswith(":START_ID(") and r[0][-1] == ":TYPE"
        n_rels += len(r) - 1
    assert n_rels == len(rels)
    assert "neo4j-admin database import full" in (d / "IMPORT.md").read_text(encoding="utf-8")


BUILD_CLI = """
import sys, typer
from healthgov.graph.commands import register
app = typer.Typer()
@app.callback()
def main() -> None: ...
register(app)
app(sys.argv[1:])
"""


def test_reader_during_rebuild_sees_whole_documents(env) -> None:
    # A second process rebuilds everything (--force) while this one keeps reading: like a
    # `serve` during a `build`. Every read sees each document whole: old or new, never half.
    import subprocess
    import sys
    import time

    s = env["store"]
    per_doc = "MATCH (p:Policy) WHERE p.loaded = true OPTIONAL MATCH (p)-[:HAS_TASK]->(t:Task) RETURN p.id AS id, count(t) AS n"
    expected = {r["id"]: r["n"] for r in s.read(per_doc)}
    proc = subprocess.Popen([sys.executable, "-c", BUILD_CLI, "build", str(env["corpus"]), "--data-dir", str(env["data"]),
                             "--force"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reads = 0
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        seen = {r["id"]: r["n"] for r in s.read(per_doc)}
        assert seen == expected
        reads += 1
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "5 loaded" in out and reads > 3
