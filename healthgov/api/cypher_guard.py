"""Refusing Cypher that writes, administers the database or reads files and URLs.

The endpoint also runs every query in a read transaction, which Neo4j enforces; the bundled
engine (ArcadeDB) does not (checked: CREATE succeeds in a READ session there), so this check is
what keeps the bundled graph read-only. Keywords are looked for outside string literals,
comments and backtick-quoted names, so ``WHERE t.text CONTAINS 'CREATE'`` is fine and
``/* */ CREATE`` is not.
"""

from __future__ import annotations

import re

# Clauses that change data or schema, anywhere in the query.
WRITE_KEYWORDS = ("CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "FOREACH", "LOAD")
# Administration (users, roles, databases, servers), checked anywhere too.
ADMIN_KEYWORDS = ("GRANT", "DENY", "REVOKE", "ALTER", "RENAME", "TERMINATE")
# Commands that only ever start a statement; as plain words they are ordinary variable names.
LEADING_KEYWORDS = ("USE", "SHOW", "START", "STOP", "ENABLE", "DEALLOCATE", "REALLOCATE", "DRYRUN")
# Procedures that only read the schema; every other procedure call is refused (dbms.*, db.create*,
# apoc.*, and whatever an engine adds), since a procedure's effects cannot be told from its name.
READ_PROCEDURES = frozenset(
    {"db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
     "db.schema.nodetypeproperties", "db.schema.reltypeproperties"}
)


class CypherRefused(ValueError):
    """The query is not allowed on the read-only endpoint; the message says why."""


def mask(query: str) -> str:
    """The query with string literals, comments and `quoted names` blanked out (same length)."""
    out: list[str] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch in "'\"`":
            j = i + 1
            while j < n and query[j] != ch:
                j += 2 if query[j] == "\\" and ch != "`" else 1
            j = min(j + 1, n)
            out.append(ch + " " * max(0, j - i - 2) + (ch if j - i >= 2 else ""))
            i = j
        elif query.startswith("//", i):
            j = query.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif query.startswith("/*", i):
            j = query.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(" " * (j - i))
            i = j
        else:
            out.append(ch)
            i += 1
    return "".join(out)


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _keyword_positions(masked: str) -> list[tuple[str, int, int]]:
    """Words that are in clause position: not a property (.x), label/type (:x) or map key (x:)."""
    words = []
    for m in _WORD.finditer(masked):
        before = masked[: m.start()].rstrip()
        after = masked[m.end():].lstrip()
        if before.endswith((".", ":", "$")):
            continue
        if after.startswith(":") and before.endswith(("{", ",")):  # a map key: {set: 1}
            continue
        words.append((m.group().upper(), m.start(), m.end()))
    return words


def check_read_only(query: str) -> None:
    """Raise ``CypherRefused`` unless the query can only read."""
    if not query.strip():
        raise CypherRefused("the query is empty")
    masked = mask(query)
    body = masked.strip()
    if ";" in body.rstrip(";"):
        raise CypherRefused("one statement per request: remove the ';' between statements")
    words = _keyword_positions(masked)
    for word, _start, _end in words:
        if word in WRITE_KEYWORDS:
            what = "LOAD CSV (reading files and URLs)" if word == "LOAD" else word
            raise CypherRefused(f"{what} is not allowed: this endpoint is read-only")
        if word in ADMIN_KEYWORDS:
            raise CypherRefused(f"{word} is not allowed: this endpoint does not administer the database")
    if words and words[0][0] in LEADING_KEYWORDS:
        raise CypherRefused(f"{words[0][0]} commands are not allowed: this endpoint only runs read queries")
    for m in re.finditer(r"\bCALL\b", masked, flags=re.IGNORECASE):
        rest = masked[m.end():].lstrip()
        if rest.startswith(("{", "(")):  # a subquery: its clauses were checked above
            continue
        pm = re.match(r"[A-Za-z_][A-Za-z0-9_.]*", rest)
        name = pm.group().lower() if pm else ""
        if name not in READ_PROCEDURES:
            allowed = ", ".join(sorted(READ_PROCEDURES))
            raise CypherRefused(
                f"procedure call {name or '?'!s} is not allowed: only read-only schema procedures are ({allowed})"
            )
    if re.search(r"\bIN\s+TRANSACTIONS\b", masked, flags=re.IGNORECASE):
        raise CypherRefused("CALL { ... } IN TRANSACTIONS is not allowed: it only serves writes")
