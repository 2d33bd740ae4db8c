"""Latency (median, p99) of every named query over repeated runs, on the graph of N documents.

``python benchmarks/bench_queries.py --n 1000 [--runs 30]``

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
    a = ap.parse_args()
    if not (data_dir(a.n) / "engine").exists():
        ensure_built(a.n)
    out: dict[str, dict] = {}
    with open_store(data_dir=data_dir(a.n)) as store:
        for label, name, params in cases(store, a.n):
            for _ in range(2):  # warm the engine's plan cache and the page cache
                rows = registry.run(store, name, params).total
            times = []
            for _ in range(a.runs):
                with Timer() as t:
                    registry.run(store, name, params)
                times.append(t.seconds)
                time.sleep(0.005)
            out[label] = {"query": name, "params": params, "rows": rows, **summary_ms(times)}
            print(f"{label:45s} rows={rows:6d} median={out[label]['median_ms']:8.1f} ms p99={out[label]['p99_ms']:8.1f} ms")
    write_result("queries", a.n, {"runs": a.runs, "queries": out}, f"python benchmarks/bench_queries.py --n {a.n} --runs {a.runs}")


if __name__ == "__main__":
    main()
