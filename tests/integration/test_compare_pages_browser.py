"""The compare pages in a real headless Chromium: from the index to the table, to the tasks, to a chart.

Same browser rules as test_query_pages_browser.py: Debian's chromium, no browser downloads, no
request may leave 127.0.0.1 (data: and the PNG's blob: URL are the page's own).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import chromium
import httpx
import pytest

PLACES = ["重庆市", "杭州市"]
INDICATOR = "physicians-per-1000"

chromium.require()
from playwright.sync_api import expect  # noqa: E402


@pytest.fixture(scope="module")
def page(served_views) -> Iterator[tuple[object, list[str], list[str]]]:
    with chromium.watched_page(1400, 1000, accept_downloads=True) as watched:
        yield watched


def _choose(pg, field: str, text: str) -> None:
    box = pg.locator(f"#f-{field}-filter")
    if box.count():
        box.focus()
        pg.keyboard.type(text)
        pg.keyboard.press("Enter")
    else:
        pg.locator(f"#f-{field}").select_option(text)


def test_index_to_table_to_tasks(page, served_views, tmp_path: Path) -> None:
    pg, errors, requests = page
    rows = httpx.get(served_views.base + "/compare", params={"format": "json"}, timeout=60).json()["rows"]
    expected = {(r["jurisdiction"], r["agency_type"]): r["tasks"] for r in rows}
    assert pg.goto(served_views.base + "/").status == 200
    expect(pg.locator("#compare-link")).to_be_visible()
    with pg.expect_navigation():
        pg.locator("#compare-link a[href='/compare']").click()
    assert urlsplit(pg.url).path == "/compare"

    # The table, with numbers: every place × type count as the JSON gives it.
    expect(pg.locator("#matrix")).to_be_visible()
    cell = pg.locator("#matrix tr[data-place='重庆市'] td[data-type='health-commission'] a.count")
    assert cell.inner_text() == str(expected[("重庆市", "health-commission")])
    assert pg.locator("#matrix a.count").count() == len(expected)
    assert pg.locator("#total").inner_text() == str(sum(expected.values()))
    shot = tmp_path / "compare.png"
    png = pg.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000 and chromium.distinct_colours(pg, png) > 50

    # Two places chosen by typing in the form: two rows.
    for place in PLACES:
        _choose(pg, "jurisdiction", place)
    with pg.expect_navigation():
        pg.locator("#query-form button[type=submit]").click()
    assert sorted(v for k, v in parse_qsl(urlsplit(pg.url).query) if k == "jurisdiction") == sorted(PLACES)
    assert sorted(pg.eval_on_selector_all("#matrix tbody tr", "trs => trs.map(t => t.dataset.place)")) == sorted(PLACES)

    # A count leads to the tasks it counts.
    with pg.expect_navigation():
        pg.locator("#matrix tr[data-place='重庆市'] td[data-type='health-commission'] a.count").click()
    assert urlsplit(pg.url).path == "/queries/who-leads"
    expect(pg.locator("#rows")).to_be_visible()
    task_ids = set(pg.eval_on_selector_all("#rows tbody tr a.evidence", "as => as.map(a => a.getAttribute('href'))"))
    assert len(task_ids) == expected[("重庆市", "health-commission")]

    assert errors == [], errors
    assert chromium.outside(requests) == []


def test_an_indicator_as_a_chart(page, served_views, tmp_path: Path) -> None:
    pg, errors, requests = page
    errors.clear()
    targets = httpx.get(served_views.base + "/queries/compare-targets",
                        params={"indicator": INDICATOR, "format": "json"}, timeout=60).json()["rows"]
    drawn = [t for t in targets if isinstance(t["value"], int | float)]
    assert pg.goto(served_views.base + "/compare/targets").status == 200
    _choose(pg, "indicator", INDICATOR)
    with pg.expect_navigation():
        pg.locator("#query-form button[type=submit]").click()
    chart = pg.locator("#targets-chart")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 300
    assert pg.locator("#targets-chart g.mark").count() == len(drawn) > 0
    shot = tmp_path / "targets.png"
    png = pg.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000 and chromium.distinct_colours(pg, png) > 50

    with pg.expect_download() as dl:
        pg.locator("#svg").click()
    root = ET.fromstring(Path(dl.value.path()).read_bytes())
    assert len([g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "mark"]) == len(drawn)
    with pg.expect_download() as dl:
        pg.locator("#png").click()
    assert Path(dl.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert dl.value.suggested_filename.endswith(".png")

    assert errors == [], errors
    assert chromium.outside(requests) == []


