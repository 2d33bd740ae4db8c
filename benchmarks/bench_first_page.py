"""The first page (limit 100, default parameters) of every named query on the graph of N documents,
with no query cache: cold (the first request after the engine starts) and warm (median of the
next runs); then the whole who-leads answer read two ways side by side, alternating: streamed a
few policies at a time (``registry.stream``, what a CSV download does) and the unsliced query
(``registry.run`` without a window, the path before chunking).

``python benchmarks/bench_first_page.py --n 10000 [--runs 5] [--no-write]``

Queries that require a parameter get the researcher-typical one (agency-profile: the health
commission; policy-summary/lineage: a national document; task-detail: its first task; search:
家庭医生). Needs the graph of bench_build (built here if missing).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import time
from pathlib import Path

from common import HEALTHGOV, Timer, corpus, data_dir, ensure_built, write_result

from benchmarks.generate_corpus import read_manifest
from healthgov.graph.store import open_store
from healthgov.queries import registry
from healthgov.queries.registry import QueryTooLarge


def required(store, n: int) -> dict[str, dict[str, str]]:
    national = next(g for g in read_manifest(corpus(n)) if g.level == "nation")
    task = store.read("MATCH (p:Policy {doc_number: $d})-[:HAS_TASK]->(t:Task) RETURN t.id AS id ORDER BY t.order LIMIT 1",
                      {"d": national.doc_number})[0]["id"]
    return {"agency-profile": {"agency_type": "health-commission"}, "policy-summary": {"policy": national.doc_number},
            "policy-lineage": {"policy": national.doc_number}, "task-detail": {"task": task},
            "search": {"phrase": "家庭医生"}}


def timed_page(store, name: str, params: dict[str, str]) -> tuple[float | None, str | None, int | None]:
    try:
        with Timer() as t:
            result = registry.run(store, name, params, window=(0, 100))
        return t.seconds, None, result.total
    except QueryTooLarge as exc:
        return None, str(exc)[:200], None


def engine_memory(d) -> dict[str, object]:
    """The engine JVM's resident memory now and at its peak (MB), and the Java options it runs with."""
    from healthgov.graph import engine

    state = engine.status(d)
    out: dict[str, object] = {"java_opts": os.environ.get("HEALTHGOV_ENGINE_JAVA_OPTS", "")}
    if state is None:
        return out
    for line in Path(f"/proc/{state.java_pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[{"VmRSS": "rss_mb", "VmHWM": "peak_rss_mb"}[key]] = round(int(value.split()[0]) / 1024)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--streamed-only", action="store_true",
                    help="read the whole who-leads streamed only (the unsliced query is the path before chunking)")
    a = ap.parse_args()
    ensure_built(a.n)
    d = data_dir(a.n)
    subprocess.run([HEALTHGOV, "engine", "stop", "--data-dir", str(d)], check=False, capture_output=True)
    subprocess.run([HEALTHGOV, "engine", "start", "--data-dir", str(d)], check=True, capture_output=True)
    rows = []
    with open_store(data_dir=d) as store:
        store.read("RETURN 1 AS one")  # the connection, not a query's first read
        extra = required(store, a.n)
        for name in registry.names():
            params = extra.get(name, {})
            cold, error, total = timed_page(store, name, params)
            warm = [timed_page(store, name, params)[0] for _ in range(a.runs)] if error is None else []
            warm_ok = [w for w in warm if w is not None]
            rows.append({"query": name, "params": params, "cold_ms": None if cold is None else round(cold * 1000, 1),
                         "warm_median_ms": round(statistics.median(warm_ok) * 1000, 1) if warm_ok else None,
                         "total": total, "error": error, "chunked": registry.get(name).chunked is not None,
                         "kept": bool(registry.get(name).kept)})
            print(rows[-1], flush=True)
        # The whole who-leads (default parameters), streamed vs unsliced, alternating.
        whole: dict[str, list[float]] = {"streamed": [], "unsliced": []}
        count = 0
        for _ in range(2):
            with Timer() as t:
                count = sum(1 for _row in registry.stream(store, "who-leads", {})[3])
            whole["streamed"].append(t.seconds)
            if a.streamed_only:
                continue
            try:
                with Timer() as t:
                    registry.run(store, "who-leads", {})
                whole["unsliced"].append(t.seconds)
            except QueryTooLarge:
                whole["unsliced"].append(float("nan"))
        # A refused arm (the engine's memory budget) is nan: no rate for it.
        figures = {name: {"seconds": [None if math.isnan(s) else round(s, 2) for s in v],
                          "rows_per_s": round(count / min(v)) if v and not any(math.isnan(s) for s in v) else None}
                   for name, v in whole.items()}
        print(figures)
        memory = engine_memory(d)
        print(memory)
    cold_ok = [r["cold_ms"] for r in rows if r["cold_ms"] is not None]
    data = {"pages": rows, "who_leads_whole": {"rows": count, **figures},
            "cold_max_ms": max(cold_ok), "cold_median_ms": statistics.median(cold_ok), "engine_restarted": True,
            "engine_memory": memory,
            "timestamp": time.time()}
    if not a.no_write:
        write_result("first_page", a.n, data, f"python benchmarks/bench_first_page.py --n {a.n} --runs {a.runs}")


if __name__ == "__main__":
    main()
