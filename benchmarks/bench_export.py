"""``healthgov export --format csv`` of the graph of N documents: wall time, rows/s and peak RSS.

``python benchmarks/bench_export.py --n 1000 [--data-dir DIR] [--runs 2] [--baseline main]``

Export only, on a graph already built (``bench_build.py --n N`` leaves it in
``benchmarks/.cache/data-N-s7``; ``--data-dir`` names another): the data directory is only read,
never built into. Each run is the real CLI as a subprocess writing into a temporary directory;
its wall time includes process start and the engine connection (the engine is started first, not
timed), its peak RSS is ``ru_maxrss`` from ``os.wait4`` (the export process; the engine's JVM is
reported apart). Rows = nodes + relationships written, as the command reports them.

``--baseline REF`` runs the code of that git ref (``git archive REF healthgov``, imported ahead
of this checkout) side by side, alternating with the current code on the same engine, and
checks that both wrote byte-identical files.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import HEALTHGOV, ROOT, Timer, data_dir, write_result

# Runs healthgov's CLI from the directory given first (a git archive of the baseline ref),
# ahead of this checkout's editable install.
LAUNCH = ("import sys; sys.path.insert(0, sys.argv.pop(1)); "
          "from healthgov.cli import app; sys.argv[0] = 'healthgov'; app()")


def engine_rss_mb(d: Path) -> float | None:
    try:
        import psutil

        from healthgov.graph import engine

        state = engine.read_state(d)
        return round(psutil.Process(state.java_pid or state.pid).memory_info().rss / 2**20, 1)
    except Exception:  # noqa: BLE001 - informative only
        return None


def export_once(command: list[str], d: Path, out: Path) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    with Timer() as t:
        p = subprocess.Popen([*command, "export", "--format", "csv", "--out", str(out), "--data-dir", str(d)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = p.stderr.read().decode() if p.stderr else ""
        _, status, usage = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"export failed:\n{err}")
    m = re.search(r"wrote (\d+) nodes and (\d+) relationships", " ".join(err.split()))
    nodes, rels = int(m.group(1)), int(m.group(2))
    files = sorted(out.iterdir())
    return {"seconds": round(t.seconds, 2), "nodes": nodes, "relationships": rels,
            "rows_per_s": round((nodes + rels) / t.seconds), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "files": len(files), "bytes": sum(f.stat().st_size for f in files)}


def same_files(a: Path, b: Path) -> bool:
    names = sorted(f.name for f in a.iterdir())
    if names != sorted(f.name for f in b.iterdir()):
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return not mismatch and not errors


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--data-dir", type=Path, default=None, help="the built graph (default benchmarks/.cache/data-N-s7)")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--baseline", default=None, help="a git ref whose export runs side by side (e.g. main)")
    a = ap.parse_args()
    d = (a.data_dir or data_dir(a.n)).resolve()
    if not (d / "engine").is_dir():
        raise SystemExit(f"no graph in {d}: build it first (python benchmarks/bench_build.py --n {a.n})")
    from healthgov.graph import engine

    was_running = engine.status(d) is not None
    subprocess.run([HEALTHGOV, "engine", "start", "--data-dir", str(d)], check=True, stdout=subprocess.DEVNULL)
    time.sleep(1)
    tmp = Path(tempfile.mkdtemp(prefix="bench-export-"))
    commands = {"current": [HEALTHGOV]}
    if a.baseline:
        src = tmp / "baseline-src"
        src.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", a.baseline, "healthgov"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
        commands = {"baseline": [sys.executable, "-c", LAUNCH, str(src)], **commands}
    runs: dict[str, list[dict]] = {k: [] for k in commands}
    identical = None
    try:
        for i in range(a.runs):
            for name, command in commands.items():
                r = export_once(command, d, tmp / name)
                r["engine_rss_mb"] = engine_rss_mb(d)
                runs[name].append(r)
                print(name, i + 1, r, flush=True)
            if a.baseline and identical is None:
                identical = same_files(tmp / "baseline", tmp / "current")
                print("baseline and current files identical:", identical, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if not was_running:
            subprocess.run([HEALTHGOV, "engine", "stop", "--data-dir", str(d)], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def best(rs: list[dict]) -> dict:
        return min(rs, key=lambda r: r["seconds"])

    res: dict = {"data_dir": str(d), "runs": a.runs,
                 "current": {"best": best(runs["current"]), "all": runs["current"],
                             "max_peak_rss_mb": max(r["peak_rss_mb"] for r in runs["current"])}}
    if a.baseline:
        res["baseline"] = {"ref": a.baseline, "best": best(runs["baseline"]), "all": runs["baseline"],
                           "max_peak_rss_mb": max(r["peak_rss_mb"] for r in runs["baseline"])}
        res["identical_files"] = identical
    write_result("export", a.n, res, " ".join(["python benchmarks/bench_export.py", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
