"""API throughput and latency on the headline who-leads query at several concurrency levels, with
a real load generator (``wrk``, Debian package; a bounded threaded httpx client when wrk is
missing), and the API's overhead over a direct ``registry.run`` call, side by side.

``python benchmarks/bench_api.py --n 1000 [--seconds 8] [--connections 1,8,32] [--data-dir DIR]``

Three servers on the same graph, loaded alternately at each concurrency level: the query cache
on (default TTL 250 ms), on with TTL 0 (the graph version read on every request) and off
(``--no-cache``: the Cypher runs every time); and one row of revalidation (``If-None-Match``
with the current ETag: 304 answers). API vs direct: sequential, alternating calls, without and
with the cache (the direct call then uses a ``QueryCache`` too). Loopback only; ``healthgov
serve`` runs on the graph of bench_build (built here if missing) unless ``--data-dir`` names one.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures as cf
import re
import shutil
import socket
import statistics
import subprocess
import time
import urllib.parse

import httpx
from common import HEALTHGOV, Timer, corpus, data_dir, ensure_built, pct, summary_ms, write_result

from benchmarks.generate_corpus import read_manifest
from healthgov.graph.store import open_store
from healthgov.queries import registry
from healthgov.queries.cache import QueryCache


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, conns: int, seconds: int, headers: dict[str, str] | None = None) -> dict:
    threads = max(1, min(2, conns))
    extra = [x for k, v in (headers or {}).items() for x in ("-H", f"{k}: {v}")]
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{seconds}s", "--latency", "--timeout", "10s",
                          *extra, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = non2xx + (sum(int(x) for x in sock.groups()) if sock else 0)
    return {"tool": "wrk", "requests": total, "requests_per_s": rps, "median_ms": float(p50.group(1)) * scale[p50.group(2)],
            "p99_ms": float(p99.group(1)) * scale[p99.group(2)], "errors": errors}


def threaded(url: str, conns: int, seconds: int, headers: dict[str, str] | None = None) -> dict:
    deadline = time.perf_counter() + seconds
    lat: list[float] = []
    errors = 0

    def worker() -> tuple[list[float], int]:
        mine, bad = [], 0
        with httpx.Client(timeout=10, headers=headers or {}) as c:
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                r = c.get(url)
                mine.append(time.perf_counter() - t0)
                bad += r.status_code not in (200, 304)
        return mine, bad

    t0 = time.perf_counter()
    with cf.ThreadPoolExecutor(conns) as ex:
        for mine, bad in ex.map(lambda _: worker(), range(conns)):
            lat += mine
            errors += bad
    wall = time.perf_counter() - t0
    return {"tool": "httpx-threads", "requests": len(lat), "requests_per_s": round(len(lat) / wall, 1),
            "median_ms": round(statistics.median(lat) * 1000, 2), "p99_ms": round(pct(lat, 99) * 1000, 2), "errors": errors}


ARMS = {"cache": [], "cache_ttl0": ["--cache-ttl-ms", "0"], "no_cache": ["--no-cache"]}


def start_server(d, extra: list[str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen([HEALTHGOV, "serve", "--port", str(port), "--data-dir", str(d), *extra],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return server, f"http://127.0.0.1:{port}"


def wait_up(base: str) -> None:
    for _ in range(240):
        try:
            if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{base} did not come up")


def api_vs_direct(url: str, store, params: dict, runs: int, cache: QueryCache | None) -> dict:
    """Sequential calls, API and direct alternating so the machine's load hits both arms alike."""
    api_t, direct_t = [], []
    with httpx.Client(timeout=60) as client:
        for _ in range(3):
            client.get(url)
            registry.run(store, "who-leads", params, cache=cache)
        for _ in range(runs):
            with Timer() as t:
                assert client.get(url).status_code == 200
            api_t.append(t.seconds)
            with Timer() as t:
                registry.run(store, "who-leads", params, cache=cache)
            direct_t.append(t.seconds)
    api_s, direct_s = summary_ms(api_t), summary_ms(direct_t)
    return {"api": api_s, "direct": direct_s, "overhead_pct": round(100 * (api_s["median_ms"] / direct_s["median_ms"] - 1), 1),
            "overhead_ms": round(api_s["median_ms"] - direct_s["median_ms"], 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--connections", default="1,8,32")
    ap.add_argument("--runs", type=int, default=40, help="sequential calls per arm of API vs direct")
    ap.add_argument("--arms", default=",".join(ARMS), help=f"server configurations to load ({', '.join(ARMS)})")
    ap.add_argument("--data-dir", default=None, help="graph to serve (default: bench_build's for N)")
    ap.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/results alone")
    a = ap.parse_args()
    d = data_dir(a.n) if a.data_dir is None else a.data_dir
    if a.data_dir is None and not (data_dir(a.n) / "engine").exists():
        ensure_built(a.n)
    made = read_manifest(corpus(a.n))
    j = collections.Counter(g.jurisdiction for g in made if g.level == "city").most_common(1)[0][0]
    params = {"jurisdiction": j, "agency_type": "health-commission"}
    query = "/queries/who-leads?" + urllib.parse.urlencode(params)
    arms = [x for x in a.arms.split(",") if x]
    servers = {arm: start_server(d, ARMS[arm]) for arm in arms}
    tool = wrk if shutil.which("wrk") else threaded
    load: dict[str, dict] = {arm: {} for arm in arms}
    try:
        for _server, base in servers.values():
            wait_up(base)
        urls = {arm: base + query for arm, (_s, base) in servers.items()}
        first = next(iter(urls.values()))
        rows = httpx.get(first, timeout=120).json()["total"]
        with open_store(data_dir=d) as store:
            side = {"uncached": api_vs_direct(urls["no_cache"], store, params, a.runs, None) if "no_cache" in urls else None}
            if "cache" in urls:
                side["cached"] = api_vs_direct(urls["cache"], store, params, a.runs, QueryCache(ttl_ms=250))
        print({k: v and {"api": v["api"]["median_ms"], "direct": v["direct"]["median_ms"], "overhead_pct": v["overhead_pct"]}
               for k, v in side.items()})
        for c in (int(x) for x in a.connections.split(",")):
            for arm in arms:  # alternating arms at each level
                load[arm][str(c)] = x = tool(urls[arm], c, a.seconds)
                print(f"{arm:10s} c={c:3d} {x['requests_per_s']:8.1f} req/s median {x['median_ms']:7.2f} ms "
                      f"p99 {x['p99_ms']:7.2f} ms errors {x['errors']}")
        revalidate = {}
        if "cache" in urls:
            etag = httpx.get(urls["cache"], timeout=60).headers["etag"]
            c = max(int(x) for x in a.connections.split(","))
            revalidate = {"connections": c, **tool(urls["cache"], c, a.seconds, {"If-None-Match": etag})}
            print(f"304 revalidation c={c}: {revalidate}")
        cache_stats = {arm: httpx.get(base + "/health", timeout=60).json()["cache"] for arm, (_s, base) in servers.items()}
    finally:
        for server, _base in servers.values():
            server.terminate()
            server.wait(10)
    res = {"query": "who-leads", "params": params, "rows": rows, "seconds_per_level": a.seconds,
           # "load" is the default configuration (cache on); the other arms beside it.
           "load": load.get("cache") or load[arms[0]], "load_by_arm": load, "revalidate_304": revalidate,
           "api_vs_direct": side.get("uncached") or side.get("cached"), "api_vs_direct_by_arm": side,
           "cache_stats": cache_stats}
    if not a.no_write:
        write_result("api", a.n, res, f"python benchmarks/bench_api.py --n {a.n} --seconds {a.seconds} "
                     f"--connections {a.connections} --arms {a.arms}")


if __name__ == "__main__":
    main()
