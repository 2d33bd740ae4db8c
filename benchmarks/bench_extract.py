"""Extraction throughput (MB/s, documents/s): one process vs ``--jobs N``, side by side in one run.

``python benchmarks/bench_extract.py --n 1000 [--jobs 2] [--max-docs 2000]``

The same files are extracted by ``extract_files(jobs=1)`` and ``extract_files(jobs=N)`` (the code
``healthgov extract/build --jobs`` run), alternately (1, N, 1, N) so drift in the shared machine's
load hits both; the wall time of the ``--jobs`` runs includes starting the worker processes.
"""

from __future__ import annotations

import argparse
import statistics

from common import Timer, corpus, write_result

from healthgov.extract.errors import ExtractError
from healthgov.extract.pipeline import extract_files, iter_files


def run(files: list, jobs: int) -> tuple[float, int]:
    with Timer() as t:
        failed = sum(isinstance(r, ExtractError) for r in extract_files(files, jobs=jobs))
    return t.seconds, failed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--max-docs", type=int, default=2000, help="extract at most this many of the N (throughput does not depend on N)")
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args()
    files = list(iter_files([corpus(a.n)]))[: a.max_docs]
    size = sum(f.stat().st_size for f in files)
    extract_files(files[:1])  # warm the vocabularies and regexes of this process
    times: dict[int, list[float]] = {1: [], a.jobs: []}
    failed = 0
    for _ in range(a.rounds):
        for jobs in (1, a.jobs):
            s, f = run(files, jobs)
            times[jobs].append(s)
            failed += f
    best = {j: min(v) for j, v in times.items()}
    res = {
        "documents": len(files), "bytes": size, "failed": failed, "rounds": a.rounds,
        "seconds": times,
        "one_process": {"mb_s": round(size / 1e6 / best[1], 2), "docs_s": round(len(files) / best[1], 1)},
        f"jobs_{a.jobs}": {"mb_s": round(size / 1e6 / best[a.jobs], 2), "docs_s": round(len(files) / best[a.jobs], 1)},
        "speedup": round(best[1] / best[a.jobs], 2),
        "speedup_median": round(statistics.median(times[1]) / statistics.median(times[a.jobs]), 2),
        "jobs": a.jobs,
    }
    print(res)
    write_result("extract", a.n, res, f"python benchmarks/bench_extract.py --n {a.n} --jobs {a.jobs}")


if __name__ == "__main__":
    main()
