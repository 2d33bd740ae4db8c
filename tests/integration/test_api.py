"""The HTTP API served by uvicorn on a free loopback port, over the seed corpus in the bundled engine.

Answers are checked against the documents (see test_queries.py for how they are read) and
against each other (JSON vs CSV, pages vs the whole, API vs the query library).
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from typing import Any

import httpx
import neo4j
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthgov.api.app import create_app
from healthgov.graph.store import Store
from healthgov.queries import registry

CYPHER_TIMEOUT = 2.0
ROW_CAP = 50


# One uvicorn-in-a-thread helper for every HTTP test module.
from views_server import _free_port  # noqa: E402
from views_server import serve as _serve  # noqa: E402


@pytest.fixture(scope="module")
def api(corpus_store) -> Iterator[httpx.Client]:
    app = create_app(corpus_store, cypher_timeout=CYPHER_TIMEOUT, cypher_row_cap=ROW_CAP)
    with _serve(app) as base, httpx.Client(base_url=base, timeout=60) as client:
        yield client


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- named queries ------------------------------------------------------------------------


def test_headline_question_over_http(api: httpx.Client) -> None:
    r = api.get("/queries/who-leads", params={"jurisdiction": ["重庆市", "杭州市"], "agency_type": "卫健委", "limit": 1000})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["params"]["agency_type"] == "health-commission"
    assert {row["jurisdiction"] for row in body["rows"]} == {"重庆市", "杭州市"}
    # the health commission leads 17 Chongqing tasks (1-17 list it first) and 19 Hangzhou tasks
    counts = {}
    for row in body["rows"]:
        counts[row["jurisdiction"]] = counts.get(row["jurisdiction"], 0) + 1
    assert counts == {"重庆市": 17, "杭州市": 19}
    assert body["total"] == 36 and r.headers["x-total-count"] == "36"


def test_same_answer_as_the_query_library(api: httpx.Client, corpus_store) -> None:
    r = api.get("/queries/compare-targets", params={"indicator": "physicians-per-1000", "limit": 1000})
    direct = registry.run(corpus_store, "compare-targets", {"indicator": "physicians-per-1000"})
    assert r.json()["rows"] == direct.rows
    got = {(row["jurisdiction"], row["value"], row["target_year"]) for row in r.json()["rows"]}
    assert {("重庆市", 3.39, 2027), ("杭州市", 4.78, 2025)} <= got


@pytest.mark.parametrize("how", ["query", "accept"])
def test_csv_agrees_with_json(api: httpx.Client, how: str) -> None:
    params: dict[str, Any] = {"jurisdiction": "重庆市,杭州市", "role": "any", "limit": 1000}
    js = api.get("/queries/who-leads", params=params).json()
    if how == "query":
        r = api.get("/queries/who-leads", params={**params, "format": "csv"})
    else:
        r = api.get("/queries/who-leads", params=params, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = _csv_rows(r.text)
    assert len(rows) == len(js["rows"]) == js["total"]
    assert list(rows[0]) == js["columns"]
    assert [c["task_id"] for c in rows] == [j["task_id"] for j in js["rows"]]
    assert [c["implicit"] for c in rows] == ["true" if j["implicit"] else "false" for j in js["rows"]]


def test_pagination_is_consistent(api: httpx.Client) -> None:
    base = {"jurisdiction": "杭州市", "role": "any"}
    whole = api.get("/queries/who-leads", params={**base, "limit": 1000}).json()
    pages, offset, totals = [], 0, set()
    while True:
        page = api.get("/queries/who-leads", params={**base, "limit": 7, "offset": offset}).json()
        totals.add(page["total"])
        if not page["rows"]:
            break
        pages.extend(page["rows"])
        offset += 7
    assert totals == {whole["total"]}
    assert pages == whole["rows"]
    assert api.get("/queries/who-leads", params={**base, "limit": 0}).json()["rows"] == []


@pytest.mark.parametrize(
    ("path", "params", "needle"),
    [
        ("/queries/who-leads", {"role": "boss"}, "role"),
        ("/queries/who-leads", {"limit": -1}, "limit"),
        ("/queries/who-leads", {"limit": "ten"}, "limit"),
        ("/queries/who-leads", {"agency_type": "ministry of magic"}, "agency_type"),
        ("/queries/who-leads", {"jurisdicton": "重庆市"}, "jurisdicton"),
        ("/queries/policy-lineage", {}, "policy"),
        ("/queries/policy-lineage", {"policy": "x", "depth": 99}, "depth"),
        ("/queries/co-responsibility", {"pooled": "perhaps"}, "pooled"),
        ("/queries/compare-targets", {"year": "2025.5"}, "year"),
        ("/queries/compare-targets", {"year": "9" * 25}, "year"),
        ("/queries/search", {"phrase": ""}, "phrase"),
        ("/policies", {"level": "galaxy"}, "level"),
        ("/vocab/tier", {"offset": -3}, "offset"),
    ],
)
def test_bad_parameters_are_422_with_a_message(api: httpx.Client, path: str, params: dict, needle: str) -> None:
    r = api.get(path, params=params)
    assert r.status_code == 422, (path, params, r.status_code, r.text)
    detail = r.json()["detail"]
    assert any(needle in [str(x) for x in d["loc"]] and d["msg"] for d in detail), detail


def test_search_with_traditional_input(api: httpx.Client) -> None:
    rows = api.get("/queries/search", params={"phrase": "醫療服務價格", "limit": 1000}).json()["rows"]
    assert {"重庆市", "杭州市", "全国"} <= {r["jurisdiction"] for r in rows}


# --- resources ----------------------------------------------------------------------------


def test_policy_and_task_resources(api: httpx.Client) -> None:
    policies = api.get("/policies", params={"loaded": "true"}).json()
    assert policies["total"] == 5
    cq = api.get("/policies/渝府办发〔2023〕76号")
    assert cq.status_code == 200 and cq.json()["jurisdiction"] == "重庆市"
    assert "中办发〔2023〕10号" in {p["doc_number"] for p in cq.json()["implements"]}
    pid = cq.json()["policy_id"]
    assert api.get(f"/policies/{pid}").json()["title"] == "重庆市进一步完善医疗卫生服务体系实施方案"
    assert api.get("/policies/no-such-policy").status_code == 404
    # task ids contain a slash
    task_id = api.get("/queries/search", params={"phrase": "促进医养结合", "jurisdiction": "重庆市"}).json()["rows"][0]["task_id"]
    task = api.get(f"/tasks/{task_id}")
    assert task.status_code == 200 and task.json()["span_text"].startswith("11.促进医养结合")
    assert api.get(f"/tasks/{pid}/t999").status_code == 404
    one = _csv_rows(api.get(f"/tasks/{task_id}", params={"format": "csv"}).text)
    assert len(one) == 1 and one[0]["task_id"] == task_id


def test_agencies_jurisdictions_targets_vocab(api: httpx.Client) -> None:
    agencies = api.get("/agencies", params={"jurisdiction": "重庆市", "limit": 1000}).json()["rows"]
    hc = [a for a in agencies if a["agency"] == "市卫生健康委"]
    assert len(hc) == 1 and hc[0]["tasks_led"] == 17 and hc[0]["tasks_supported"] == 3
    places = {j["jurisdiction"]: j for j in api.get("/jurisdictions").json()["rows"]}
    assert places["广安区"]["parent"] == "广安市" and places["杭州市"]["level"] == "city"
    targets = api.get("/targets", params={"jurisdiction": "重庆市", "year": 2027, "limit": 1000}).json()
    assert targets["total"] > 0 and {t["target_year"] for t in targets["rows"]} == {2027}
    tiers = api.get("/vocab/tier").json()
    assert {"village", "township", "county"} <= {c["id"] for c in tiers["rows"]}
    assert api.get("/vocab/no-such-scheme").status_code == 404
    assert {s["scheme"] for s in api.get("/vocab").json()} >= {"agency-type", "indicator", "tier", "topic"}


def test_health_reports_the_store_without_secrets(api: httpx.Client, corpus_store) -> None:
    body = api.get("/health").json()
    store = body["store"]
    assert body["status"] == "ok" and store["kind"] == "bundled" and store["database"] == corpus_store.database
    assert store["uri"].startswith("bolt://127.0.0.1:") and "@" not in store["uri"]
    assert store["counts"]["Policy"] >= 5 and store["counts"]["Task"] > 100
    assert "ArcadeDB" in (store["engine"] or "")
    from healthgov.graph import engine

    secret = engine.password(corpus_store.data_dir)
    for path in ("/health", "/openapi.json", "/queries"):
        assert secret not in api.get(path).text


def test_docs_and_openapi(api: httpx.Client) -> None:
    assert api.get("/docs").status_code == 200 and "swagger" in api.get("/docs").text.lower()
    # /docs must work offline: every script and stylesheet it loads is served by us.
    import re

    assets = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", api.get("/docs").text)
    assert assets and all(a.startswith("/") for a in assets), assets
    for a in assets:
        assert api.get(a).status_code == 200, a
    spec = api.get("/openapi.json").json()
    for name in registry.names():
        assert f"/queries/{name}" in spec["paths"]
    params = {p["name"]: p for p in spec["paths"]["/queries/who-leads"]["get"]["parameters"]}
    assert params["role"]["schema"]["anyOf"][0]["enum"] == ["lead", "support", "any"]
    for path in ("/policies", "/policies/{policy_id}", "/tasks/{task_id}", "/agencies", "/jurisdictions",
                 "/targets", "/vocab/{scheme}", "/health", "/cypher"):
        assert path in spec["paths"], path


# --- read-only Cypher ---------------------------------------------------------------------


def test_cypher_reads_with_limits(api: httpx.Client) -> None:
    r = api.post("/cypher", json={"query": "MATCH (p:Policy) WHERE p.loaded = $l RETURN p.id AS id ORDER BY id",
                                  "parameters": {"l": True}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["row_count"] == 5 and body["truncated"] is False
    assert body["limits"] == {"read_only": True, "timeout_seconds": CYPHER_TIMEOUT, "row_cap": ROW_CAP}
    capped = api.post("/cypher", json={"query": "MATCH (t:Task) RETURN t.id AS id"}).json()
    assert capped["row_count"] == ROW_CAP and capped["truncated"] is True
    assert api.post("/cypher", json={"query": "MATCH (t:Task) RETURN t.id AS id", "limit": 3}).json()["row_count"] == 3
    # a keyword inside a string literal is data, not a clause
    ok = api.post("/cypher", json={"query": "MATCH (t:Task) WHERE t.text CONTAINS 'CREATE' RETURN count(t) AS n"})
    assert ok.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "CREATE (x:Junk {a: 1}) RETURN x",
        "MERGE (x:Junk {a: 1}) RETURN x",
        "MATCH (p:Policy) SET p.title = 'x' RETURN p",
        "MATCH (p:Policy) DETACH DELETE p",
        "MATCH (p:Policy) REMOVE p.title RETURN p",
        "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
        "CALL dbms.security.createUser('x', 'y', false)",
        "DROP CONSTRAINT policy_id",
        "MATCH (p) RETURN p /* */ ; CREATE (x:Junk)",
        "match (p:Policy) foreach (x in [1] | create (:Junk))",
    ],
)
def test_cypher_refuses_writes(api: httpx.Client, corpus_store, query: str) -> None:
    before = corpus_store.read("MATCH (p:Policy) WHERE p.title IS NOT NULL RETURN count(p) AS n")[0]["n"]
    r = api.post("/cypher", json={"query": query})
    assert r.status_code == 403, r.text
    assert "not allowed" in r.json()["detail"] or "one statement" in r.json()["detail"]
    assert corpus_store.read("MATCH (x:Junk) RETURN count(x) AS n")[0]["n"] == 0
    assert corpus_store.read("MATCH (p:Policy) WHERE p.title IS NOT NULL RETURN count(p) AS n")[0]["n"] == before


def test_cypher_syntax_error_is_400(api: httpx.Client) -> None:
    r = api.post("/cypher", json={"query": "MATCH (p:Policy RETURN p"})
    assert r.status_code == 400 and r.json()["detail"]
    assert api.post("/cypher", json={"query": ""}).status_code == 422
    assert api.post("/cypher", json={"parameters": {}}).status_code == 422
    huge = api.post("/cypher", json={"query": "RETURN $n AS n", "parameters": {"n": 10**30}})
    assert huge.status_code == 400 and "parameters" in huge.json()["detail"]


def test_cypher_runaway_query_times_out(api: httpx.Client) -> None:
    # ~9 million rows: seconds on any engine, well past the 2 s limit
    query = "UNWIND range(1, 3000) AS a UNWIND range(1, 3000) AS b WITH a, b WHERE (a * b) % 7 = 3 RETURN count(*) AS n"
    started = time.monotonic()
    r = api.post("/cypher", json={"query": query})
    waited = time.monotonic() - started
    assert r.status_code == 504, r.text
    assert "time limit" in r.json()["detail"]
    assert waited < CYPHER_TIMEOUT + 3


# --- engine down --------------------------------------------------------------------------


def test_engine_down_is_503() -> None:
    port = _free_port()  # nothing listens there
    uri = f"bolt://127.0.0.1:{port}"
    driver = neo4j.GraphDatabase.driver(uri, auth=("root", "not-a-real-password"), connection_timeout=2)
    store = Store(driver, "kg", uri, "neo4j")
    try:
        with _serve(create_app(store)) as base, httpx.Client(base_url=base, timeout=30) as client:
            r = client.get("/queries/who-leads")
            assert r.status_code == 503 and "not reachable" in r.json()["detail"]
            assert "not-a-real-password" not in r.text
            h = client.get("/health")
            assert h.status_code == 503 and h.json()["store"]["uri"] == uri
            assert client.post("/cypher", json={"query": "RETURN 1 AS x"}).status_code == 503
            # validation still answers without the engine
            assert client.get("/queries/who-leads", params={"role": "boss"}).status_code == 422
    finally:
        store.close()


# --- property-based: no parameter value makes the API fail ----------------------------------

_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
_VALUE = st.one_of(_TEXT, st.integers(-10, 10**6).map(str), st.sampled_from(["true", "false", "重庆市", "lead", ""]))


def _get_routes() -> list[tuple[str, list[str]]]:
    app = create_app(object())  # the schema only: no request reaches the store here
    spec = app.openapi()
    out = []
    for path, ops in spec["paths"].items():
        if "get" in ops and "{" not in path and path not in ("/", "/docs", "/redoc", "/health"):
            out.append((path, [p["name"] for p in ops["get"].get("parameters", []) if p["in"] == "query"]))
    return sorted(out)


ROUTES = _get_routes()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_parameter_value_gives_5xx(api: httpx.Client, data: st.DataObject) -> None:
    path, names = data.draw(st.sampled_from(ROUTES))
    chosen = data.draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names))) if names else []
    params = {n: data.draw(_VALUE) for n in chosen}
    r = api.get(path, params=params)
    assert r.status_code < 500, (path, params, r.status_code, r.text[:300])
    assert r.status_code in (200, 404, 422), (path, params, r.status_code)


def test_an_estimated_total_says_so_in_json_headers_and_html(api: httpx.Client, monkeypatch) -> None:
    from healthgov.queries import registry

    monkeypatch.setattr(registry, "ESTIMATE_ABOVE", 0)
    r = api.get("/queries/search", params={"phrase": "医疗", "limit": 3})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total_estimated"] is True and r.headers["X-Total-Estimated"] == "true"
    assert len(body["rows"]) == 3 and body["total"] >= 3
    html = api.get("/queries/search", params={"phrase": "医疗", "limit": 3}, headers={"Accept": "text/html"}).text
    assert 'id="estimated"' in html and 'rel="next"' in html
    monkeypatch.setattr(registry, "ESTIMATE_ABOVE", 10**9)
    exact = api.get("/queries/search", params={"phrase": "医疗", "limit": 4}).json()
    assert exact["total_estimated"] is False
