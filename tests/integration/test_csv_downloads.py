"""CSV downloads for people: every row, a file name, a byte order mark for Excel when a browser asks.

The seed corpus in the bundled engine, served by the real API over HTTP; the CLI through Typer.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
import typer
from typer.testing import CliRunner
from views_server import serve

from healthgov.api.app import create_app
from healthgov.queries import commands, registry

BOM = b"\xef\xbb\xbf"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# More rows than one JSON page on the seed corpus: every responsibility of every task.
MANY = {"role": "any"}


@pytest.fixture(scope="module")
def api(corpus_store) -> Iterator[httpx.Client]:
    with serve(create_app(corpus_store)) as base, httpx.Client(base_url=base, timeout=60) as client:
        yield client


def _rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_holds_every_row_not_one_page(api: httpx.Client) -> None:
    js = api.get("/queries/who-leads", params={**MANY, "limit": 10_000}).json()
    assert js["total"] > 100  # else this test proves nothing about the page size
    r = api.get("/queries/who-leads", params={**MANY, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = _rows(r.content)
    assert len(rows) == js["total"] == int(r.headers["x-total-count"])
    assert [row["task_id"] for row in rows] == [row["task_id"] for row in js["rows"]]
    # Chinese survives the round trip, cell for cell.
    assert [(row["jurisdiction"], row["agency"], row["task_title"]) for row in rows] == [
        (row["jurisdiction"], row["agency"], row["task_title"] or "") for row in js["rows"]]
    assert any("卫生健康" in row["agency"] for row in rows)
    # Accept: text/csv is the same file.
    same = api.get("/queries/who-leads", params=MANY, headers={"Accept": "text/csv"})
    assert same.content == r.content


def test_explicit_limit_and_offset_cut_a_page(api: httpx.Client) -> None:
    js = api.get("/queries/who-leads", params={**MANY, "limit": 7, "offset": 3}).json()
    page = _rows(api.get("/queries/who-leads", params={**MANY, "limit": 7, "offset": 3, "format": "csv"}).content)
    assert [r["task_id"] for r in page] == [r["task_id"] for r in js["rows"]] and len(page) == 7
    # offset alone: every row from there on (more than a JSON page).
    total = js["total"]
    rest = api.get("/queries/who-leads", params={**MANY, "offset": 20, "format": "csv"})
    assert len(_rows(rest.content)) == total - 20 > 100 and rest.headers["x-offset"] == "20"


def test_file_name_in_content_disposition(api: httpx.Client) -> None:
    r = api.get("/queries/who-leads", params={**MANY, "format": "csv"})
    assert r.headers["content-disposition"] == 'attachment; filename="who-leads_role-any.csv"'
    zh = api.get("/queries/who-leads", params={"jurisdiction": "杭州市", "format": "csv"})
    disp = zh.headers["content-disposition"]
    assert disp.startswith('attachment; filename="who-leads_jurisdiction-_.csv"')
    assert f"filename*=UTF-8''{quote('who-leads_jurisdiction-杭州市.csv', safe='')}" in disp
    assert api.get("/vocab/tier", params={"format": "csv"}).headers["content-disposition"] == (
        'attachment; filename="vocab-tier.csv"')
    task_id = api.get("/queries/who-leads", params={"limit": 1}).json()["rows"][0]["task_id"]
    one = api.get(f"/tasks/{task_id}", params={"format": "csv"})
    assert one.headers["content-disposition"].startswith('attachment; filename="tasks-') and len(_rows(one.content)) == 1


@pytest.mark.parametrize(
    ("accept", "bom", "expected"),
    [
        (None, None, False),  # curl, scripts: plain UTF-8
        ("text/csv", None, False),
        (BROWSER, None, True),  # a browser following a download link: Excel-ready
        (BROWSER, "false", False),
        (None, "true", True),
        ("text/csv", "1", True),
    ],
)
def test_byte_order_mark_rule(api: httpx.Client, accept: str | None, bom: str | None, expected: bool) -> None:
    params = {**MANY, "format": "csv", "limit": 3}
    if bom is not None:
        params["bom"] = bom
    r = api.get("/queries/who-leads", params=params, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, r.text
    assert r.content.startswith(BOM) is expected
    assert r.content.removeprefix(BOM).startswith(b"jurisdiction,level,")
    assert len(_rows(r.content)) == 3
    # JSON never carries one, whatever is asked.
    assert not api.get("/queries/who-leads", params={**MANY, "limit": 3, "bom": "true"}).content.startswith(BOM)


def test_bom_is_part_of_the_entity_tag(api: httpx.Client) -> None:
    params = {**MANY, "format": "csv"}
    plain = api.get("/queries/who-leads", params=params)
    browser = api.get("/queries/who-leads", params=params, headers={"Accept": BROWSER})
    assert plain.headers["etag"] != browser.headers["etag"]
    again = api.get("/queries/who-leads", params=params, headers={"Accept": BROWSER, "If-None-Match": plain.headers["etag"]})
    assert again.status_code == 200 and again.content.startswith(BOM)


def test_bom_is_documented_and_checked(api: httpx.Client) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    for path in ("/queries/who-leads", "/policies", "/vocab/{scheme}", "/tasks/{task_id}"):
        assert "bom" in {p["name"] for p in paths[path]["get"]["parameters"]}, path
    r = api.get("/queries/who-leads", params={"format": "csv", "bom": "perhaps"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "bom"]


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    app = typer.Typer()
    commands.register(app)

    @app.callback()
    def _main() -> None:  # a group, so the command is addressed by name as in `healthgov query`
        pass

    return app


def test_cli_csv_writes_every_row_and_a_bom_on_request(cli: typer.Typer, corpus_store) -> None:
    direct = registry.run(corpus_store, "who-leads", MANY)
    assert direct.total > 100
    args = ["query", "who-leads", "--param", "role=any", "--format", "csv", "--data-dir", str(corpus_store.data_dir)]
    plain = CliRunner().invoke(cli, args)
    assert plain.exit_code == 0, plain.output
    assert not plain.stdout_bytes.startswith(BOM)
    rows = _rows(plain.stdout_bytes)
    assert [r["task_id"] for r in rows] == [r["task_id"] for r in direct.rows]
    assert [r["agency"] for r in rows] == [r["agency"] for r in direct.rows]
    with_bom = CliRunner().invoke(cli, [*args, "--bom"])
    assert with_bom.exit_code == 0, with_bom.output
    assert with_bom.stdout_bytes == BOM + plain.stdout_bytes


def test_network_tables_take_bom_and_every_row(api: httpx.Client) -> None:
    js = api.get("/network/measures", params={"limit": 10_000}).json()
    with_bom = api.get("/network/measures", params={"format": "csv", "bom": "true"})
    assert with_bom.status_code == 200 and with_bom.content.startswith(BOM)
    assert len(_rows(with_bom.content)) == js["total"]
    assert not api.get("/network/measures", params={"format": "csv", "bom": "false"},
                       headers={"Accept": BROWSER}).content.startswith(BOM)
