"""Time to rebuild after one document changes in the graph of N documents.

``python benchmarks/bench_rebuild.py --n 1000 [--repeat 3]``

One generated document gets a changed target value; ``healthgov build`` is run on the whole
corpus (the others are skipped by content hash, that document alone is rewritten), then the
change is reverted and built again. Reported: the command's wall time (process start and
engine connection included), the loading time inside the build as it reports it, and the build's
last step (the kept answers of the document's place computed again).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess

from common import HEALTHGOV, Timer, corpus, data_dir, ensure_built, write_result


def build(src, d) -> tuple[float, float, float, str]:
    """(command wall time, loading time as the build reports it, keeping time, the summary line)."""
    with Timer() as t:
        done = subprocess.run([HEALTHGOV, "build", str(src), "--data-dir", str(d)], check=True,
                              capture_output=True, text=True)
    line = next(x for x in done.stdout.splitlines() if x.startswith("Documents:"))
    inner = float(re.search(r"in ([\d.]+) s", line).group(1))
    keeping = re.search(r"kept \d+ answers.*? in ([\d.]+) s", " ".join((done.stdout + done.stderr).split()))
    return t.seconds, inner, float(keeping.group(1)) if keeping else 0.0, line


def compare_skip_checks(src, d) -> dict:
    """The unchanged-file check side by side: one ``has_content`` query per file (before) vs one
    ``loaded_hashes`` query for the whole build (now); file hashing is common to both and timed apart."""
    from healthgov.graph.store import open_store
    from healthgov.ids import sha256_file
    from healthgov.loaders.load import Loader

    files = sorted(src.glob("*.txt"))
    with Timer() as th:
        digests = [sha256_file(f) for f in files]
    with open_store(data_dir=d) as store:
        loader = Loader(store)
        with Timer() as t_old:
            old = sum(loader.has_content(h) for h in digests)
        with Timer() as t_new:
            known = loader.loaded_hashes()
            new = sum(h in known for h in digests)
    assert old == new, (old, new)
    return {"files": len(files), "hash_seconds": round(th.seconds, 3), "per_file_queries_seconds": round(t_old.seconds, 3),
            "one_query_seconds": round(t_new.seconds, 3), "ratio": round(t_old.seconds / max(t_new.seconds, 1e-6), 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    src, d = corpus(a.n), data_dir(a.n)
    if not (d / "engine").exists():
        ensure_built(a.n)
    victim = sorted(src.glob("*.txt"))[a.n // 2]
    original = victim.read_text(encoding="utf-8")
    changed = re.sub(r"不低于(\d+)", lambda m: f"不低于{int(m.group(1)) + 1}", original, count=1)
    if changed == original:
        changed = original.replace("加强组织领导。", "加强组织领导,压实责任。", 1)
    walls, inners, keeps, lines = [], [], [], []
    try:
        for _ in range(a.repeat):
            for text in (changed, original):
                victim.write_text(text, encoding="utf-8")
                wall, inner, keep, line = build(src, d)
                walls.append(wall)
                inners.append(inner)
                keeps.append(keep)
                lines.append(line)
    finally:
        victim.write_text(original, encoding="utf-8")
    skip_check = compare_skip_checks(src, d)
    res = {"documents": a.n, "changed_file": victim.name, "builds": len(walls), "skip_check": skip_check,
           "wall_seconds": {"median": round(statistics.median(walls), 2), "max": round(max(walls), 2)},
           "build_seconds": {"median": round(statistics.median(inners), 2), "max": round(max(inners), 2)},
           # The build's last step: the kept answers of the changed document's place, computed again.
           "keep_seconds": {"median": round(statistics.median(keeps), 2), "max": round(max(keeps), 2)},
           "summaries": lines[:2]}
    print(res)
    write_result("rebuild", a.n, res, f"python benchmarks/bench_rebuild.py --n {a.n} --repeat {a.repeat}")


if __name__ == "__main__":
    main()
