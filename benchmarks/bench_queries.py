"""Latency (median, p99) of every named query over repeated runs, on the graph of N documents:
cold (no cache: the Cypher runs every time) and cached (``healthgov.queries.cache``, as the API
uses it) side by side, the arms alternating run by run so the machine's load hits them alike.

``python benchmarks/bench_queries.py --n 1000 [--runs 30] [--data-dir DIR] [--no-write]``

Cached arms: TTL 250 ms (the API's default: the graph's version is read at most every 250 ms)
and TTL 0 (the version read on every call: one small Bolt round trip, then a dictionary lookup).

Each query runs with researcher-typical parameters (one jurisdiction: the one with the most
documents; one agency type; one indicator ...) through ``healthgov.queries.registry.run``, the
call the CLI and the API make. Filter-free list queries are measured too ("… (all)"): their
answers grow with N. Needs the graph of bench_build (built here if missing).
"""

from __future__ import annotations

import argparse
import collections
import time

from common import Timer, corpus, data_dir, ensure_built, summary_ms, write_result

from benchmarks.generate_corpus import read_manifest
from healthgov.graph.store import open_store
from healthgov.queries import registry
from healthgov.queries.cache import QueryCache


def cases(store, n: int) -> list[tuple[str, str, dict]]:
    made = read_manifest(corpus(n))
    j = collections.Counter(g.jurisdiction for g in made if g.level == "city").most_common(1)[0][0]
    national = next(g for g in made if g.level == "nation")
    local = next(g for g in made if g.jurisdiction == j)
    task = store.read("MATCH (p:Policy {doc_number: $d})-[:HAS_TASK]->(t:Task) RETURN t.id AS id ORDER BY t.order LIMIT 1",
                      {"d": local.doc_number})[0]["id"]
    return [
        ("who-leads", "who-leads", {"jurisdiction": j}),
        ("who-leads (health commission, all places)", "who-leads", {"agency_type": "health-commission"}),
        ("who-leads (all)", "who-leads", {}),
        ("agency-profile", "agency-profile", {"agency_type": "health-commission", "jurisdiction": j}),
        ("co-responsibility", "co-responsibility", {"jurisdiction": j}),
        ("co-responsibility (by type, pooled)", "co-responsibility", {"group_by": "agency_type", "pooled": "true"}),
        ("compare-targets", "compare-targets", {"indicator": "居民健康素养水平"}),
        ("tier-division", "tier-division", {"jurisdiction": j}),
        ("policy-lineage", "policy-lineage", {"policy": national.doc_number}),
        ("policy-summary", "policy-summary", {"policy": local.doc_number}),
        ("task-detail", "task-detail", {"task": task}),
        ("search", "search", {"phrase": "家庭医生", "jurisdiction": j}),
        ("search (all)", "search", {"phrase": "家庭医生"}),
        ("policies", "policies", {"jurisdiction": j}),
        ("agencies", "agencies", {"jurisdiction": j}),
        ("jurisdictions", "jurisdictions", {}),
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--data-dir", default=None, help="graph to query (default: bench_build's for N)")
    ap.add_argument("--only", default=None, help="comma-separated case labels (default: all)")
    ap.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/results alone")
    a = ap.parse_args()
    d = data_dir(a.n) if a.data_dir is None else a.data_dir
    if a.data_dir is None and not (data_dir(a.n) / "engine").exists():
        ensure_built(a.n)
    out: dict[str, dict] = {}
    with open_store(data_dir=d) as store:
        ttl = QueryCache(ttl_ms=250)
        ttl0 = QueryCache(ttl_ms=0)
        only = set(a.only.split(",")) if a.only else None
        for label, name, params in cases(store, a.n):
            if only and label not in only:
                continue
            for _ in range(2):  # warm the engine's plan cache and the page cache; fill the caches
                rows = registry.run(store, name, params).total
                registry.run(store, name, params, cache=ttl)
                registry.run(store, name, params, cache=ttl0)
            cold, cached, cached0 = [], [], []
            for _ in range(a.runs):
                with Timer() as t:
                    registry.run(store, name, params)
                cold.append(t.seconds)
                with Timer() as t:
                    registry.run(store, name, params, cache=ttl)
                cached.append(t.seconds)
                with Timer() as t:
                    registry.run(store, name, params, cache=ttl0)
                cached0.append(t.seconds)
                time.sleep(0.005)
            c, w, w0 = summary_ms(cold), summary_ms(cached), summary_ms(cached0)
            out[label] = {"query": name, "params": params, "rows": rows, **c, "cached": w, "cached_ttl0": w0}
            print(f"{label:45s} rows={rows:6d} cold median={c['median_ms']:8.1f} p99={c['p99_ms']:8.1f} | "
                  f"cached median={w['median_ms']:7.3f} p99={w['p99_ms']:7.3f} | "
                  f"ttl0 median={w0['median_ms']:7.3f} p99={w0['p99_ms']:7.3f} ms")
        stats = {"ttl_250": ttl.stats(), "ttl_0": ttl0.stats()}
    print(stats)
    if not a.no_write:
        write_result("queries", a.n, {"runs": a.runs, "queries": out, "cache_stats": stats},
                     f"python benchmarks/bench_queries.py --n {a.n} --runs {a.runs}")


if __name__ == "__main__":
    main()
