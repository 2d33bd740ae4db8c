"""/docs in a real headless Chromium: Swagger UI renders the OpenAPI and "Try it out" answers.

The served API is the seed corpus in the bundled engine (``served_views``). Same browser rules as
test_views_browser.py: Debian's chromium, no browser downloads, no request may leave 127.0.0.1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import chromium
import pytest

chromium.require()
from playwright.sync_api import expect  # noqa: E402

JURISDICTION = "重庆市"


@pytest.fixture(scope="module")
def page(served_views) -> Iterator[tuple[object, list[str], list[str]]]:
    with chromium.watched_page(1280, 900) as watched:
        yield watched


def _lead_agencies(store, jurisdiction: str) -> set[str]:
    rows = store.read(
        "MATCH (j:Jurisdiction {name: $j})<-[:HAS_JURISDICTION]-(:Policy)-[:HAS_TASK]->(:Task)-[:LEAD_AGENCY]->(a:Agency) "
        "RETURN DISTINCT a.name AS name", {"j": jurisdiction})  # fmt: skip
    return {r["name"] for r in rows}


def test_who_leads_try_it_out(page, served_views) -> None:
    pg, errors, requests = page
    expected = _lead_agencies(served_views.store, JURISDICTION)
    assert expected, f"the seed corpus names no lead agency in {JURISDICTION}"

    # From the index page's "docs" link for who-leads: Swagger UI opens that operation.
    assert pg.goto(served_views.base + "/").status == 200
    pg.locator('tr[data-path="/queries/who-leads"] a.docs').click()
    op = pg.locator("#operations-named_queries-query_who_leads_queries_who_leads_get")
    expect(op).to_be_visible(timeout=60_000)
    expect(op).to_have_class(re.compile(r"\bis-open\b"), timeout=30_000)
    assert "GET" in op.locator(".opblock-summary").inner_text()

    # The documented answers: a typed page of rows for 200, the one error shape for the errors.
    documented = {r.get_attribute("data-code"): r.inner_text() for r in op.locator(".responses-table tr.response").all()}
    assert {"200", "422", "500", "503", "504"} <= set(documented), list(documented)
    assert '"rows"' in documented["200"] and '"list_order": 0' in documented["200"], documented["200"][:600]
    assert all('"detail"' in documented[code] for code in ("422", "500", "503", "504"))

    op.get_by_role("button", name="Try it out").click()

    row = op.locator('tr[data-param-name="jurisdiction"]')
    row.get_by_role("button", name="Add string item").click()
    row.locator("input").first.fill(JURISDICTION)
    op.get_by_role("button", name="Execute").click()

    live = op.locator(".live-responses-table")
    expect(live).to_be_visible(timeout=60_000)
    assert live.locator(".response .response-col_status").first.inner_text().strip() == "200"
    body = live.locator(".response-col_description pre").first.inner_text()
    assert '"query": "who-leads"' in body and f'"jurisdiction": "{JURISDICTION}"' in body, body[:500]
    shown = {name for name in expected if f'"agency": "{name}"' in body}
    assert shown, (sorted(expected), body[:800])
    # The request Swagger UI made is shown as a curl line with the filter in it.
    assert "jurisdiction=" in op.locator(".curl-command").inner_text()

    text = pg.locator("body").inner_text()
    assert "Unable to render this definition" not in text
    assert pg.locator(".errors-wrapper").count() == 0, pg.locator(".errors-wrapper").inner_text()
    assert errors == [], errors
    assert chromium.outside(requests) == []
    assert any(u.endswith("/openapi.json") for u in requests)
