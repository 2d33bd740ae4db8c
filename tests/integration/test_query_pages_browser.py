"""A query page in a real headless Chromium: ask who leads, by keyboard, and download the answer.

The researcher's path of issue 17: open /queries/who-leads, choose 重庆市 and 杭州市 and the
medical-security agency type (医保局) with the keyboard, run it, read a table naming the bureaus
and its total, sort it, and download the CSV of every row. Same browser rules as
test_views_browser.py: Debian's chromium, no browser downloads, no request may leave 127.0.0.1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import chromium
import pytest

PLACES = ["重庆市", "杭州市"]

chromium.require()
from playwright.sync_api import expect  # noqa: E402


@pytest.fixture(scope="module")
def page(served_views) -> Iterator[tuple[object, list[str], list[str]]]:
    with chromium.watched_page(1400, 1000, accept_downloads=True) as watched:
        yield watched


def _expected(served_views) -> dict:
    """The JSON answer of the same question, asked as an API client."""
    import httpx

    params = {"jurisdiction": PLACES, "agency_type": "medical-security", "limit": 10_000, "format": "json"}
    return httpx.get(served_views.base + "/queries/who-leads", params=params, timeout=60).json()


def _tab_order(pg, steps: int = 60) -> list[str]:
    """The ids the Tab key visits, from the top of the page."""
    pg.locator("body").focus()
    seen: list[str] = []
    for _ in range(steps):
        pg.keyboard.press("Tab")
        seen.append(pg.evaluate("document.activeElement && document.activeElement.id || ''"))
    return seen


def _choose(pg, filter_id: str, text: str) -> None:
    pg.locator(f"#{filter_id}").focus()
    pg.keyboard.type(text)
    pg.keyboard.press("Enter")


def test_who_leads_by_keyboard_table_and_csv(page, served_views, tmp_path: Path) -> None:
    pg, errors, requests = page
    expected = _expected(served_views)
    assert expected["total"] > 0, "the seed corpus has no medical-security lead in 重庆市 or 杭州市"
    assert pg.goto(served_views.base + "/queries/who-leads").status == 200

    # Every control of the form is reached by Tab and has a label.
    controls = pg.eval_on_selector_all(
        "#query-form input:not([type=hidden]), #query-form select, #query-form button",
        "els => els.map(e => [e.id, e.labels ? e.labels.length : 0, e.tagName])")
    visited = _tab_order(pg)
    for id_, labels, tag in controls:
        assert id_ in visited or tag == "BUTTON", (id_, visited)
        assert tag == "BUTTON" or labels >= 1, id_

    # Choose by typing: the places and the agency type, then run.
    for place in PLACES:
        _choose(pg, "f-jurisdiction-filter", place)
    _choose(pg, "f-agency_type-filter", "medical-security")
    assert sorted(pg.eval_on_selector("#f-jurisdiction", "s => [...s.selectedOptions].map(o => o.value)")) == sorted(PLACES)
    expect(pg.locator("#f-jurisdiction-chosen")).to_contain_text("重庆市")
    assert pg.locator("#f-agency_type").input_value() == "medical-security"
    pg.locator("#query-form button[type=submit]").focus()
    with pg.expect_navigation():
        pg.keyboard.press("Enter")
    query = parse_qsl(urlsplit(pg.url).query)
    assert sorted(v for k, v in query if k == "jurisdiction") == sorted(PLACES)
    assert ("agency_type", "medical-security") in query
    assert all(v for _, v in query), query  # empty fields left out of the URL

    # The table names the bureaus, with the total.
    expect(pg.locator("#rows")).to_be_visible()
    assert pg.locator("#total").inner_text() == str(expected["total"])
    assert pg.locator("#rows tbody tr").count() == min(expected["total"], 100)
    table = pg.locator("#rows").inner_text()
    bureaus = {r["agency"] for r in expected["rows"]}
    assert bureaus and all(b in table for b in bureaus), (bureaus, table[:500])
    assert pg.locator("#rows a.evidence").count() == pg.locator("#rows tbody tr").count()

    # Sorting by a column, client-side.
    pg.locator("#rows th button", has_text="task_id").click()
    expect(pg.locator("#rows th[aria-sort=ascending]")).to_have_count(1)

    # The CSV link downloads every row.
    with pg.expect_download() as dl:
        pg.locator("#csv").click()
    body = Path(dl.value.path()).read_bytes()
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == expected["total"] and {r["agency"] for r in rows} == bureaus

    shot = tmp_path / "who-leads.png"
    png = pg.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000 and chromium.distinct_colours(pg, png) > 50

    assert errors == [], errors
    assert chromium.outside(requests) == []


def test_a_bad_value_is_shown_beside_its_field(page, served_views) -> None:
    pg, errors, requests = page
    errors.clear()
    resp = pg.goto(served_views.base + "/queries/who-leads?jurisdiction=火星&level=moon")
    assert resp.status == 422
    expect(pg.locator("#f-jurisdiction-error")).to_be_visible()
    expect(pg.locator("#f-jurisdiction-error")).to_contain_text("火星")
    expect(pg.locator("#f-level-error")).to_be_visible()
    assert pg.locator("#f-level").get_attribute("aria-invalid") == "true"
    # Chromium logs the document's own 422 status; that is the only console message allowed.
    assert [e for e in errors if "status of 422" not in e] == [], errors
    assert all(urlsplit(u).hostname == "127.0.0.1" or u.startswith("data:") for u in requests)


