"""API throughput and latency on the headline who-leads query at several concurrency levels, with
a real load generator (``wrk``, Debian package; a bounded threaded httpx client when wrk is
missing), and the API's overhead over a direct ``registry.run`` call, side by side.

``python benchmarks/bench_api.py --n 1000 [--seconds 8] [--connections 1,8,32]``

Loopback only; ``healthgov serve`` runs on the graph of bench_build (built here if missing).
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, conns: int, seconds: int) -> dict:
    threads = max(1, min(2, conns))
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{seconds}s", "--latency", "--timeout", "10s", url],
                         capture_output=True, text=True, check=True).stdout
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


def threaded(url: str, conns: int, seconds: int) -> dict:
    deadline = time.perf_counter() + seconds
    lat: list[float] = []
    errors = 0

    def worker() -> tuple[list[float], int]:
        mine, bad = [], 0
        with httpx.Client(timeout=10) as c:
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                r = c.get(url)
                mine.append(time.perf_counter() - t0)
                bad += r.status_code != 200
        return mine, bad

    t0 = time.perf_counter()
    with cf.ThreadPoolExecutor(conns) as ex:
        for mine, bad in ex.map(lambda _: worker(), range(conns)):
            lat += mine
            errors += bad
    wall = time.perf_counter() - t0
    return {"tool": "httpx-threads", "requests": len(lat), "requests_per_s": round(len(lat) / wall, 1),
            "median_ms": round(statistics.median(lat) * 1000, 2), "p99_ms": round(pct(lat, 99) * 1000, 2), "errors": errors}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--connections", default="1,8,32")
    ap.add_argument("--runs", type=int, default=40, help="sequential calls per arm of API vs direct")
    a = ap.parse_args()
    d = data_dir(a.n)
    if not (d / "engine").exists():
        ensure_built(a.n)
    made = read_manifest(corpus(a.n))
    j = collections.Counter(g.jurisdiction for g in made if g.level == "city").most_common(1)[0][0]
    params = {"jurisdiction": j, "agency_type": "health-commission"}
    port = free_port()
    server = subprocess.Popen([HEALTHGOV, "serve", "--port", str(port), "--data-dir", str(d)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/queries/who-leads?" + urllib.parse.urlencode(params)
    try:
        for _ in range(120):
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        rows = httpx.get(url, timeout=30).json()["total"]
        # API vs direct call, alternating so the machine's load hits both arms alike.
        api_t, direct_t = [], []
        with open_store(data_dir=d) as store, httpx.Client(timeout=30) as client:
            for _ in range(3):
                client.get(url)
                registry.run(store, "who-leads", params)
            for _ in range(a.runs):
                with Timer() as t:
                    assert client.get(url).status_code == 200
                api_t.append(t.seconds)
                with Timer() as t:
                    registry.run(store, "who-leads", params)
                direct_t.append(t.seconds)
        api_s, direct_s = summary_ms(api_t), summary_ms(direct_t)
        load = {}
        tool = wrk if shutil.which("wrk") else threaded
        for c in (int(x) for x in a.connections.split(",")):
            load[str(c)] = tool(url, c, a.seconds)
            print(c, load[str(c)])
    finally:
        server.terminate()
        server.wait(10)
    res = {"query": "who-leads", "params": params, "rows": rows, "seconds_per_level": a.seconds, "load": load,
           "api_vs_direct": {"api": api_s, "direct": direct_s,
                             "overhead_pct": round(100 * (api_s["median_ms"] / direct_s["median_ms"] - 1), 1)}}
    print(res["api_vs_direct"])
    write_result("api", a.n, res, f"python benchmarks/bench_api.py --n {a.n} --seconds {a.seconds} --connections {a.connections}")


if __name__ == "__main__":
    main()
