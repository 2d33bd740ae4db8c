"""Kept answers (``healthgov.queries.kept``): the per-place filter-free answers a build keeps are
exactly the live queries' rows, whole, paged and streamed; a rebuild forgets the answers of the
places it changes (and only those), including a place whose documents name a body another
place's document renames; answers kept by another version are not read. Real bundled engine.

The documents below are made up for this test (not copies of any text).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import seeds_and

from healthgov.graph.scan import node_labels
from healthgov.graph.version import KEPT_LABEL
from healthgov.loaders.build import build
from healthgov.queries import facets, kept, registry
from healthgov.queries.params import bind

ROOT = Path(__file__).resolve().parents[2]
EXTRA = ROOT.parent / "shared" / "extra"
KEPT = ("co-responsibility", "lead-matrix", "tier-division", "agency-profile", "compare-targets", "who-leads")

PROVINCE = """广东省卫生健康委员会关于印发基层医疗卫生服务能力提升方案的通知
（本文为测试用虚构文本）
一、重点任务
（一）推进紧密型医共体建设。（牵头单位：广州市卫生健康委员会；配合单位：省财政厅、省医保局）
（二）加强乡村医生队伍建设。（牵头单位：省卫生健康委；配合单位：广州市卫生健康委员会、省财政厅）
广东省卫生健康委员会
2024年3月1日
"""
CITY = """广州市卫生健康委员会关于加强家庭医生签约服务的通知
（本文为测试用虚构文本）
一、工作任务
（一）完善家庭医生签约服务。到2025年，全市每千人口执业（助理）医师数不低于3.5人。（牵头单位：广州市卫健委；配合单位：市医保局、市财政局）
广州市卫生健康委员会
2024年5月6日
"""


def _param_sets(store: Any, name: str) -> list[dict[str, str]]:
    if name != "agency-profile":
        return [{}, {"jurisdiction": "广东省,重庆市"}]
    types = store.read("MATCH (a:Agency) WHERE a.agency_type IS NOT NULL RETURN DISTINCT a.agency_type AS t ORDER BY t")
    return [{"agency_type": r["t"]} for r in types]


def _live(store: Any, name: str, params: dict[str, str]) -> list[dict[str, Any]]:
    spec = registry.get(name)
    return registry._run_bound(store, spec, bind(spec.params, params), 60).rows


def _kept_places(store: Any) -> dict[str, str]:
    """Place of each kept answer marker -> the node's element id (a new node when recomputed)."""
    rows = store.read(f"MATCH (k:{KEPT_LABEL}) WHERE k.slot = 'co-responsibility|*' "
                      "RETURN k.part AS j, elementId(k) AS e")
    return {r["j"].removeprefix("jurisdiction:"): r["e"] for r in rows}


def assert_kept_is_live(store: Any) -> int:
    """Every kept query's answer read from kept answers equals the live query's; the number of sets."""
    checked = 0
    for name in KEPT:
        spec = registry.get(name)
        for params in _param_sets(store, name):
            live = _live(store, name, params)
            plan = registry._kept_plan(store, spec, bind(spec.params, params), 60)
            assert plan is not None, (name, params)
            assert not plan.live, f"{name} {params}: places not kept after the build: {sorted(plan.live)}"
            whole = registry.run(store, name, params, window=(0, None))
            assert whole.rows == live and whole.total == len(live), (name, params)
            _spec, _shown, total, rows = registry.stream(store, name, params)
            assert list(rows) == live and total == len(live), (name, params)
            n = len(live)
            for offset, limit in [(0, 100), (0, 1), (3, 7), (max(n - 5, 0), 100), (n, 10), (0, 0)]:
                got = registry.run(store, name, params, window=(offset, limit))
                assert got.total == n and got.rows == live[offset:offset + limit], (name, params, offset, limit)
            checked += 1
    return checked


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    with seeds_and(tmp_path_factory.mktemp("kept"), {"900_province.txt": PROVINCE}, also=(EXTRA,)) as built:
        yield built


