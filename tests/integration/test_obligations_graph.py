"""Obliged institutions in the graph and over HTTP: the seeds plus a made-up notice whose tasks
oblige 定点医药机构, 商业保险机构, 医疗机构 and 各乡镇卫生院 (kept as the kind, 乡镇卫生院), built into
the bundled engine with its answers kept (what ``healthgov build`` leaves).

They are Obligation nodes, never agencies: who-leads leaves them out by default (its kept answer
unchanged) and lists them with ``institutions=true`` as rows of their own (bearer_kind
institution, role obliged, no agency id or type), with exact totals, pages and CSV; the
task-detail answer and page show them; the records read back equal the extracted ones.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import httpx
import pytest
from conftest import seeds_and
from views_server import serve

from healthgov.api.app import create_app
from healthgov.extract.pipeline import extract_paths
from healthgov.graph.readback import records_from_store
from healthgov.loaders.build import BuildOptions, build
from healthgov.queries import registry

CITY = """佛山市医疗保障局关于加强定点医药机构管理的通知
（本文为测试用虚构文本）
一、工作任务
（一）规范定点医药机构服务行为。定点医药机构应当建立健全医保管理制度，按规定上传结算数据。（牵头单位：市医疗保障局；配合单位：市卫生健康局）
（二）做好商业健康保险衔接。商业保险机构要按照协议做好理赔服务，医疗机构应当提供就诊信息。（牵头单位：市医疗保障局）
（三）加强基层服务能力。各乡镇卫生院要落实家庭医生签约服务。（责任单位：市卫生健康局）
佛山市医疗保障局
2024年6月1日
"""
FOSHAN = "佛山市"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    with seeds_and(tmp_path_factory.mktemp("obligations"), {"950_city.txt": CITY}) as built:
        yield built


@pytest.fixture(scope="module")
def api(built) -> Iterator[httpx.Client]:
    store, _docs = built
    with serve(create_app(store)) as base, httpx.Client(base_url=base, timeout=60) as client:
        yield client


def _all(api: httpx.Client, **params: str) -> dict:
    r = api.get("/queries/who-leads", params={**params, "limit": 10000})
    assert r.status_code == 200, r.text
    return r.json()


def test_records_read_back_equal_the_extracted_ones(built) -> None:
    store, docs = built
    extracted = {r.policy.id: r for r in extract_paths([docs])}
    back = {r.policy.id: r for r in records_from_store(store)}
    n = 0
    for pid, rec in extracted.items():
        got = {t.id: t.obligations for t in back[pid].tasks}
        for t in rec.tasks:
            assert got[t.id] == t.obligations, (pid, t.id)
            n += len(t.obligations)
    assert n == store.read("MATCH (o:Obligation) RETURN count(o) AS n")[0]["n"] > 4
    typed = store.read("MATCH (:Task)-[:HAS_OBLIGATION]->(o:Obligation {name: '乡镇卫生院'})-[:INSTITUTION_TYPE]->(c) "
                       "RETURN c.id AS c")
    assert [r["c"] for r in typed] == ["township-health-centre"]
    # never an agency
    assert not store.read("MATCH (a:Agency) WHERE a.name IN ['定点医药机构', '商业保险机构', '医疗机构'] RETURN a.id AS id")


def test_a_rebuild_keeps_one_node_per_obligation(built) -> None:
    store, docs = built
    before = store.read("MATCH (t:Task)-[:HAS_OBLIGATION]->(o:Obligation) RETURN t.id AS t, o.id AS o, o.name AS n "
                        "ORDER BY o")
    report = build([docs], store, BuildOptions(force=True))
    assert not report.failures
    after = store.read("MATCH (o:Obligation) RETURN count(o) AS n")[0]["n"]
    assert after == len(before)
    assert store.read("MATCH (t:Task)-[:HAS_OBLIGATION]->(o:Obligation) RETURN t.id AS t, o.id AS o, o.name AS n "
                      "ORDER BY o") == before
    assert registry.keep_answers(store) >= 0


def test_who_leads_leaves_institutions_out_unless_asked(api: httpx.Client) -> None:
    default = _all(api, jurisdiction=FOSHAN)
    assert default["params"]["institutions"] is False
    assert {r["bearer_kind"] for r in default["rows"]} == {"agency"}
    assert {r["role"] for r in default["rows"]} == {"lead"}
    asked = _all(api, jurisdiction=FOSHAN, institutions="true")
    inst = [r for r in asked["rows"] if r["bearer_kind"] == "institution"]
    assert [r for r in asked["rows"] if r["bearer_kind"] == "agency"] == default["rows"]
    assert [(r["task_number"], r["agency"], r["institution_type"]) for r in inst] == [
        ("(一)", "定点医药机构", None), ("(二)", "商业保险机构", None), ("(二)", "医疗机构", None),
        ("(三)", "乡镇卫生院", "township-health-centre")]
    for r in inst:
        assert r["role"] == "obliged" and r["agency_id"] is None and r["agency_type"] is None and r["basis"] is None
        assert r["collective"] is False and r["jurisdiction"] == FOSHAN
    assert inst[-1]["institution_type_zh"] == "乡镇卫生院"
    assert [r["list_order"] for r in inst] == [0, 0, 1, 0]
    assert asked["total"] == len(asked["rows"]) == len(default["rows"]) + 4
    # filters about agencies leave them out; about tasks and places keep them
    for agency_filter in ({"basis": "explicit"}, {"agency_type": "医保局"}):
        got = _all(api, jurisdiction=FOSHAN, institutions="true", **agency_filter)
        assert got["rows"] and {r["bearer_kind"] for r in got["rows"]} == {"agency"}, agency_filter
    phrase = _all(api, institutions="true", phrase="理赔服务")
    assert [(r["bearer_kind"], r["agency"]) for r in phrase["rows"]] == [
        ("agency", "佛山市医疗保障局"), ("institution", "商业保险机构"), ("institution", "医疗机构")]


def test_institutions_pages_totals_and_csv_agree(api: httpx.Client) -> None:
    whole = _all(api, institutions="true", role="any")
    rows, total = whole["rows"], whole["total"]
    assert total == len(rows) > _all(api, role="any")["total"]
    for offset, limit in [(0, 7), (5, 13), (total - 3, 10)]:
        r = api.get("/queries/who-leads", params={"institutions": "true", "role": "any", "offset": offset, "limit": limit})
        body = r.json()
        assert body["total"] == total and r.headers["x-total-count"] == str(total)
        assert body["rows"] == rows[offset:offset + limit]
    r = api.get("/queries/who-leads", params={"institutions": "true", "role": "any", "format": "csv"})
    assert r.status_code == 200
    got = list(csv.DictReader(io.StringIO(r.text)))
    assert len(got) == total
    assert [g["bearer_kind"] for g in got] == [x["bearer_kind"] for x in rows]
    assert sum(g["bearer_kind"] == "institution" for g in got) == sum(x["role"] == "obliged" for x in rows) >= 4


def test_the_task_detail_shows_its_obligations(api: httpx.Client, built) -> None:
    store, _docs = built
    tid = store.read("MATCH (t:Task)-[:HAS_OBLIGATION]->(:Obligation {name: '商业保险机构'}) RETURN t.id AS t")[0]["t"]
    r = api.get("/queries/task-detail", params={"task": tid})
    assert r.status_code == 200, r.text
    obligations = r.json()["rows"][0]["obligations"]
    assert [(o["name"], o["institution_type"], o["list_order"]) for o in obligations] == [
        ("商业保险机构", None, 0), ("医疗机构", None, 1)]
    assert all(o["span_start"] < o["span_end"] for o in obligations)
    page = api.get(f"/tasks/{tid}", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "Obliged institutions" in page.text and "商业保险机构" in page.text
    form = api.get("/queries/who-leads", headers={"Accept": "text/html"})
    assert 'name="institutions"' in form.text
