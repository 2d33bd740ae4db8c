"""The compare pages over HTTP on the seed corpus: the table's counts, its links, the chart.

/compare is the lead-matrix query drawn as jurisdictions × agency types; every count must be
what the who-leads page it links to lists (distinct tasks), and the chart of an indicator must
hold one mark per target of that indicator with a value.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from views_server import serve

from healthgov.api.app import create_app
from healthgov.queries import registry

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
SVG = "{http://www.w3.org/2000/svg}"
INDICATOR = "physicians-per-1000"


@pytest.fixture(scope="module")
def api(corpus_store) -> Iterator[httpx.Client]:
    with serve(create_app(corpus_store)) as base, httpx.Client(base_url=base, timeout=60) as client:
        yield client


class Matrix(HTMLParser):
    """The #matrix table: each body cell as (place, agency type) → (text, href); totals apart."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.cells: dict[tuple[str, str], tuple[str, str | None]] = {}
        self.row_totals: dict[str, str] = {}
        self.col_totals: dict[str, str] = {}
        self.links: list[str] = []
        self._place: str | None = None
        self._cell: dict[str, str | None] | None = None
        self._text: list[str] = []
        self._in = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("id") == "matrix":
            self._in = True
        if tag == "a":
            self.links.append(a.get("href") or "")
        if not self._in:
            return
        if tag == "tr":
            self._place = a.get("data-place")
        if tag == "td":
            self._cell, self._text = {"type": a.get("data-type"), "class": a.get("class"), "href": None}, []
        if tag == "a" and self._cell is not None:
            self._cell["href"] = a.get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in = False
        if tag != "td" or self._cell is None:
            return
        text, c = "".join(self._text).strip(), self._cell
        total = "total" in (c["class"] or "")
        if self._place and not total:
            self.cells[(self._place, c["type"] or "")] = (text, c["href"])
        elif self._place:
            self.row_totals[self._place] = text
        elif c["type"]:
            self.col_totals[c["type"]] = text
        self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._text.append(data)


def _task_count(api: httpx.Client, params: dict) -> int:
    r = api.get("/queries/who-leads", params={**params, "limit": 10_000, "format": "json"})
    assert r.status_code == 200, r.text[:300]
    return len({row["task_id"] for row in r.json()["rows"]})


def test_chongqing_health_commission_equals_a_direct_count(api: httpx.Client, corpus_store) -> None:
    rows = registry.run(corpus_store, "who-leads", {"jurisdiction": "重庆市", "agency_type": "health-commission",
                                                    "role": "lead"}).rows
    expected = len({r["task_id"] for r in rows})
    assert expected > 0
    page = Matrix(api.get("/compare", headers=HTML).text)
    assert page.cells[("重庆市", "health-commission")][0] == str(expected)
    data = api.get("/compare", params={"format": "json"}).json()
    cell = next(r for r in data["rows"] if r["jurisdiction"] == "重庆市" and r["agency_type"] == "health-commission")
    assert cell["tasks"] == expected


def test_every_cell_links_to_the_tasks_it_counts(api: httpx.Client) -> None:
    page = Matrix(api.get("/compare", headers=HTML).text)
    counted = {k: v for k, v in page.cells.items() if v[1]}
    assert len(counted) >= 10, page.cells
    for (place, agency_type), (text, href) in counted.items():
        url = urlsplit(href or "")
        q = parse_qs(url.query)
        assert url.path == "/queries/who-leads"
        assert q == {"jurisdiction": [place], "agency_type": [agency_type], "role": ["lead"]}, href
        assert _task_count(api, {k: v[0] for k, v in q.items()}) == int(text), (place, agency_type)
    # Totals: the sum of a row's cells, of a column's cells.
    for place, total in page.row_totals.items():
        assert int(total) == sum(int(t) for (p, _), (t, h) in page.cells.items() if p == place and h)
    for agency_type, total in page.col_totals.items():
        assert int(total) == sum(int(t) for (_, a), (t, h) in page.cells.items() if a == agency_type and h)


def test_labels_are_chinese_and_english(api: httpx.Client) -> None:
    text = api.get("/compare", headers=HTML).text
    for label in ("卫生健康委员会", "Health Commission", "医疗保障局", "Prefecture-level city", "total 合计"):
        assert label in text, label


