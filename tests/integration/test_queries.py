"""The named queries against the seed corpus in the real bundled engine (over Bolt), and the CLI.

Expected answers come from the documents themselves (corpus/000_*.txt is Chongqing's plan,
corpus/003_*.txt Hangzhou's action plan), read here with plain string handling, not from the
extractor or the graph.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from healthgov.ids import to_simplified
from healthgov.queries import commands, registry
from healthgov.queries.params import ParamError, bind, parse_param_line, parse_type

ROOT = Path(__file__).resolve().parents[2]
CHONGQING = next((ROOT / "corpus").glob("000_*.txt"))
HANGZHOU = next((ROOT / "corpus").glob("003_*.txt"))
NATIONAL = next((ROOT / "corpus").glob("001_*.txt"))
HEALTH_COMMISSION = {"市卫生健康委", "市卫生健康委员会"}


def _doc(path: Path) -> str:
    return path.read_text(encoding="utf-8").replace("\r\n", "\n")


def _annotated_tasks(path: Path) -> list[tuple[str, list[str]]]:
    """(task title, units in the order listed) for every paragraph with a 责任单位 annotation.

    Titles are the paragraph's first sentence without its number ("1.", "(三)").
    """
    out = []
    for line in _doc(path).splitlines():
        m = re.search(r"[(\[]责任单位:([^)\]]+)[)\]]", line)
        if not m:
            continue
        title = re.match(r"^(?:\d+\.|\([一二三四五六七八九十]+\))([^。]+)。", line)
        units_text = m.group(1).split("。")[0]
        units = [u for u in re.split(r"[、,]", units_text) if u]
        out.append((title.group(1) if title else line[:20], units))
    return out


def _hc_titles(path: Path, role: str) -> set[str]:
    """Titles of the tasks where the health commission is listed first (lead) or later (support)."""
    titles = set()
    for title, units in _annotated_tasks(path):
        if role == "lead" and units[0] in HEALTH_COMMISSION:
            titles.add(title)
        if role == "support" and any(u in HEALTH_COMMISSION for u in units[1:]):
            titles.add(title)
    return titles


# --- headers and parameters (no engine) -------------------------------------------------


def test_every_query_has_a_complete_header() -> None:
    specs = registry.load_queries()
    required = {"who-leads", "agency-profile", "co-responsibility", "compare-targets", "tier-division",
                "policy-lineage", "policy-summary", "task-detail", "search", "lead-matrix"}
    assert required <= set(specs)
    for spec in specs.values():
        assert spec.description and spec.columns and spec.cypher
        assert len(set(spec.columns)) == len(spec.columns), spec.name
        assert "apoc." not in spec.cypher.lower(), spec.name
        for p in spec.params:
            assert f"${p.name}" in spec.cypher, f"{spec.name}: {p.name} declared but unused"


def test_header_parsing_rejects_undeclared_parameters() -> None:
    text = "// name: x\n// description: d\n// columns: a\nMATCH (n) WHERE n.id = $nope RETURN n.id AS a\n"
    with pytest.raises(ValueError, match="nope"):
        registry.parse_query(text)


def test_header_parsing_rejects_kept_within_without_kept_or_a_column() -> None:
    head = "// name: x\n// description: d\n// columns: a, b\n"
    for extra in ("// kept within: a\n", "// kept: jurisdiction\n// kept within: c\n"):
        text = head.replace("// columns", "// @param jurisdiction: list[zh] = [] | places\n// columns") + extra
        with pytest.raises(ValueError, match="kept within"):
            registry.parse_query(text + "MATCH (n) WHERE n.j IN $jurisdiction RETURN n.a AS a, n.b AS b\n")


def test_param_types_and_messages() -> None:
    assert parse_type("list[enum(a,b)]").describe() == "list[enum(a,b)]"
    p = parse_param_line("depth: int[1..8] = 3 | how deep")
    assert p.default == 3 and not p.required
    assert bind([p], {"depth": "8"}) == {"depth": 8}
    for bad, msg in (("9", "at most 8"), ("0", "at least 1"), ("x", "whole number")):
        with pytest.raises(ParamError, match=msg):
            bind([p], {"depth": bad})
    with pytest.raises(ParamError, match="unknown parameter"):
        bind([p], {"dpeth": "2"})
    zh = parse_param_line("phrase: zh | text")
    assert bind([zh], {"phrase": "醫療服務價格"}) == {"phrase": "医疗服务价格", "phrase_raw": "醫療服務價格"}
    with pytest.raises(ParamError, match="required"):
        bind([zh], {"phrase": "  "})
    juris = parse_param_line("jurisdiction: list[zh] = [] | places")
    assert bind([juris], {"jurisdiction": "重慶市,杭州市"}) == {"jurisdiction": ["重庆市", "杭州市"]}
    assert bind([juris], {"jurisdiction": ["重庆市", "杭州市"]}) == {"jurisdiction": ["重庆市", "杭州市"]}


def test_concepts_resolve_from_labels_in_either_script() -> None:
    spec = registry.get("who-leads")
    assert bind(spec.params, {"agency_type": "卫健委"})["agency_type"] == "health-commission"
    assert bind(spec.params, {"agency_type": "衛生健康委員會"})["agency_type"] == "health-commission"
    with pytest.raises(ParamError, match="not a concept of the agency-type scheme"):
        bind(spec.params, {"agency_type": "ministry of magic"})


# --- the queries on the seed corpus ---------------------------------------------------------


def test_who_leads_health_commission_in_chongqing_and_hangzhou(corpus_store) -> None:
    for path, place in ((CHONGQING, "重庆市"), (HANGZHOU, "杭州市")):
        for role in ("lead", "support"):
            expected = _hc_titles(path, role)
            assert expected, f"the document should name the health commission as {role}"
            rows = registry.run(corpus_store, "who-leads", {
                "jurisdiction": place, "agency_type": "health-commission", "role": role}).rows
            assert {r["task_title"] for r in rows} == expected, (place, role)
            assert {r["agency"] for r in rows} <= HEALTH_COMMISSION
            assert {r["jurisdiction"] for r in rows} == {place}


def test_who_leads_pricing_reform_across_cities(corpus_store) -> None:
    """The headline question on one topic: who leads the pricing reform tasks in each city."""
    rows = registry.run(corpus_store, "who-leads", {"jurisdiction": ["重庆市", "杭州市"], "phrase": "价格改革"}).rows
    by_place = {}
    for r in rows:
        by_place.setdefault(r["jurisdiction"], set()).add((r["task_title"], r["agency"]))
    # Chongqing 19: "(责任单位:市医保局、市卫生健康委、...)" with no first-is-lead rule → by convention
    assert ("深化价格和支付方式改革", "市医保局") in by_place["重庆市"]
    # Hangzhou (五)1: "(责任单位:市医疗保障局、市卫生健康委员会)" under "列第一位的为牵头单位,下同"
    assert ("深化医疗服务价格改革", "市医疗保障局") in by_place["杭州市"]
    basis = {(r["jurisdiction"], r["task_title"]): r["basis"] for r in rows}
    assert basis[("重庆市", "深化价格和支付方式改革")] == "convention"
    assert basis[("杭州市", "深化医疗服务价格改革")] == "explicit"


def test_who_leads_rows_are_in_document_order(corpus_store) -> None:
    # Named bodies only: the annotated tasks of the text (classes of bodies come from its prose).
    rows = registry.run(corpus_store, "who-leads", {"jurisdiction": "重庆市", "collective": "false"}).rows
    titles = [title for title, _ in _annotated_tasks(CHONGQING)]
    seen = list(dict.fromkeys(r["task_title"] for r in rows))
    assert seen == [t for t in titles if t in set(seen)]
    assert len(seen) == len(titles) == 20
    assert not any(r["collective"] for r in rows)


def test_who_leads_keeps_classes_of_bodies_marked(corpus_store) -> None:
    """"各区县政府要…" (强化组织领导, in prose, no annotation): the district governments as a class lead."""
    assert "各区县政府" in _doc(CHONGQING)
    rows = registry.run(corpus_store, "who-leads", {"jurisdiction": "重庆市"}).rows
    coll = {(r["task_title"], r["agency"]) for r in rows if r["collective"]}
    assert ("强化组织领导", "各区县政府") in coll
    named = registry.run(corpus_store, "who-leads", {"jurisdiction": "重庆市", "collective": "false"}).rows
    assert len(rows) - len(named) == sum(1 for r in rows if r["collective"]) > 0


def test_compare_targets_physicians_per_thousand(corpus_store) -> None:
    # Chongqing: "到2027年,...每千人口执业(助理)医师数达3.39人"; Hangzhou: "到2025年,...千人医师数...4.78人"
    assert "每千人口执业(助理)医师数达3.39人" in _doc(CHONGQING)
    assert "千人医师数和千人床位数分别达到4.78人和8.5张" in _doc(HANGZHOU)
    rows = registry.run(corpus_store, "compare-targets", {"indicator": "每千人口执业(助理)医师数"}).rows
    got = {(r["jurisdiction"], r["value"], r["target_year"]) for r in rows}
    assert ("重庆市", 3.39, 2027) in got
    assert ("杭州市", 4.78, 2025) in got
    assert {r["indicator"] for r in rows} == {rows[0]["indicator"]}
    only_cq = registry.run(corpus_store, "compare-targets", {"indicator": rows[0]["indicator"], "jurisdiction": "重庆市"}).rows
    assert {r["jurisdiction"] for r in only_cq} == {"重庆市"}


def test_compare_targets_goals_and_quantified_norms(corpus_store) -> None:
    # Chongqing: "原则上每年开展1次医疗服务调价评估" is a standing frequency (a norm); its 3.39 physicians
    # per thousand by 2027 a goal. kind= splits every target into the two.
    assert "原则上每年开展1次医疗服务调价评估" in _doc(CHONGQING)
    every = registry.run(corpus_store, "compare-targets", {"jurisdiction": "重庆市"}).rows
    norms = registry.run(corpus_store, "compare-targets", {"jurisdiction": "重庆市", "kind": "norm"}).rows
    goals = registry.run(corpus_store, "compare-targets", {"jurisdiction": "重庆市", "kind": "goal"}).rows
    assert {r["kind"] for r in norms} == {"norm"} and {r["kind"] for r in goals} == {"goal"}
    assert sorted(r["target_id"] for r in norms + goals) == sorted(r["target_id"] for r in every)
    assert any(r["value"] == 1.0 and r["unit"] == "次" for r in norms)
    assert any(r["value"] == 3.39 and r["target_year"] == 2027 for r in goals)
    with pytest.raises(ParamError):
        registry.run(corpus_store, "compare-targets", {"kind": "rule"})


def test_policy_lineage_reaches_the_central_guideline(corpus_store) -> None:
    # "按照《中共中央办公厅国务院办公厅关于进一步完善医疗卫生服务体系的意见》(中办发〔2023〕10号)要求"
    assert "(中办发〔2023〕10号)" in _doc(CHONGQING)
    rows = registry.run(corpus_store, "policy-lineage", {"policy": "渝府办发〔2023〕76号", "direction": "up"}).rows
    hit = [r for r in rows if r["doc_number"] == "中办发〔2023〕10号"]
    assert hit, rows
    assert hit[0]["loaded"] is False and hit[0]["distance"] == 1
    assert hit[0]["chain_levels"][0] == "province"  # 重庆市 is a province-level municipality
    down = registry.run(corpus_store, "policy-lineage", {"policy": hit[0]["policy_id"], "direction": "down"}).rows
    assert "渝府办发〔2023〕76号" in {r["doc_number"] for r in down}


def test_task_detail_span_is_the_source_slice(corpus_store) -> None:
    rows = registry.run(corpus_store, "search", {"phrase": "深化价格和支付方式改革", "jurisdiction": "重庆市"}).rows
    assert len(rows) == 1
    detail = registry.run(corpus_store, "task-detail", {"task": rows[0]["task_id"]}).rows[0]
    text = _doc(CHONGQING)
    assert detail["span_text"] == text[detail["span_start"]:detail["span_end"]]
    assert detail["span_text"].startswith("19.深化价格和支付方式改革")
    assert detail["span_note"] is None
    roles = [(r["agency"], r["role"]) for r in detail["responsibilities"]]
    assert roles[0] == ("市医保局", "lead")
    assert ("市卫生健康委", "support") in roles


def test_search_takes_traditional_input(corpus_store) -> None:
    rows = registry.run(corpus_store, "search", {"phrase": "醫療服務價格"}).rows
    places = {r["jurisdiction"] for r in rows}
    # simplified documents (Chongqing, Hangzhou) and the traditional national guideline
    assert {"重庆市", "杭州市", "全国"} <= places
    for r in rows:
        assert "医疗服务价格" in to_simplified(r["text"])
    assert "醫療服務價格" in _doc(NATIONAL)


def test_search_simplified_input_finds_the_traditional_document(corpus_store) -> None:
    # The national guideline is stored in traditional script; a simplified phrase must find it.
    phrase = "县域医共体"
    expected = to_simplified(_doc(NATIONAL)).count(phrase) > 0
    assert expected
    rows = registry.run(corpus_store, "search", {"phrase": phrase, "jurisdiction": "全国"}).rows
    assert rows and all(phrase in to_simplified(r["text"]) and phrase not in r["text"] for r in rows)


def test_agency_profile_counts_match_who_leads(corpus_store) -> None:
    rows = registry.run(corpus_store, "agency-profile", {"agency_type": "health-commission", "jurisdiction": "杭州市"}).rows
    assert len(rows) == 1
    assert rows[0]["tasks_led"] == len(_hc_titles(HANGZHOU, "lead"))
    assert rows[0]["tasks_supported"] == len(_hc_titles(HANGZHOU, "support"))
    assert any(p.startswith("medical-security:") for p in rows[0]["partner_types"])


def test_co_responsibility_pairs_from_shared_annotations(corpus_store) -> None:
    rows = registry.run(corpus_store, "co-responsibility", {"jurisdiction": "重庆市"}).rows
    pairs = {(r["agency_a"], r["agency_b"]): r["shared_tasks"] for r in rows}
    expected = sum(1 for _, units in _annotated_tasks(CHONGQING) if {"市卫生健康委", "市发展改革委"} <= set(units))
    assert pairs[tuple(sorted(("市卫生健康委", "市发展改革委")))] == expected
    pooled = registry.run(corpus_store, "co-responsibility", {"group_by": "agency_type", "pooled": "true"}).rows
    assert {r["jurisdiction"] for r in pooled} == {"*"}
    assert all(r["agency_a"] < r["agency_b"] for r in pooled)


def test_tier_division_and_summaries_run(corpus_store) -> None:
    tiers = registry.run(corpus_store, "tier-division", {"jurisdiction": "全国"}).rows
    # the national guideline is about county medical communities: the county tier has tasks
    assert any(r["tier"] == "county" and r["tasks"] > 0 for r in tiers)
    summary = registry.run(corpus_store, "policy-summary", {"policy": "杭政办函〔2022〕47号"}).rows[0]
    assert summary["jurisdiction"] == "杭州市" and summary["loaded"] is True
    assert "浙政办发〔2021〕74号" in {p["doc_number"] for p in summary["implements"] + summary["cites"]}
    assert summary["tasks"] == len(_annotated_tasks(HANGZHOU))


# --- the CLI --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    app = typer.Typer()
    commands.register(app)

    @app.callback()
    def _main() -> None:  # a group, so the command is addressed by name as in `healthgov query`
        pass

    return app


def test_cli_list_and_json_csv_agree(cli: typer.Typer, corpus_store) -> None:
    runner = CliRunner()
    listed = runner.invoke(cli, ["query", "--list"])
    assert listed.exit_code == 0, listed.output
    for name in registry.names():
        assert name in listed.output
    data_dir = str(corpus_store.data_dir)
    args = ["query", "who-leads", "--param", "jurisdiction=重庆市,杭州市", "--param", "phrase=价格改革", "--data-dir", data_dir]
    js = runner.invoke(cli, [*args, "--format", "json"])
    assert js.exit_code == 0, js.output
    payload = json.loads(js.stdout)
    direct = registry.run(corpus_store, "who-leads", {"jurisdiction": ["重庆市", "杭州市"], "phrase": "价格改革"})
    assert payload["rows"] == direct.rows and payload["total"] == len(direct.rows)
    csv_out = runner.invoke(cli, [*args, "--format", "csv"])
    import csv
    import io

    parsed = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    assert [r["task_id"] for r in parsed] == [r["task_id"] for r in direct.rows]


def test_cli_bad_parameter_is_a_clear_error(cli: typer.Typer) -> None:
    result = CliRunner().invoke(cli, ["query", "who-leads", "--param", "role=boss"])
    assert result.exit_code == 2
    assert "must be one of lead, support, any" in result.output
    unknown = CliRunner().invoke(cli, ["query", "who-leeds"])
    assert unknown.exit_code == 2 and "who-leads" in unknown.output


def test_reads_are_rolled_back_even_when_the_engine_would_write(corpus_store) -> None:
    # The bundled engine runs CREATE in a READ session; the library's read transaction is never
    # committed, so nothing stays (the API's keyword check is the first layer, this the last).
    from healthgov.queries.execute import read

    assert read(corpus_store, "CREATE (x:Junk {a: 1}) RETURN x.a AS a").rows == [[1]]
    assert corpus_store.read("MATCH (x:Junk) RETURN count(x) AS n")[0]["n"] == 0
