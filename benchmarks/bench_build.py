"""End-to-end ``healthgov build`` of N generated documents into a fresh bundled engine:
wall time (engine start included) and peak RSS of the healthgov process tree (its extraction
workers included, the engine's JVM reported separately).

``python benchmarks/bench_build.py --n 1000 [--jobs 2]``

Leaves the graph in ``benchmarks/.cache/data-N-s7`` for bench_queries, bench_api, bench_rebuild.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time

from common import HEALTHGOV, Timer, corpus, data_dir, write_result


def stop_engine(d) -> None:
    if d.exists():
        subprocess.run([HEALTHGOV, "engine", "stop", "--data-dir", str(d)], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)


def engine_rss_mb(d) -> float | None:
    try:
        import psutil

        state = json.loads((d / "engine.json").read_text())
        pid = state.get("java_pid") or state.get("pid")
        return round(psutil.Process(pid).memory_info().rss / 2**20, 1)
    except Exception:  # noqa: BLE001 - informative only
        return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    src, d = corpus(a.n), data_dir(a.n)
    stop_engine(d)
    shutil.rmtree(d, ignore_errors=True)
    size = sum(f.stat().st_size for f in src.glob("*.txt"))
    cmd = [HEALTHGOV, "build", str(src), "--data-dir", str(d), "--jobs", str(a.jobs)]
    with Timer() as t:
        with tempfile.TemporaryFile() as err:
            p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
            out = p.stdout.read().decode() if p.stdout else ""
            _, status, usage = os.wait4(p.pid, 0)
            err.seek(0)
            errors = err.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed:\n{out}")
    # A second build with nothing changed: every document skipped by content hash.
    with Timer() as t2:
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    summary = next((line for line in out.splitlines() if line.startswith("Documents:")), "")
    res = {
        "documents": a.n, "bytes": size, "jobs": a.jobs, "build_seconds": round(t.seconds, 2),
        "docs_per_s": round(a.n / t.seconds, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux: KiB
        "engine_rss_mb": engine_rss_mb(d),
        "java_opts": os.environ.get("HEALTHGOV_ENGINE_JAVA_OPTS", ""),
        "unchanged_rebuild_seconds": round(t2.seconds, 2),
        # The build's last step (healthgov.queries.kept), included in build_seconds.
        "kept": next((" ".join(line.split()) for line in errors.replace("\n", " ").split("kept ")[1:2]), None),
        "summary": summary, "graph": out.split("\n", 2)[-1][:2000],
    }
    print({k: v for k, v in res.items() if k != "graph"})
    write_result("build", a.n, res, " ".join(["healthgov", *cmd[1:]]))


if __name__ == "__main__":
    main()
