"""Answers the graph keeps: the filter-free questions, answered once per place (or indicator) and read back.

A query whose rows are grouped and sorted first by the jurisdiction of the policies (who-leads,
co-responsibility, lead-matrix, tier-division, agency-profile) declares it in its header:
``// kept: jurisdiction`` (and, for a parameter the answer is kept per value of, ``, agency_type``).
With no filter but places (and that parameter), its answer is the answers of its places one after
the other, in order. A query sorted by another column first and by place second (compare-targets:
indicator, then place) adds ``// kept within: indicator``: each place's rows are kept split by
that column's value, and the answer reads, for each value in order, every place's rows of it.
``refresh`` (``healthgov build``'s last step) computes each place's rows with the query itself
(``$jurisdiction = [a few places]``) or its grouped form (``kept/<file>``: every agency type at
once) and keeps them in ``(:HealthgovKept)`` nodes of at most ``PIECE`` rows:

    {id: "lead-matrix||jurisdiction:杭州市#0", slot: "lead-matrix|", part: "jurisdiction:杭州市", piece: 0,
     count, rows (JSON value lists), stamp, kept_at}   (and ``sub``, the value, with ``kept within``)

and a marker per (query, place), slot ``"lead-matrix|*"``, that says the place was computed and
holds the layout of its pieces (``{slot: [[sub, piece, rows], ...]}``; a place with no rows for a
value has a marker and no piece). A page reads the markers (one small node per place, from the
``slot`` index, however many pieces there are) and the pieces that hold its rows; a whole answer
reads every piece in order. Keeping per place means a changed document costs its own place's answers: an
answer kept per indicator instead would be recomputed whole (every place's targets of it) for one
document's target.

Correctness before speed:

- A write forgets, in its own transaction, the kept answers of every part it may change
  (``healthgov/loaders/statements/kept.cypher``, ``BatchWriter._forget_kept``): the places of the
  documents written and of the versions replaced, the places whose documents name an agency whose
  name, type, class or level the write changed, and a place whose level changed. A place without
  answers is computed from the graph for the request.
- ``stamp`` is a digest of the storage format, the query's text, its grouped form and the
  vocabularies: answers kept by another version of healthgov are not read. ``kept_at`` is the
  graph version a part was computed at: a reader never cuts one version's rows by another's counts.
- Rows of policies without a place are never kept: while such a policy is loaded, the filter-free
  answer of a kept query is the live query's.
- ``refresh`` writes a part's answers only if the graph's version is still the one they were
  computed at (the write transaction checks it): a build running meanwhile makes it skip them.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from healthgov.graph.version import KEPT_LABEL, META_ID, META_LABEL
from healthgov.queries.companions import companion
from healthgov.queries.execute import read, read_query

KEPT_DIR = Path(__file__).parent / "kept"
VOCABULARIES = Path(__file__).resolve().parent.parent / "ontology"
PIECE = 500  # rows per kept node: a first page reads one or two
PIECES_PER_STATEMENT = 32
MARKER = "*"
# How rows are kept: a JSON list of value lists in the query's column order (no repeated keys:
# a third of the bytes). Part of the stamp: answers kept another way are not read.
FORMAT = 3


@dataclass(frozen=True)
class Partition:
    """What a kept query's answers are kept per (the row column, and the parameter that filters it)."""

    name: str  # the parameter and the row column: jurisdiction
    listing: str  # Cypher: every part that can have rows, in row order ($names: only these)
    per_statement: int = 8  # parts computed per statement (their rows in the engine's heap at once)

    def key(self, value: Any) -> str:
        """The ``part`` property of a kept answer of ``value`` (what a write forgets it by)."""
        return f"{self.name}:{'' if value is None else value}"


