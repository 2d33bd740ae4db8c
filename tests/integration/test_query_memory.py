"""No query fails for lack of memory with a 500: the seed corpus in a bundled engine whose query
heap budget is 1 MB (``arcadedb.queryMaxHeapRAM``, through HEALTHGOV_ENGINE_JAVA_OPTS) stands in
for a national graph against the default budget (at 10,000 documents the engine refused the
whole who-leads with role=any; BENCHMARKS.md).

Chunked who-leads pages and the streamed CSV still answer in full: a slice fits, or the slice the
budget refuses is read in halves (the seeds' one slice of five documents no longer fits in 1 MB
since issue 25 reads more bodies in them); a query the engine refuses answers 503 naming the
limit, and the CLI exits 1 with the message."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from views_server import serve

from healthgov.api.app import create_app
from healthgov.graph.store import open_store
from healthgov.queries import registry

ROOT = Path(__file__).resolve().parents[2]
HEALTHGOV = [sys.executable, "-m", "healthgov.cli"]


@pytest.fixture(scope="module")
def tight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    data = tmp_path_factory.mktemp("tight") / "data"
    env = {**os.environ, "HEALTHGOV_ENGINE_JAVA_OPTS": "-Darcadedb.queryMaxHeapRAM=1"}
    subprocess.run([*HEALTHGOV, "build", str(ROOT / "corpus"), "--data-dir", str(data)], env=env, check=True,
                   cwd=ROOT, capture_output=True)
    try:
        yield data, env
    finally:
        subprocess.run([*HEALTHGOV, "engine", "stop", "--data-dir", str(data)], env=env, check=False,
                       capture_output=True)


def test_the_budget_refuses_the_whole_sorted_answer(tight) -> None:
    data, _env = tight
    with open_store(data_dir=data) as store, pytest.raises(registry.QueryTooLarge, match="memory"):
        registry.run(store, "who-leads", {"role": "any"})  # unsliced: the whole answer sorted at once


def test_pages_and_the_csv_of_a_chunked_query_still_answer(tight) -> None:
    data, _env = tight
    with open_store(data_dir=data) as store, serve(create_app(store, cache=False)) as base, \
            httpx.Client(base_url=base, timeout=60) as client:
        page = client.get("/queries/who-leads", params={"role": "any", "limit": 100})
        assert page.status_code == 200, page.text
        total = page.json()["total"]
        assert total > 100 and len(page.json()["rows"]) == 100
        r = client.get("/queries/who-leads", params={"role": "any", "format": "csv"})
        assert r.status_code == 200
        rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
        assert len(rows) == total == int(r.headers["x-total-count"])
        assert [x["task_id"] for x in rows[:100]] == [x["task_id"] for x in page.json()["rows"]]


def test_a_refused_query_answers_503_naming_the_limit(tight) -> None:
    data, env = tight
    with open_store(data_dir=data) as store, serve(create_app(store, cache=False)) as base, \
            httpx.Client(base_url=base, timeout=60) as client:
        refused = [name for name in ("compare-targets", "tier-division")
                   if client.get(f"/queries/{name}").status_code != 200]
        assert refused, "the 1 MB budget refused nothing: the test shows nothing"
        r = client.get(f"/queries/{refused[0]}")
        assert r.status_code == 503
        assert "memory" in r.json()["detail"] and "HEALTHGOV_ENGINE_JAVA_OPTS" in r.json()["detail"]
    cli = subprocess.run([*HEALTHGOV, "query", refused[0], "--data-dir", str(data)], env=env, cwd=ROOT,
                         capture_output=True, text=True)
    assert cli.returncode == 1 and "memory" in cli.stderr and "Traceback" not in cli.stderr


def test_kept_answers_the_budget_refuses_are_left_to_requests(tight) -> None:
    # The build keeps what fits the budget and says which answers it could not keep; the build
    # succeeds, and every filter-free page answers 200 or 503 (never 500).
    data, env = tight
    build = subprocess.run([*HEALTHGOV, "build", str(ROOT / "corpus"), "--data-dir", str(data)], env=env, cwd=ROOT,
                           capture_output=True, text=True)
    assert build.returncode == 0 and "Traceback" not in build.stderr, build.stderr
    with open_store(data_dir=data) as store, serve(create_app(store, cache=False)) as base, \
            httpx.Client(base_url=base, timeout=60) as client:
        kept = [n for n in registry.names() if registry.get(n).kept]
        for name in kept:
            params = {"agency_type": "health-commission"} if name == "agency-profile" else {}
            r = client.get(f"/queries/{name}", params={**params, "limit": 10})
            assert r.status_code in (200, 503), (name, r.status_code, r.text[:300])
