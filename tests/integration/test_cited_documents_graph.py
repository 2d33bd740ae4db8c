"""One node per cited document however it is cited (issue 16, part 4), over a real ``healthgov
build`` against a bundled engine, checked over Bolt.

Made-up documents (not copies of any text): A (Jiangxi) cites 《国务院办公厅关于印发X的通知》
(国办发〔2099〕1号) and 《中共中央办公厅 国务院办公厅关于Y的意见》(中办发〔2099〕2号); B (Guangzhou)
cites X by its notice title only and Y unquoted ("…印发关于Y的意见"); C (Hangzhou) cites X's short
title 《X》. Then X itself is built. One placeholder per document, with the jurisdiction its number
names; X's own build replaces it; the order of the builds does not matter; rebuilding changes
nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_annex_plans import SNAPSHOT, build

from healthgov.graph import engine
from healthgov.graph.store import open_store

X_NUMBER, Y_NUMBER = "国办发〔2099〕1号", "中办发〔2099〕2号"
X_KEY, Y_KEY = "健康示范城市建设行动方案", "进一步完善示范服务体系的意见"

DOCS = {
    "a.txt": """江西省卫生健康委员会关于印发江西省健康示范城市建设实施方案的通知
赣卫〔2099〕11号
各设区市卫生健康委：
根据《国务院办公厅关于印发健康示范城市建设行动方案的通知》（国办发〔2099〕1号）和《中共中央办公厅 国务院办公厅关于进一步完善示范服务体系的意见》（中办发〔2099〕2号）要求，结合本省实际，制定本方案。
一、工作目标
（一）到2099年，全省建成10个健康示范城市。（省卫生健康委负责）
江西省卫生健康委员会
2099年3月1日
""",
    "b.txt": """广州市卫生健康委员会关于印发广州市健康示范城市建设工作方案的通知
穗卫〔2099〕5号
各区卫生健康局：
为贯彻落实中共中央办公厅、国务院办公厅印发关于进一步完善示范服务体系的意见精神和《关于印发健康示范城市建设行动方案的通知》要求，结合我市实际，制定本方案。
一、工作目标
（一）到2099年，全市建成3个健康示范区。（市卫生健康委负责）
广州市卫生健康委员会
2099年4月1日
""",
    "c.txt": """杭州市人民政府办公厅关于印发杭州市健康示范城市建设工作计划的通知
杭政办函〔2099〕7号
各区、县（市）人民政府，市政府各部门：
为落实《健康示范城市建设行动方案》，结合本市实际，制定本计划。
一、主要任务
（一）到2099年，建成健康示范街道20个。（市卫生健康委负责）
杭州市人民政府办公厅
2099年5月1日
""",
    "x.txt": """国务院办公厅关于印发健康示范城市建设行动方案的通知
