"""The named queries' web pages: one URL, HTML for a browser, JSON/CSV for everyone else.

The seed corpus in the bundled engine, served by the real API over HTTP. The page is read with
the standard library's HTML parser: its form against the query's ``@param`` lines, its table and
links against the JSON answer of the same URL.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from views_server import serve

from healthgov.api.app import create_app
from healthgov.queries import registry

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
HTML = {"Accept": BROWSER}
HEADLINE = {"jurisdiction": ["重庆市", "杭州市"], "agency_type": "medical-security"}


@pytest.fixture(scope="module")
def api(corpus_store) -> Iterator[httpx.Client]:
    with serve(create_app(corpus_store)) as base, httpx.Client(base_url=base, timeout=60) as client:
        yield client


class Page(HTMLParser):
    """What the tests look at: form controls, labels, links, table cells, elements by id."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []  # inputs and selects inside the form
        self.labels: set[str] = set()
        self.links: list[dict[str, str | None]] = []
        self.cells: list[str] = []
        self.ids: dict[str, str] = {}
        self._in_form = False
        self._open: list[tuple[str, str, int]] = []  # tracked elements: (tag, id, where their text starts)
        self._chunks: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("id") == "query-form":
            self._in_form = True
        if self._in_form and tag in ("input", "select", "textarea"):
            self.controls.append({"tag": tag, **a})
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag == "a":
            self.links.append(a)
        if tag == "td" or (a.get("id") and tag in ("b", "p", "div", "span")):
            self._open.append((tag, a.get("id") or "", len(self._chunks)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        if self._open and self._open[-1][0] == tag:
            _, id_, start = self._open.pop()
            text = "".join(self._chunks[start:]).strip()
            if tag == "td":
                self.cells.append(text)
            if id_:
                self.ids[id_] = text

    def handle_data(self, data: str) -> None:
        self._chunks.append(data)

    def hrefs(self, cls: str | None = None) -> list[str]:
        return [a["href"] or "" for a in self.links if cls is None or cls in (a.get("class") or "").split()]

    def link(self, id_: str) -> str:
        return next(a["href"] or "" for a in self.links if a.get("id") == id_)


def _csv_rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_one_url_three_answers(api: httpx.Client) -> None:
    page = api.get("/queries/who-leads", params=HEADLINE, headers=HTML)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for accept in (None, "application/json", "*/*", "application/json, text/html;q=0.9"):
        js = api.get("/queries/who-leads", params=HEADLINE, headers={"Accept": accept} if accept else {})
        assert js.status_code == 200 and js.headers["content-type"].startswith("application/json"), accept
        assert js.headers["vary"] == "Accept"
    # format= wins over Accept, both ways.
    as_csv = api.get("/queries/who-leads", params={**HEADLINE, "format": "csv"}, headers=HTML)
    assert as_csv.headers["content-type"].startswith("text/csv") and as_csv.headers["vary"] == "Accept"
    as_json = api.get("/queries/who-leads", params={**HEADLINE, "format": "json"}, headers=HTML)
    assert as_json.headers["content-type"].startswith("application/json")
    assert page.headers["vary"] == "Accept" and "etag" not in page.headers
    # Accept: text/csv still selects CSV, even from a client that also takes HTML.
    assert api.get("/queries/who-leads", params=HEADLINE, headers={"Accept": "text/csv, text/html"}
                   ).headers["content-type"].startswith("text/csv")


def test_the_headline_page_names_the_bureaus_and_its_csv_has_every_row(api: httpx.Client) -> None:
    js = api.get("/queries/who-leads", params={**HEADLINE, "limit": 10_000}).json()
    assert js["total"] > 0
    text = api.get("/queries/who-leads", params=HEADLINE, headers=HTML).text
    page = Page(text)
    assert page.ids["total"] == str(js["total"])
    for row in js["rows"]:
        assert row["agency"] in page.cells and row["task_id"] in page.cells
    assert {row["jurisdiction"] for row in js["rows"]} == {"重庆市", "杭州市"}
    assert all("医疗保障" in row["agency"] or "医保" in row["agency"] for row in js["rows"]), js["rows"]
    # CSV: every row, however many a page shows.
    csv_href = page.link("csv")
    assert "limit" not in parse_qs(urlsplit(csv_href).query)
    rows = _csv_rows(api.get(csv_href, headers=HTML).content)
    assert len(rows) == js["total"] and [r["task_id"] for r in rows] == [r["task_id"] for r in js["rows"]]
    assert api.get(page.link("json")).json()["total"] == js["total"]
    # The form shows the question asked: both places and the agency type chosen.
    assert page.ids["f-jurisdiction-chosen"] == "chosen: 重庆市, 杭州市"
    assert '<option value="medical-security" selected>' in text


def test_rows_link_to_their_evidence_and_the_network_view(api: httpx.Client) -> None:
    page = Page(api.get("/queries/who-leads", params=HEADLINE, headers=HTML).text)
    evidence = page.hrefs("evidence")
    total = int(page.ids["total"])
    assert len(evidence) == total and all(h.startswith("/tasks/p") for h in evidence)
    detail = api.get(evidence[0], headers=HTML)  # the task's evidence page (test_evidence_pages.py)
    assert detail.status_code == 200 and detail.headers["content-type"].startswith("text/html")
    assert api.get(evidence[0]).json()["task_id"] == evidence[0].removeprefix("/tasks/")
    views = page.hrefs("view")
    assert sorted(views) == sorted(["/views/agency-task?jurisdiction=%E9%87%8D%E5%BA%86%E5%B8%82",
                                    "/views/agency-task?jurisdiction=%E6%9D%AD%E5%B7%9E%E5%B8%82"])
    assert api.get(views[0]).status_code == 200


def test_pages_cut_like_the_api(api: httpx.Client) -> None:
    params = {"role": "any", "limit": 25, "offset": 25}
    js = api.get("/queries/who-leads", params=params).json()
    page = Page(api.get("/queries/who-leads", params=params, headers=HTML).text)
    assert page.ids["total"] == str(js["total"]) and js["total"] > 50
    task_cells = [c for c in page.cells if c in {r["task_id"] for r in js["rows"]}]
    assert len(set(task_cells)) == len({r["task_id"] for r in js["rows"]})
    nxt = [a["href"] for a in page.links if a.get("rel") == "next"]
    prev = [a["href"] for a in page.links if a.get("rel") == "prev"]
    assert nxt and parse_qs(urlsplit(nxt[0]).query)["offset"] == ["50"]
    assert prev and parse_qs(urlsplit(prev[0]).query)["offset"] == ["0"]


def _form_names(page: Page) -> set[str]:
    return {c["name"] for c in page.controls if c.get("name") and c.get("type") != "hidden"}


@pytest.mark.parametrize("name", registry.names())
def test_every_query_has_a_page_with_its_form(api: httpx.Client, name: str) -> None:
    spec = registry.get(name)
    r = api.get(f"/queries/{name}", headers=HTML)
    assert r.status_code == 200, r.text[:500]
    page = Page(r.text)
    assert _form_names(page) == {p.name for p in spec.params} | {"limit"}
    for c in page.controls:  # every control has a label
        if c.get("type") != "hidden":
            assert c.get("id") in page.labels, c
    by_name = {c["name"]: c for c in page.controls if c.get("name") and c.get("type") != "hidden"}
    for p in spec.params:
        control = by_name[p.name]
        t = p.type
        if t.base in ("enum", "concept") or (t.base == "zh" and p.name == "jurisdiction"):
            assert control["tag"] == "select", (name, p.name)
            assert ("multiple" in control) == t.is_list, (name, p.name)
        elif t.base == "bool":
            expected = "input" if p.default_value() is not None else "select"
            assert control["tag"] == expected, (name, p.name)
        elif t.base in ("int", "float"):
            assert control.get("type") == "number", (name, p.name)
            if t.minimum is not None:
                assert control.get("min") == str(t.minimum)
    # Without its required parameters, the page is the empty form; with them, a table.
    assert ("total" in page.ids) == all(not p.required for p in spec.params)


def test_concept_pickers_carry_chinese_and_english_labels(api: httpx.Client) -> None:
    text = api.get("/queries/who-leads", headers=HTML).text
    assert "医疗保障局 · Healthcare Security Administration (medical-security)" in text
    assert '<option value="medical-security"' in text
    assert "重庆市 (" in text and "杭州市 (" in text  # the places of the graph, from the jurisdictions query


def test_a_bad_value_is_the_page_with_the_message_beside_the_field(api: httpx.Client) -> None:
    bad = {"jurisdiction": "火星", "level": "moon"}
    r = api.get("/queries/who-leads", params=bad, headers=HTML)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    page = Page(r.text)
    assert "火星" in page.ids["f-jurisdiction-error"] and "nation" in page.ids["f-level-error"]
    assert _form_names(page) == {p.name for p in registry.get("who-leads").params} | {"limit"}
    # An API client asking the same URL still gets the JSON error.
    js = api.get("/queries/who-leads", params=bad)
    assert js.status_code == 422 and js.json()["detail"][0]["loc"][0] == "query"
    # A bound the query declares (min_shared: int[1..]) and an unknown parameter.
    r = api.get("/queries/co-responsibility", params={"min_shared": 0}, headers=HTML)
    assert r.status_code == 422 and "must be at least 1" in Page(r.text).ids["f-min_shared-error"]
    r = api.get("/queries/who-leads", params={"nonsense": 1}, headers=HTML)
    assert r.status_code == 422 and "unknown parameter" in Page(r.text).ids["form-errors"]


def test_empty_fields_of_a_sent_form_are_left_out(api: httpx.Client) -> None:
    r = api.get("/queries/who-leads?level=&phrase=&basis=&collective=false&collective=true", headers=HTML,
                follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/queries/who-leads?collective=true"
    # An unticked checkbox sends only its hidden "false".
    page = Page(api.get("/queries/who-leads?collective=false", headers=HTML).text)
    box = next(c for c in page.controls if c.get("name") == "collective" and c.get("type") == "checkbox")
    assert "checked" not in box


def test_the_index_links_every_query_page(api: httpx.Client) -> None:
    page = Page(api.get("/", headers=HTML).text)
    assert set(page.hrefs("query-page")) == {f"/queries/{n}" for n in registry.names()}