PARTITIONS = {
    # Every place that has a policy.
    "jurisdiction": Partition("jurisdiction", """MATCH (j:Jurisdiction)
WHERE size($names) = 0 OR j.name IN $names
WITH j
WHERE EXISTS { MATCH (j)<-[:HAS_JURISDICTION]-(:Policy) }
RETURN DISTINCT j.name AS name
ORDER BY name"""),
}
# One loaded policy without a place (its rows are never kept), if any: a scan of every policy.
UNPLACED = """MATCH (p:Policy)
WHERE coalesce(p.loaded, true) AND NOT EXISTS { MATCH (p)-[:HAS_JURISDICTION]->(:Jurisdiction) }
RETURN p.id AS id
LIMIT 1"""
# The scan's answer "none" is kept with the graph version it holds at (``refresh``'s last write):
# a request reads it from two nodes by id, and any later write makes it stale (the scan again).
PLACED_ID = "unplaced|none"
PLACED = f"""MATCH (m:{META_LABEL} {{id: '{META_ID}'}})
OPTIONAL MATCH (k:{KEPT_LABEL} {{id: '{PLACED_ID}'}})
RETURN m.version AS version, k.kept_at AS at"""
KEEP_PLACED = f"""MERGE (k:{KEPT_LABEL} {{id: '{PLACED_ID}'}})
SET k.slot = 'unplaced', k.kept_at = $at"""
FORGET_PLACED = f"MATCH (k:{KEPT_LABEL} {{id: '{PLACED_ID}'}}) DETACH DELETE k"
MARKERS = f"""MATCH (k:{KEPT_LABEL})
WHERE k.slot = $slot
RETURN k.part AS part, k.layout AS layout, k.stamp AS stamp, k.kept_at AS kept_at"""
ROWS = f"""UNWIND $ids AS kid
MATCH (k:{KEPT_LABEL} {{id: kid}})
RETURN k.id AS id, k.rows AS rows, k.stamp AS stamp, k.kept_at AS kept_at"""
VERSION = f"MATCH (m:{META_LABEL} {{id: '{META_ID}'}}) RETURN m.version AS version"
FORGET = f"""UNWIND $parts AS part
MATCH (k:{KEPT_LABEL} {{part: part}})
WHERE k.query = $query
DETACH DELETE k"""
KEEP = f"""UNWIND $rows AS row
CREATE (k:{KEPT_LABEL})
SET k = row"""

Rows = list[dict[str, Any]]
RunRows = Callable[[dict[str, Any]], Rows]  # the query's rows for these parameter values
# A run of rows of the answer: (part, value of the ``kept within`` column or None, piece number).
Unit = tuple[str, Any, int]


class KeptFormMissing(RuntimeError):
    """A query kept per a parameter's values has no grouped form (``kept/<file>``): a packaging error."""


def partition(spec: Any) -> Partition:
    return PARTITIONS[spec.kept[0]]


def grouped(spec: Any) -> str | None:
    """The grouped form of a kept query (``kept/<file name>``), if it has one: its rows for a list of
    places (``$parts``) and every value of the parameters it is kept per, in one statement."""
    found = companion("kept", spec.path)
    return None if found is None else found.statement


@cache
def _vocabularies() -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in VOCABULARIES.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")):
        h.update(path.read_bytes())
    return h.hexdigest()


def stamp(spec: Any) -> str:
    """What kept answers of ``spec`` must carry to be read: the query, its grouped form, the vocabularies."""
    h = hashlib.sha256(f"{FORMAT}\n{spec.cypher}\n{spec.kept_within}".encode())
    h.update((grouped(spec) or "").encode())
    h.update(_vocabularies().encode())
    return h.hexdigest()[:16]


def servable(spec: Any, values: dict[str, Any]) -> bool:
    """True when the answer to ``values`` is the kept answers of its parts, one after the other:
    every parameter at its default but the places (of a query kept per place) and the parameters
    the answer is kept per value of."""
    if not spec.kept:
        return False
    for p in spec.params:
        if p.name == "jurisdiction" == spec.kept[0]:
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


def _parts(store: Any, part: Partition, names: list[str], timeout: float) -> list[str]:
    return [r["name"] for r in read(store, part.listing, {"names": names}, timeout=timeout).dicts()]


def _by_part(rows: Rows, column: str, parts: list[str]) -> dict[str, Rows]:
    out: dict[str, Rows] = {j: [] for j in parts}
    for r in rows:
        value = r[column]
        out.setdefault("" if value is None else value, []).append(r)
    return out


def _by_sub(rows: Rows, within: str | None) -> dict[Any, Rows]:
    """A part's rows by the value of the ``kept within`` column (they come sorted by it), or all under None."""
    if within is None:
        return {None: rows} if rows else {}
    out: dict[Any, Rows] = {}
    for r in rows:
        out.setdefault(r[within], []).append(r)
    return out