def test_filters_by_topic_level_and_places(api: httpx.Client) -> None:
    cities = api.get("/compare", params={"level": "city", "format": "json"}).json()["rows"]
    assert cities and {r["level"] for r in cities} == {"city"}
    two = api.get("/compare", params={"jurisdiction": ["重庆市", "杭州市"], "format": "json"}).json()["rows"]
    assert {r["jurisdiction"] for r in two} == {"重庆市", "杭州市"}
    topic = "governance"
    rows = api.get("/compare", params={"topic": topic, "format": "json"}).json()["rows"]
    for r in rows:
        params = {"jurisdiction": r["jurisdiction"], "agency_type": r["agency_type"], "topic": topic}
        assert r["tasks"] == _task_count(api, params), r
    page = Matrix(api.get("/compare", params={"topic": topic}, headers=HTML).text)
    for _, href in page.cells.values():
        if href:
            assert parse_qs(urlsplit(href).query)["topic"] == [topic], href


def test_html_json_csv_by_format_and_accept(api: httpx.Client) -> None:
    html = api.get("/compare", headers=HTML)
    assert html.headers["content-type"].startswith("text/html") and "Accept" in html.headers["vary"]
    assert 'id="matrix"' in html.text
    assert api.get("/compare").headers["content-type"].startswith("application/json")
    as_json = api.get("/compare", params={"format": "json"}, headers=HTML)
    assert as_json.headers["content-type"].startswith("application/json")
    assert as_json.json()["query"] == "lead-matrix"
    for r in (api.get("/compare", params={"format": "csv"}), api.get("/compare", headers={"Accept": "text/csv"})):
        assert r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
        assert len(rows) == as_json.json()["total"] and "agency_type_zh" in rows[0]


def test_a_bad_value_comes_back_on_the_page(api: httpx.Client) -> None:
    r = api.get("/compare", params={"level": "planet"}, headers=HTML)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert 'class="error"' in r.text and "planet" in r.text
    r = api.get("/compare", params={"level": "planet"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "level"]


def test_the_index_links_the_compare_pages(api: httpx.Client) -> None:
    page = Matrix(api.get("/", headers=HTML).text)
    assert "/compare" in page.links and "/compare/targets" in page.links


def _targets(corpus_store) -> list[dict]:
    return registry.run(corpus_store, "compare-targets", {"indicator": INDICATOR}).rows


def test_the_svg_has_one_mark_per_target(api: httpx.Client, corpus_store) -> None:
    targets = [t for t in _targets(corpus_store) if isinstance(t["value"], int | float)]
    assert targets, "the seed corpus has no target for " + INDICATOR
    r = api.get("/compare/targets.svg", params={"indicator": INDICATOR})
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert "attachment" in r.headers["content-disposition"]
    root = ET.fromstring(r.content)  # well-formed XML
    assert root.tag == SVG + "svg"
    marks = [g for g in root.iter(SVG + "g") if g.get("class") == "mark"]
    assert sorted(g.get("data-target") for g in marks) == sorted(t["target_id"] for t in targets)
    assert {g.get("data-nature") for g in marks} == {t["nature"] or "" for t in targets}
    # By a label too, and an indicator with no targets draws an empty chart.
    by_label = ET.fromstring(api.get("/compare/targets.svg", params={"indicator": "每千人口执业(助理)医师数"}).content)
    assert len([g for g in by_label.iter(SVG + "g") if g.get("class") == "mark"]) == len(marks)


def test_the_targets_page_inlines_the_chart_and_links_its_data(api: httpx.Client, corpus_store) -> None:
    targets = _targets(corpus_store)
    r = api.get("/compare/targets", params={"indicator": INDICATOR}, headers=HTML)
    assert r.status_code == 200
    assert r.text.count('<g class="mark"') == len([t for t in targets if isinstance(t["value"], int | float)])
    assert "约束性" in r.text and "预期性" in r.text
    page = Matrix(r.text)
    csv_href = next(h for h in page.links if h.startswith("/queries/compare-targets") and "format=csv" in h)
    rows = list(csv.DictReader(io.StringIO(api.get(csv_href).text.lstrip("\ufeff"))))
    assert sorted(x["target_id"] for x in rows) == sorted(t["target_id"] for t in targets)
    svg_href = next(h for h in page.links if h.startswith("/compare/targets.svg"))
    assert parse_qs(urlsplit(svg_href).query)["indicator"] == [INDICATOR]
    # No indicator yet: the picker, no chart.
    empty = api.get("/compare/targets", headers=HTML)
    assert empty.status_code == 200 and 'id="choose"' in empty.text and 'name="indicator"' in empty.text
