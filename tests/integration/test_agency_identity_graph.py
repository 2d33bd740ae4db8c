"""One Agency node per real body per jurisdiction, built by ``healthgov build`` into the bundled
engine and checked over Bolt (docs/DESIGN.md, "Agency identity").

Three made-up Guangzhou documents (written for this test, not copies of any text) name the city's
health commission in five forms (市卫健委, 市卫生健康委, 市卫生健康委员会, 广州市卫生健康委员会, a
bare 卫生健康委), a predecessor in two forms (市卫生计生委, 市卫计委), a generic department (市卫生健康部门), two bodies of
a several-bodies type (市疾控中心, 市卫生监督所) and a class of bodies (各区县政府). Built in either
order, in one run or one document at a time: the same nodes, the same name, every alias listed by
``healthgov query agencies``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from healthgov.graph import engine
from healthgov.graph.store import open_store

HEALTHGOV = str(Path(sys.executable).parent / "healthgov")
HC = "广州市/health-commission"

DOCS = {
    "a_notice.txt": """广州市卫生健康委员会关于印发基层卫生服务提升方案的通知
（本文为测试用虚构文本）
一、重点任务
（一）加强基层人才队伍建设。（牵头单位：市卫健委；配合单位：市财政局）
（二）完善家庭医生签约服务。（市卫生健康委牵头，市医保局、各区县政府按职责分工负责）
（三）做好疾病防控。（牵头单位：市疾控中心；配合单位：市卫生监督所）
广州市卫生健康委员会
2024年3月1日
""",
    "b_plan.txt": """广州市人民政府办公厅关于印发医疗服务体系建设方案的通知
（本文为测试用虚构文本）
一、主要任务
（一）推进医共体建设。（责任单位：市卫生健康委员会、市卫生健康部门）
（二）延续以往做法。（责任单位：市卫生计生委）
（三）改善设施条件。（市发展改革委、市卫生健康委按职责分工负责）
（四）巩固既有成果。（责任单位：市卫计委）
广州市人民政府办公厅
2024年5月6日
""",
    "c_opinions.txt": """广州市卫生健康委员会关于加强公共卫生的意见
