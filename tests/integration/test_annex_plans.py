"""An annex file built with the plan that lists it: Hainan's duty list (05, "附件1 省级相关部门…职责清单")
becomes IS_ANNEX_OF the provincial plan (04, 琼健爱卫〔2025〕7号) and its agencies are Hainan's;
built alone it still gets 海南省 from its units. Whatever the order of the files, whatever was
built before, and rebuilt: the same graph.

Real ``healthgov build`` subprocesses against a bundled engine, checked over Bolt; the documents
are read where they are (``../shared/extra``), never copied.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXTRA

from healthgov.graph import engine
from healthgov.graph.store import open_store

HEALTHGOV = str(Path(sys.executable).parent / "healthgov")
PLAN = EXTRA / "04_hainan_hiap_plan_2025.txt"
ANNEX = EXTRA / "05_hainan_hiap_annex1_duty_list_2025.txt"
PLAN_NUMBER = "琼健爱卫〔2025〕7号"
DUTY_LIST = "省级相关部门“将健康融入所有政策”职责清单"

ANNEX_OF = ("MATCH (a:Policy {annex_label: '附件1'}) OPTIONAL MATCH (a)-[:IS_ANNEX_OF]->(p:Policy) "
            "RETURN a.title AS title, p.doc_number AS plan")
JURISDICTION = "MATCH (a:Policy {annex_label: '附件1'})-[:HAS_JURISDICTION]->(j) RETURN j.name AS name, j.level AS level"
AGENCIES = ("MATCH (a:Policy {annex_label: '附件1'})-[:HAS_TASK]->(:Task)-[:LEAD_AGENCY|SUPPORTING_AGENCY]->(g:Agency) "
            "RETURN DISTINCT g.id AS id, g.jurisdiction AS jurisdiction, g.level AS level ORDER BY id")
# Everything the graph holds (but its version counter), comparable: nodes by id with their
# properties, and their edges.
SNAPSHOT = ("MATCH (n) WHERE n.id IS NOT NULL AND NOT n:HealthgovMeta AND NOT n:HealthgovKept WITH n ORDER BY n.id "
            "OPTIONAL MATCH (n)-[r]->(m) WITH n, r, m ORDER BY type(r), m.id "
            "RETURN n.id AS id, labels(n) AS labels, properties(n) AS props, "
            "collect([type(r), m.id, properties(r)]) AS out")


def _env() -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "250"}
    env.pop("NEO4J_URI", None)
    return env


def build(data: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    res = subprocess.run([HEALTHGOV, "build", *map(str, args), "--data-dir", str(data)], capture_output=True,
                         text=True, timeout=600, env=_env())
    assert res.returncode == 0, (args, res.stdout, res.stderr)
    return res


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    d = tmp_path_factory.mktemp("annexes") / "data"
    yield d
    engine.stop(d)


def _read(data: Path, cypher: str) -> list[dict[str, Any]]:
    with open_store(data_dir=data) as store:
        return store.read(cypher)


def _clear(data: Path) -> None:
    with open_store(data_dir=data) as store:
        store.execute_write(lambda tx: tx.run("MATCH (n) DETACH DELETE n").consume())


def _snapshot(data: Path) -> list[dict[str, Any]]:
    return _read(data, SNAPSHOT)


def _assert_linked(data: Path) -> None:
    assert _read(data, ANNEX_OF) == [{"title": DUTY_LIST, "plan": PLAN_NUMBER}]
    assert _read(data, JURISDICTION) == [{"name": "海南省", "level": "province"}]
    agencies = _read(data, AGENCIES)
    assert len(agencies) >= 20
    assert {a["jurisdiction"] for a in agencies} == {"海南省"}, agencies
    assert "海南省/health-commission" in {a["id"] for a in agencies}
    # The plan lists its four annexes; the annex keeps its label.
    plan = _read(data, f"MATCH (p:Policy {{doc_number: '{PLAN_NUMBER}'}}) RETURN p.annex_title AS annexes")
    assert plan[0]["annexes"][0] == DUTY_LIST and len(plan[0]["annexes"]) == 4


def test_the_annex_alone_gets_hainan_from_its_units(data: Path) -> None:
    _clear(data)
    build(data, ANNEX)
    assert _read(data, ANNEX_OF) == [{"title": DUTY_LIST, "plan": None}]
    assert _read(data, JURISDICTION) == [{"name": "海南省", "level": "province"}]
    assert {a["jurisdiction"] for a in _read(data, AGENCIES)} == {"海南省"}


def test_plan_then_annex_in_one_build_links_them_and_rebuilding_changes_nothing(data: Path) -> None:
    _clear(data)
    build(data, PLAN, ANNEX)
    _assert_linked(data)
    before = _snapshot(data)
    out = build(data, PLAN, ANNEX)
    assert _snapshot(data) == before, out.stdout
    build(data, "--force", PLAN, ANNEX)
    assert _snapshot(data) == before


def test_annex_before_its_plan_is_linked_at_the_end(data: Path) -> None:
    _clear(data)
    build(data, PLAN, ANNEX)
    linked = _snapshot(data)
    _clear(data)
    build(data, ANNEX, PLAN)  # the annex is read (and loaded) first, then loaded again with its plan
    _assert_linked(data)
    assert _snapshot(data) == linked


def test_annex_built_before_is_linked_when_its_plan_comes(data: Path) -> None:
    _clear(data)
    build(data, PLAN, ANNEX)
    linked = _snapshot(data)
    _clear(data)
    build(data, ANNEX)  # alone: no plan, the units' province
    build(data, PLAN, ANNEX)  # the annex is unchanged (skipped), its plan is new: linked all the same
    _assert_linked(data)
    assert _snapshot(data) == linked
    _clear(data)
    build(data, PLAN)
    build(data, ANNEX)  # the plan is in the graph already
    _assert_linked(data)
    assert _snapshot(data) == linked
