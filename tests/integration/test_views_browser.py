"""Every view in a real headless Chromium, loaded from the API served over HTTP.

Checks per view: no console errors, no request leaves 127.0.0.1, the vis network draws as many
nodes and edges as an independent Cypher count over the seed corpus says, physics is off once
stabilised, tooltips carry Chinese and English, and a screenshot has many distinct colours.

Needs Debian's ``chromium`` (``apt-get install chromium fonts-noto-cjk``) and the ``playwright``
Python package; never ``playwright install`` (no browser downloads here). Without chromium the
tests skip locally and fail under CI.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import chromium
import pytest

BIG = "100000"  # max_nodes for the counting tests: every node drawn, nothing aggregated

chromium.require()
from playwright.sync_api import sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium.CHROMIUM, args=chromium.ARGS, headless=True)
        yield b
        b.close()


class Page:
    """A page that records console errors and every request it makes."""

    def __init__(self, browser: object, base: str) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 860})
        self.errors: list[str] = []
        self.requests: list[str] = []
        chromium.watch(self.page, self.errors, self.requests)
        self.base = base

    def open_view(self, path: str) -> None:
        resp = self.page.goto(self.base + path)
        assert resp is not None and resp.status == 200, path
        self.page.wait_for_function("window.viewStable === true", timeout=120_000)

    def counts(self) -> tuple[int, int]:
        return tuple(self.page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]"))

    def assert_clean(self) -> None:
        assert self.errors == [], self.errors
        outside = [u for u in self.requests if urlsplit(u).hostname != "127.0.0.1" and not u.startswith("data:")]
        assert outside == [], outside
        assert self.requests, "no request recorded at all"

    def distinct_colours(self, shot: Path) -> int:
        """Colours in the screenshot PNG, counted by the browser itself (no imaging library needed)."""
        return chromium.distinct_colours(self.page, self.page.screenshot(path=str(shot)))

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def page(browser: object, served_views) -> Iterator[Page]:
    p = Page(browser, served_views.base)
    yield p
    p.close()


def _one(store, cypher: str, **params) -> int:
    rows = store.read(cypher, params)
    return int(next(iter(rows[0].values()))) if rows else 0


def _busiest_jurisdiction(store) -> str:
    rows = store.read(
        "MATCH (p:Policy)-[:HAS_JURISDICTION]->(j:Jurisdiction) MATCH (p)-[:HAS_TASK]->(t:Task)-[:LEAD_AGENCY]->(:Agency) "
        "RETURN j.name AS name, count(DISTINCT t) AS n ORDER BY n DESC, name LIMIT 1"
    )
    assert rows, "the seed corpus has no task with a lead agency"
    return rows[0]["name"]


# --- expected counts, straight from the graph ------------------------------------------------

_IN_J = "MATCH (p:Policy)-[:HAS_JURISDICTION]->(j:Jurisdiction) WHERE j.name = $j MATCH (p)-[:HAS_TASK]->(t:Task)"


def expected_agency_task(store, j: str) -> tuple[int, int]:
    tasks = _one(store, _IN_J + "-[:LEAD_AGENCY|SUPPORTING_AGENCY]->(:Agency) RETURN count(DISTINCT t) AS n", j=j)
    agencies = _one(store, _IN_J + "-[:LEAD_AGENCY|SUPPORTING_AGENCY]->(a:Agency) RETURN count(DISTINCT a.name) AS n", j=j)
    edges = _one(store, _IN_J + "-[r:LEAD_AGENCY|SUPPORTING_AGENCY]->(:Agency) RETURN count(r) AS n", j=j)
    return tasks + agencies, edges


_PAIR = ("MATCH (t:Task)-[:LEAD_AGENCY|SUPPORTING_AGENCY]->(a:Agency) MATCH (t)-[:LEAD_AGENCY|SUPPORTING_AGENCY]->(b:Agency) "
         "WHERE a.id < b.id ")  # fmt: skip


def expected_coresponsibility(store) -> tuple[int, int]:
    pairs = _one(store, _PAIR + "RETURN count(DISTINCT a.id + '|' + b.id) AS n")
    ends = _one(store, _PAIR + "WITH [a.id, b.id] AS ends UNWIND ends AS x RETURN count(DISTINCT x) AS n")
    return ends, pairs


def expected_lineage(store, rels: str = "IMPLEMENTS") -> tuple[int, int]:
    """Loaded policies, plus placeholders with a link of the kinds drawn; one edge per linked pair."""
    loaded = _one(store, "MATCH (p:Policy) WHERE coalesce(p.loaded, true) = true RETURN count(p) AS n")
    linked_placeholders = _one(
        store, f"MATCH (p:Policy)-[:{rels}]-(:Policy) WHERE p.loaded = false RETURN count(DISTINCT p) AS n"
    )
    pairs = _one(store, f"MATCH (a:Policy)-[:{rels}]->(b:Policy) RETURN count(DISTINCT a.id + '|' + b.id) AS n")
    return loaded + linked_placeholders, pairs


def expected_tiers(store, j: str) -> tuple[int, int]:
    tagged = _one(store, _IN_J + "-[:AT_TIER|CONCERNS_INSTITUTION]->() RETURN count(DISTINCT t) AS n", j=j)
    at_tier = _one(store, _IN_J + "-[r:AT_TIER]->(:Tier) RETURN count(r) AS n", j=j)
    concerns = _one(store, _IN_J + "-[r:CONCERNS_INSTITUTION]->(:InstitutionType) RETURN count(r) AS n", j=j)
    insts = _one(store, _IN_J + "-[:CONCERNS_INSTITUTION]->(i:InstitutionType) RETURN count(DISTINCT i) AS n", j=j)
    serves = _one(store, _IN_J + "-[:CONCERNS_INSTITUTION]->(i:InstitutionType) MATCH (i)-[:SERVES_TIER]->(s:Tier) "
                         "RETURN count(DISTINCT i.id + '|' + s.id) AS n", j=j)  # fmt: skip
    tiers = _one(store, "CALL { " + _IN_J + "-[:AT_TIER]->(s:Tier) RETURN s UNION " + _IN_J
                 + "-[:CONCERNS_INSTITUTION]->(:InstitutionType)-[:SERVES_TIER]->(s:Tier) RETURN s } "
                 "RETURN count(DISTINCT s) AS n", j=j)  # fmt: skip
    return tagged + insts + tiers, at_tier + concerns + serves


# --- the tests ---------------------------------------------------------------------------------


def _check_view(page: Page, path: str, expected: tuple[int, int], tmp_path: Path, name: str) -> None:
    page.open_view(path)
    assert page.counts() == expected, path
    assert expected[0] > 0 and expected[1] > 0, f"{name}: the seed corpus gives an empty view"
    assert page.page.evaluate("network.physics.options.enabled") is False  # stabilised, then stopped
    page.page.mouse.move(5, 5)
    assert page.distinct_colours(tmp_path / f"{name}.png") > 60
    page.assert_clean()


def test_agency_task_view(page: Page, served_views, tmp_path: Path) -> None:
    j = _busiest_jurisdiction(served_views.store)
    path = f"/views/agency-task?jurisdiction={quote(j)}&max_nodes={BIG}"
    _check_view(page, path, expected_agency_task(served_views.store, j), tmp_path, "agency-task")
    kinds = page.page.evaluate("network.body.data.edges.get().map(e => e.kind)")
    assert "lead" in kinds
    # A task tooltip: Chinese, English, the source text and its document.
    tip = page.page.evaluate("network.body.data.nodes.get().find(n => n.kind === 'task').title.innerText")
    assert "English" in tip and "原文 source text" in tip and "文件 document" in tip and "《" in tip


def test_coresponsibility_view(page: Page, served_views, tmp_path: Path) -> None:
    path = f"/views/co-responsibility?max_nodes={BIG}"
    _check_view(page, path, expected_coresponsibility(served_views.store), tmp_path, "co-responsibility")
    widths = page.page.evaluate("network.body.data.edges.get().map(e => e.width)")
    assert max(widths) >= 1 and all(w >= 1 for w in widths)


def test_lineage_view(page: Page, served_views, tmp_path: Path) -> None:
    _check_view(page, f"/views/lineage?max_nodes={BIG}", expected_lineage(served_views.store), tmp_path, "lineage")
    nodes = page.page.evaluate("network.body.data.nodes.get().map(n => [n.label, n.level, !!n.shapeProperties])")
    placeholders = [n for n in nodes if n[2]]
    expected_placeholders = _one(served_views.store, "MATCH (p:Policy)-[:IMPLEMENTS]-(:Policy) "
                                 "WHERE p.loaded = false RETURN count(DISTINCT p) AS n")  # fmt: skip
    assert len(placeholders) == expected_placeholders
    assert all("placeholder" in n[0] for n in placeholders)


def test_tiers_view(page: Page, served_views, tmp_path: Path) -> None:
    j = _busiest_jurisdiction(served_views.store)
    path = f"/views/tiers?jurisdiction={quote(j)}&max_nodes={BIG}"
    _check_view(page, path, expected_tiers(served_views.store, j), tmp_path, "tiers")


def test_a_capped_view_says_what_it_left_out(page: Page, served_views) -> None:
    j = _busiest_jurisdiction(served_views.store)
    page.open_view(f"/views/agency-task?jurisdiction={quote(j)}&max_nodes=10")
    nodes, _ = page.counts()
    assert nodes <= 10
    notes = page.page.inner_text("#notes")
    assert "exceed the limit of 10 nodes" in notes
    page.assert_clean()


def test_tooltip_shows_on_hover(page: Page, served_views) -> None:
    page.open_view(f"/views/lineage?max_nodes={BIG}")
    pos = page.page.evaluate(
        """() => { const id = network.body.data.nodes.getIds()[0];
                   const p = network.canvasToDOM(network.getPositions([id])[id]);
                   const r = document.querySelector('#network canvas').getBoundingClientRect();
                   return [p.x + r.left, p.y + r.top]; }"""
    )
    page.page.mouse.move(pos[0], pos[1])
    page.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
    text = page.page.inner_text("div.vis-tooltip")
    assert "English" in text and "政策" in text
    page.assert_clean()


def test_index_links_views_queries_and_docs(page: Page, served_views) -> None:
    resp = page.page.goto(served_views.base + "/")
    assert resp is not None and resp.status == 200
    hrefs = page.page.eval_on_selector_all("a", "els => els.map(a => a.getAttribute('href'))")
    for name in ("agency-task", "co-responsibility", "lineage", "tiers"):
        assert f"/views/{name}" in hrefs
    assert "/docs" in hrefs
    assert any(h.startswith("/") and not h.startswith(("/views", "/docs", "/openapi")) for h in hrefs), hrefs
    page.page.click("#view-lineage a")
    page.page.wait_for_function("window.viewStable === true", timeout=120_000)
    page.assert_clean()


def test_written_file_opens_offline(browser: object, served_views, tmp_path: Path) -> None:
    """``healthgov view`` output, opened from disk with every network request refused."""
    import subprocess
    import sys

    out = tmp_path / "lineage.html"
    cli = str(Path(sys.executable).parent / "healthgov")
    env = {**os.environ, "HEALTHGOV_DATA": str(served_views.data_dir)}
    subprocess.run([cli, "view", "lineage", "-p", "relation=all", "-p", f"max_nodes={BIG}", "--out", str(out)], env=env, check=True,
                   capture_output=True, timeout=300)  # fmt: skip
    context = browser.new_context(offline=True)
    try:
        pg = context.new_page()
        errors: list[str] = []
        requests: list[str] = []
        chromium.watch(pg, errors, requests)
        pg.goto(out.as_uri())
        pg.wait_for_function("window.viewStable === true", timeout=120_000)
        assert tuple(pg.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")) == expected_lineage(
            served_views.store, "IMPLEMENTS|CITES"
        )
        assert errors == [] and requests == [out.as_uri()]
    finally:
        context.close()


# --- views that read well: two places at once, layered tiers, lineage without overlaps --------

OVERLAPS = """() => { const ids = network.body.data.nodes.getIds(); const b = ids.map(i => network.getBoundingBox(i));
    const out = []; for (let i = 0; i < b.length; i++) for (let j = i + 1; j < b.length; j++) {
      const x = Math.min(b[i].right, b[j].right) - Math.max(b[i].left, b[j].left);
      const y = Math.min(b[i].bottom, b[j].bottom) - Math.max(b[i].top, b[j].top);
      if (x > 2 && y > 2) out.push([ids[i], ids[j]]); } return out; }"""


def test_tiers_view_of_two_cities_is_layered_and_legible(browser: object, served_views, tmp_path: Path) -> None:
    page = Page(browser, served_views.base)
    page.page.set_viewport_size({"width": 1400, "height": 1000})
    try:
        page.open_view("/views/tiers?jurisdiction=重庆市&jurisdiction=杭州市")
        nodes, edges = page.counts()
        assert nodes > 0 and edges > 0
        tips = page.page.evaluate("network.body.data.nodes.get().map(n => n.tip.map(r => r.join(' ')).join(' '))")
        assert any("重庆市" in t for t in tips) and any("杭州市" in t for t in tips)
        assert page.page.evaluate("network.layoutEngine.options.hierarchical.enabled") is True
        # Tier boxes run down the page in rank order, each on its own row.
        rows = page.page.evaluate("""() => network.body.data.nodes.get().filter(n => n.kind === 'tier')
            .sort((a, b) => a.level - b.level).map(n => network.getPositions([n.id])[n.id].y)""")
        assert rows and rows == sorted(rows) and len(set(rows)) == len(rows)
        assert page.page.evaluate(OVERLAPS) == []
        selected = page.page.evaluate("[...document.querySelectorAll('#f-jurisdiction option:checked')].map(o => o.value)")
        assert sorted(selected) == ["杭州市", "重庆市"]
        legend = page.page.locator("#legend")
        assert legend.is_visible() and legend.bounding_box()["height"] > 10
        assert len(page.page.locator("#legend span").all()) >= 3
        page.page.mouse.move(5, 5)
        assert page.distinct_colours(tmp_path / "tiers-two-cities.png") > 60
        assert (tmp_path / "tiers-two-cities.png").stat().st_size > 10_000
        page.assert_clean()
    finally:
        page.close()


def test_lineage_boxes_do_not_overlap(page: Page, served_views) -> None:
    page.open_view(f"/views/lineage?relation=all&max_nodes={BIG}")
    assert page.counts()[0] > 3
    assert page.page.evaluate(OVERLAPS) == []
    page.assert_clean()


def test_a_bad_form_value_shows_on_the_page(page: Page, served_views) -> None:
    resp = page.page.goto(served_views.base + "/views/tiers?max_nodes=lots")
    assert resp is not None and resp.status == 422
    assert "lots" in page.page.inner_text("#error-max_nodes")
    assert page.page.locator("#f-max_nodes").is_visible() and page.page.locator("#filters button").is_visible()
    page.errors = [e for e in page.errors if "status of 422" not in e]  # the browser logs the status itself
    page.assert_clean()
