"""The graph read back out of the store node by node and relationship by relationship: the raw
``dump`` (whole, sorted: the reference) and the paged readers the CSV and GraphML exports stream
from (``iter_nodes``, ``iter_rels``), in bounded memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from operator import itemgetter
from typing import Any

from healthgov.graph.version import BOOKKEEPING, NOT_BOOKKEEPING

# --- a raw dump ----------------------------------------------------------------------------


def dump(store: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every node (key, label, properties) and relationship (start, end, type, properties).

    The graph's version node (``healthgov.graph.version``) is bookkeeping, not data: left out.
    """
    nodes = store.read(f"MATCH (n) WHERE {NOT_BOOKKEEPING} "
                       "RETURN elementId(n) AS eid, labels(n)[0] AS label, properties(n) AS props")
    rels = store.read(
        "MATCH (a)-[r]->(b) RETURN elementId(a) AS s, elementId(b) AS e, type(r) AS type, properties(r) AS props"
    )
    # Stable, engine-independent keys: elementId differs between engines and between builds.
    key = {n["eid"]: f"{n['label']}:{n['props'].get('id', n['eid'])}" for n in nodes}
    out_nodes = sorted(({"key": key[n["eid"]], "label": n["label"], "props": n["props"]} for n in nodes),
                       key=lambda n: n["key"])
    out_rels = sorted(({"start": key[r["s"]], "end": key[r["e"]], "type": r["type"], "props": r["props"]}
                       for r in rels), key=lambda r: (r["start"], r["type"], r["end"], json.dumps(r["props"], sort_keys=True)))
    return out_nodes, out_rels


# --- the same, streamed: label by label, in keyset pages ------------------------------------

# Ids per keyset page (a few MB), nodes per properties statement, start nodes per relationship
# statement: an export holds one page of ids, one batch of nodes and one of relationships.
ID_PAGE = 100_000
NODE_BATCH = 5000
REL_BATCH = 1000


class GraphChanged(RuntimeError):
    """The graph was written while it was being exported: the pages may not fit together."""


def node_labels(store: Any) -> list[str]:
    """The graph's node labels, sorted; the version node's label left out."""
    rows = store.read("CALL db.labels() YIELD label RETURN label")
    return sorted(r["label"] for r in rows if r["label"] not in BOOKKEEPING)


def _ids_statement(label: str, size: int) -> str:
    # Keyset paging on the unique ``id`` (each label's constraint), never ``SKIP`` (which costs
    # the rows it skips, on ArcadeDB). Measured on ArcadeDB 26.10 at 10,000 documents, a page
    # still costs a scan of the ids after it (0.8 s for the first 1,000 of 230,000 tasks,
    # 0.15 s near the end): hence pages of many ids, and the nodes read by id in batches.
    # Collected into one record: over Bolt a record costs more than its values, on the engine
    # and in the driver.
    return f"MATCH (n:{label}) WHERE n.id > $after WITH n.id AS id ORDER BY id LIMIT {size} RETURN collect(id) AS ids"


def id_pages(store: Any, label: str, size: int) -> Iterator[list[Any]]:
    """The ids of one label's nodes in pages of ``size``, in ``id`` order (code points, as ``sorted``).

    Every node of a label healthgov creates has a unique string ``id``; a node without one
    would be skipped by the paging, so the count is checked at the end.
    """
    statement, after, seen = _ids_statement(label, size), "", 0
    while True:
        page = sorted(store.read_rows(statement, {"after": after})[0][0])
        if not page:
            break
        seen += len(page)
        yield page
        if len(page) < size:
            break
        after = page[-1]
    total = store.read_rows(f"MATCH (n:{label}) RETURN count(n) AS c")[0][0]
    if total != seen:
        raise GraphChanged(f"{label}: {seen} nodes read by id, {total} in the graph "
                           "(a node without an id, or the graph changed during the export)")


def nodes_of(store: Any, label: str, ids: list[Any]) -> list[tuple[Any, dict[str, Any]]]:
    """(id, properties) of these nodes, in the order of ``ids``."""
    rows = store.read_rows(f"UNWIND $ids AS x MATCH (n:{label} {{id: x}}) RETURN collect([x, properties(n)]) AS nodes",
                           {"ids": ids})
    props = dict(rows[0][0])
    return [(i, props[i]) for i in ids if i in props]


def _rels_statement(label: str) -> str:
    # A page of ids first, then their outgoing relationships by the same index: ArcadeDB may lose
    # the order of an ORDER BY/LIMIT before a following MATCH, so the order is made here.
    return (f"UNWIND $ids AS x MATCH (a:{label} {{id: x}})-[r]->(b) "
            "RETURN collect([x, type(r), labels(b)[0], b.id, properties(r)]) AS rels")


def rels_of(store: Any, label: str, ids: list[Any], batch: int) -> Iterator[list[Any]]:
    """The outgoing relationships of these nodes (ids in order) as [start id, type, end label,
    end id, properties], in ``dump``'s order (start, type, end key, properties)."""
    statement = _rels_statement(label)
    by_ends = itemgetter(0, 1, 2, 3)
    for i in range(0, len(ids), batch):
        rels = store.read_rows(statement, {"ids": ids[i:i + batch]})[0][0]
        # (end label, end id) sorts as dump's key "Label:id": labels are letters, ":" sorts first.
        rels.sort(key=by_ends)
        # Parallel relationships (same ends and type) in the order of their properties, as
        # ``dump``: serialised only where there is a tie.
        j = 0
        while j < len(rels):
            k = j + 1
            while k < len(rels) and by_ends(rels[k]) == by_ends(rels[j]):
                k += 1
            if k - j > 1:
                rels[j:k] = sorted(rels[j:k], key=lambda r: json.dumps(r[4], sort_keys=True))
            j = k
        yield from rels


def id_batches(store: Any, label: str, page: int, batch: int) -> Iterator[list[Any]]:
    """One label's ids in order, ``batch`` at a time, from keyset pages of ``page``."""
    for ids in id_pages(store, label, page):
        for i in range(0, len(ids), batch):
            yield ids[i:i + batch]


def iter_nodes(store: Any, page: int = ID_PAGE, batch: int = NODE_BATCH) -> Iterator[dict[str, Any]]:
    """``dump``'s nodes, in its order, read a batch at a time."""
    for label in node_labels(store):
        for ids in id_batches(store, label, page, batch):
            for node_id, props in nodes_of(store, label, ids):
                yield {"key": f"{label}:{node_id}", "label": label, "props": props}


def iter_rels(store: Any, page: int = ID_PAGE, batch: int = REL_BATCH) -> Iterator[dict[str, Any]]:
    """``dump``'s relationships, in its order (by start node, type, end node, properties)."""
    for label in node_labels(store):
        for ids in id_pages(store, label, page):
            for start, rtype, end_label, end, props in rels_of(store, label, ids, batch):
                yield {"start": f"{label}:{start}", "end": f"{end_label}:{end}", "type": rtype, "props": props}


def check_unchanged(store: Any, before: tuple[str, int]) -> None:
    if store.graph_version() != before:
        raise GraphChanged("the graph was written during the export (a build?): export again")
