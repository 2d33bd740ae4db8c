"""The whole who-leads answer (default parameters) as a CSV file, side by side, arms alternating:

- ``healthgov query who-leads --format csv`` (the CLI, a new process each time, the running engine);
- the same in process (``registry.stream`` encoded by ``formats.iter_csv``, what the API's CSV download does);
- DuckDB over healthgov's own CSV export (``healthgov export --format csv``): the same question as
  SQL, 8 tables joined and sorted, written with ``COPY ... TO``; a new connection each round.

The answers are compared: the same (task, agency) pairs in the same order.

``python benchmarks/bench_duckdb.py --n 10000 [--rounds 3] [--no-write]`` (needs ``pip install duckdb``;
the export is made once, under benchmarks/.cache).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from common import CACHE, HEALTHGOV, data_dir, ensure_built, write_result

from healthgov.graph.store import open_store
from healthgov.queries import registry
from healthgov.queries.formats import iter_csv

SQL = """COPY (
SELECT j."name:string" AS jurisdiction, j."level:string" AS level, p."id:ID(Policy)" AS policy_id,
       p."title:string" AS policy_title, p."doc_number:string" AS doc_number, t."id:ID(Task)" AS task_id,
       t."number:string" AS task_number, t."title:string" AS task_title, a."name:string" AS agency,
       a."id:ID(Agency)" AS agency_id, a."agency_type:string" AS agency_type, ty."pref_zh:string" AS agency_type_zh,
       ty."pref_en:string" AS agency_type_en, a."level:string" AS agency_level, 'lead' AS role,
       r."basis:string" AS basis, coalesce(r."implicit:boolean", false) AS implicit, r."order:int" AS list_order,
       coalesce(a."collective:boolean", false) AS collective
FROM read_csv('{d}/rels_LEAD_AGENCY_Task_Agency.csv') r
JOIN read_csv('{d}/nodes_Task.csv') t ON t."id:ID(Task)" = r.":START_ID(Task)"
JOIN read_csv('{d}/rels_HAS_TASK_Policy_Task.csv') ht ON ht.":END_ID(Task)" = t."id:ID(Task)"
JOIN read_csv('{d}/nodes_Policy.csv') p ON p."id:ID(Policy)" = ht.":START_ID(Policy)"
LEFT JOIN read_csv('{d}/rels_HAS_JURISDICTION_Policy_Jurisdiction.csv') hj ON hj.":START_ID(Policy)" = p."id:ID(Policy)"
LEFT JOIN read_csv('{d}/nodes_Jurisdiction.csv') j ON j."id:ID(Jurisdiction)" = hj.":END_ID(Jurisdiction)"
JOIN read_csv('{d}/nodes_Agency.csv') a ON a."id:ID(Agency)" = r.":END_ID(Agency)"
LEFT JOIN read_csv('{d}/nodes_AgencyType.csv') ty ON ty."id:ID(AgencyType)" = a."agency_type:string"
ORDER BY jurisdiction NULLS LAST, policy_id,
         coalesce(t."order:int", CAST(substring(t."id:ID(Task)", length(p."id:ID(Policy)") + 3) AS INTEGER)),
         role, list_order, agency
) TO '{out}' (HEADER)"""


def pairs(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["task_id"], r["agency_id"]) for r in csv.DictReader(f)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args()
    import duckdb

    ensure_built(a.n)
    d = data_dir(a.n)
    export = CACHE / f"export-{a.n}"
    if not (export / "nodes_Task.csv").exists():
        subprocess.run([HEALTHGOV, "export", "--format", "csv", "--out", str(export), "--data-dir", str(d)],
                       check=True, capture_output=True)
    times: dict[str, list[float]] = {"healthgov_cli": [], "healthgov_in_process": [], "duckdb": []}
    out = Path(tempfile.mkdtemp())
    with open_store(data_dir=d) as store:
        store.read("RETURN 1 AS one")
        for _ in range(a.rounds):
            started = time.perf_counter()
            with (out / "cli.csv").open("w", encoding="utf-8") as f:
                subprocess.run([HEALTHGOV, "query", "who-leads", "--format", "csv", "--data-dir", str(d)],
                               check=True, stdout=f)
            times["healthgov_cli"].append(time.perf_counter() - started)

            started = time.perf_counter()
            spec, _shown, _total, rows = registry.stream(store, "who-leads", {})
            with (out / "stream.csv").open("wb") as f:
                for piece in iter_csv(list(spec.columns), rows):
                    f.write(piece.encode("utf-8"))
            times["healthgov_in_process"].append(time.perf_counter() - started)

            started = time.perf_counter()
            con = duckdb.connect()
            con.execute(SQL.format(d=export, out=out / "duckdb.csv"))
            con.close()
            times["duckdb"].append(time.perf_counter() - started)
    got = {name: pairs(out / f"{name}.csv") for name in ("cli", "stream", "duckdb")}
    same = got["cli"] == got["stream"] == got["duckdb"]
    best = {k: min(v) for k, v in times.items()}
    data = {"rows": len(got["duckdb"]), "same_rows": same,
            "seconds": {k: [round(x, 2) for x in v] for k, v in times.items()},
            "median_seconds": {k: round(statistics.median(v), 2) for k, v in times.items()},
            "rows_per_s": {k: round(len(got["duckdb"]) / v) for k, v in best.items()},
            "ratio_to_duckdb": {k: round(v / best["duckdb"], 2) for k, v in best.items() if k != "duckdb"}}
    print(data)
    if not same:
        raise SystemExit("the answers differ")
    if not a.no_write:
        write_result("duckdb", a.n, data, f"python benchmarks/bench_duckdb.py --n {a.n} --rounds {a.rounds}")


if __name__ == "__main__":
    main()
