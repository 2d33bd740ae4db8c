"""The evidence pages: a policy's text with its facts drawn on it, and a task with its rules and lines.

The seed corpus in the bundled engine, served by the real API over HTTP, with the sources found
(``corpus_store`` sets the source roots, as ``healthgov serve --sources`` would). Each drawn fact's
text, read back with the standard library's HTML parser, is the slice ``text[span_start:span_end]``
of the decoded source file; API clients get the same JSON as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from views_server import serve

from healthgov.api.app import create_app
from healthgov.extract.read import read_document
from healthgov.queries import evidence

ROOT = Path(__file__).resolve().parents[2]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
HTML = {"Accept": BROWSER}
SEED = "corpus/000_f609406be53c2961.txt"  # 重庆市 渝府办发〔2023〕76号


@pytest.fixture(scope="module")
def api(corpus_store) -> Iterator[httpx.Client]:
    with serve(create_app(corpus_store)) as base, httpx.Client(base_url=base, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def seed(api: httpx.Client) -> dict:
    """The Chongqing seed policy: its id, its tasks (task-detail rows) and its decoded text."""
    policy = api.get("/policies/渝府办发〔2023〕76号").json()
    assert policy["source_path"] == SEED
    pid = policy["policy_id"]
    tasks = api.get("/queries/who-leads", params={"policy": pid, "role": "any", "limit": 10_000}).json()["rows"]
    text, _, _ = read_document(ROOT / SEED)
    return {"id": pid, "task_ids": sorted({r["task_id"] for r in tasks}), "text": text}


class Facts(HTMLParser):
    """Each data-fact's text (all its pieces) and classes, ids, links, and whether tags nest."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: dict[str, str] = {}
        self.classes: dict[str, str] = {}
        self.titles: dict[str, str] = {}
        self.ids: set[str] = set()
        self.links: list[dict[str, str | None]] = []
        self.stack: list[tuple[str, str | None]] = []
        self.balanced = True
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "a":
            self.links.append(a)
            return
        if tag in ("meta", "link", "br", "input"):
            return
        fact = a.get("data-fact")
        self.stack.append((tag, fact))
        if fact:
            self.text.setdefault(fact, "")
            self.classes[fact] = a.get("class") or ""
            self.titles[fact] = a.get("title") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("a", "meta", "link", "br", "input"):
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.balanced = False
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for _, fact in self.stack:
            if fact:
                self.text[fact] += data


