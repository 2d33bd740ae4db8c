"""A policy's evidence page in a real headless Chromium: the facts are visible on the text.

The seed policy 渝府办发〔2023〕76号 (重庆市), served with its sources: the text shows, tasks,
lead and support units and targets are drawn as visible elements, a task's number link opens its
task page, whose link back lands on the task's anchor. Same browser rules as
test_query_pages_browser.py: Debian's chromium, no browser downloads, no request may leave
127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import chromium
import pytest
from views_server import serve

from healthgov.api.app import create_app

chromium.require()
from playwright.sync_api import expect  # noqa: E402


@pytest.fixture(scope="module")
def base(corpus_store) -> Iterator[str]:
    with serve(create_app(corpus_store)) as url:
        yield url


@pytest.fixture(scope="module")
def page(base) -> Iterator[tuple[object, list[str], list[str]]]:
    with chromium.watched_page(1400, 1000) as watched:
        yield watched


def test_policy_page_shows_the_facts_on_the_text(page, base, tmp_path: Path) -> None:
    import httpx

    pg, errors, requests = page
    policy = httpx.get(base + "/policies/渝府办发〔2023〕76号", timeout=60).json()
    assert pg.goto(f"{base}/policies/{policy['policy_id']}").status == 200
    expect(pg.locator("#doc")).to_be_visible()
    expect(pg.locator("#legend")).to_be_visible()
    for selector in ("#doc span.task", "#doc mark.unit.lead", "#doc mark.unit.support", "#doc mark.target"):
        expect(pg.locator(selector).first).to_be_visible()
        assert pg.locator(selector).count() > 0, selector
    # A drawn lead has a size on screen and its basis in its tooltip.
    lead = pg.locator("#doc mark.unit.lead").first
    box = lead.bounding_box()
    assert box and box["width"] > 5 and box["height"] > 5
    assert "basis" in (lead.get_attribute("title") or "")

    shot = tmp_path / "policy.png"
    png = pg.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000 and chromium.distinct_colours(pg, png) > 50

    # A task's number opens its page; the page's link back lands on the task's anchor.
    number = pg.locator("#doc a.num").first
    with pg.expect_navigation():
        number.click()
    assert urlsplit(pg.url).path.startswith("/tasks/")
    expect(pg.locator("#units")).to_be_visible()
    expect(pg.locator("#excerpt span.task")).to_be_visible()
    pg.screenshot(path=str(tmp_path / "task.png"))
    with pg.expect_navigation():
        pg.locator("#back").click()
    anchor = urlsplit(pg.url).fragment
    assert anchor.startswith("task-")
    expect(pg.locator(f"#{anchor}")).to_be_in_viewport()

    assert errors == [], errors
    assert chromium.outside(requests) == []
