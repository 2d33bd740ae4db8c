"""The graph's version: one utility node whose counter changes with every write transaction.

``Store.execute_write`` and ``Store.write`` run ``BUMP`` as the last statement of every write
transaction, so the counter commits (or rolls back) atomically with the data it describes,
whichever process wrote — a ``serve``, a ``build`` in another terminal, a CLI against a Neo4j
server. Readers (the query cache, ``healthgov.queries.cache``) compare versions to know whether
a result they keep still describes the graph.

The node is ``(:HealthgovMeta {id: "graph", version: <int>, epoch: <uuid>})``. ``epoch`` is
set when the node is created, so a graph that was emptied and rebuilt (the node deleted and
made again, its counter restarting at 1) never repeats an earlier (epoch, version) pair. It is
bookkeeping, not data: exports, the build summary's counts, the views and the named queries
leave it out (``META_LABEL`` is the label to exclude in any ``MATCH (n)``).

Portable Cypher (checked on ArcadeDB 26.10 over Bolt; Neo4j 5 has every construct): ``MERGE``
on a key with a uniqueness constraint is race-free on both engines (16 concurrent first writers
made one node and counted to 16 on ArcadeDB; conflicts there are
``TransientError.Transaction.DeadlockDetected``, retried by managed transactions). The bump is
the *last* statement of a transaction so Neo4j holds the node's write lock only briefly:
concurrent writers serialise on it at commit, which is the price of one global counter.
"""

from __future__ import annotations

from typing import Any

import neo4j

META_LABEL = "HealthgovMeta"
META_ID = "graph"
# Answers the graph keeps for its filter-free questions (``healthgov.queries.kept``): derived,
# rebuilt from the data at any time, so bookkeeping too.
KEPT_LABEL = "HealthgovKept"
BOOKKEEPING = (META_LABEL, KEPT_LABEL)
NOT_BOOKKEEPING = " AND ".join(f"NOT n:{label}" for label in BOOKKEEPING)  # on a node named n

CONSTRAINT = f"CREATE CONSTRAINT healthgov_meta_id IF NOT EXISTS FOR (n:{META_LABEL}) REQUIRE n.id IS UNIQUE"
BUMP = (
    f"MERGE (m:{META_LABEL} {{id: '{META_ID}'}}) ON CREATE SET m.epoch = randomUUID() "
    "SET m.version = coalesce(m.version, 0) + 1"
)
CREATE = f"MERGE (m:{META_LABEL} {{id: '{META_ID}'}}) ON CREATE SET m.epoch = randomUUID(), m.version = 0"
READ = f"MATCH (m:{META_LABEL} {{id: '{META_ID}'}}) RETURN m.version AS version, m.epoch AS epoch"

# What a graph without the node (never written through a Store since this existed) reports.
UNVERSIONED = ("", 0)


def ensure(session: neo4j.Session) -> None:
    """Create the constraint and the node if missing (idempotent; each in its own transaction).

    Called once per Store before its first write, so the node exists before a data transaction
    needs it; ``BUMP`` still MERGEs, for a graph whose node was deleted meanwhile.
    """
    session.run(CONSTRAINT).consume()  # DDL alone in its transaction (Neo4j refuses to mix)
    try:
        session.run(CREATE).consume()
    except neo4j.exceptions.Neo4jError:
        # Another process created it at the same moment (its unique constraint refused ours),
        # or the engine is busy: the MERGE inside the write transaction makes it regardless.
        pass


def bump(tx: Any) -> None:
    """Increment the version inside the caller's write transaction."""
    tx.run(BUMP).consume()


def read_version(session: neo4j.Session) -> tuple[str, int]:
    """(epoch, version) of the graph; ``UNVERSIONED`` when no Store has written to it yet."""
    record = session.run(READ).single()
    if record is None or record["version"] is None:
        return UNVERSIONED
    return str(record["epoch"] or ""), int(record["version"])
