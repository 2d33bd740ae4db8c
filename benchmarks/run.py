"""Run every benchmark at each N, then render BENCHMARKS.md tables: ``make bench`` (N=100 1000)
or ``python benchmarks/run.py 10000``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Order matters: bench_build leaves the graph that queries, api and rebuild read.
STEPS = [
    ("bench_extract.py", []), ("bench_load.py", []), ("bench_build.py", []),
    ("bench_queries.py", []), ("bench_api.py", []), ("bench_rebuild.py", []), ("bench_export.py", []),
]


def main() -> None:
    ns = [int(x) for x in sys.argv[1:]] or [100, 1000]
    for n in ns:
        for script, extra in STEPS:
            print(f"== {script} --n {n}", flush=True)
            if script == "bench_queries.py" and n >= 10_000:
                # The filter-free queries take 10-20 s each at this size: 10 runs, not 30.
                extra = [*extra, "--runs", "10"]
            subprocess.run([sys.executable, str(HERE / script), "--n", str(n), *extra], check=True)
    subprocess.run([sys.executable, str(HERE / "render.py")], check=True)


if __name__ == "__main__":
    main()