def test_policy_page_draws_every_fact_at_its_span(api: httpx.Client, seed: dict, corpus_store) -> None:
    r = api.get(f"/policies/{seed['id']}", headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["vary"] == "Accept"
    page = Facts(r.text)
    assert page.balanced
    text = seed["text"]
    checked = 0
    for task_id in seed["task_ids"]:
        detail = api.get(f"/tasks/{task_id}").json()
        a, b = detail["span_start"], detail["span_end"]
        assert page.text[f"task:{task_id}"] == text[a:b] == detail["span_text"]
        assert f"task-{task_id.rsplit('/', 1)[-1]}" in page.ids
        checked += 1
    assert checked >= 10
    kinds = {c.split()[0] for c in page.classes.values()}
    assert {"task", "unit", "target"} <= kinds, kinds
    leads = [f for f, c in page.classes.items() if "lead" in c.split()]
    supports = [f for f, c in page.classes.items() if "support" in c.split()]
    assert leads and supports
    assert all("basis" in page.titles[f] for f in leads + supports)
    assert any("by 20" in t for f, t in page.titles.items() if f.startswith("target:")), "no target year in tooltips"
    # Every drawn unit and target is the slice of the source text at its recorded span.
    facts_json = _spans(corpus_store, seed)
    for fact, (a, b) in facts_json.items():
        if fact in page.text:
            assert page.text[fact] == text[a:b], fact
    assert "legend" in page.ids and "no-source" not in page.ids


def _spans(store, seed: dict) -> dict[str, tuple[int, int]]:  # noqa: ANN001 - a Store
    """The recorded spans of units and targets, read from the graph directly."""
    from healthgov.queries.document import document_facts

    facts = document_facts(store, seed["id"])
    assert facts is not None
    out: dict[str, tuple[int, int]] = {}
    for t in facts.tasks:
        for i, u in enumerate(t["units"]):
            if u.get("span_start") is not None:
                out[f"unit:{t['task_id']}:{i}"] = (u["span_start"], u["span_end"])
        for g in t["targets"]:
            if g.get("span_start") is not None:
                out[f"target:{g['id']}"] = (g["span_start"], g["span_end"])
    return out


def test_api_clients_get_the_same_json(api: httpx.Client, seed: dict) -> None:
    for path in (f"/policies/{seed['id']}", f"/tasks/{seed['task_ids'][0]}"):
        plain = api.get(path)
        assert plain.status_code == 200 and plain.headers["content-type"].startswith("application/json")
        assert plain.headers["vary"] == "Accept"
        as_json = api.get(path, params={"format": "json"}, headers=HTML)  # format= wins
        assert as_json.headers["content-type"].startswith("application/json") and as_json.json() == plain.json()
        assert api.get(path, headers={"Accept": "application/json"}).json() == plain.json()
        assert api.get(path, params={"format": "csv"}, headers=HTML).headers["content-type"].startswith("text/csv")
    assert api.get("/policies/nope", headers=HTML).status_code == 404


def test_task_page_rules_lines_and_links(api: httpx.Client, seed: dict) -> None:
    rows = api.get("/queries/who-leads", params={"policy": seed["id"], "role": "support"}).json()["rows"]
    task_id = rows[0]["task_id"]
    detail = api.get(f"/tasks/{task_id}").json()
    r = api.get(f"/tasks/{task_id}", headers=HTML)
    assert r.status_code == 200 and r.headers["vary"] == "Accept"
    page = Facts(r.text)
    assert page.balanced and {"units", "excerpt", "back"} <= page.ids
    for u in detail["responsibilities"]:
        assert u["agency"] in r.text
        assert f"<code>{u['basis']}</code> — " in r.text  # the basis, explained in words
    assert "lead 牵头" in r.text and "support 配合" in r.text
    # The lines it came from: the task's span drawn on the excerpt, exactly its slice.
    assert page.text[f"task:{task_id}"] == detail["span_text"]
    hrefs = [a.get("href") or "" for a in page.links]
    assert f"/policies/{seed['id']}#task-{task_id.rsplit('/', 1)[-1]}" in hrefs
    who = [h for h in hrefs if h.startswith("/queries/who-leads?")]
    assert who and api.get(who[0]).json()["total"] >= 1
    # Query pages point their evidence at these pages.
    q = api.get("/queries/who-leads", params={"policy": seed["id"]}, headers=HTML).text
    assert f'href="/tasks/{task_id}"' in q


def test_without_sources_the_page_says_so_and_lists_the_facts(api: httpx.Client, seed: dict,
                                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(evidence.SOURCES_ENV, raising=False)
    evidence.set_source_roots([])
    try:
        r = api.get(f"/policies/{seed['id']}", headers=HTML)
        page = Facts(r.text)
        assert r.status_code == 200 and "no-source" in page.ids and "facts" in page.ids
        assert "The source text is not available" in r.text and "--sources" in r.text
        assert not any(f.startswith("task:") for f in page.text)  # nothing drawn on a text not shown
        for task_id in seed["task_ids"][:5]:
            assert f'href="/tasks/{task_id}"' in r.text
        t = api.get(f"/tasks/{seed['task_ids'][0]}", headers=HTML)
        assert t.status_code == 200 and "no-source" in Facts(t.text).ids
    finally:
        evidence.set_source_roots([ROOT])


def test_a_placeholder_policy_says_its_text_was_not_loaded(api: httpx.Client, seed: dict) -> None:
    cited = api.get(f"/policies/{seed['id']}").json()["implements"]
    placeholder = next(q for q in cited if not q["loaded"])
    r = api.get(f"/policies/{placeholder['id']}", headers=HTML)
    assert r.status_code == 200 and "no-source" in Facts(r.text).ids and "not loaded" in r.text
    assert f'href="/policies/{seed["id"]}"' in r.text  # implemented by the seed: linked back
