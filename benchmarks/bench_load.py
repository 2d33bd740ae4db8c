"""Load throughput into the bundled engine (rows/s) as ``build`` loads: new documents
``--batch-docs`` per transaction (default 100), UNWIND batches of 500 rows. Side by side on the
same graph, alternating: batched vs one document per transaction, and one row per transaction.

``python benchmarks/bench_load.py --n 1000 [--docs 300] [--batch-docs 100] [--small 60] [--per-row 5]``

Records are extracted first (not timed); a fresh engine in ``benchmarks/.cache/load-bench`` is
loaded with ``healthgov.loaders.load.Loader``. "Rows" are the parameter rows the loader sends
(nodes and relationships to write, one per row); nodes+relationships created are counted from
the graph too.
"""

from __future__ import annotations

import argparse
import shutil
from dataclasses import fields
from typing import Any

from common import CACHE, Timer, corpus, write_result

from healthgov.extract.pipeline import extract_files, iter_files
from healthgov.graph import engine
from healthgov.graph.schema import create_schema, load_schema
from healthgov.graph.store import open_store
from healthgov.loaders.load import Loader
from healthgov.loaders.rows import DocumentRows, document_rows


def row_count(d: DocumentRows) -> int:
    n = 1  # the policy
    for f in fields(d):
        v = getattr(d, f.name)
        if isinstance(v, list):
            n += len(v)
        elif isinstance(v, dict) and f.name in ("responsibilities", "tags"):
            n += sum(len(x) for x in v.values())
    return n


class _Result:
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows

    def data(self) -> list[dict[str, Any]]:
        return self.rows

    def consume(self) -> None:
        return None


class PerRowTx:
    """Stands in for a transaction: every statement, and every row of an UNWIND, commits alone."""

    def __init__(self, store) -> None:
        self.store = store

    def run(self, cypher: str, params: dict[str, Any]) -> _Result:
        rows = params.get("rows")
        if rows is None or not cypher.startswith("UNWIND $rows"):
            return _Result(self.store.execute_write(lambda tx: tx.run(cypher, params).data()))
        out: list[dict[str, Any]] = []
        for r in rows:
            out += self.store.execute_write(lambda tx, r=r: tx.run(cypher, {**params, "rows": [r]}).data())
        return _Result(out)


WARM = 40  # documents loaded before anything is timed


def created(loader: Loader) -> int:
    return loader.written["nodes_created"] + loader.written["relationships_created"]


def load_arm(loader: Loader, recs: list, batch_docs: int) -> float:
    with Timer() as t:
        for _, out in loader.load_batched(((r.source, r) for r in recs), batch_docs=batch_docs):
            if isinstance(out, BaseException):
                raise out
    return t.seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--docs", type=int, default=300, help="documents loaded for the rows/s figure")
    ap.add_argument("--batch-docs", type=int, default=100, help="documents per transaction (build's default)")
    ap.add_argument("--small", type=int, default=60, help="documents per arm of the side-by-side comparison")
    ap.add_argument("--per-row", type=int, default=5, help="documents of the one-row-per-transaction arm")
    a = ap.parse_args()
    need = WARM + a.docs + 4 * a.small + a.per_row
    files = list(iter_files([corpus(a.n)]))[:need]
    recs = [r for r in extract_files(files, jobs=2) if not isinstance(r, Exception)]
    warm, recs = recs[:WARM], recs[WARM:]
    d = CACHE / "load-bench"
    engine.stop(d) if d.exists() else None
    shutil.rmtree(d, ignore_errors=True)
    schema = load_schema()
    # At small N the side-by-side arms take their share first.
    small = min(a.small, max(1, (len(recs) - a.per_row) // 6))
    k = len(recs) - 4 * small - a.per_row
    main_recs = recs[:k]
    arms_recs = [recs[k + i * small : k + (i + 1) * small] for i in range(4)]
    per_row_recs = recs[k + 4 * small :]
    rows_of = {id(r): row_count(document_rows(schema, r)) for r in recs}
    with open_store(data_dir=d) as store:
        create_schema(store, schema)
        loader = Loader(store, schema)
        loader.load_vocabularies()
        load_arm(loader, warm, a.batch_docs)  # the engine's JIT and caches warm, not timed
        rows = sum(rows_of[id(r)] for r in main_recs)
        loader.written.clear()
        sent = loader.statements_sent
        seconds = load_arm(loader, main_recs, a.batch_docs)
        made = created(loader)
        stmts = loader.statements_sent - sent
        # Side by side on the same graph, alternating: batch_docs documents per transaction vs
        # one document per transaction (a batch of one), twice each.
        side: dict[str, dict[str, float]] = {"batched": {"rows": 0, "seconds": 0.0}, "per_document": {"rows": 0, "seconds": 0.0}}
        for i, arm in enumerate(arms_recs):
            name, bd = ("batched", a.batch_docs) if i % 2 == 0 else ("per_document", 1)
            side[name]["seconds"] += load_arm(loader, arm, bd)
            side[name]["rows"] += sum(rows_of[id(r)] for r in arm)
        rows_r = sum(rows_of[id(r)] for r in per_row_recs)
        with Timer() as tr:
            for r in per_row_recs:
                loader.write_in(PerRowTx(store), [document_rows(schema, r)])
    engine.stop(d)
    for v in side.values():
        v["rows_per_s"] = round(v["rows"] / v["seconds"])
        v["seconds"] = round(v["seconds"], 2)
    per_row = {"documents": len(per_row_recs), "rows": rows_r, "seconds": round(tr.seconds, 2),
               "rows_per_s": round(rows_r / tr.seconds)}
    res = {
        "documents": len(main_recs), "batch_docs": a.batch_docs, "batch_size": 500, "rows": rows,
        "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds), "graph_elements_created": made,
        "elements_per_s": round(made / seconds), "docs_per_s": round(len(main_recs) / seconds, 1),
        "statements_per_document": round(stmts / max(1, len(main_recs)), 2),
        "side_by_side": {
            "documents_each": 2 * small,
            "batched": side["batched"], "per_document": side["per_document"], "one_row_per_transaction": per_row,
            "ratio_batched_vs_per_document": round(side["batched"]["rows_per_s"] / side["per_document"]["rows_per_s"], 2),
            "ratio_batched_vs_per_row": round(side["batched"]["rows_per_s"] / per_row["rows_per_s"], 1),
        },
    }
    print(res)
    write_result("load", a.n, res, f"python benchmarks/bench_load.py --n {a.n} --docs {a.docs} --batch-docs {a.batch_docs}")


if __name__ == "__main__":
    main()