（本文为测试用虚构文本）
一、工作任务
（一）强化公共卫生服务。（牵头单位：卫生健康委；配合单位：市财政局）
广州市卫生健康委员会
2024年7月8日
""",
}

NODES = ("MATCH (a:Agency) WHERE a.jurisdiction = '广州市' OR a.id STARTS WITH '广州市/' "
         "RETURN a.id AS id, a.name AS name, a.aliases AS aliases, a.name_form AS form ORDER BY id")
# The agencies as the graph holds them: properties, edges out, and the names each is written in
# (source paths differ between one run over the directory and a run per file: left out).
SNAPSHOT = ("MATCH (a:Agency) WITH a ORDER BY a.id "
            "OPTIONAL MATCH (a)-[r]->(m) WITH a, r, m ORDER BY type(r), m.id "
            "WITH a, collect([type(r), m.id]) AS out "
            "OPTIONAL MATCH (a)<-[i]-() WITH a, out, i.name AS written ORDER BY written "
            "RETURN a.id AS id, properties(a) AS props, out, collect(written) AS written")


def _env() -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "250"}
    env.pop("NEO4J_URI", None)
    return env


def _run(*args: str | Path) -> str:
    res = subprocess.run([HEALTHGOV, *map(str, args)], capture_output=True, text=True, timeout=600, env=_env())
    assert res.returncode == 0, (args, res.stdout, res.stderr)
    return res.stdout


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("gz")
    for name, text in DOCS.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    d = tmp_path_factory.mktemp("agencies") / "data"
    yield d
    engine.stop(d)


def _read(data: Path, cypher: str) -> list[dict[str, Any]]:
    with open_store(data_dir=data) as store:
        return store.read(cypher)


def _clear(data: Path) -> None:
    with open_store(data_dir=data) as store:
        store.execute_write(lambda tx: tx.run("MATCH (n) DETACH DELETE n").consume())


def _build(data: Path, *paths: Path) -> list[dict[str, Any]]:
    _clear(data)
    for p in paths:  # one `healthgov build` per argument: each its own run (incremental)
        _run("build", p, "--data-dir", data)
    return _read(data, SNAPSHOT)


def test_the_city_health_commission_is_one_node(docs: Path, data: Path) -> None:
    _build(data, docs)
    nodes = {r["id"]: r for r in _read(data, NODES)}
    hc = nodes[HC]
    assert hc["name"] == "广州市卫生健康委员会" and hc["form"] == "current"
    assert hc["aliases"] == sorted(["市卫健委", "市卫生健康委", "市卫生健康委员会", "广州市卫生健康委员会", "卫生健康委"])
    # Kept apart: the predecessor (linked), the generic department, the two institutions, the class.
    # Two names of one predecessor (grouped by the vocabulary's hg:formerBody): one former node.
    assert nodes[f"{HC}/former/卫生和计划生育委员会"]["form"] == "former"
    assert nodes[f"{HC}/former/卫生和计划生育委员会"]["aliases"] == ["市卫生计生委", "市卫计委"]
    assert nodes[f"{HC}/generic"]["form"] == "generic"
    assert {"广州市/市疾控中心", "广州市/市卫生监督所", "广州市/各区县政府"} <= set(nodes)
    assert _read(data, "MATCH (f:Agency)-[:SUCCEEDED_BY]->(c:Agency) RETURN f.id AS f, c.id AS c") == [
        {"f": f"{HC}/former/卫生和计划生育委员会", "c": HC}]
    # Every mention keeps its name as written on its relationship: the evidence of each alias.
    written = _read(data, f"MATCH (a:Agency {{id: '{HC}'}})<-[r:LEAD_AGENCY|SUPPORTING_AGENCY|ISSUED_BY]-() "
                          "RETURN DISTINCT r.name AS name ORDER BY name")
    assert {r["name"] for r in written} == set(hc["aliases"])
    # Issuers (both documents the commission signs) merge the same way.
    issued = _read(data, f"MATCH (p:Policy)-[:ISSUED_BY]->(a:Agency {{id: '{HC}'}}) RETURN count(p) AS n")
    assert issued == [{"n": 2}]


def test_the_agencies_query_lists_the_aliases(docs: Path, data: Path) -> None:
    _build(data, docs)
    out = json.loads(_run("query", "agencies", "-p", "jurisdiction=广州市", "--format", "json", "--data-dir", data))
    rows = out["rows"] if isinstance(out, dict) else out
    hc = next(r for r in rows if r["agency_id"] == HC)
    assert hc["agency"] == "广州市卫生健康委员会" and "市卫健委" in hc["aliases"] and hc["name_form"] == "current"
    assert hc["tasks_led"] >= 3 and hc["policies_issued"] == 2
    former = next(r for r in rows if r["agency_id"] == f"{HC}/former/卫生和计划生育委员会")
    assert former["succeeded_by"] == HC


def test_the_graph_does_not_depend_on_the_order_of_loading(docs: Path, data: Path) -> None:
    files = sorted(docs.glob("*.txt"))
    forward = _build(data, *files)
    backward = _build(data, *reversed(files))
    together = _build(data, docs)
    assert forward == backward == together
    assert next(r for r in forward if r["id"] == HC)["props"]["name"] == "广州市卫生健康委员会"


# A province's plan names two cities' commissions as responsible units; Guangzhou's own plan names
# its commission in two forms. The place a name names is the body's own: one Guangzhou node
# whichever document names it, and Shenzhen's its own (made-up texts).
PLACES = {
    "gd_plan.txt": """广东省卫生健康委员会关于印发区域医疗中心建设方案的通知
（本文为测试用虚构文本）
一、重点任务
（一）建设区域医疗中心。（牵头单位：广州市卫生健康委员会；配合单位：深圳市卫健委、省财政厅）
（二）组建城市医疗集团。（责任单位：深圳市卫健委、广州市卫生健康委员会）
广东省卫生健康委员会
2024年3月1日
""",
    "gz_plan.txt": """广州市人民政府办公厅关于印发医疗服务体系建设方案的通知
