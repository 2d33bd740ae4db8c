"""Query results cached per graph version: same rows, new data seen, one run for N callers, and
the version node kept out of everything researchers see. Real engine over Bolt, real HTTP.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from views_server import serve  # noqa: I001 - the tests' own helper (tests/ is on sys.path)

from healthgov.api.app import create_app
from healthgov.extract.pipeline import extract_file
from healthgov.graph import engine
from healthgov.graph.export import dump, write_csv, write_graphml
from healthgov.graph.store import open_store
from healthgov.graph.version import META_LABEL
from healthgov.loaders.load import Loader
from healthgov.queries import registry
from healthgov.queries.cache import QueryCache
from healthgov.visualize.registry import VIEWS

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
CLI = str(Path(sys.executable).parent / "healthgov")
FIRST = ["001_ede30bebaf3943b9.txt", "003_e5f6dd014c1e0675.txt"]  # built at the start
IN_PROCESS = "000_f609406be53c2961.txt"  # loaded later through the app's own Store
OTHER_PROCESS = "004_0c3d4773d27d5037.txt"  # loaded later by `healthgov build` in another process
TTL_MS = 250

# Parameters for every named query on the seed corpus (required ones filled in).
PARAMS: dict[str, list[dict[str, Any]]] = {
    "who-leads": [{}, {"jurisdiction": "重庆市"}, {"agency_type": "health-commission", "role": "any"}],
    "agency-profile": [{"agency_type": "health-commission"}],
    "lead-matrix": [{}, {"jurisdiction": ["重庆市", "杭州市"], "topic": "governance", "role": "any"}],
    "co-responsibility": [{}, {"group_by": "agency_type", "pooled": "true"}],
    "compare-targets": [{"indicator": "居民健康素养水平"}],
    "tier-division": [{}],
    "policy-lineage": [{"policy": "渝府办发〔2023〕76号"}],
    "policy-summary": [{"policy": "渝府办发〔2023〕76号"}],
    "task-detail": [{"task": "__first__"}],
    "search": [{"phrase": "家庭医生"}, {"phrase": "醫療服務價格"}],
    "policies": [{}],
    "agencies": [{}],
    "jurisdictions": [{}],
}


def _params(store: Any, name: str) -> list[dict[str, Any]]:
    out = []
    for p in PARAMS[name]:
        if p.get("task") == "__first__":
            p = {"task": store.read("MATCH (t:Task) RETURN t.id AS id ORDER BY t.id LIMIT 1")[0]["id"]}
        out.append(p)
    return out


def test_every_named_query_is_covered() -> None:
    assert set(PARAMS) == set(registry.names())


def test_cached_rows_equal_uncached_rows(corpus_store) -> None:
    cache = QueryCache(ttl_ms=TTL_MS)
    for name in registry.names():
        for params in _params(corpus_store, name):
            plain = registry.run(corpus_store, name, params)
            first = registry.run(corpus_store, name, params, cache=cache)
            again = registry.run(corpus_store, name, params, cache=cache)
            assert first == plain, (name, params)
            assert again is first, (name, params)  # the second call is the cached object
            assert first.graph_version == corpus_store.graph_version()
    stats = cache.stats()
    assert stats["misses"] == stats["entries"] == sum(len(v) for v in PARAMS.values())
    assert stats["hits"] == stats["misses"]


# --- a small graph that grows during the tests ---------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("cache")
    first = root / "first"
    first.mkdir()
    for name in FIRST:
        shutil.copy(CORPUS / name, first / name)
    data = root / "data"
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}
    proc = subprocess.run([CLI, "build", str(first), "--data-dir", str(data)], env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    store = open_store(data_dir=data)
    try:
        # Three apps on the one Store: the default TTL, TTL 0, and one that would wait a minute.
        apps = {"ttl": create_app(store, cache=True, cache_ttl_ms=TTL_MS),
                "ttl0": create_app(store, cache=True, cache_ttl_ms=0),
                "long": create_app(store, cache=True, cache_ttl_ms=60_000)}
        with serve(apps["ttl"]) as b1, serve(apps["ttl0"]) as b2, serve(apps["long"]) as b3:
            clients = {k: httpx.Client(base_url=b, timeout=120) for k, b in (("ttl", b1), ("ttl0", b2), ("long", b3))}
            try:
                yield {"root": root, "data": data, "store": store, "env": env, **clients}
            finally:
                for c in clients.values():
                    c.close()
    finally:
        store.close()
        engine.stop(data)


def _loaded(client: httpx.Client) -> set[str]:
    r = client.get("/policies", params={"loaded": "true", "limit": 1000})
    assert r.status_code == 200, r.text
    return {row["policy_id"] for row in r.json()["rows"]}


def _cache(client: httpx.Client) -> dict[str, Any]:
    return client.get("/health").json()["cache"]


def test_a_write_in_this_process_is_seen_at_once(small) -> None:
    store = small["store"]
    long = small["long"]
    before = _loaded(long)
    assert _loaded(long) == before and _cache(long)["hits"] >= 1
    version = store.graph_version()
    rec = extract_file(CORPUS / IN_PROCESS)
    Loader(store).load(rec)
    assert store.graph_version()[1] > version[1] and store.graph_version()[0] == version[0]
    # TTL of a minute, yet the next call sees the document: the Store counts its own writes.
    assert _loaded(long) == before | {rec.policy.id}


def test_a_write_by_another_process_is_seen_within_the_ttl(small) -> None:
    before = {k: _loaded(small[k]) for k in ("ttl", "ttl0")}  # cached now
    version = small["store"].graph_version()
    more = small["root"] / "more"
    more.mkdir()
    shutil.copy(CORPUS / OTHER_PROCESS, more / OTHER_PROCESS)
    proc = subprocess.run([CLI, "build", str(more), "--data-dir", str(small["data"])], env=small["env"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert small["store"].graph_version()[1] > version[1]
    # TTL 0: the very next request reads the version and runs the query again.
    after = _loaded(small["ttl0"])
    new = after - before["ttl0"]
    assert len(new) == 1, new
    # The default TTL: once it has passed, the new rows are served (the documented bound).
    time.sleep(TTL_MS / 1000 + 0.05)
    assert _loaded(small["ttl"]) == after


def test_a_failed_write_leaves_the_version(small) -> None:
    store = small["store"]
    version = store.graph_version()
    bad = copy.deepcopy(extract_file(CORPUS / IN_PROCESS))
    bad.sha256 = "0" * 64
    bad.targets[-1].unit = {"not": "a property value"}  # type: ignore[assignment]
    with pytest.raises(Exception):  # noqa: B017 - the engine's own error type
        Loader(store).load(bad)
    assert store.graph_version() == version


def test_etag_gives_304_until_the_graph_changes(small) -> None:
    client = small["ttl0"]
    path, params = "/queries/who-leads", {"agency_type": "health-commission", "limit": 5}
    r = client.get(path, params=params)
    etag = r.headers["etag"]
    assert r.status_code == 200 and r.headers["cache-control"] == "no-cache"
    again = client.get(path, params=params, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag and again.content == b""
    other = client.get(path, params={**params, "offset": 5}, headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag  # another page, another tag
    csv = client.get(path, params={**params, "format": "csv"}, headers={"If-None-Match": etag})
    assert csv.status_code == 200 and csv.headers["etag"] != etag
    one = client.get("/policies/渝府办发〔2023〕76号")
    assert one.status_code == 200
    assert client.get("/policies/渝府办发〔2023〕76号", headers={"If-None-Match": one.headers["etag"]}).status_code == 304
    small["store"].write("MATCH (p:Policy {doc_number: '渝府办发〔2023〕76号'}) SET p.title = p.title")
    changed = client.get(path, params=params, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.json()["rows"] == r.json()["rows"]


def test_concurrent_identical_requests_run_the_query_once(small) -> None:
    client_base = str(small["ttl"].base_url)
    params = {"group_by": "agency_type", "pooled": "true", "min_shared": "2"}  # a key no other test asks
    before = _cache(small["ttl"])
    barrier = threading.Barrier(32)
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def one() -> None:
        with httpx.Client(base_url=client_base, timeout=120) as c:
            barrier.wait()
            r = c.get("/queries/co-responsibility", params=params)
        with lock:
            results.append((r.status_code, r.text))

    threads = [threading.Thread(target=one) for _ in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    after = _cache(small["ttl"])
    assert [s for s, _ in results] == [200] * 32
    assert len({text for _, text in results}) == 1
    assert after["misses"] - before["misses"] == 1  # the query ran once ...
    assert (after["hits"] + after["shared"]) - (before["hits"] + before["shared"]) == 31  # ... for 32 callers


def test_single_flight_shares_one_computation(small) -> None:
    # Callers arriving while the first computes wait for it and get its result (or its error).
    cache = QueryCache(ttl_ms=TTL_MS)
    release = threading.Event()
    calls: list[int] = []

    def slow(_version: Any) -> list[int]:
        calls.append(1)
        release.wait(30)
        return [42]

    out: list[Any] = []
    threads = [threading.Thread(target=lambda: out.append(cache.get_or_compute(small["store"], "k", slow)))
               for _ in range(8)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 30
    while cache.stats()["shared"] < 7 and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    for t in threads:
        t.join()
    assert calls == [1] and out == [[42]] * 8 and cache.stats()["shared"] == 7

    def failing(_version: Any) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        cache.get_or_compute(small["store"], "bad", failing)
    assert cache.get_or_compute(small["store"], "bad", lambda _v: "fine") == "fine"  # errors are not kept


def test_lru_bounds(small) -> None:
    cache = QueryCache(ttl_ms=TTL_MS, max_entries=3, max_rows=10, size=len)
    for i in range(5):
        cache.get_or_compute(small["store"], i, lambda _v, i=i: [i])
    assert cache.stats()["entries"] == 3
    cache.get_or_compute(small["store"], "big", lambda _v: list(range(8)))  # 8 rows: others must go
    assert cache.stats()["rows"] <= 10
    cache.get_or_compute(small["store"], "huge", lambda _v: list(range(11)))  # over the bound: not kept
    assert cache.stats()["rows"] <= 10


def test_the_version_node_is_nowhere_researchers_look(small, tmp_path: Path) -> None:
    store = small["store"]
    assert store.read(f"MATCH (m:{META_LABEL}) RETURN count(m) AS n") == [{"n": 1}]
    nodes, _rels = dump(store)
    assert nodes and not any(META_LABEL in n["key"] or n["label"] == META_LABEL for n in nodes)
    write_csv(store, tmp_path / "csv")
    assert not list((tmp_path / "csv").glob(f"*{META_LABEL}*"))
    assert META_LABEL not in (tmp_path / "csv" / "IMPORT.md").read_text(encoding="utf-8")
    write_graphml(store, tmp_path / "g.graphml")
    assert META_LABEL not in (tmp_path / "g.graphml").read_text(encoding="utf-8")
    proc = subprocess.run([CLI, "export", "--format", "ttl", "--data-dir", str(small["data"])], env=small["env"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr  # SHACL-validated
    assert "hg:" in proc.stdout and META_LABEL not in proc.stdout and "graph_version" not in proc.stdout
    client = small["ttl"]
    for name in registry.names():
        for params in _params(store, name):
            r = client.get(f"/queries/{name}", params={**params, "limit": 10000})
            assert r.status_code == 200, (name, r.text)
            assert META_LABEL not in r.text, name
    for view in VIEWS:
        r = client.get(f"/views/{view}")
        assert r.status_code in (200, 400), (view, r.text)
        assert META_LABEL not in r.text, view
    for path in ("/network/summary", "/network/measures", "/jurisdictions", "/agencies"):
        r = client.get(path)
        assert META_LABEL not in r.text, path


def test_health_reports_cache_statistics(small) -> None:
    stats = _cache(small["ttl"])
    assert stats["enabled"] is True and stats["ttl_ms"] == TTL_MS
    assert stats["graph_version"]["version"] == small["store"].graph_version()[1]
    assert stats["misses"] >= 1 and stats["hits"] >= 1
    off = create_app(small["store"], cache=False)
    with serve(off) as base:
        assert httpx.get(base + "/health", timeout=60).json()["cache"] == {"enabled": False}
        r = httpx.get(base + "/queries/jurisdictions", timeout=60)
        assert r.status_code == 200 and "etag" not in r.headers


@pytest.mark.parametrize("bad", ["abc", "-5", "1.5"])
def test_a_bad_cache_ttl_in_the_environment_is_named_before_anything_starts(tmp_path: Path, bad: str) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "HEALTHGOV_CACHE_TTL_MS": bad}
    r = subprocess.run([CLI, "serve", "--data-dir", str(data), "--port", "1"], env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "HEALTHGOV_CACHE_TTL_MS" in r.stderr and "Traceback" not in r.stderr
    assert not data.exists()  # no engine was started for it