def _sub_order(value: Any) -> tuple[bool, Any]:
    """Cypher's ascending order of one column's values: nulls last."""
    return (value is None, "" if value is None else value)


def _compute(store: Any, spec: Any, values: dict[str, Any], parts: list[str], run_rows: RunRows) -> Rows:
    """The rows of ``parts`` as the query gives them."""
    return run_rows({**values, partition(spec).name: parts})


class Plan:
    """The parts of an answer in order, the rows each has, and where they are read from."""

    def __init__(self, store: Any, spec: Any, values: dict[str, Any], run_rows: RunRows, timeout: float) -> None:
        self.store, self.spec, self.values, self.run_rows, self.timeout = store, spec, values, run_rows, timeout
        self.partition = partition(spec)
        self.current = stamp(spec)
        self.slot = _slot(spec, values)
        names = list(values.get("jurisdiction") or [])
        self.parts = _parts(store, self.partition, names, timeout)
        # A part's marker holds the layout of its pieces (their row counts, per slot) and is written
        # with them in one transaction, at one graph version: a piece read later of another version
        # (the part forgotten and kept again meanwhile) makes the read fail, not mix two graphs.
        computed = _markers(store, spec.name, self.current, timeout)
        self.kept_at = {j: at for j, (at, _layout) in computed.items()}
        # Row count of each (part, sub, piece) (a part computed here: one piece per sub, in ``live``).
        counts: dict[str, dict[tuple[Any, int], int]] = {
            j: {(sub, k): n for sub, k, n in computed[j][1].get(self.slot, [])} for j in self.parts if j in computed}
        self.live: dict[tuple[str, Any], Rows] = {}
        missing = [j for j in self.parts if j not in self.kept_at]
        step = self.partition.per_statement
        for i in range(0, len(missing), step):
            some = missing[i:i + step]
            by_part = _by_part(_compute(store, spec, values, some, run_rows), self.partition.name, some)
            for j, rows in by_part.items():
                subs = _by_sub(rows, spec.kept_within)
                self.live.update({(j, sub): got for sub, got in subs.items()})
                counts[j] = {(sub, 0): len(got) for sub, got in subs.items()}
        # The answer's runs of rows in order: by place, or by the ``kept within`` value, then place.
        index = {j: i for i, j in enumerate(self.parts)}
        runs = [((j, sub, k), n) for j, by in counts.items() if j in index for (sub, k), n in by.items() if n]
        if spec.kept_within is None:
            runs.sort(key=lambda r: (index[r[0][0]], r[0][2]))
        else:
            runs.sort(key=lambda r: (_sub_order(r[0][1]), index[r[0][0]], r[0][2]))
        self.units: list[tuple[Unit, int]] = runs

    @property
    def total(self) -> int:
        return sum(n for _u, n in self.units)

    def _id(self, unit: Unit) -> str:
        return piece_id(self.slot, self.partition.key(unit[0]), unit[1], unit[2], self.spec.kept_within is not None)

    def read(self, wanted: list[Unit]) -> Iterator[Rows]:
        """The rows of each unit of ``wanted``, in that order, kept ones a few statements at a time."""
        for i in range(0, len(wanted), PIECES_PER_STATEMENT):
            some = wanted[i:i + PIECES_PER_STATEMENT]
            ids = [self._id(u) for u in some if (u[0], u[1]) not in self.live]
            got = {r["id"]: r for r in read(self.store, ROWS, {"ids": ids}, timeout=self.timeout).dicts()} if ids else {}
            for u in some:
                if (u[0], u[1]) in self.live:
                    yield self.live[(u[0], u[1])]
                    continue
                r = got.get(self._id(u))
                if r is None or r["stamp"] != self.current or r["kept_at"] != self.kept_at[u[0]]:
                    # Forgotten by a write since the counts were read: the answer is not one graph's.
                    raise KeptAnswerChanged(f"the graph changed while {self.spec.name} was read; ask again")
                columns = self.spec.columns
                yield [dict(zip(columns, values, strict=True)) for values in json.loads(r["rows"])]


def piece_id(slot: str, part_key: str, sub: Any, piece: int, within: bool) -> str:
    return f"{slot}|{part_key}|{'' if sub is None else sub}#{piece}" if within else f"{slot}|{part_key}#{piece}"


