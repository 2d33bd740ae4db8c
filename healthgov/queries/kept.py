"""Answers the graph keeps: the per-place questions, answered once per place and read back.

A query whose rows are grouped by the jurisdiction of the policies (co-responsibility, lead-matrix,
tier-division, agency-profile) declares it in its header (``// kept: jurisdiction`` and, for a
parameter the answer is kept per value of, ``, agency_type``). With no filter but places (and
that parameter), its answer is the answers of its places one after the other, in place order:
``refresh`` (run by every build) computes each place's rows with the query itself
(``$jurisdiction = [place]``, or a grouped form of it, ``kept/*.cypher``, for every value of the
parameter at once) and keeps them in ``(:HealthgovKept)`` nodes, one per (query, value, place):

    {id: "lead-matrix||杭州市", slot: "lead-matrix|", jurisdiction: "杭州市", count, rows (JSON), stamp}

and a marker per (query, place), slot ``"lead-matrix|*"``, that says the place was computed
(a place with no rows for a value has a marker and no node). A page or a whole answer then reads
the counts of every place (a few hundred small nodes from the ``slot`` index) and the rows of the
places it covers: at 10,000 documents the first page of co-responsibility is read, not computed.

Correctness before speed:

- A write forgets, in its own transaction, the kept answers of every place it may change
  (``healthgov/loaders/statements/kept.cypher``): the places of the documents written and of the
  versions replaced, and the places whose documents name an agency whose name, type or class the
  write changed. A place without answers is computed live from the graph, for that request.
- ``stamp`` is a digest of the query's text (and its grouped form) and the vocabularies: answers
  kept by another version of healthgov are not read.
- Rows of policies without a place sort last and are never kept: while such a policy is loaded,
  the filter-free answer is the live query's.
- ``refresh`` writes a place's answers only if the graph's version is still the one they were
  computed at (the write transaction checks it): a build running meanwhile makes it skip them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from healthgov.graph.version import KEPT_LABEL, META_ID, META_LABEL
from healthgov.queries.execute import read

KEPT_DIR = Path(__file__).parent / "kept"
VOCABULARIES = Path(__file__).resolve().parent.parent / "ontology"
PLACES_PER_STATEMENT = 32  # places computed (or read) per statement
MARKER = "*"

# Every place that has a policy, in the order the kept queries sort their rows by.
PLACES = """MATCH (j:Jurisdiction)
WHERE size($names) = 0 OR j.name IN $names
WITH j
WHERE EXISTS { MATCH (j)<-[:HAS_JURISDICTION]-(:Policy) }
RETURN DISTINCT j.name AS name
ORDER BY name"""
# One loaded policy without a place (its rows sort last and are never kept), if any.
UNPLACED = """MATCH (p:Policy)
WHERE coalesce(p.loaded, true) AND NOT EXISTS { MATCH (p)-[:HAS_JURISDICTION]->(:Jurisdiction) }
RETURN p.id AS id
LIMIT 1"""
COUNTS = f"""MATCH (k:{KEPT_LABEL})
WHERE k.slot = $slot
RETURN k.jurisdiction AS name, k.count AS count, k.stamp AS stamp"""
ROWS = f"""UNWIND $ids AS kid
MATCH (k:{KEPT_LABEL} {{id: kid}})
RETURN k.id AS id, k.rows AS rows, k.stamp AS stamp"""
VERSION = f"MATCH (m:{META_LABEL} {{id: '{META_ID}'}}) RETURN m.version AS version"
FORGET = f"""UNWIND $names AS name
MATCH (k:{KEPT_LABEL} {{jurisdiction: name}})
WHERE k.query = $query
DETACH DELETE k"""
KEEP = f"""UNWIND $rows AS row
CREATE (k:{KEPT_LABEL})
SET k = row"""

Rows = list[dict[str, Any]]
RunRows = Callable[[dict[str, Any]], Rows]  # the query's rows for these parameter values


def grouped(spec: Any) -> str | None:
    """The grouped form of a query kept per value of a parameter (``kept/<file name>``)."""
    if len(spec.kept) < 2 or spec.path is None:
        return None
    text = (KEPT_DIR / spec.path.name).read_text(encoding="utf-8")
    return "\n".join(ln for ln in text.splitlines() if not ln.strip().startswith("//")).strip()


@cache
def _vocabularies() -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in VOCABULARIES.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")):
        h.update(path.read_bytes())
    return h.hexdigest()


def stamp(spec: Any) -> str:
    """What kept answers of ``spec`` must carry to be read: the query, its grouped form, the vocabularies."""
    h = hashlib.sha256(spec.cypher.encode())
    h.update((grouped(spec) or "").encode())
    h.update(_vocabularies().encode())
    return h.hexdigest()[:16]


def servable(spec: Any, values: dict[str, Any]) -> bool:
    """True when the answer to ``values`` is the kept answers of its places, one after the other:
    every parameter at its default but the places and the parameter answers are kept per value of."""
    if not spec.kept:
        return False
    for p in spec.params:
        if p.name == "jurisdiction":
            continue
        value = values.get(p.name)
        if p.name in spec.kept[1:]:
            if value is None:
                return False
        elif (value if value != [] else None) != (p.default_value() if p.default_value() != [] else None):
            return False
    return True


def _slot(spec: Any, values: dict[str, Any]) -> str:
    return f"{spec.name}|{'|'.join(str(values.get(k)) for k in spec.kept[1:])}"


def _places(store: Any, names: list[str], timeout: float) -> list[str]:
    return [r["name"] for r in read(store, PLACES, {"names": names}, timeout=timeout).dicts()]


def _counts(store: Any, slot: str, current: str, timeout: float) -> dict[str, int]:
    try:
        rows = read(store, COUNTS, {"slot": slot}, timeout=timeout).dicts()
    except Exception:  # noqa: BLE001 - a graph built before kept answers existed: none kept
        return {}
    return {r["name"]: r["count"] for r in rows if r["stamp"] == current}


class Plan:
    """The places of an answer in order, the rows each has, and where they are read from."""

    def __init__(self, store: Any, spec: Any, values: dict[str, Any], run_rows: RunRows, timeout: float) -> None:
        self.store, self.spec, self.values, self.run_rows, self.timeout = store, spec, values, run_rows, timeout
        self.current = stamp(spec)
        self.slot = _slot(spec, values)
        self.places = _places(store, list(values.get("jurisdiction") or []), timeout)
        computed = _counts(store, f"{spec.name}|{MARKER}", self.current, timeout)
        kept = _counts(store, self.slot, self.current, timeout)
        self.counts: dict[str, int] = {}
        self.live: dict[str, Rows] = {}
        missing = [j for j in self.places if j not in computed]
        for j in self.places:
            if j in computed:
                self.counts[j] = kept.get(j, 0)
        for i in range(0, len(missing), PLACES_PER_STATEMENT):
            part = missing[i:i + PLACES_PER_STATEMENT]
            by_place = _by_place(run_rows({**values, "jurisdiction": part}), part)
            self.live.update(by_place)
            self.counts.update({j: len(r) for j, r in by_place.items()})

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def rows_of(self, places: list[str]) -> Iterator[tuple[str, Rows]]:
        """The rows of each of ``places`` (in that order), kept ones read a statement at a time."""
        for i in range(0, len(places), PLACES_PER_STATEMENT):
            part = places[i:i + PLACES_PER_STATEMENT]
            ids = [f"{self.slot}|{j}" for j in part if j not in self.live and self.counts.get(j)]
            got = {r["id"]: r for r in read(self.store, ROWS, {"ids": ids}, timeout=self.timeout).dicts()} if ids else {}
            for j in part:
                if j in self.live:
                    yield j, self.live[j]
                elif not self.counts.get(j):
                    yield j, []
                else:
                    r = got.get(f"{self.slot}|{j}")
                    if r is None or r["stamp"] != self.current:  # forgotten since the counts were read
                        yield j, _by_place(self.run_rows({**self.values, "jurisdiction": [j]}), [j])[j]
                    else:
                        yield j, json.loads(r["rows"])


def _by_place(rows: Rows, places: list[str]) -> dict[str, Rows]:
    out: dict[str, Rows] = {j: [] for j in places}
    for r in rows:
        out.setdefault(r["jurisdiction"], []).append(r)
    return out


def plan(store: Any, spec: Any, values: dict[str, Any], run_rows: RunRows, timeout: float) -> Plan | None:
    """How to read the answer from kept answers, or None when it cannot be (the caller runs the query)."""
    if not servable(spec, values):
        return None
    if not values.get("jurisdiction") and read(store, UNPLACED, {}, timeout=timeout).rows:
        return None  # rows of a policy without a place are never kept
    return Plan(store, spec, values, run_rows, timeout)


def window(p: Plan, offset: int, limit: int | None) -> tuple[Rows, int]:
    """(rows ``offset`` .. ``offset + limit`` of the answer, the total): only the places that hold them are read."""
    total = p.total
    end = total if limit is None else min(offset + limit, total)
    position, wanted = 0, []
    for j in p.places:
        n = p.counts.get(j, 0)
        if n and position + n > offset and position < end:
            wanted.append((j, position))
        position += n
    rows: Rows = []
    starts = dict(wanted)
    for j, got in p.rows_of([j for j, _ in wanted]):
        at = starts[j]
        rows.extend(got[max(offset - at, 0):max(end - at, 0)])
    return rows, total


def stream(p: Plan) -> Iterator[dict[str, Any]]:
    """Every row of the answer, place by place."""
    for _j, got in p.rows_of(p.places):
        yield from got


# --- keeping answers (a build's last step) -----------------------------------------------------


def refresh(store: Any, specs: list[Any], run_rows: Callable[[Any, dict[str, Any]], Rows], timeout: float,
            progress: Callable[[int, int], None] | None = None) -> int:
    """Compute and keep the answers of every place that has none (at the current stamp) for every
    kept query; returns the number of places computed. ``progress(done, total)`` after each part."""
    todo: list[tuple[Any, list[str]]] = []
    places = _places(store, [], timeout)
    for spec in specs:
        have = _counts(store, f"{spec.name}|{MARKER}", stamp(spec), timeout)
        todo.append((spec, [j for j in places if j not in have]))
    total, done = sum(len(t) for _s, t in todo), 0
    for spec, missing in todo:
        for i in range(0, len(missing), PLACES_PER_STATEMENT):
            part = missing[i:i + PLACES_PER_STATEMENT]
            _keep(store, spec, part, lambda values, spec=spec: run_rows(spec, values), timeout)
            done += len(part)
            if progress is not None:
                progress(done, total)
    return done


def _keep(store: Any, spec: Any, part: list[str], run_rows: RunRows, timeout: float) -> bool:
    version = store.read(VERSION)
    before = version[0]["version"] if version else None
    values = {p.name: p.default_value() for p in spec.params}
    values["jurisdiction"] = part
    form = grouped(spec)
    if form is None:
        rows = run_rows(values)
        keys = [tuple(values.get(k) for k in spec.kept[1:])]
        by_key = {keys[0]: _by_place(rows, part)}
    else:
        by_key = {}
        for r in read(store, form, {**values, "jurisdiction": part}, timeout=timeout).dicts():
            key = tuple(r.get(k) for k in spec.kept[1:])
            by_key.setdefault(key, {j: [] for j in part}).setdefault(r["jurisdiction"], []).append(r)
    current = stamp(spec)
    out: list[dict[str, Any]] = []
    for j in part:
        n = 0
        for key, by_place in by_key.items():
            got = by_place.get(j) or []
            if got:
                slot = f"{spec.name}|{'|'.join(str(k) for k in key)}"
                out.append({"id": f"{slot}|{j}", "slot": slot, "query": spec.name, "jurisdiction": j,
                            "count": len(got), "rows": json.dumps(got, ensure_ascii=False), "stamp": current})
                n += len(got)
        slot = f"{spec.name}|{MARKER}"
        out.append({"id": f"{slot}|{j}", "slot": slot, "query": spec.name, "jurisdiction": j, "count": n,
                    "stamp": current})

    def work(tx: Any) -> bool:
        now = tx.run(VERSION).data()
        if (now[0]["version"] if now else None) != before:
            return False  # written meanwhile: these rows may describe a graph that is gone
        tx.run(FORGET, {"names": part, "query": spec.name}).consume()
        for i in range(0, len(out), 200):
            tx.run(KEEP, {"rows": out[i:i + 200]}).consume()
        return True

    return bool(store.execute_write(work))
