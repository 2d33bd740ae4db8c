"""The answers at scale are the answers: on the 1,000-document generated corpus (seed 7, what the
benchmarks build) plus the seeds, in the real bundled engine, every kept answer (healthgov build's
last step) equals its query run live, whole and paged; chunked pages (who-leads, search) equal the
whole query for the parameter sets researchers use; and after one document changes and the
corpus is built again, the same holds, with only the parts the change touched computed again.
"""

from __future__ import annotations

import shutil
import sys
from typing import Any

import pytest
from conftest import ROOT

from healthgov.graph import engine
from healthgov.graph.store import open_store
from healthgov.loaders.build import BuildOptions, build
from healthgov.queries import registry
from healthgov.queries.params import bind

sys.path.insert(0, str(ROOT))
from benchmarks.generate_corpus import generate  # noqa: E402

KEPT = [n for n in registry.names() if registry.get(n).kept]
PAGES = [(0, 100), (100, 100), (4321, 50)]


def _live(store: Any, name: str, params: dict[str, str]) -> list[dict[str, Any]]:
    spec = registry.get(name)
    return registry._run_bound(store, spec, bind(spec.params, params), 300).rows


def _param_sets(store: Any, name: str) -> list[dict[str, str]]:
    if name == "agency-profile":  # the ten types with most responsibilities (each run live reads them all)
        rows = store.read("MATCH (:Task)-[r:LEAD_AGENCY|SUPPORTING_AGENCY]->(a:Agency) WHERE a.agency_type IS NOT NULL "
                          "RETURN a.agency_type AS t, count(r) AS n ORDER BY n DESC, t LIMIT 10")
        return [{"agency_type": r["t"]} for r in rows]
    return [{}] if name == "compare-targets" else [{}, {"jurisdiction": "杭州市,重庆市,广东省"}]


def _check_kept(store: Any) -> None:
    for name in KEPT:
        spec = registry.get(name)
        for params in _param_sets(store, name):
            plan = registry._kept_plan(store, spec, bind(spec.params, params), 300)
            assert plan is not None and not plan.live, (name, params)
            live = _live(store, name, params)
            _spec, _shown, total, rows = registry.stream(store, name, params)
            assert list(rows) == live and total == len(live), (name, params)
            for offset, limit in PAGES:
                got = registry.run(store, name, params, window=(offset, limit))
                assert got.total == len(live) and got.rows == live[offset:offset + limit], (name, params, offset)


@pytest.fixture(scope="module")
def scale(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("scale")
    docs = base / "docs"
    generate(docs / "generated", 1000, 7)
    shutil.copytree(ROOT / "corpus", docs / "seeds")
    (docs / "seeds" / "SOURCES.md").unlink(missing_ok=True)
    data = base / "data"
    store = open_store(data_dir=data)
    try:
        report = build([docs], store, BuildOptions(jobs=2))
        assert report.loaded >= 1000 and not report.failures, report.failures[:3]
        assert registry.keep_answers(store) > 0
        yield store, docs
    finally:
        store.close()
        engine.stop(data)


def test_kept_answers_are_the_queries_answers(scale) -> None:
    store, _docs = scale
    _check_kept(store)


@pytest.mark.parametrize("name, params", [
    ("who-leads", {"role": "any"}), ("who-leads", {"basis": "explicit"}), ("who-leads", {"level": "county"}),
    ("who-leads", {"agency_type": "health-commission", "role": "support"}), ("search", {"phrase": "家庭医生"}),
    ("search", {"phrase": "醫療", "jurisdiction": "杭州市,重庆市"}),
])
def test_chunked_pages_are_the_whole_answer(scale, name: str, params: dict[str, str]) -> None:
    store, _docs = scale
    live = _live(store, name, params)
    assert live, (name, params)
    for offset, limit in PAGES:
        got = registry.run(store, name, params, window=(offset, limit))
        assert got.total == len(live) and got.rows == live[offset:offset + limit], (name, params, offset)


def test_a_rebuild_after_one_changed_document_gives_the_same_answers(scale) -> None:
    store, docs = scale
    doc = sorted((docs / "generated").glob("*.txt"))[17]
    text = doc.read_text(encoding="utf-8")
    # Another lead body for the document's tasks, and one more task.
    changed = text.replace("卫生健康委", "发展改革委", 1) + "\n（九）加强信息化建设。（牵头单位：市大数据局；配合单位：市卫生健康委）\n"
    assert changed != text
    doc.write_text(changed, encoding="utf-8")
    report = build([docs], store, BuildOptions(jobs=2))
    assert report.loaded == 1 and not report.failures
    recomputed = registry.keep_answers(store)
    places = len(store.read("MATCH (j:Jurisdiction) WHERE EXISTS { MATCH (j)<-[:HAS_JURISDICTION]-(:Policy) } "
                            "RETURN j.name AS n"))
    assert 0 < recomputed < places, "only the parts the change touched are computed again"
    _check_kept(store)
