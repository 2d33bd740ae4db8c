"""Shared helpers of the benchmarks: corpora, data directories, machine facts, result files."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
CACHE = BENCH / ".cache"  # generated corpora and graph data directories (not committed)
RESULTS = BENCH / "results"
HEALTHGOV = str(ROOT / ".venv" / "bin" / "healthgov") if (ROOT / ".venv" / "bin" / "healthgov").exists() else "healthgov"
SEED = 7

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def corpus(n: int, seed: int = SEED) -> Path:
    """The generated corpus of ``n`` documents (generated once, then reused)."""
    from benchmarks.generate_corpus import generate

    out = CACHE / f"corpus-{n}-s{seed}"
    if not (out / "manifest.jsonl").exists():
        generate(out, n, seed)
    return out


def data_dir(n: int, seed: int = SEED) -> Path:
    """The bundled engine's data directory holding the graph of ``corpus(n)`` (see bench_build)."""
    return CACHE / f"data-{n}-s{seed}"


def ensure_built(n: int, jobs: int = 2) -> Path:
    """Build ``corpus(n)`` into ``data_dir(n)`` if it is not there yet (incremental otherwise)."""
    d = data_dir(n)
    subprocess.run([HEALTHGOV, "build", str(corpus(n)), "--data-dir", str(d), "--jobs", str(jobs)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return d


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu or platform.processor(), "memory_gb": round(mem / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "loadavg_at_start": list(os.getloadavg())}


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank): with fewer than 100 samples p99 is the maximum."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(q / 100 * len(s) + 0.5)) - 1))
    return s[k]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {"runs": len(ms), "median_ms": round(statistics.median(ms), 2), "p99_ms": round(pct(ms, 99), 2),
            "min_ms": round(min(ms), 2), "max_ms": round(max(ms), 2)}


def variant() -> str:
    """A suffix naming the engine's Java options when they are set (a bounded heap is another result)."""
    opts = os.environ.get("HEALTHGOV_ENGINE_JAVA_OPTS", "").strip()
    return "_" + "".join(ch for ch in opts.lower() if ch.isalnum()) if opts else ""


def write_result(name: str, n: int, data: dict[str, Any], command: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    name += variant()
    out = RESULTS / f"{name}-N{n}.json"
    doc = {"benchmark": name, "n": n, "seed": SEED, "date": datetime.now(UTC).isoformat(timespec="seconds"),
           "command": command, "machine": machine(), **data}
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")
    return out


class Timer:
    def __enter__(self) -> Timer:
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *_: object) -> None:
        self.seconds = time.perf_counter() - self.t0
