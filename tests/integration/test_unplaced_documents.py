"""A document whose place nobody can tell (no place name, an issuer of no place) has rows with no
jurisdiction, which sort last: pages read lazily place by place end with them, and kept answers
(which are per place) give way to the live query while such a document is loaded. Real bundled
engine; the document is made up for this test (not a copy of any text).
"""

from __future__ import annotations

import pytest
from conftest import seeds_and

from healthgov.queries import registry
from healthgov.queries.params import bind

UNPLACED = """关于做好基层医疗卫生服务工作的通知
（本文为测试用虚构文本）
一、重点任务
（一）推进家庭医生签约服务。（牵头单位：卫生健康部门；配合单位：医保部门）
（二）加强医共体建设。（牵头单位：卫生健康部门）
某某医学会
2024年3月1日
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    with seeds_and(tmp_path_factory.mktemp("unplaced"), {"zz_unplaced.txt": UNPLACED}) as (s, _docs):
        yield s


def test_the_document_has_no_place(store) -> None:
    rows = store.read("MATCH (p:Policy) WHERE p.loaded AND NOT EXISTS { MATCH (p)-[:HAS_JURISDICTION]->() } "
                      "RETURN p.id AS id")
    assert len(rows) == 1


@pytest.mark.parametrize("name, params", [
    ("who-leads", {}), ("who-leads", {"basis": "explicit"}), ("who-leads", {"role": "any", "collective": "false"}),
    ("search", {"phrase": "医"}), ("co-responsibility", {}), ("co-responsibility", {"collective": "true"}),
    ("tier-division", {}), ("agency-profile", {"agency_type": "health-commission"}), ("compare-targets", {}),
])
def test_pages_end_with_the_rows_of_no_place(store, name: str, params: dict[str, str]) -> None:
    spec = registry.get(name)
    whole = registry._run_bound(store, spec, bind(spec.params, params), 60).rows
    n = len(whole)
    for offset, limit in [(0, 100), (0, 3), (max(n - 3, 0), 10), (n, 5), (0, None)]:
        got = registry.run(store, name, params, window=(offset, limit))
        assert got.total == n and got.page(offset, limit) == whole[offset:None if limit is None else offset + limit]
    _spec, _shown, _total, streamed = registry.stream(store, name, params)
    assert list(streamed) == whole
    if name in ("who-leads", "search") or params.get("collective") == "true":
        assert whole and whole[-1]["jurisdiction"] is None  # the document of no place comes last
    if spec.kept and spec.kept[0] == "jurisdiction" and registry.kept.servable(spec, bind(spec.params, params)):
        # Its rows are in no place's kept answer: the answer is the live query's.
        assert registry._kept_plan(store, spec, bind(spec.params, params), 60) is None
        assert registry._kept_plan(store, spec, bind(spec.params, {**params, "jurisdiction": "重庆市"}), 60) is not None
