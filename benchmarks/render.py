"""Render the tables of BENCHMARKS.md from benchmarks/results/*.json.

``python benchmarks/render.py`` rewrites the part of BENCHMARKS.md between the markers
``<!-- tables:begin -->`` and ``<!-- tables:end -->`` (the prose around them is kept), or prints
the tables when the file has no markers.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
BEGIN, END = "<!-- tables:begin -->", "<!-- tables:end -->"


def load() -> dict[str, dict[int, dict]]:
    out: dict[str, dict[int, dict]] = {}
    for f in sorted(RESULTS.glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        out.setdefault(d["benchmark"], {})[d["n"]] = d
    return out


def table(head: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def render(r: dict[str, dict[int, dict]]) -> str:
    parts: list[str] = []
    if "extract" in r:
        rows = []
        for n, d in sorted(r["extract"].items()):
            j = d["jobs"]
            rows.append([n, d["documents"], f"{d['bytes'] / 1e6:.1f}", d["one_process"]["mb_s"], d["one_process"]["docs_s"],
                         d[f"jobs_{j}"]["mb_s"], d[f"jobs_{j}"]["docs_s"], f"{d['speedup']}x", d["date"]])
        parts.append("### Extraction (`extract_files`, one process vs `--jobs 2`, same files, alternating rounds)\n\n" + table(
            ["N", "docs extracted", "MB", "1 proc MB/s", "1 proc docs/s", "jobs 2 MB/s", "jobs 2 docs/s", "speedup", "date"], rows))
    if "load" in r:
        rows = []
        for n, d in sorted(r["load"].items()):
            sb = d["side_by_side"]
            if "per_document" not in sb:
                continue  # a result from before batched loading
            rows.append([n, d["documents"], d["batch_docs"], d["batch_size"], d["statements_per_document"], d["rows"],
                         d["seconds"], d["rows_per_s"], d["elements_per_s"], d["docs_per_s"], sb["batched"]["rows_per_s"],
                         sb["per_document"]["rows_per_s"], sb["one_row_per_transaction"]["rows_per_s"],
                         f"{sb['ratio_batched_vs_per_document']}x", f"{sb['ratio_batched_vs_per_row']}x"])
        parts.append("### Loading into the bundled engine (`Loader.load_batched`, as `build` loads)\n\n" + table(
            ["N", "docs loaded", "docs/transaction", "UNWIND batch", "statements/doc", "rows", "s", "rows/s",
             "nodes+rels/s", "docs/s", "side by side: batched rows/s", "1 doc/tx rows/s", "1 row/tx rows/s",
             "batched / 1 doc/tx", "batched / 1 row/tx"], rows))
    if "build" in r:
        rows = [[n, d["jobs"], d.get("java_opts") or "default", d["build_seconds"], d["docs_per_s"], d["peak_rss_mb"],
                 d["engine_rss_mb"], d["unchanged_rebuild_seconds"], d["date"]]
                for key in sorted(k for k in r if k.startswith("build")) for n, d in sorted(r[key].items())]
        parts.append("### End-to-end `healthgov build` (fresh engine, start included)\n\n" + table(
            ["N", "--jobs", "engine Java options", "build s", "docs/s", "peak RSS healthgov MB", "engine JVM RSS MB",
             "nothing changed s", "date"], rows))
    if "queries" in r:
        for n, d in sorted(r["queries"].items()):
            rows = []
            for label, q in d["queries"].items():
                c, c0 = q.get("cached", {}), q.get("cached_ttl0", {})
                rows.append([label, q["rows"], q["median_ms"], q["p99_ms"], c.get("median_ms", ""), c.get("p99_ms", ""),
                             c0.get("median_ms", ""), c0.get("p99_ms", "")])
            parts.append(f"### Named queries at N={n} (`registry.run`, {d['runs']} runs each, arms alternating; "
                         "p99 of fewer than 100 runs is the maximum)\n\n" + table(
                ["query", "rows", "cold median ms", "cold p99 ms", "cached median ms", "cached p99 ms",
                 "cached TTL 0 median ms", "TTL 0 p99 ms"], rows))
    if "api" in r:
        rows = []
        for n, d in sorted(r["api"].items()):
            arms = d.get("load_by_arm") or {"no_cache": d["load"]}
            for arm, levels in arms.items():
                for c, x in levels.items():
                    rows.append([n, d["rows"], arm, c, x["tool"], x["requests"], x["requests_per_s"], x["median_ms"],
                                 x["p99_ms"], x["errors"]])
            if (x := d.get("revalidate_304")):
                rows.append([n, d["rows"], "If-None-Match (304)", x["connections"], x["tool"], x["requests"],
                             x["requests_per_s"], x["median_ms"], x["p99_ms"], x["errors"]])
        parts.append("### API: `GET /queries/who-leads` (one city, health commission) under load\n\n" + table(
            ["N", "rows", "server", "connections", "tool", "requests", "req/s", "median ms", "p99 ms", "errors"], rows))
        rows = []
        for n, d in sorted(r["api"].items()):
            for arm, x in (d.get("api_vs_direct_by_arm") or {"uncached": d["api_vs_direct"]}).items():
                rows.append([n, arm, x["api"]["median_ms"], x["direct"]["median_ms"], x.get("overhead_ms", ""),
                             f"{x['overhead_pct']}%"])
        parts.append("API vs direct `registry.run` (sequential, alternating calls):\n\n" + table(
            ["N", "arm", "API median ms", "direct median ms", "overhead ms", "overhead"], rows))
    if "rebuild" in r:
        rows = [[n, d["builds"], d["wall_seconds"]["median"], d["wall_seconds"]["max"], d["build_seconds"]["median"],
                 d["build_seconds"]["max"], (d.get("keep_seconds") or {}).get("median", "")]
                for n, d in sorted(r["rebuild"].items())]
        parts.append("### Rebuild after one document changes (`healthgov build` on the whole corpus)\n\n" + table(
            ["N", "builds", "command wall s (median)", "max", "loading s (median)", "max",
             "keeping the place's answers s (median)"], rows))
        rows = [[n, x["files"], x["hash_seconds"], x["per_file_queries_seconds"], x["one_query_seconds"], f"{x['ratio']}x"]
                for n, d in sorted(r["rebuild"].items()) if (x := d.get("skip_check"))]
        if rows:
            parts.append("Unchanged-file check side by side (same graph, same run):\n\n" + table(
                ["N", "files", "sha256 of files s", "one has_content query per file s", "one loaded_hashes query s",
                 "ratio"], rows))
    if "export" in r:
        rows = []
        for n, d in sorted(r["export"].items()):
            for arm in ("baseline", "current"):
                x = d.get(arm)
                if not x:
                    continue
                b = x["best"]
                rows.append([n, x.get("ref", "this checkout") if arm == "baseline" else "this checkout",
                             b["nodes"] + b["relationships"], f"{b['bytes'] / 1e6:.0f}",
                             ", ".join(str(y["seconds"]) for y in x["all"]), b["rows_per_s"], x["max_peak_rss_mb"],
                             b.get("engine_rss_mb", ""), "yes" if d.get("identical_files") else "", d["date"]])
        parts.append("### `healthgov export --format csv` (side by side with the code before streaming, alternating; "
                     "files compared byte for byte)\n\n" + table(
            ["N", "code", "rows", "MB", "seconds", "rows/s (best)", "peak RSS MB", "engine RSS MB", "files identical",
             "date"], rows))
    for key in sorted(k for k in r if k.startswith("first_page")):
        for n, d in sorted(r[key].items()):
            rows = [[q["query"], ", ".join(f"{k}={v}" for k, v in q["params"].items()) or "defaults",
                     "kept" if q.get("kept") else "chunked" if q["chunked"] else "",
                     q["total"] if q["total"] is not None else "",
                     q["cold_ms"] if q["cold_ms"] is not None else "refused", q["warm_median_ms"] or "",
                     "met" if q["cold_ms"] is not None and q["cold_ms"] < 1000 else "not met"]
                    for q in d["pages"]]
            heap = (d.get("engine_memory") or {}).get("java_opts")
            parts.append(f"### First page of every named query at N={n}{f' with `{heap}`' if heap else ''} (limit 100, "
                         f"no query cache, engine restarted first; {d['date']})\n\n" + table(
                ["query", "parameters", "read from", "total rows", "cold ms", "warm median ms", "cold < 1 s"], rows)
                + f"\n\nCold: median {d['cold_median_ms']} ms, max {d['cold_max_ms']} ms."
                + (f" Engine JVM after the run: {m.get('rss_mb')} MB resident, peak {m.get('peak_rss_mb')} MB "
                   f"(Java options: `{m.get('java_opts') or 'default heap'}`)." if (m := d.get("engine_memory")) else ""))
            w = d["who_leads_whole"]
            parts.append(f"The whole who-leads at N={n} ({w['rows']} rows, default parameters), side by side, "
                         "alternating:\n\n" + table(
                ["path", "seconds (each run)", "rows/s (best)"],
                [["streamed (`registry.stream`, the CSV download: kept pieces when kept, else a few policies at a time)",
                  ", ".join(map(str, w["streamed"]["seconds"])), w["streamed"]["rows_per_s"]],
                 ["unsliced (`registry.run` without a window, the path before chunking)",
                  ", ".join("refused" if x is None else str(x) for x in w["unsliced"]["seconds"]) or "not run",
                  w["unsliced"]["rows_per_s"] or ""]]))
    if "duckdb" in r:
        rows = []
        for n, d in sorted(r["duckdb"].items()):
            for arm, label in (("healthgov_in_process", "healthgov in process (`registry.stream` → CSV, as the API)"),
                               ("healthgov_cli", "`healthgov query who-leads --format csv` (a new process)"),
                               ("duckdb", "DuckDB over `healthgov export --format csv` (8 tables joined, sorted)")):
                rows.append([n, label, ", ".join(map(str, d["seconds"][arm])), d["rows_per_s"][arm],
                             f"{d['ratio_to_duckdb'][arm]}x" if arm in d["ratio_to_duckdb"] else "1x",
                             d["rows"], "yes" if d["same_rows"] else "NO", d["date"]])
        parts.append("### The whole who-leads as CSV, side by side with DuckDB (alternating rounds; the answers "
                     "compared row by row)\n\n" + table(
            ["N", "path", "seconds", "rows/s (best)", "best vs DuckDB", "rows", "same rows", "date"], rows))
    return "\n\n".join(parts) + "\n"


def main() -> None:
    text = render(load())
    md = ROOT / "BENCHMARKS.md"
    if md.exists() and BEGIN in md.read_text(encoding="utf-8"):
        old = md.read_text(encoding="utf-8")
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        md.write_text(f"{head}{BEGIN}\n{text}{END}{tail}", encoding="utf-8")
        print(f"updated {md.name}")
    else:
        print(text)


if __name__ == "__main__":
    main()
