"""Views of several jurisdictions at once, and the form's errors on the page.

Over the seed corpus in the bundled engine and the real API over HTTP: two cities (重庆市 and
杭州市) at once draw nodes of both; the form marks what is drawn; a bad form value answers a
browser with the view's own page (422) and the message next to the field, and API clients with
JSON as before.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest
from views_server import serve

from healthgov.api.app import create_app

VIEWS = ("agency-task", "tiers", "co-responsibility", "policy-network", "lineage")
TWO = [("jurisdiction", "重庆市"), ("jurisdiction", "杭州市")]
HTML = {"Accept": "text/html,application/xhtml+xml"}


@pytest.fixture(scope="module")
def api(corpus_store) -> Iterator[httpx.Client]:
    with serve(create_app(corpus_store)) as base, httpx.Client(base_url=base, timeout=120) as client:
        yield client


def _data(html: str) -> dict:
    return json.loads(re.search(r"const VIEW = (.*?);\n", html).group(1))


def _places(view: dict) -> set[str]:
    """The jurisdictions named in the tooltips of the drawn nodes."""
    found = set()
    for node in view["nodes"]:
        for head, text in node["tip"]:
            if "jurisdiction" in head or head == "任务":
                found |= {p for p in ("重庆市", "杭州市") if p in text}
    return found


def _selected(html: str) -> list[str]:
    select = re.search(r'<select id="f-jurisdiction" name="jurisdiction"[^>]*>(.*?)</select>', html, re.S)
    assert select, "no jurisdiction select on the page"
    return re.findall(r'<option value="([^"]*)" selected>', select.group(1))


@pytest.mark.parametrize("name", VIEWS)
def test_two_cities_at_once_draw_nodes_of_both(api: httpx.Client, name: str) -> None:
    r = api.get(f"/views/{name}", params=TWO + [("max_nodes", "100000")])
    assert r.status_code == 200, r.text[:300]
    assert _places(_data(r.text)) == {"重庆市", "杭州市"}, name
    assert sorted(_selected(r.text)) == ["杭州市", "重庆市"]  # the form shows what is drawn
    assert 'name="jurisdiction" multiple' in r.text
    # The same list as one comma-separated value, as the query endpoints take list[zh].
    same = api.get(f"/views/{name}", params={"jurisdiction": "重庆,杭州", "max_nodes": "100000"})
    assert _data(same.text) == _data(r.text)


def test_default_place_is_the_one_selected_not_all(api: httpx.Client) -> None:
    for name in ("agency-task", "tiers"):
        html = api.get(f"/views/{name}").text
        chosen = _selected(html)
        assert len(chosen) == 1 and chosen[0] in html.split("</h1>")[0], name  # the title names it
        assert "showing: " + chosen[0] in html


def test_two_cities_keep_same_named_bodies_apart(api: httpx.Client) -> None:
    view = _data(api.get("/views/agency-task", params=TWO + [("max_nodes", "100000")]).text)
    agencies = [n for n in view["nodes"] if n["kind"] == "agency"]
    assert agencies
    places = [dict(map(tuple, n["tip"])).get("辖区 jurisdiction") for n in agencies]
    assert {"重庆市", "杭州市"} <= set(places)


@pytest.mark.parametrize(("params", "field"), [({"jurisdiction": "火星"}, "jurisdiction"),
                                               ({"max_nodes": "lots"}, "max_nodes")])  # fmt: skip
def test_a_bad_form_value_is_the_page_with_the_message_at_the_field(api: httpx.Client, params: dict, field: str) -> None:
    for name in VIEWS:
        r = api.get(f"/views/{name}", params=params, headers=HTML)
        assert r.status_code == 422, (name, r.status_code)
        assert r.headers["content-type"].startswith("text/html")
        assert f'id="error-{field}"' in r.text and 'id="filters"' in r.text, name
        message = re.search(rf'id="error-{field}">(.*?)</span>', r.text).group(1)
        assert list(params.values())[0] in message
    # API clients keep the JSON answers.
    assert api.get("/views/tiers", params={"jurisdiction": "火星"}).status_code == 422
    assert api.get("/views/tiers", params={"jurisdiction": "火星"}).json()["detail"]
    assert api.get("/views/tiers", params={"max_nodes": "lots"}).status_code == 400


def test_an_unknown_parameter_is_said_on_the_page(api: httpx.Client) -> None:
    r = api.get("/views/lineage", params={"colour": "red"}, headers=HTML)
    assert r.status_code == 422 and 'id="error"' in r.text and "colour" in r.text
