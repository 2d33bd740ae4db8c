"""Jurisdictions as researchers type them: short forms and either script resolve to the graph's
names; a name that is no place is a 422 (API, views) or exit 2 (CLI) naming the value and the
nearest known places; a real place without documents is an honest empty answer.

Over the seed corpus in the bundled engine, the real API over HTTP, the CLI through Typer.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import typer
from typer.testing import CliRunner
from views_server import serve

from healthgov.api.app import create_app
from healthgov.queries import commands
from healthgov.queries.params import ParamError, resolve_jurisdiction
from healthgov.visualize import commands as view_commands


@pytest.mark.parametrize(
    ("given", "name"),
    [
        ("杭州", "杭州市"),  # the table's short form
        ("杭州市", "杭州市"),
        ("重慶", "重庆市"),  # traditional script
        ("廣安", "广安市"),  # the alias names the city, not its district 广安区
        ("广安区", "广安区"),
        ("中国", "全国"),
        ("湘西", "湘西土家族苗族自治州"),  # a prefix of exactly one listed place
        ("武胜县", "武胜县"),  # a county the table does not list: a real-looking place, as written
    ],
)
def test_names_resolve(given: str, name: str) -> None:
    assert resolve_jurisdiction("jurisdiction", given) == name


@pytest.mark.parametrize(
    ("given", "needles"),
    [
        ("火星", ["'火星'", "no known jurisdiction is close"]),
        ("杭洲", ["'杭洲'", "nearest known: 杭州市"]),
        ("Hangzhou", ["'Hangzhou'", "names are Chinese"]),
        ("吉林", ["吉林市", "吉林省", "full name"]),  # an alias of two places is not guessed
    ],
)
def test_names_that_are_no_place_are_errors(given: str, needles: list[str]) -> None:
    with pytest.raises(ParamError) as info:
        resolve_jurisdiction("jurisdiction", given)
    assert info.value.param == "jurisdiction"
    assert info.value.message.startswith("jurisdiction ")
    for needle in needles:
        assert needle in info.value.message


@pytest.fixture(scope="module")
def api(corpus_store) -> Iterator[httpx.Client]:
    with serve(create_app(corpus_store)) as base, httpx.Client(base_url=base, timeout=120) as client:
        yield client


@pytest.mark.parametrize("path", ["/queries/who-leads", "/policies", "/agencies", "/targets", "/queries/search",
                                  "/network/measures"])
def test_api_short_name_answers_as_the_full_one(api: httpx.Client, path: str) -> None:
    extra = {"phrase": "医"} if path.endswith("search") else {}
    full = api.get(path, params={"jurisdiction": "杭州市", "limit": 10_000, **extra}).json()
    short = api.get(path, params={"jurisdiction": "杭州", "limit": 10_000, **extra})
    assert short.status_code == 200, short.text
    assert full["total"] > 0 and short.json()["rows"] == full["rows"]
    if "params" in full:
        assert short.json()["params"]["jurisdiction"] == ["杭州市"]


def test_api_list_of_short_names(api: httpx.Client) -> None:
    rows = api.get("/queries/who-leads", params={"jurisdiction": "杭州,重慶", "limit": 10_000}).json()["rows"]
    assert {r["jurisdiction"] for r in rows} == {"杭州市", "重庆市"}


@pytest.mark.parametrize(("given", "needle"), [("火星", "火星"), ("Hangzhou", "Hangzhou"), ("杭洲", "杭州市")])
def test_api_unknown_name_is_422_naming_it(api: httpx.Client, given: str, needle: str) -> None:
    r = api.get("/queries/who-leads", params={"jurisdiction": given})
    assert r.status_code == 422, r.text
    (detail,) = r.json()["detail"]
    assert detail["loc"] == ["query", "jurisdiction"] and detail["type"] == "value_error"
    assert needle in detail["msg"] and "jurisdiction" in detail["msg"]
    assert api.get("/policies", params={"jurisdiction": given}).json() == r.json()


def test_api_real_place_without_documents_is_empty_not_an_error(api: httpx.Client) -> None:
    r = api.get("/queries/who-leads", params={"jurisdiction": "北京", "role": "any"})
    assert r.status_code == 200 and r.json()["total"] == 0 and r.json()["params"]["jurisdiction"] == ["北京市"]


def test_views_resolve_short_names_and_answer_422_like_the_api(api: httpx.Client) -> None:
    page = api.get("/views/agency-task", params={"jurisdiction": "杭州"})
    assert page.status_code == 200 and "杭州市" in page.text
    for name in ("agency-task", "tiers", "co-responsibility", "policy-network", "lineage"):
        assert api.get(f"/views/{name}", params={"jurisdiction": "杭州"}).status_code == 200, name
        bad = api.get(f"/views/{name}", params={"jurisdiction": "火星"})
        assert bad.status_code == 422, (name, bad.status_code, bad.text[:200])
        assert bad.json() == api.get("/queries/who-leads", params={"jurisdiction": "火星"}).json()


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    app = typer.Typer()
    commands.register(app)
    view_commands.register(app)

    @app.callback()
    def _main() -> None:  # a group, so commands are addressed by name as in `healthgov query`
        pass

    return app


def test_cli_same_message_exit_2(cli: typer.Typer, api: httpx.Client, corpus_store) -> None:
    msg = api.get("/queries/who-leads", params={"jurisdiction": "杭洲"}).json()["detail"][0]["msg"]
    result = CliRunner().invoke(cli, ["query", "who-leads", "--param", "jurisdiction=杭洲",
                                      "--data-dir", str(corpus_store.data_dir)])
    assert result.exit_code == 2
    assert msg in result.stderr and not result.stdout
    ok = CliRunner().invoke(cli, ["query", "who-leads", "--param", "jurisdiction=杭州", "--format", "json",
                                  "--data-dir", str(corpus_store.data_dir)])
    assert ok.exit_code == 0, ok.output
    assert '"杭州市"' in ok.stdout and '"total": 0' not in ok.stdout


def test_view_cli_same_message_exit_2(cli: typer.Typer, api: httpx.Client, corpus_store, tmp_path) -> None:
    msg = api.get("/queries/who-leads", params={"jurisdiction": "杭洲"}).json()["detail"][0]["msg"]
    args = ["view", "agency-task", "--data-dir", str(corpus_store.data_dir)]
    bad = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "bad.html"), "--param", "jurisdiction=杭洲"])
    assert bad.exit_code == 2 and msg in bad.stderr
    good = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "hz.html"), "--param", "jurisdiction=杭州"])
    assert good.exit_code == 0, good.output
    assert "杭州市" in (tmp_path / "hz.html").read_text(encoding="utf-8")
    # Every view reads the name the same way from the CLI as when served (one place: make_view).
    for name in ("tiers", "co-responsibility", "policy-network", "lineage"):
        out = tmp_path / f"{name}.html"
        res = CliRunner().invoke(cli, ["view", name, "--data-dir", str(corpus_store.data_dir), "--out", str(out),
                                       "--param", "jurisdiction=杭州"])
        assert res.exit_code == 0, (name, res.output)
        assert "杭州市" in out.read_text(encoding="utf-8"), name