def test_the_kept_queries_are_declared() -> None:
    assert {n for n in registry.names() if registry.get(n).kept} == set(KEPT)
    assert registry.get("agency-profile").kept == ("jurisdiction", "agency_type")


def test_kept_answers_are_the_live_answers(built) -> None:
    store, _docs = built
    assert assert_kept_is_live(store) >= 7


def test_filtered_who_leads_totals_are_sums_of_kept_counts(built) -> None:
    # The total of a filtered who-leads page is a sum over the counts kept per place
    # (facets/who_leads.cypher), not a count over every responsibility: equal to the rows.
    store, _docs = built
    spec = registry.get("who-leads")
    topic = store.read("MATCH (:Task)-[:HAS_TOPIC]->(tp:Topic) RETURN tp.id AS id, count(*) AS n ORDER BY n DESC LIMIT 1")
    cases = [{"basis": "explicit"}, {"agency_type": "health-commission"}, {"topic": topic[0]["id"]},
             {"role": "any", "collective": "false"}, {"role": "support", "topic": topic[0]["id"]},
             {"level": "province", "basis": "convention"}, {"jurisdiction": "广东省,重庆市", "agency_type": "finance"},
             {"role": "any", "agency_type": "health-commission", "collective": "false", "level": "city"}]
    facet = facets.spec_of("who-leads")
    plan = registry._kept_plan(store, facet, {"jurisdiction": []}, 60)
    assert plan is not None and not plan.live, "the build kept every place's counts"
    for params in cases:
        values = bind(spec.params, params)
        live = _live(store, "who-leads", params)
        got = facets.total(store, spec, values, lambda f, v: registry._run_bound(store, f, v, 60).rows, 60)
        assert got == len(live), params
        page = registry.run(store, "who-leads", params, window=(0, 10))
        assert page.total == len(live) and page.rows == live[:10], params
    for params in [{"phrase": "医"}, {"policy": "x"}]:
        assert facets.total(store, spec, bind(spec.params, params), lambda f, v: [], 60) is None


def test_filters_other_than_places_are_computed_live(built) -> None:
    store, _docs = built
    for name, params in [("co-responsibility", {"pooled": "true"}), ("co-responsibility", {"min_shared": "2"}),
                         ("lead-matrix", {"role": "any"}), ("tier-division", {"tier": "township"})]:
        spec = registry.get(name)
        assert registry._kept_plan(store, spec, bind(spec.params, params), 60) is None
        live = _live(store, name, params)
        assert registry.run(store, name, params, window=(0, None)).rows == live


def test_a_rebuild_forgets_the_places_it_changes_and_no_other(built) -> None:
    store, docs = built
    before = _kept_places(store)
    assert "广州市" not in before and "广东省" in before
    (docs / "901_city.txt").write_text(CITY, encoding="utf-8")
    name_before = store.read("MATCH (a:Agency {id: '广州市/health-commission'}) RETURN a.name AS n")[0]["n"]
    report = build([docs, EXTRA], store)
    assert report.loaded == 1 and not report.failures
    computed = registry.keep_answers(store)
    name_after = store.read("MATCH (a:Agency {id: '广州市/health-commission'}) RETURN a.name AS n")[0]["n"]
    # The city's document renames the body the province's document names (a shorter form of its own place).
    assert (name_before, name_after) == ("广州市卫生健康委员会", "广州市卫健委")
    after = _kept_places(store)
    assert "广州市" in after
    assert after["广东省"] != before["广东省"], "the province's answers name the renamed body: recomputed"
    measured = store.read("MATCH (:Policy {title: $t})-[:HAS_TASK]->()-[:HAS_TARGET]->()-[:MEASURES]->(i) RETURN i.id AS i",
                          {"t": CITY.splitlines()[0]})
    assert measured, "the city's target measures an indicator other documents measure too"
    others = registry.run(store, "compare-targets", {"indicator": measured[0]["i"]}).rows
    assert len({r["policy_id"] for r in others}) > 1
    unchanged = [j for j in before if j != "广东省" and after.get(j) == before[j]]
    assert unchanged, "answers of places the write did not touch are kept, not recomputed"
    # Two places, four queries; compare-targets: the indicators of the new document's targets.
    assert computed >= 4 * 2
    rows = registry.run(store, "co-responsibility", {"jurisdiction": "广东省"}, window=(0, None)).rows
    assert any("广州市卫健委" in (r["agency_a"], r["agency_b"]) for r in rows)
    assert_kept_is_live(store)


