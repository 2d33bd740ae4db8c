"""The OpenAPI description tells the truth, and the index page lists all of it.

Over the seed corpus served by the real API (``served_views``): every operation documents a 200
schema, examples for its parameters and the one error schema; real answers (reached from the
index page's example links) validate against the documented schemas; bad requests answer in the
documented error shape.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import urlsplit

import httpx
import jsonschema_rs  # comes with schemathesis (a test dependency)
import pytest

from healthgov.queries import registry

ERROR_REF = "#/components/schemas/Error"


@pytest.fixture(scope="module")
def api(served_views) -> httpx.Client:
    with httpx.Client(base_url=served_views.base, timeout=120) as client:
        yield client


@pytest.fixture(scope="module")
def spec(api: httpx.Client) -> dict[str, Any]:
    r = api.get("/openapi.json")
    assert r.status_code == 200
    return r.json()


def _operations(spec: dict[str, Any]):
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            yield path, method, op


def _validator(spec: dict[str, Any], schema: dict[str, Any]) -> jsonschema_rs.Validator:
    # The components travel with the schema so that its #/components/... references resolve.
    return jsonschema_rs.Draft202012Validator({**schema, "components": spec["components"]})


def _check(spec: dict[str, Any], schema: dict[str, Any], body: Any, where: str) -> None:
    errors = [str(e).splitlines()[0] for e in _validator(spec, schema).iter_errors(body)]
    assert errors == [], (where, errors[:5])


def _component(spec: dict[str, Any], ref: str) -> dict[str, Any]:
    return spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]


# --- the description itself ---------------------------------------------------------------


def test_every_operation_documents_its_200_answer(spec: dict[str, Any]) -> None:
    tabular = {f"/queries/{n}" for n in registry.names()} | {
        "/policies", "/agencies", "/jurisdictions", "/targets", "/policies/{policy_id}", "/tasks/{task_id}",
        "/vocab/{scheme}", "/cypher", "/network/measures", "/network/summary", "/network/communities",
        "/network/edges", "/network/compare", "/compare"}  # fmt: skip
    for path, method, op in _operations(spec):
        ok = op["responses"].get("200")
        assert ok and ok.get("content"), (path, method)
        media = list(ok["content"])
        for content in ok["content"].values():
            assert content.get("schema"), (path, method, media)
        if path in tabular:
            # JSON first: Swagger UI's "Execute" asks for the first media type.
            assert media == ["application/json", "text/csv"], (path, media)
            assert ok["content"]["application/json"]["schema"].get("$ref"), path
        elif path == "/network/graphml":
            assert media == ["application/graphml+xml"], media
        elif path.startswith("/views/") or path in ("/", "/compare/targets"):
            assert media == ["text/html"], (path, media)
        elif path == "/compare/targets.svg":
            assert media == ["image/svg+xml"], media
        else:
            assert media == ["application/json"], (path, media)
            assert ok["content"]["application/json"]["schema"], path


def test_named_query_pages_type_their_columns(spec: dict[str, Any]) -> None:
    for name, q in registry.load_queries().items():
        schema = spec["paths"][f"/queries/{name}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        page = _component(spec, schema["$ref"])
        assert {"query", "params", "columns", "total", "limit", "offset", "rows"} <= set(page["required"]), name
        row = _component(spec, page["properties"]["rows"]["items"]["$ref"])
        assert list(row["properties"]) == list(q.columns), name
        for column, prop in row["properties"].items():
            # typed: a type other than null is named (possibly inside anyOf with null)
            types = {alt.get("type") for alt in prop.get("anyOf", [prop])} - {None, "null"}
            assert types, (name, column, prop)
    who = _component(spec, _component(spec, spec["paths"]["/queries/who-leads"]["get"]["responses"]["200"]
                                       ["content"]["application/json"]["schema"]["$ref"])["properties"]["rows"]["items"]["$ref"])  # fmt: skip
    assert {alt.get("type") for alt in who["properties"]["list_order"]["anyOf"]} == {"integer", "null"}
    assert {alt.get("type") for alt in who["properties"]["implicit"]["anyOf"]} == {"boolean", "null"}


def _has_example(param: dict[str, Any]) -> bool:
    schema = param.get("schema", {})
    alternatives = [schema, *schema.get("anyOf", [])]
    return ("example" in param or "examples" in param
            or any("examples" in s or "enum" in s or "const" in s for s in alternatives)
            or "default" in schema)  # fmt: skip


def test_every_parameter_has_an_example_enum_or_default(spec: dict[str, Any]) -> None:
    missing = [(path, p["name"]) for path, _m, op in _operations(spec) for p in op.get("parameters", [])
               if not _has_example(p)]  # fmt: skip
    assert missing == []
    who = {p["name"]: p for p in spec["paths"]["/queries/who-leads"]["get"]["parameters"]}
    assert who["jurisdiction"]["schema"]["examples"] == [["重庆市"]]
    assert who["agency_type"]["schema"]["examples"] == ["health-commission"]
    # Required parameters carry the example on the parameter: "Try it out" starts from it.
    profile = {p["name"]: p for p in spec["paths"]["/queries/agency-profile"]["get"]["parameters"]}
    assert profile["agency_type"]["example"] == "health-commission"
    body = spec["paths"]["/cypher"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert _component(spec, body["$ref"])["properties"]["query"]["examples"]


def test_every_error_response_is_the_one_error_schema(spec: dict[str, Any]) -> None:
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert "Error" in spec["components"]["schemas"]
    for path, method, op in _operations(spec):
        codes = [c for c in op["responses"] if c[0] in "45"]
        assert "500" in codes, (path, method)
        if op.get("parameters") or op.get("requestBody"):
            assert "422" in codes, (path, method)
        for code in codes:
            content = op["responses"][code].get("content", {})
            assert list(content) == ["application/json"], (path, method, code)
            assert content["application/json"]["schema"] == {"$ref": ERROR_REF}, (path, method, code)
            assert "example" in content["application/json"], (path, method, code)


def test_error_examples_match_the_error_schema(spec: dict[str, Any]) -> None:
    for path, _method, op in _operations(spec):
        for code, response in op["responses"].items():
            if code[0] in "45":
                _check(spec, {"$ref": ERROR_REF}, response["content"]["application/json"]["example"], (path, code))


# --- real answers against the description -----------------------------------------------------


def _index_rows(api: httpx.Client) -> list[dict[str, str | None]]:
    html = api.get("/").text
    rows = []
    for m in re.finditer(r'<tr class="endpoint" data-method="(\w+)" data-path="([^"]+)">(.*?)</tr>', html, re.S):
        links = dict((cls, unescape(href)) for href, cls in
                     ((h, c) for c, h in re.findall(r'<a class="(\w+)" href="([^"]+)"', m.group(3))))  # fmt: skip
        rows.append({"method": m.group(1), "path": unescape(m.group(2)), "example": links.get("example"),
                     "docs": links.get("docs")})
    return rows


def test_index_lists_every_operation_with_working_links(api: httpx.Client, spec: dict[str, Any]) -> None:
    r = api.get("/")
    assert r.status_code == 200
    rows = _index_rows(api)
    listed = {(row["method"], row["path"]) for row in rows}
    for name in registry.names():
        assert ("GET", f"/queries/{name}") in listed, name
    expected = {(m.upper(), p) for p, m, _op in _operations(spec) if p != "/"}
    assert expected - listed == set()
    assert listed - expected == set()
    for needle in ("/vocab", "/policies", "/agencies", "/network/measures", "/network/graphml", "/views/{name}",
                   "/cypher", "/health"):  # fmt: skip
        assert any(row["path"] == needle for row in rows), needle
    assert 'href="/docs"' in r.text and 'href="/openapi.json"' in r.text
    for row in rows:
        op = spec["paths"][row["path"]][row["method"].lower()]
        assert row["docs"] == f"/docs#/{op['tags'][0].replace(' ', '%20')}/{op['operationId']}", row
        if row["method"] == "GET":
            assert row["example"], row  # every GET has a runnable example


def test_index_examples_answer_as_documented(api: httpx.Client, spec: dict[str, Any]) -> None:
    for row in _index_rows(api):
        if not row["example"]:
            continue
        op = spec["paths"][row["path"]]["get"]
        r = api.get(row["example"])
        assert r.status_code == 200, (row["example"], r.text[:300])
        media = r.headers["content-type"].split(";")[0]
        content = op["responses"]["200"]["content"]
        assert media in content, (row["example"], media, list(content))
        if media == "application/json":
            _check(spec, content[media]["schema"], r.json(), row["example"])
        if "text/csv" in content:
            as_csv = api.get(row["example"], headers={"Accept": "text/csv"})
            assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv"), row
        if row["path"].startswith("/queries/") and row["path"] != "/queries":
            assert r.json()["total"] > 0, (row["example"], "the example finds nothing in the seed corpus")


def test_each_parameter_example_finds_rows(api: httpx.Client, spec: dict[str, Any]) -> None:
    """Every named query, with its required examples plus one optional example at a time."""
    for name in registry.names():
        op = spec["paths"][f"/queries/{name}"]["get"]
        params = {p["name"]: p for p in op["parameters"]}
        required = {n: p["example"] for n, p in params.items() if p.get("required")}
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        for n, p in params.items():
            if p.get("required") or "examples" not in p["schema"]:
                continue
            query = {**required, n: p["schema"]["examples"][0]}
            r = api.get(f"/queries/{name}", params=query)
            assert r.status_code == 200, (name, query, r.text[:300])
            assert r.json()["total"] > 0, (name, query)
            _check(spec, schema, r.json(), (name, query))


def test_cypher_and_network_bodies_match(api: httpx.Client, spec: dict[str, Any]) -> None:
    op = spec["paths"]["/cypher"]["post"]
    example = _component(spec, op["requestBody"]["content"]["application/json"]["schema"]["$ref"])
    r = api.post("/cypher", json={"query": example["properties"]["query"]["examples"][0]})
    assert r.status_code == 200, r.text
    _check(spec, op["responses"]["200"]["content"]["application/json"]["schema"], r.json(), "/cypher")
    for table in ("measures", "summary", "communities", "edges", "compare"):
        op = spec["paths"][f"/network/{table}"]["get"]
        r = api.get(f"/network/{table}", params={"agency_type": "health-commission", "pooled": "true"})
        assert r.status_code == 200 and r.json()["total"] > 0, (table, r.text[:300])
        _check(spec, op["responses"]["200"]["content"]["application/json"]["schema"], r.json(), table)


# --- errors, as answered ---------------------------------------------------------------------------

BAD = [
    ("get", "/queries/who-leads", {"params": {"role": "boss"}}, 422),
    ("get", "/queries/who-leads", {"params": {"jurisdictoin": "重庆市"}}, 422),
    ("get", "/queries/agency-profile", {}, 422),
    ("get", "/queries/co-responsibility", {"params": {"min_shared": "0"}}, 422),
    ("get", "/network/measures", {"params": {"level": "galaxy"}}, 422),
    ("get", "/policies/p000000000000", {}, 404),
    ("get", "/tasks/p000000000000/t1", {}, 404),
    ("get", "/vocab/no-such-scheme", {}, 404),
    ("get", "/no/such/path", {}, 404),
    ("get", "/cypher", {}, 405),
    ("post", "/cypher", {"json": {"query": "CREATE (x:Junk) RETURN x"}}, 403),
    ("post", "/cypher", {"json": {"query": "MATCH (p:Policy RETURN p"}}, 400),
    ("post", "/cypher", {"json": {"parameters": {}}}, 422),
    ("post", "/cypher", {"content": b"{" + b" " * 1_100_000 + b"}", "headers": {"content-type": "application/json"}}, 413),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "kwargs", "status"), BAD, ids=[f"{b[3]}{b[1]}" for b in BAD])
def test_bad_requests_answer_the_error_schema(api: httpx.Client, spec: dict[str, Any], method: str, path: str,
                                              kwargs: dict[str, Any], status: int) -> None:  # fmt: skip
    r = api.request(method, path, **kwargs)
    assert r.status_code == status, (path, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json"), r.headers["content-type"]
    _check(spec, {"$ref": ERROR_REF}, r.json(), (path, status))
    documented = spec["paths"].get(path, {}).get(method, {}).get("responses", {})
    if documented and status != 405:
        assert str(status) in documented, (path, status, list(documented))


class _BrokenStore:
    """A store whose every read fails in a way no handler expects."""

    uri, kind, database = "bolt://127.0.0.1:1", "test", "kg"

    def read(self, *_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("boom")

    def session(self, *_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("boom")


def test_unexpected_failure_is_a_500_in_the_error_schema(spec: dict[str, Any]) -> None:
    from views_server import serve

    from healthgov.api.app import create_app

    with serve(create_app(_BrokenStore(), cache=False)) as base:
        r = httpx.get(base + "/queries/who-leads", timeout=30)
    assert r.status_code == 500 and r.headers["content-type"].startswith("application/json"), r.text[:300]
    _check(spec, {"$ref": ERROR_REF}, r.json(), "500")
    assert "boom" not in r.text  # the message of an unexpected error may name internals


def test_store_down_is_a_503_in_the_error_schema(spec: dict[str, Any]) -> None:
    import neo4j
    from views_server import _free_port, serve

    from healthgov.api.app import create_app
    from healthgov.graph.store import Store

    uri = f"bolt://127.0.0.1:{_free_port()}"
    driver = neo4j.GraphDatabase.driver(uri, auth=("root", "x"), connection_timeout=2)
    store = Store(driver, "kg", uri, "neo4j")
    try:
        with serve(create_app(store)) as base:
            for path in ("/queries/who-leads", "/health"):
                r = httpx.get(base + path, timeout=30)
                assert r.status_code == 503, (path, r.status_code, r.text[:300])
                _check(spec, {"$ref": ERROR_REF}, r.json(), path)
    finally:
        store.close()


def test_docs_links_point_at_this_server(api: httpx.Client) -> None:
    for row in _index_rows(api):
        for href in (row["example"], row["docs"]):
            if href:
                assert not urlsplit(href).netloc, href
