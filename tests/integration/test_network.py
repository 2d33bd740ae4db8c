"""The policy network (healthgov.network) on the seed corpus in the bundled engine.

Expected values come from outside the networkx code: a direct Cypher query, or the Chongqing
plan's own text (corpus/000_…: every task ends with "(责任单位:A、B…)", the first listed unit being
the lead by convention), so a reader can check them by hand against the file.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import httpx
import networkx as nx
import pytest
from conftest import ROOT

from healthgov.api.app import create_app
from healthgov.network.graphs import Filters, bipartite_graph, fetch, networks
from healthgov.network.measures import measure
from healthgov.network.tables import graph_for_export, table, to_graphml
from healthgov.visualize.registry import make_view

CHONGQING = (ROOT / "corpus" / "000_f609406be53c2961.txt").read_text(encoding="utf-8")
CQ_HEALTH = "重庆市/health-commission"
CQ_MEDSEC = "重庆市/medical-security"


def _units_per_task(text: str) -> list[list[str]]:
    """The unit lists of the Chongqing plan's tasks, read straight from the text."""
    return [m.group(1).split("、") for m in re.finditer(r"\(责任单位:([^)]*)\)", text)]


@pytest.fixture(scope="module")
def per_place(corpus_store) -> dict[str, nx.Graph]:
    return networks(fetch(corpus_store, Filters()), pooled=False)


def test_the_text_has_the_twenty_tasks_the_network_is_built_from(per_place) -> None:
    # A guard on the hand-checks below: 20 annotated tasks, 17 distinct units.
    units = _units_per_task(CHONGQING)
    assert len(units) == 20
    assert len({u for us in units for u in us}) == 17
    assert per_place["重庆市"].number_of_nodes() == 17
    assert per_place["重庆市"].graph["tasks"] == 20


def test_degree_of_the_chongqing_health_commission_is_its_distinct_partners(corpus_store, per_place) -> None:
    partners = corpus_store.read(
        "MATCH (p:Policy)-[:HAS_JURISDICTION]->(j:Jurisdiction) WHERE j.name = '重庆市' "
        "MATCH (p)-[:HAS_TASK]->(t:Task)-[:LEAD_AGENCY|SUPPORTING_AGENCY]->(a:Agency) WHERE a.id = $id "
        "MATCH (t)-[:LEAD_AGENCY|SUPPORTING_AGENCY]->(b:Agency) WHERE b.id <> a.id "
        "RETURN count(DISTINCT b.id) AS n", {"id": CQ_HEALTH})[0]["n"]
    # By hand: it is named in all 20 tasks, so it meets every one of the other 16 units.
    assert partners == 16
    assert per_place["重庆市"].degree(CQ_HEALTH) == partners
    from_text = {u for us in _units_per_task(CHONGQING) if "市卫生健康委" in us for u in us} - {"市卫生健康委"}
    assert len(from_text) == partners


def test_weight_is_the_number_of_shared_tasks_in_the_document(per_place) -> None:
    both = [us for us in _units_per_task(CHONGQING) if "市卫生健康委" in us and "市医保局" in us]
    # Tasks 9, 10, 11, 14, 17 and 19 name both.
    assert len(both) == 6
    edge = per_place["重庆市"].edges[CQ_HEALTH, CQ_MEDSEC]
    assert edge["weight"] == len(both)
    # One leads and the other supports in each (the first listed unit leads): never both lead.
    assert (edge["lead_lead"], edge["lead_support"], edge["support_support"]) == (0, 6, 0)
    led_by_medsec = [us for us in both if us[0] == "市医保局"]
    assert len(led_by_medsec) == 1  # task 19, price and payment reform
    assert len(edge["tasks"]) == 6 and all(t.endswith(("/t9", "/t10", "/t11", "/t14", "/t17", "/t19")) for t in edge["tasks"])


def test_led_and_supported_counts_match_a_direct_count(corpus_store, per_place) -> None:
    rows = corpus_store.read(
        "MATCH (p:Policy)-[:HAS_JURISDICTION]->(j:Jurisdiction) WHERE j.name = '杭州市' "
        "MATCH (p)-[:HAS_TASK]->(t:Task)-[:LEAD_AGENCY]->(a:Agency) WHERE a.agency_type = 'health-commission' "
        "RETURN count(DISTINCT t) AS n")
    node = per_place["杭州市"].nodes["杭州市/health-commission"]
    assert node["tasks_led"] == rows[0]["n"] == 19  # docs/api.md: 19 led, 4 supported
    assert node["tasks_supported"] == 4


