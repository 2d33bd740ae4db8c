"""Load throughput into the bundled engine (rows/s) with the loader's UNWIND batch size, and
batched vs one-row-per-transaction loading side by side on a small sample.

``python benchmarks/bench_load.py --n 1000 [--docs 300] [--small 15]``

Records are extracted first (not timed); a fresh engine in ``benchmarks/.cache/load-bench`` is
loaded with ``healthgov.graph.load.Loader``. "Rows" are the parameter rows the loader sends
(nodes and relationships to write, one per row); nodes+relationships created are counted from
the graph too.
"""

from __future__ import annotations

import argparse
import shutil
from dataclasses import fields
from typing import Any

from common import CACHE, Timer, corpus, write_result

from healthgov.graph import engine
from healthgov.graph.load import Loader, graph_counts
from healthgov.graph.rows import DocumentRows, document_rows
from healthgov.graph.schema import create_schema, load_schema
from healthgov.graph.store import open_store
from healthgov.loaders.pipeline import extract_files, iter_files


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


class CountingTx:
    """Counts the statements the loader sends (each one a round trip to the engine)."""

    def __init__(self) -> None:
        self.n = 0
        self.tx: Any = None

    def bind(self, tx: Any) -> CountingTx:
        self.tx = tx
        return self

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> Any:
        self.n += 1
        return self.tx.run(cypher, params)


def total(counts: tuple[dict[str, int], dict[str, int]]) -> int:
    return sum(counts[0].values()) + sum(counts[1].values())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--docs", type=int, default=300, help="documents loaded for the rows/s figure")
    ap.add_argument("--small", type=int, default=15, help="documents per arm of batched vs one-row-per-transaction")
    a = ap.parse_args()
    files = list(iter_files([corpus(a.n)]))[: a.docs + 2 * a.small]
    recs = [r for r in extract_files(files, jobs=2) if not isinstance(r, Exception)]
    d = CACHE / "load-bench"
    engine.stop(d) if d.exists() else None
    shutil.rmtree(d, ignore_errors=True)
    schema = load_schema()
    with open_store(data_dir=d) as store:
        create_schema(store, schema)
        loader = Loader(store, schema)
        loader.load_vocabularies()
        k = min(a.docs, len(recs) - 3 * a.small)  # at small N the side-by-side arms take their share
        main_recs, small_a, small_b = recs[:k], recs[k : k + a.small], recs[k + a.small : k + 2 * a.small]
        small_c = recs[k + 2 * a.small : k + 3 * a.small]
        counter = CountingTx()
        write = loader._write
        loader._write = lambda tx, d: write(counter.bind(tx), d)  # type: ignore[method-assign]
        rows = sum(row_count(document_rows(schema, r)) for r in main_recs)
        before = total(graph_counts(store))
        with Timer() as t:
            for r in main_recs:
                loader.load(r)
        created = total(graph_counts(store)) - before
        loader._write = write  # type: ignore[method-assign]
        # Side by side on the same graph: batched (the loader) vs one row per transaction.
        rows_a = sum(row_count(document_rows(schema, r)) for r in small_a)
        with Timer() as ta:
            for r in small_a:
                loader.load(r)
        # The loader before the new-document shortcut: the existence check always says "exists".
        rows_c = sum(row_count(document_rows(schema, r)) for r in small_c)
        exists = loader.q.exists
        loader.q.exists = "RETURN 1 AS id"
        with Timer() as tc:
            for r in small_c:
                loader.load(r)
        loader.q.exists = exists
        rows_b = sum(row_count(document_rows(schema, r)) for r in small_b)
        with Timer() as tb:
            for r in small_b:
                loader._write(PerRowTx(store), document_rows(schema, r))
    engine.stop(d)
    res = {
        "documents": len(main_recs), "batch_size": 500, "rows": rows, "seconds": round(t.seconds, 2),
        "rows_per_s": round(rows / t.seconds), "graph_elements_created": created,
        "elements_per_s": round(created / t.seconds), "docs_per_s": round(len(main_recs) / t.seconds, 1),
        "statements_per_document": round(counter.n / max(1, len(main_recs)), 1),
        "side_by_side": {
            "documents_each": a.small,
            "batched": {"rows": rows_a, "seconds": round(ta.seconds, 2), "rows_per_s": round(rows_a / ta.seconds)},
            "one_row_per_transaction": {"rows": rows_b, "seconds": round(tb.seconds, 2),
                                        "rows_per_s": round(rows_b / tb.seconds)},
            "ratio": round((rows_a / ta.seconds) / (rows_b / tb.seconds), 1),
            "without_new_document_shortcut": {"rows": rows_c, "seconds": round(tc.seconds, 2),
                                              "rows_per_s": round(rows_c / tc.seconds)},
        },
    }
    print(res)
    write_result("load", a.n, res, f"python benchmarks/bench_load.py --n {a.n} --docs {a.docs} --small {a.small}")


if __name__ == "__main__":
    main()