国办发〔2099〕1号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
《健康示范城市建设行动方案》已经国务院同意，现印发给你们，请认真贯彻执行。
国务院办公厅
2099年1月10日
健康示范城市建设行动方案
一、总体要求
（一）到2099年，全国建成100个健康示范城市。（国家卫生健康委负责）
""",
}

CITED = ("MATCH (p:Policy) WHERE p.title_key = $key "
         "OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction) "
         "RETURN p.id AS id, p.doc_number AS doc_number, coalesce(p.loaded, true) AS loaded, "
         "p.issuer_type AS issuer_type, collect(j.name) AS jurisdictions, collect(j.level) AS levels, "
         "COUNT { (p)<-[:CITES|IMPLEMENTS]-(:Policy) } AS cited_by, "
         "[(s:Policy)-[:CITES|IMPLEMENTS]->(p) | s.doc_number] AS citers")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("cited_docs")
    out = {}
    for name, text in DOCS.items():
        (d / name).write_text(text, encoding="utf-8")
        out[name[0]] = d / name
    return out


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    d = tmp_path_factory.mktemp("cited") / "data"
    yield d
    engine.stop(d)


def _read(data: Path, cypher: str, **params: Any) -> list[dict[str, Any]]:
    with open_store(data_dir=data) as store:
        return store.read(cypher, params) if params else store.read(cypher)


def _clear(data: Path) -> None:
    with open_store(data_dir=data) as store:
        store.execute_write(lambda tx: tx.run("MATCH (n) DETACH DELETE n").consume())


def _cited(data: Path, key: str) -> dict[str, Any]:
    rows = _read(data, CITED, key=key)
    assert len(rows) == 1, rows  # one node, however it was cited
    row = rows[0]
    row["citers"] = sorted(row["citers"])
    return row


def _assert_placeholders(data: Path) -> None:
    x = _cited(data, X_KEY)
    assert (x["doc_number"], x["loaded"], x["jurisdictions"], x["levels"]) == (X_NUMBER, False, ["全国"], ["nation"])
    assert x["issuer_type"] == "government"
    assert x["citers"] == ["杭政办函〔2099〕7号", "穗卫〔2099〕5号", "赣卫〔2099〕11号"]
    y = _cited(data, Y_KEY)
    assert (y["doc_number"], y["loaded"], y["jurisdictions"], y["issuer_type"]) == (Y_NUMBER, False, ["全国"], "party")
    assert y["citers"] == ["穗卫〔2099〕5号", "赣卫〔2099〕11号"]


def test_one_placeholder_per_cited_document_whatever_the_order(data: Path, files: dict[str, Path]) -> None:
    _clear(data)
    build(data, files["a"], files["b"], files["c"])
    _assert_placeholders(data)
    together = _read(data, SNAPSHOT)
    for order in ("cba", "bca", "acb"):
        _clear(data)
        for k in order:  # one build per document: the title-only placeholders come first
            build(data, files[k])
        _assert_placeholders(data)
        assert _read(data, SNAPSHOT) == together, order


def test_the_real_document_replaces_its_placeholder(data: Path, files: dict[str, Path]) -> None:
    _clear(data)
    build(data, files["c"], files["b"], files["a"])
    build(data, files["x"])
    x = _cited(data, X_KEY)
    assert (x["doc_number"], x["loaded"], x["jurisdictions"], x["issuer_type"]) == (X_NUMBER, True, ["全国"], None)
    assert x["citers"] == ["杭政办函〔2099〕7号", "穗卫〔2099〕5号", "赣卫〔2099〕11号"]
    after = _read(data, SNAPSHOT)
    build(data, files["a"], files["b"], files["c"], files["x"])
    assert _read(data, SNAPSHOT) == after  # rebuilt: nothing changes
    build(data, "--force", files["x"], files["a"], files["b"], files["c"])
    assert _read(data, SNAPSHOT) == after
    _clear(data)
    build(data, files["x"])
    build(data, files["b"], files["c"], files["a"])  # the real document first
    assert _read(data, SNAPSHOT) == after


def test_the_title_only_placeholder_folds_into_the_real_document(data: Path, files: dict[str, Path]) -> None:
    _clear(data)
    build(data, files["b"], files["c"])  # title-only citations of X: one placeholder, no number
    x = _cited(data, X_KEY)
    assert (x["doc_number"], x["loaded"], x["jurisdictions"]) == (None, False, [])
    build(data, files["x"])
    x = _cited(data, X_KEY)
    assert (x["doc_number"], x["loaded"], x["citers"]) == (X_NUMBER, True, ["杭政办函〔2099〕7号", "穗卫〔2099〕5号"])
    # The lineage of B reads city → nation, the placeholder's level included.
    rows = _read(data, "MATCH (b:Policy {doc_number: '穗卫〔2099〕5号'})-[:IMPLEMENTS]->(p:Policy)"
                       "-[:HAS_JURISDICTION]->(j) RETURN p.title_key AS key, j.level AS level ORDER BY key")
    assert rows == [{"key": X_KEY, "level": "nation"}]