def test_a_broker_really_disconnects_the_network(per_place) -> None:
    g = per_place["重庆市"]
    m = measure(g)
    brokers = {r["agency"]: r["components_created"] for r in m.agencies if r["broker"]}
    assert brokers == {CQ_HEALTH: 2}
    h = g.copy()
    h.remove_node(CQ_HEALTH)
    assert nx.number_connected_components(h) == nx.number_connected_components(g) + 2
    # By hand from the text: task 7 (卫健委、药监局) and task 8 (卫健委、科技局、经济信息委) are the
    # only tasks naming those three units, so without the commission they are cut off.
    pieces = sorted(sorted(c) for c in nx.connected_components(h) if len(c) < 5)
    assert pieces == [["重庆市/drug-administration"], ["重庆市/economy-information-technology", "重庆市/science-technology"]]
    for unit in ("市药监局", "市科技局", "市经济信息委"):
        assert sum(1 for us in _units_per_task(CHONGQING) if unit in us) == 1
    # Every broker in every network, and only brokers, increases the component count.
    for g in per_place.values():
        m = measure(g)
        for r in m.agencies:
            h = g.copy()
            h.remove_node(r["agency"])
            grew = nx.number_connected_components(h) - nx.number_connected_components(g)
            assert (grew > 0) == r["broker"]
            if r["broker"]:
                assert grew == r["components_created"]


def test_communities_partition_the_agencies(per_place) -> None:
    for g in per_place.values():
        m = measure(g)
        seen = [n for c in m.communities for n in c]
        assert sorted(seen) == sorted(g.nodes)  # every agency once: a partition
        assert {r["community"] for r in m.agencies} == set(range(1, len(m.communities) + 1))
    # Fixed seed: the same answer twice.
    assert measure(per_place["杭州市"]).communities == measure(per_place["杭州市"]).communities


def test_eigenvector_is_per_component_on_a_disconnected_pooled_network(corpus_store) -> None:
    g = networks(fetch(corpus_store, Filters(pooled=True)), pooled=True)["*"]
    assert nx.number_connected_components(g) > 1
    rows = measure(g).agencies
    by_comp: dict[int, list[dict]] = {}
    for r in rows:
        by_comp.setdefault(r["component"], []).append(r)
    for members in by_comp.values():
        top = max(r["eigenvector"] for r in members)
        assert top == (1.0 if len(members) > 1 else 0.0)


def test_co_network_is_the_projection_of_the_bipartite_network(corpus_store) -> None:
    rows = fetch(corpus_store, Filters(jurisdiction=("杭州市",)))
    b = bipartite_graph(rows, "x")
    agencies = {n for n, d in b.nodes(data=True) if d["bipartite"] == 0}
    projected = nx.bipartite.weighted_projected_graph(b, agencies)
    co = networks(rows, pooled=False)["杭州市"]
    assert {frozenset(e) for e in projected.edges} == {frozenset(e) for e in co.edges}
    for a, c, d in projected.edges(data=True):
        assert co.edges[a, c]["weight"] == d["weight"]


def test_graphml_round_trips(corpus_store) -> None:
    g = graph_for_export(corpus_store, Filters(jurisdiction=("重庆市",)))
    back = nx.read_graphml(io.BytesIO(to_graphml(g).encode("utf-8")))
    assert set(back.nodes) == set(g.nodes)
    assert back.number_of_edges() == g.number_of_edges() == 36
    assert back.edges[CQ_HEALTH, CQ_MEDSEC]["weight"] == 6
    assert back.nodes[CQ_HEALTH]["name"] == "市卫生健康委"
    assert back.nodes[CQ_HEALTH]["broker"] is True
    assert len(back.edges[CQ_HEALTH, CQ_MEDSEC]["tasks"].split(";")) == 6
    bip = nx.read_graphml(io.BytesIO(to_graphml(graph_for_export(corpus_store, Filters(), bipartite=True)).encode()))
    assert {d["kind"] for _, d in bip.nodes(data=True)} == {"agency", "task"}


def test_compare_puts_one_agency_type_side_by_side(corpus_store) -> None:
    answer = table(corpus_store, "compare", Filters.parse({"agency_type": "医保局"}))
    by_place = {r["network"]: r for r in answer.rows}
    assert {"重庆市", "杭州市"} <= set(by_place)
    assert all(r["agency_type"] == "medical-security" for r in answer.rows)
    assert by_place["重庆市"]["degree"] == 9  # tasks 9 10 11 14 17 19 name 9 other units with it
    assert by_place["重庆市"]["tasks_led"] == 1 and by_place["重庆市"]["tasks_supported"] == 5