def test_answers_of_another_version_are_not_read(built) -> None:
    store, _docs = built
    store.write(f"MATCH (k:{KEPT_LABEL}) WHERE k.slot = 'lead-matrix|*' SET k.stamp = 'another'")
    spec = registry.get("lead-matrix")
    plan = registry._kept_plan(store, spec, bind(spec.params, {}), 60)
    assert plan is not None and plan.live  # computed for the request
    assert registry.run(store, "lead-matrix", {}, window=(0, None)).rows == _live(store, "lead-matrix", {})
    assert registry.keep_answers(store) == len(plan.parts)  # the next build keeps them again
    assert not registry._kept_plan(store, spec, bind(spec.params, {}), 60).live


def test_kept_answers_are_bookkeeping_not_data(built) -> None:
    store, _docs = built
    assert KEPT_LABEL not in node_labels(store)
    assert kept.stamp(registry.get("lead-matrix")) != kept.stamp(registry.get("tier-division"))


def test_a_page_never_mixes_answers_kept_at_two_versions(built) -> None:
    # A place forgotten and kept again between reading the counts and reading the rows: the plan
    # made before notices (its pieces are of another graph version) instead of cutting new rows by
    # old counts; a request made through the registry then reads the answer again.
    store, _docs = built
    spec = registry.get("lead-matrix")
    values = bind(spec.params, {})
    plan = registry._kept_plan(store, spec, values, 60)
    assert plan is not None and not plan.live
    first = plan.parts[0]
    store.write(f"MATCH (k:{KEPT_LABEL}) WHERE k.part = $p DETACH DELETE k", {"p": f"jurisdiction:{first}"})
    assert registry.keep_answers(store) >= 1
    with pytest.raises(kept.KeptAnswerChanged):
        kept.window(plan, 0, 100)
    assert registry.run(store, "lead-matrix", {}, window=(0, 100)).rows == _live(store, "lead-matrix", {})[:100]


NO_PLACE = """关于做好基层医疗卫生服务工作的通知
（本文为测试用虚构文本）
一、重点任务
（一）推进家庭医生签约服务。（牵头单位：卫生健康部门；配合单位：医保部门）
某某医学会
2024年3月1日
"""


def test_the_kept_fact_that_every_policy_has_a_place_goes_stale_with_any_write(built) -> None:
    # Kept answers hold for the filter-free question only while every loaded policy has a place.
    # The build keeps that fact with the graph version it held at; a request trusts it only at that
    # version. Runs last: it loads a document of no place into the shared graph.
    store, docs = built
    registry.keep_answers(store)
    mark = store.read(kept.PLACED)[0]
    assert mark["at"] == mark["version"], "the build's last write keeps the fact at the version it makes"
    spec = registry.get("who-leads")
    assert registry._kept_plan(store, spec, bind(spec.params, {}), 60) is not None
    (docs / "zz_no_place.txt").write_text(NO_PLACE, encoding="utf-8")
    report = build([docs, EXTRA], store)
    assert report.loaded == 1 and not report.failures
    assert store.read(kept.PLACED)[0]["at"] != store.read(kept.PLACED)[0]["version"]
    assert not kept.every_policy_placed(store, 60)
    assert registry._kept_plan(store, spec, bind(spec.params, {}), 60) is None
    registry.keep_answers(store)
    assert store.read(kept.PLACED)[0]["at"] is None, "with a policy of no place the fact is not kept"
    live = _live(store, "who-leads", {})
    assert registry.run(store, "who-leads", {}, window=(0, None)).rows == live and live[-1]["jurisdiction"] is None
