"""Views: building from plain data, rendering to a self-contained page, and (further down) the
same views from the real bundled engine through ``healthgov view`` and the API over HTTP.

Browser checks (drawing, console, network) live in ``test_views_browser.py``.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from healthgov.visualize import agency_task, coresponsibility, lineage, tiers
from healthgov.visualize.common import ViewError
from healthgov.visualize.model import View
from healthgov.visualize.render import render_view, view_data

EVIL = '</script><script>alert("x")</script><b onmouseover=alert(1)>'


def _task(n: int, topics: list[str] | None = None, **kw) -> dict:
    return {"id": f"pA/t{n}", "number": str(n), "title": f"任务{n}", "text": f"第{n}项任务的原文。",
            "policy_title": "某市医疗卫生服务体系实施方案", "doc_number": "某府发〔2023〕1号",
            "source_path": "corpus/a.txt", "span_start": 10 * n, "span_end": 10 * n + 8,
            "topics": topics or [], **kw}  # fmt: skip


def _agency(i: str, juris: str = "某市", atype: str = "health-commission") -> dict:
    return {"id": i, "name": f"市{i}局", "agency_type": atype, "level": "city", "jurisdiction": juris}


def _at_data(n_tasks: int = 3) -> agency_task.AgencyTaskData:
    tasks = [_task(i, ["primary-care"] if i % 2 else ["public-hospitals"]) for i in range(1, n_tasks + 1)]
    links = []
    for i in range(1, n_tasks + 1):
        links.append({"task": f"pA/t{i}", "agency": "A", "role": "lead", "basis": "convention", "implicit": False})
        links.append({"task": f"pA/t{i}", "agency": "B", "role": "support", "basis": "scoped", "implicit": i == 1})
    return agency_task.AgencyTaskData("某市", tasks + [_task(99)], links, [_agency("A"), _agency("B", atype="finance")])


def _edges(view: View, kind: str) -> list:
    return [e for e in view.edges if e.kind == kind]


def test_agency_task_draws_lead_support_and_implicit_distinctly() -> None:
    view = agency_task.build(_at_data(), {})
    assert sum(n.kind == "agency" for n in view.nodes) == 2
    assert sum(n.kind == "task" for n in view.nodes) == 3  # task 99 has no unit
    assert any("1 task(s) with no responsible unit" in note for note in view.notes)
    lead, support = _edges(view, "lead"), _edges(view, "support")
    assert len(lead) == 3 and len(support) == 3
    assert {e.color for e in lead}.isdisjoint({e.color for e in support})
    assert min(e.width for e in lead) > max(e.width for e in support)
    assert [e.dashes for e in support].count(True) == 1 and not any(e.dashes for e in lead)
    # agencies coloured by type, tasks by topic
    a, b = (n for n in view.nodes if n.kind == "agency")
    assert a.color != b.color
    assert len({n.color for n in view.nodes if n.kind == "task"}) == 2


def test_task_tooltip_has_source_text_and_document() -> None:
    view = agency_task.build(_at_data(), {})
    tip = dict(next(n for n in view.nodes if n.id == "t:pA/t2").tip)
    assert tip["原文 source text"] == "第2项任务的原文。"
    assert "某市医疗卫生服务体系实施方案" in tip["文件 document"] and "某府发〔2023〕1号" in tip["文件 document"]
    assert tip["来源 source"] == "corpus/a.txt [20, 28)"
    assert "English" in tip
    edge_tip = dict(view.edges[0].tip)
    assert {"关系", "English", "单位 agency", "任务 task"} <= set(edge_tip)


def test_every_node_and_edge_has_chinese_and_english_tooltip_rows() -> None:
    views = [agency_task.build(_at_data(), {}), coresponsibility.build(_co_data(), {}),
             lineage.build(_lineage_data(), {}), tiers.build(_tiers_data(), {})]  # fmt: skip
    for view in views:
        assert view.nodes and view.edges, view.name
        for item in [*view.nodes, *view.edges]:
            heads = [h for h, _ in item.tip]
            assert len(heads) >= 2 and heads[1] == "English", (view.name, item)
            assert re.search(r"[\u4e00-\u9fff]", item.tip[0][0] + item.tip[0][1]), (view.name, item.tip)


def test_agency_task_over_the_limit_folds_tasks_into_topics_and_says_so() -> None:
    view = agency_task.build(_at_data(n_tasks=40), {"max_nodes": "10"})
    assert len(view.nodes) <= 10
    assert sum(n.kind == "aggregate" for n in view.nodes) == 2
    assert not any(n.kind == "task" for n in view.nodes)
    assert any("folded into 2 topic nodes" in note for note in view.notes)
    widths = {e.width for e in _edges(view, "lead")}
    assert widths == {12}  # 20 tasks per topic, capped
    view.check()


def test_agency_task_over_the_limit_drops_the_quietest_agencies() -> None:
    data = _at_data(n_tasks=12)
    for i in range(20):
        data.agencies.append(_agency(f"X{i}"))
        data.links.append({"task": "pA/t1", "agency": f"X{i}", "role": "support", "basis": "shared", "implicit": False})
    view = agency_task.build(data, {"max_nodes": "10"})
    assert len(view.nodes) == 10
    assert {"a:A", "a:B"} <= {n.id for n in view.nodes}
    assert any("agencies with the fewest tasks are left out" in note for note in view.notes)


def _co_data() -> coresponsibility.CoData:
    agencies = [_agency("A"), _agency("B"), _agency("C", juris="他市"), _agency("D", juris="他市")]
    pairs = [{"a": "A", "b": "B", "shared": 5, "tasks": ["任务1", "任务2"]},
             {"a": "A", "b": "C", "shared": 1, "tasks": ["任务3"]},
             {"a": "C", "b": "D", "shared": 30, "tasks": ["任务4"] * 30}]  # fmt: skip
    return coresponsibility.CoData(pairs, agencies)


def test_coresponsibility_width_is_shared_tasks_and_cross_jurisdiction_stands_out() -> None:
    view = coresponsibility.build(_co_data(), {})
    widths = {(e.source, e.target): e.width for e in view.edges}
    assert widths == {("a:A", "a:B"): 5, ("a:A", "a:C"): 1, ("a:C", "a:D"): coresponsibility.MAX_WIDTH}
    cross = next(e for e in view.edges if e.target == "a:C")
    same = next(e for e in view.edges if e.target == "a:B")
    assert cross.color != same.color
    assert next(n for n in view.nodes if n.id == "a:A").color != next(n for n in view.nodes if n.id == "a:C").color


def test_coresponsibility_min_shared_and_limit_are_reported() -> None:
    view = coresponsibility.build(_co_data(), {"min_shared": "2"})
    assert len(view.edges) == 2 and any("fewer than 2" in n for n in view.notes)
    many = _co_data()
    many.agencies += [_agency(f"Z{i}") for i in range(30)]
    many.pairs += [{"a": "A", "b": f"Z{i}", "shared": 1, "tasks": []} for i in range(30)]
    view = coresponsibility.build(many, {"max_nodes": "12"})
    assert len(view.nodes) == 12
    assert any("are left out" in n for n in view.notes)
    view.check()
    with pytest.raises(ViewError):
        coresponsibility.build(_co_data(), {"min_shared": "many"})


def _lineage_data() -> lineage.LineageData:
    policies = [
        {"id": "N", "title": "国家指导意见", "doc_number": "国卫基层发〔2023〕41号", "loaded": True, "level": "nation", "jurisdiction": "全国"},
        {"id": "P", "title": "省级方案", "loaded": True, "level": "province", "jurisdiction": "某省"},
        {"id": "C", "title": "市级方案", "loaded": True, "level": "city", "jurisdiction": "某市"},
        {"id": "K", "title": "县级规划", "loaded": True, "level": "county", "jurisdiction": "某县"},
        {"id": "X", "title": "被引用但未收录的市级规划", "loaded": False, "level": None, "jurisdiction": None},
        {"id": "Y", "title": "孤立占位", "loaded": False, "level": None, "jurisdiction": None},
    ]  # fmt: skip
    links = [{"source": "P", "target": "N", "rel": "IMPLEMENTS"}, {"source": "P", "target": "N", "rel": "CITES"},
             {"source": "C", "target": "P", "rel": "IMPLEMENTS"}, {"source": "K", "target": "X", "rel": "IMPLEMENTS"},
             {"source": "K", "target": "C", "rel": "CITES"}]  # fmt: skip
    return lineage.LineageData(policies, links)


def test_lineage_levels_run_nation_to_county_and_placeholders_are_marked() -> None:
    view = lineage.build(_lineage_data(), {"relation": "all"})
    level = {n.id: n.level for n in view.nodes}
    assert level == {"p:N": 0, "p:P": 1, "p:C": 2, "p:K": 3, "p:X": 2}  # X: one above its citing county plan
    x = next(n for n in view.nodes if n.id == "p:X")
    assert x.dashed_border and "placeholder" in x.label
    assert not next(n for n in view.nodes if n.id == "p:C").dashed_border
    assert len(view.edges) == 4  # the CITES duplicate of an IMPLEMENTS pair is merged
    assert {e.kind for e in view.edges} == {"implements", "cites"}
    assert [e.dashes for e in view.edges if e.kind == "cites"] == [True]
    assert any("1 placeholder(s) with no remaining link" in n for n in view.notes)
    assert {n.id for n in lineage.build(_lineage_data(), {}).nodes} == {"p:N", "p:P", "p:C", "p:K", "p:X"}
    assert len(lineage.build(_lineage_data(), {}).edges) == 3  # implements only, by default
    only = lineage.build(_lineage_data(), {"relation": "implements", "jurisdiction": "某市"})
    assert {n.id for n in only.nodes} == {"p:C", "p:P"}
    with pytest.raises(ViewError):
        lineage.build(_lineage_data(), {"jurisdiction": "火星"})


def _tiers_data(n: int = 4) -> tiers.TiersData:
    tasks = [_task(1, tiers=["county"], institutions=["county-hospital"]),
             _task(2, tiers=["township", "village"], institutions=[]),
             _task(3, tiers=[], institutions=["township-health-centre"]),
             _task(4, tiers=[], institutions=[])] + [_task(10 + i, tiers=["county"]) for i in range(n - 4)]  # fmt: skip
    return tiers.TiersData(
        "某县",
        tasks,
        [{"id": "national", "rank": 6}, {"id": "county", "rank": 3}, {"id": "township", "rank": 2}, {"id": "village", "rank": 1}],
        [{"id": "county-hospital", "serves_tier": "county"}, {"id": "township-health-centre", "serves_tier": "township"}],
    )


def test_tiers_is_a_layered_drawing_in_rank_order_linking_tasks_and_institutions() -> None:
    view = tiers.build(_tiers_data(), {})
    assert view.hierarchical and all(n.level is not None and n.pinned is None for n in view.nodes)
    row = {n.id: n.level for n in view.nodes}
    assert {k for k in row if k.startswith("tier:")} == {"tier:county", "tier:township", "tier:village"}  # national: nothing there
    assert row["tier:county"] < row["tier:township"] < row["tier:village"]
    # Members sit on the row under their (highest) tier, above the next tier's box.
    assert row["t:pA/t1"] == row["inst:county-hospital"] == row["tier:county"] + 1 < row["tier:township"]
    assert row["t:pA/t2"] == row["tier:township"] + 1  # township and village: under the higher
    assert row["t:pA/t3"] == row["inst:township-health-centre"] == row["tier:township"] + 1
    assert sum(n.kind == "task" for n in view.nodes) == 3
    assert len(_edges(view, "at_tier")) == 3 and len(_edges(view, "concerns")) == 2 and len(_edges(view, "serves")) == 2
    assert any("1 task(s) that name no tier" in n for n in view.notes)
    assert all("\n" in n.label for n in view.nodes if n.kind in ("tier", "institution"))  # Chinese and English


def test_tiers_aggregates_beyond_its_legible_threshold_by_default_and_says_so() -> None:
    data = _tiers_data(n=150)
    for i, t in enumerate(data.tasks):
        t["jurisdiction"] = "重庆市" if i % 2 else "杭州市"
    view = tiers.build(data, {})  # no max_nodes: the tiers view's own limit
    assert len(view.nodes) < tiers.TIERS_MAX_NODES and view.default_max_nodes == tiers.TIERS_MAX_NODES
    assert not any(n.kind == "task" for n in view.nodes)
    agg = {n.id: n for n in view.nodes if n.kind == "aggregate"}
    assert {"agg:tier:county:重庆市", "agg:tier:county:杭州市"} <= set(agg)  # per tier and place
    assert sum(int(n.label.split(" ")[1]) for k, n in agg.items() if k.startswith("agg:tier:county")) == 147
    assert any("folded" in n and "legible" in n for n in view.notes)
    assert "max_nodes" in render_view(view) and view.check() is None
    every = tiers.build(data, {"max_nodes": "1000"})
    assert sum(n.kind == "task" for n in every.nodes) == 149


def test_tiers_folds_tasks_over_the_limit() -> None:
    view = tiers.build(_tiers_data(n=60), {"max_nodes": "10"})
    assert not any(n.kind == "task" for n in view.nodes)
    agg = {n.id: n for n in view.nodes if n.kind == "aggregate"}
    assert "agg:tier:county" in agg and agg["agg:tier:county"].label.startswith("57 ")
    assert any("folded" in n for n in view.notes)


def test_render_is_self_contained_and_escapes_document_text() -> None:
    data = _at_data()
    data.tasks[0]["text"] = EVIL
    data.tasks[0]["policy_title"] = EVIL
    view = agency_task.build(data, {"max_nodes": "300"})
    view.notes.append(EVIL)
    html = render_view(view)
    # No resource from anywhere: no src/href to a URL, no stylesheet link, no import.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "<link rel=\"stylesheet\"" not in html
    assert "vis-network" in html and "9.1.2" in html  # the bundle, with its licence header, is inlined
    assert EVIL not in html
    assert html.lower().count("</script") == 2  # only our own two script elements close
    assert "&lt;/script&gt;" in html  # the note, escaped as text
    # The embedded JSON reads back to the same data.
    blob = re.search(r"const VIEW = (.*?);\n", html).group(1)
    assert json.loads(blob) == json.loads(json.dumps(view_data(view)))
    assert "network.setOptions({ physics: false })" in html and "stabilizationIterationsDone" in html


def test_view_check_rejects_dangling_edges() -> None:
    view = agency_task.build(_at_data(), {})
    view.edges[0].target = "t:missing"
    with pytest.raises(ValueError):
        view.check()


def test_bad_max_nodes_is_a_view_error() -> None:
    for bad in ("lots", "3"):
        with pytest.raises(ViewError):
            agency_task.build(_at_data(), {"max_nodes": bad})


def test_agency_task_merges_small_topics_when_even_topics_exceed_the_limit() -> None:
    data = _at_data(n_tasks=30)
    for i, t in enumerate(data.tasks):
        t["topics"] = [f"topic-{i % 15}"]
    view = agency_task.build(data, {"max_nodes": "10"})
    assert len(view.nodes) <= 10
    assert "topic:~other" in {n.id for n in view.nodes}
    assert any("merged into one node" in n for n in view.notes)
    view.check()


# --- the same views from the real engine: over HTTP and through `healthgov view` -------------


def test_views_over_http_with_the_same_parameters(served_views) -> None:
    import httpx

    base = served_views.base
    for name in ("agency-task", "co-responsibility", "lineage", "tiers"):
        r = httpx.get(f"{base}/views/{name}", timeout=120)
        assert r.status_code == 200, (name, r.text[:300])
        assert r.headers["content-type"].startswith("text/html")
        assert "window.network = network" in r.text and 'href="/"' in r.text  # served pages link home
    assert httpx.get(f"{base}/views/nope", timeout=60).status_code == 404
    bad = httpx.get(f"{base}/views/lineage", params={"colour": "red"}, timeout=60)
    assert bad.status_code == 400 and "colour" in bad.text
    # A name that is no place: the query endpoints' 422 (tests/test_jurisdiction_names.py).
    assert httpx.get(f"{base}/views/agency-task", params={"jurisdiction": "火星"}, timeout=60).status_code == 422
    # A real place without tasks: nothing to draw for it.
    assert httpx.get(f"{base}/views/agency-task", params={"jurisdiction": "北京市"}, timeout=60).status_code == 400
    # An empty form field means "all", as the page's own filter form sends it.
    assert httpx.get(f"{base}/views/co-responsibility", params={"jurisdiction": "", "topic": ""}, timeout=60).status_code == 200


def test_index_page_lists_views_endpoints_and_docs(served_views) -> None:
    import httpx

    r = httpx.get(served_views.base + "/", timeout=60)
    assert r.status_code == 200
    for name in ("agency-task", "co-responsibility", "lineage", "tiers"):
        assert f'href="/views/{name}"' in r.text
    assert 'href="/docs"' in r.text
    assert "Query endpoints" in r.text and "No query endpoints" not in r.text
    jurisdictions = [row["name"] for row in served_views.store.read("MATCH (p:Policy)-[:HAS_JURISDICTION]->(j) RETURN DISTINCT j.name AS name")]
    assert any(f"jurisdiction={quote(j)}" in r.text for j in jurisdictions)


def test_cli_writes_the_view_served_by_the_api(served_views, tmp_path) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    out = tmp_path / "views" / "co.html"
    cli = str(Path(sys.executable).parent / "healthgov")
    env = {**os.environ, "HEALTHGOV_DATA": str(served_views.data_dir)}
    proc = subprocess.run([cli, "view", "co-responsibility", "--param", "min_shared=2", "--out", str(out)],
                          env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    html = out.read_text(encoding="utf-8")
    assert "min_shared=2" in html and "/views/" not in html  # no form pointing at a server
    n_file = json.loads(re.search(r"const VIEW = (.*?);\n", html).group(1))
    import httpx

    served = httpx.get(served_views.base + "/views/co-responsibility", params={"min_shared": "2"}, timeout=120).text
    n_served = json.loads(re.search(r"const VIEW = (.*?);\n", served).group(1))
    assert n_file == n_served and n_file["edges"]
    assert all(e["width"] >= 2 for e in n_file["edges"])
    bad = subprocess.run([cli, "view", "lineage", "--param", "nonsense", "--out", str(out)], env=env,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert bad.returncode == 2 and "key=value" in bad.stderr


def test_a_rendered_legend_never_repeats_a_colour() -> None:
    """28 agency types and a dozen topics in one view: one legend swatch per colour."""
    data = _at_data(n_tasks=30)
    types = [f"type-{i}" for i in range(28)]
    data.agencies = [_agency(f"A{i}", atype=t) for i, t in enumerate(types)]
    data.links = [{"task": f"pA/t{i + 1}", "agency": f"A{i % 28}", "role": "lead", "basis": "explicit", "implicit": False}
                  for i in range(30)]  # fmt: skip
    for i, t in enumerate(data.tasks):
        t["topics"] = [f"topic-{i % 12}"]
    for view in (agency_task.build(data, {}), agency_task.build(data, {"max_nodes": "20"})):
        html = render_view(view)
        swatches = re.findall(r'<i class="sw [^"]*" style="background: (#[0-9a-f]{6})"', html)
        assert len(swatches) >= 13 and len(swatches) == len(set(swatches)), swatches
    agency_colours = {n.color for n in agency_task.build(data, {}).nodes if n.kind == "agency"}
    assert len(agency_colours) == 28  # every type its own colour