class KeptAnswerChanged(RuntimeError):
    """A write forgot kept answers while a page or a stream was being read from them."""


Layout = dict[str, list[list[Any]]]  # slot -> [[sub, piece, rows], ...] in order


def _markers(store: Any, query: str, current: str, timeout: float) -> dict[str, tuple[Any, Layout]]:
    """Part -> (the graph version it was kept at, the layout of its pieces) for the parts of
    ``query`` kept at the ``current`` stamp."""
    # A graph built before kept answers existed has no such nodes: no rows (engines answer an
    # unknown label with none), so an unreachable store is reported, not computed around.
    rows = read(store, MARKERS, {"slot": f"{query}|{MARKER}"}, timeout=timeout).dicts()
    return {r["part"].split(":", 1)[1]: (r["kept_at"], json.loads(r["layout"] or "{}")) for r in rows
            if r["stamp"] == current and isinstance(r["part"], str)}


def enabled() -> bool:
    """False when ``HEALTHGOV_KEPT`` is 0/off/false/no: every answer computed by its query (to compare,
    or to read a graph whose kept answers are in doubt)."""
    return os.environ.get("HEALTHGOV_KEPT", "1").strip().lower() not in ("0", "off", "false", "no")


def plan(store: Any, spec: Any, values: dict[str, Any], run_rows: RunRows, timeout: float) -> Plan | None:
    """How to read the answer from kept answers, or None when it cannot be (the caller runs the query)."""
    if not servable(spec, values) or not enabled():
        return None
    if not values.get("jurisdiction") and not every_policy_placed(store, timeout):
        return None  # rows of a policy without a place are never kept
    return Plan(store, spec, values, run_rows, timeout)


def every_policy_placed(store: Any, timeout: float) -> bool:
    """True when every loaded policy has a place: read from the last build's answer when no write
    came since, else by a scan of every policy."""
    known = read(store, PLACED, {}, timeout=timeout).dicts()
    if known and known[0]["at"] is not None and known[0]["at"] == known[0]["version"]:
        return True
    return not read(store, UNPLACED, {}, timeout=timeout).rows


def _keep_placed(store: Any, timeout: float) -> None:
    """Keep the scan's answer at the version this write makes (every write transaction bumps the
    graph's version by one as its last statement, ``healthgov.graph.version``)."""
    known = read(store, PLACED, {}, timeout=timeout).dicts()
    if known and known[0]["at"] is not None and known[0]["at"] == known[0]["version"]:
        return  # still current: writing it again would only make a new version

    def work(tx: Any) -> None:
        now = tx.run(VERSION).data()
        if now and now[0]["version"] is not None and not tx.run(UNPLACED).data():
            tx.run(KEEP_PLACED, {"at": now[0]["version"] + 1}).consume()
        else:
            tx.run(FORGET_PLACED).consume()

    store.execute_write(work)


def window(p: Plan, offset: int, limit: int | None) -> tuple[Rows, int]:
    """(rows ``offset`` .. ``offset + limit`` of the answer, the total): only the pieces that hold them are read."""
    total = p.total
    end = total if limit is None else min(offset + limit, total)
    position, wanted, starts = 0, [], []
    for unit, n in p.units:
        if position + n > offset and position < end:
            wanted.append(unit)
            starts.append(position)
        position += n
    rows: Rows = []
    for at, got in zip(starts, p.read(wanted), strict=True):
        rows.extend(got[max(offset - at, 0):max(end - at, 0)])
    return rows, total


def stream(p: Plan, sub: Any = ...) -> Iterator[dict[str, Any]]:
    """Every row of the answer, piece by piece (with ``sub``: only the rows of that value of the
    ``kept within`` column)."""
    for got in p.read([u for u, _n in p.units if sub is ... or u[1] == sub]):
        yield from got


# --- keeping answers (a build's last step) -----------------------------------------------------