def test_cli_csv_parses_and_matches_the_library(corpus_store, tmp_path: Path) -> None:
    cli = Path(sys.executable).with_name("healthgov")
    out = tmp_path / "edges.csv"
    proc = subprocess.run([str(cli), "network", "edges", "--jurisdiction", "重庆市", "--format", "csv", "--out", str(out),
                           "--data-dir", str(corpus_store.data_dir)], capture_output=True, text=True, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 36
    pair = next(r for r in rows if {r["agency_a"], r["agency_b"]} == {CQ_HEALTH, CQ_MEDSEC})
    assert pair["weight"] == "6" and len(pair["tasks"].split("; ")) == 6
    bad = subprocess.run([str(cli), "network", "measures", "--topic", "no-such-topic", "--data-dir", str(corpus_store.data_dir)],
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert bad.returncode == 2 and "topic" in bad.stderr


def test_api_network_endpoints(corpus_store) -> None:
    from views_server import serve as _serve

    with _serve(create_app(corpus_store)) as base, httpx.Client(base_url=base, timeout=120) as api:
        r = api.get("/network/summary", params={"jurisdiction": "重庆市,杭州市"})
        assert r.status_code == 200, r.text
        summary = {row["network"]: row for row in r.json()["rows"]}
        assert summary["重庆市"]["agencies"] == 17 and summary["重庆市"]["brokers"] == [CQ_HEALTH]
        r = api.get("/network/measures", params={"jurisdiction": "重庆市", "format": "csv"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert len(rows) == int(r.headers["X-Total-Count"]) == 17
        assert next(x for x in rows if x["agency"] == CQ_HEALTH)["degree"] == "16"
        r = api.get("/network/edges", params={"jurisdiction": "重庆市", "limit": 5, "offset": 5})
        assert r.json()["total"] == 36 and len(r.json()["rows"]) == 5
        r = api.get("/network/graphml", params={"jurisdiction": "重庆市"})
        assert nx.read_graphml(io.BytesIO(r.content)).number_of_nodes() == 17
        r = api.get("/network/measures", params={"topic": "no-such-topic"})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "topic"]


def test_policy_network_view_is_the_measured_graph(corpus_store) -> None:
    view = make_view(corpus_store, "policy-network", {"jurisdiction": "重庆市"})
    assert len(view.nodes) == 17 and len(view.edges) == 36
    m = measure(networks(fetch(corpus_store, Filters(jurisdiction=("重庆市",))), pooled=False)["重庆市"])
    # One colour per community; the broker is the diamond; the biggest node is the most central.
    assert len({n.color for n in view.nodes}) == len(m.communities)
    assert [n.id for n in view.nodes if n.shape == "diamond"] == [f"a:{CQ_HEALTH}"]
    assert max(view.nodes, key=lambda n: n.size or 0).id == f"a:{CQ_HEALTH}"


def test_units_added_by_a_scoped_rule_can_be_left_out(corpus_store) -> None:
    # Hangzhou task 2 names 各区、县(市)政府 and says "以下责任单位均包括各区、县(市)政府,不再列出":
    # written once, added to the 23 later tasks; 24 in all of the plan's 25 annotated tasks. The list
    # of levels names two classes of governments (issue 25): every district's and every county's,
    # collectives, so the network shows them with collective=true.
    counties = ("杭州市/各区政府", "杭州市/各县(市)政府")
    hz = (ROOT / "corpus" / "003_e5f6dd014c1e0675.txt").read_text(encoding="utf-8")
    assert hz.count("各区、县(市)政府") == 2 and "以下责任单位均包括各区、县(市)政府" in hz
    every = networks(fetch(corpus_store, Filters(jurisdiction=("杭州市",), collective=True)), pooled=False)["杭州市"]
    written = networks(fetch(corpus_store, Filters(jurisdiction=("杭州市",), implicit=False, collective=True)),
                       pooled=False)["杭州市"]
    named = networks(fetch(corpus_store, Filters(jurisdiction=("杭州市",))), pooled=False)["杭州市"]
    assert every.graph["tasks"] == 25
    assert all(every.nodes[c]["tasks_supported"] == 24 for c in counties)
    assert all(written.nodes[c]["tasks_supported"] == 1 for c in counties)
    assert not any(c in named.nodes for c in counties)  # classes of bodies, left out by default
    # With the rule the county governments reach every body of the plan (the two classes together
    # hold it: neither alone is a broker); without it only the bodies of the one task naming them.
    top = max(d for _n, d in every.degree())
    assert all(every.degree(c) == top for c in counties)
    assert all(written.degree(c) < every.degree(c) for c in counties)