（本文为测试用虚构文本）
一、主要任务
（一）推进医共体建设。（责任单位：市卫健委、市财政局）
（二）承接区域医疗中心。（牵头单位：广州市卫生健康委员会；配合单位：市发展改革委）
广州市人民政府办公厅
2024年5月6日
""",
}


def test_a_body_named_in_another_places_document_is_its_own_places_node(tmp_path: Path, data: Path) -> None:
    for name, text in PLACES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    _build(data, tmp_path)
    nodes = {r["id"]: r for r in _read(data, "MATCH (a:Agency) RETURN a.id AS id, a.aliases AS aliases, "
                                             "a.name AS name, a.jurisdiction AS j")}
    gz = [i for i in nodes if "卫生健康委员会" in i or "卫健委" in i or i.endswith("health-commission")]
    assert sorted(gz) == ["广东省/health-commission", "广州市/health-commission", "深圳市/health-commission"]
    assert nodes[HC]["aliases"] == ["市卫健委", "广州市卫生健康委员会"]
    assert nodes[HC]["name"] == "广州市卫生健康委员会" and nodes[HC]["j"] == "广州市"
    assert nodes["深圳市/health-commission"]["aliases"] == ["深圳市卫健委"]
    # Both documents' tasks reach the one Guangzhou node.
    led = _read(data, f"MATCH (p:Policy)-[:HAS_TASK]->(:Task)-[:LEAD_AGENCY|SUPPORTING_AGENCY]->(:Agency {{id: '{HC}'}}) "
                      "RETURN DISTINCT p.source_path AS src ORDER BY src")
    assert [Path(r["src"]).name for r in led] == ["gd_plan.txt", "gz_plan.txt"]
    # Shenzhen's node belongs to Shenzhen, a city of Guangdong, as the gazetteer has it.
    j = _read(data, "MATCH (:Agency {id: '深圳市/health-commission'})-[:HAS_JURISDICTION]->(j:Jurisdiction)"
                    "-[:PART_OF_JURISDICTION]->(q) RETURN j.level AS level, q.id AS parent")
    assert j == [{"level": "city", "parent": "广东省"}]


# One plan rewritten: v1 names the commission 市卫健委 and a predecessor 市卫生计生委, v2 only
# 市卫生健康委员会; another document keeps naming it 市卫生健康委 (made-up texts).
REPLACED = """广州市人民政府办公厅关于印发卫生服务改进方案的通知
（本文为测试用虚构文本）
一、主要任务
{tasks}
广州市人民政府办公厅
2024年5月6日
"""
V1 = "（一）推进医共体建设。（责任单位：市卫健委、市财政局）\n（二）延续以往做法。（责任单位：市卫生计生委）"
V2 = "（一）推进医共体建设。（责任单位：市卫生健康委员会、市财政局）"
OTHER = """广州市人民政府办公厅关于加强基层卫生的意见
（本文为测试用虚构文本）
一、工作任务
（一）强化基层服务。（牵头单位：市卫生健康委；配合单位：市医保局）
广州市人民政府办公厅
2024年7月8日
"""


def test_a_replaced_documents_forms_leave_the_aliases(tmp_path: Path, data: Path) -> None:
    plan, other = tmp_path / "plan.txt", tmp_path / "other.txt"
    plan.write_text(REPLACED.format(tasks=V1), encoding="utf-8")
    other.write_text(OTHER, encoding="utf-8")
    _build(data, tmp_path)
    before = {r["id"]: r for r in _read(data, NODES)}
    assert before[HC]["aliases"] == ["市卫健委", "市卫生健康委"] and before[HC]["name"] == "市卫健委"
    assert f"{HC}/former/卫生和计划生育委员会" in before

    plan.write_text(REPLACED.format(tasks=V2), encoding="utf-8")
    _run("build", tmp_path, "--data-dir", data)  # the plan is replaced, the other document skipped
    after = _read(data, SNAPSHOT)
    nodes = {r["id"]: r for r in _read(data, NODES)}
    # Only what remains names it: 市卫健委 (v1 only) is gone, and the name is chosen again.
    assert nodes[HC]["aliases"] == ["市卫生健康委", "市卫生健康委员会"] and nodes[HC]["name"] == "市卫生健康委"
    # The predecessor only v1 named is gone (the orphan rule), with its SUCCEEDED_BY.
    assert f"{HC}/former/卫生和计划生育委员会" not in nodes
    assert _read(data, "MATCH ()-[r:SUCCEEDED_BY]->() RETURN count(r) AS n") == [{"n": 0}]
    # The same graph as building v2 from scratch, and a second run changes nothing.
    _run("build", tmp_path, "--data-dir", data)
    assert _read(data, SNAPSHOT) == after
    assert _build(data, tmp_path) == after