def refresh(store: Any, specs: list[Any], run_rows: Callable[[Any, dict[str, Any]], Rows], timeout: float,
            progress: Callable[[int, int], None] | None = None,
            skip: tuple[type[BaseException], ...] = (), warn: Callable[[str], None] | None = None) -> int:
    """Compute and keep the answers of every part that has none (at the current stamp) for every
    kept query; returns the number of (query, part) answers computed. ``progress(done, total)``.
    Parts whose computation raises one of ``skip`` (the engine refused it for lack of memory)
    stay without kept answers (computed per request) and are told to ``warn``."""
    todo: list[tuple[Any, list[str]]] = []
    listed: dict[str, list[str]] = {}
    for spec in specs:
        part = partition(spec)
        if part.name not in listed:
            listed[part.name] = _parts(store, part, [], timeout)
        have = set(_markers(store, spec.name, stamp(spec), timeout))
        todo.append((spec, [j for j in listed[part.name] if j not in have]))
    total, done = sum(len(t) for _s, t in todo), 0
    for spec, missing in todo:
        step = partition(spec).per_statement
        for i in range(0, len(missing), step):
            some = missing[i:i + step]
            try:
                _keep(store, spec, some, lambda values, spec=spec: run_rows(spec, values), timeout)
            except skip as e:
                if warn is not None:
                    warn(f"{spec.name}: answers of {', '.join(some)} not kept (each request computes them): {e}")
            done += len(some)
            if progress is not None:
                progress(done, total)
    _keep_placed(store, timeout)  # last: any write after it makes it stale
    return done


def _keep(store: Any, spec: Any, parts: list[str], run_rows: RunRows, timeout: float) -> bool:
    version = store.read(VERSION)
    before = version[0]["version"] if version else None
    part = partition(spec)
    values = {p.name: p.default_value() for p in spec.params}
    values.update({f"{p.name}_raw": p.default_value() for p in spec.params if p.type.base == "zh"})
    by_key: dict[tuple[Any, ...], dict[str, Rows]] = {}
    if len(spec.kept) == 1:
        by_key[()] = _by_part(_compute(store, spec, values, parts, run_rows), part.name, parts)
    else:  # kept per value of a parameter: the grouped form gives every value's rows at once
        form = grouped(spec)
        if form is None:
            raise KeptFormMissing(f"{spec.name}: kept per {', '.join(spec.kept[1:])} needs "
                                  f"{KEPT_DIR.name}/{spec.path.name if spec.path else spec.name} in the package")
        for r in read_query(store, spec.name, form, {**values, "parts": parts}, timeout).dicts():
            key = tuple(r.get(k) for k in spec.kept[1:])
            value = r[part.name]
            by_key.setdefault(key, {}).setdefault("" if value is None else value, []).append(r)
    current = stamp(spec)
    within = spec.kept_within is not None
    out: list[dict[str, Any]] = []
    for j in parts:
        n = 0
        layout: Layout = {}
        for key, by_part in by_key.items():
            slot = f"{spec.name}|{'|'.join(str(k) for k in key)}"
            for sub, got in _by_sub(by_part.get(j) or [], spec.kept_within).items():
                for k in range(0, len(got), PIECE):
                    piece = got[k:k + PIECE]
                    layout.setdefault(slot, []).append([sub, k // PIECE, len(piece)])
                    row = {"id": piece_id(slot, part.key(j), sub, k // PIECE, within), "slot": slot,
                           "query": spec.name, "part": part.key(j), "piece": k // PIECE, "count": len(piece),
                           "kept_at": before, "stamp": current,
                           "rows": json.dumps([[r[c] for c in spec.columns] for r in piece], ensure_ascii=False)}
                    if sub is not None:
                        row["sub"] = sub
                    out.append(row)
                n += len(got)
        slot = f"{spec.name}|{MARKER}"
        out.append({"id": f"{slot}|{part.key(j)}", "slot": slot, "query": spec.name, "part": part.key(j), "count": n,
                    "layout": json.dumps(layout, ensure_ascii=False), "stamp": current, "kept_at": before})

    def work(tx: Any) -> bool:
        now = tx.run(VERSION).data()
        if (now[0]["version"] if now else None) != before:
            return False  # written meanwhile: these rows may describe a graph that is gone
        tx.run(FORGET, {"parts": [part.key(j) for j in parts], "query": spec.name}).consume()
        for i in range(0, len(out), 50):
            tx.run(KEEP, {"rows": out[i:i + 50]}).consume()
        return True

    return bool(store.execute_write(work))
