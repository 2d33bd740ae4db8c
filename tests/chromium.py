"""The real browser the page tests drive: Debian's ``chromium`` through Playwright, no browser
downloads. Outside CI a machine without it skips those tests; under CI a missing browser fails."""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("HEALTHGOV_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip


def require() -> None:
    """Skip the calling test module (outside CI) when there is no browser to drive."""
    if not os.environ.get("CI"):
        if not Path(CHROMIUM).exists():
            pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)", allow_module_level=True)
        pytest.importorskip("playwright")


def watch(pg: Any, errors: list[str], requests: list[str]) -> None:
    """Collect the page's console errors, uncaught exceptions and every URL it requests."""
    pg.on("console", lambda m: m.type == "error" and errors.append(m.text))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("request", lambda r: requests.append(r.url))


@contextmanager
def watched_page(width: int = 1400, height: int = 1000, **options: Any) -> Iterator[tuple[Any, list[str], list[str]]]:
    """(page, its errors, its requests) in a fresh headless browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        pg = browser.new_page(viewport={"width": width, "height": height}, **options)
        errors: list[str] = []
        requests: list[str] = []
        watch(pg, errors, requests)
        yield pg, errors, requests
        browser.close()


def outside(requests: list[str]) -> list[str]:
    """The requests that left 127.0.0.1 (a page's own data: and blob: URLs are not requests out)."""
    return [u for u in requests if urlsplit(u).hostname != "127.0.0.1" and not u.startswith(("data:", "blob:"))]


def distinct_colours(pg: Any, png: bytes) -> int:
    """Colours in a PNG screenshot, counted by the browser itself (no imaging library needed)."""
    url = "data:image/png;base64," + base64.b64encode(png).decode()
    return pg.evaluate(
        """async (url) => {
            const img = new Image(); img.src = url; await img.decode();
            const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
            const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
            const d = ctx.getImageData(0, 0, c.width, c.height).data; const seen = new Set();
            for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
            return seen.size; }""",
        url,
    )
