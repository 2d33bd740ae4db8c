"""Reading what the views draw from the graph, in portable Cypher (Neo4j 5 and ArcadeDB).

Portable means: no APOC, no map projections, no list comprehensions or pattern comprehensions,
one relationship type per pattern where the role matters (rather than ``type(r)``), and
nothing but plain values returned. Aggregation beyond ``count``/``collect`` happens in Python.
Filters change the text of a query only by choosing among fixed fragments; values are always
passed as parameters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Protocol

from healthgov.queries.params import JURISDICTION, ParamError, resolve_jurisdiction
from healthgov.visualize import labels
from healthgov.visualize.agency_task import AgencyTaskData
from healthgov.visualize.common import ViewError
from healthgov.visualize.coresponsibility import CoData
from healthgov.visualize.lineage import LineageData
from healthgov.visualize.tiers import TiersData


class Store(Protocol):
    """What the views need of ``healthgov.graph.store.Store``."""

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]: ...

# tasks: all of a jurisdiction's tasks; assigned: those naming at least one responsible unit.
JURISDICTIONS = """
MATCH (p:Policy)-[:HAS_JURISDICTION]->(j:Jurisdiction)
MATCH (p)-[:HAS_TASK]->(t:Task)
OPTIONAL MATCH (t)-[r:LEAD_AGENCY|SUPPORTING_AGENCY]->(:Agency)
WITH j, t, count(r) AS units
RETURN j.name AS name, count(t) AS tasks, sum(CASE WHEN units > 0 THEN 1 ELSE 0 END) AS assigned
ORDER BY tasks DESC, name
"""

TOPICS = """
MATCH (t:Task)-[:HAS_TOPIC]->(c:Topic)
RETURN c.id AS id, count(t) AS tasks
ORDER BY tasks DESC, id
"""

TASKS = """
MATCH (p:Policy)-[:HAS_JURISDICTION]->(j:Jurisdiction)
WHERE j.name IN $jurisdictions
MATCH (p)-[:HAS_TASK]->(t:Task)
RETURN t.id AS id, j.name AS jurisdiction, t.number AS number, t.title AS title, t.text AS text,
       p.title AS policy_title, p.doc_number AS doc_number,
       t.source_path AS source_path, t.span_start AS span_start, t.span_end AS span_end
"""

TASK_TAGS = """
MATCH (p:Policy)-[:HAS_JURISDICTION]->(j:Jurisdiction)
WHERE j.name IN $jurisdictions
MATCH (p)-[:HAS_TASK]->(t:Task)-[:{rel}]->(c)
RETURN t.id AS task, c.id AS concept
"""


# The agency's own properties (graph.rows keeps type, level and jurisdiction on the node too).
AGENCIES = """
MATCH (a:Agency)
WHERE a.id IN $ids
RETURN a.id AS id, a.name AS name, a.agency_type AS agency_type, a.level AS level, a.jurisdiction AS jurisdiction
"""

# Co-responsibility: two agencies answering for one task, whatever their roles. Two patterns
# per pair of roles keeps each to one relationship type.
PAIRS = """
MATCH (p:Policy)-[:HAS_TASK]->(t:Task)
{where}
MATCH (t)-[:{rel_a}]->(a:Agency)
MATCH (t)-[:{rel_b}]->(b:Agency)
WHERE a.id < b.id
RETURN a.id AS a, b.id AS b, t.id AS task, t.title AS title
"""
_WHERE_JURISDICTION = "MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction) WHERE j.name IN $jurisdictions"
_WHERE_TOPIC = "MATCH (t)-[:HAS_TOPIC]->(c:Topic) WHERE c.id = $topic"

POLICIES = """
MATCH (p:Policy)
OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
OPTIONAL MATCH (j)-[:ADMINISTRATIVE_LEVEL]->(lv:AdministrativeLevel)
RETURN p.id AS id, p.title AS title, p.doc_number AS doc_number, p.issued_on AS issued_on,
       p.loaded AS loaded, p.source_path AS source_path, j.name AS jurisdiction, lv.id AS level
"""

POLICY_LINKS = """
MATCH (a:Policy)-[:{rel}]->(b:Policy)
RETURN a.id AS source, b.id AS target
"""

TIERS = """
MATCH (c:Tier)
RETURN c.id AS id, c.tier_rank AS rank
"""

INSTITUTIONS = """
MATCH (i:InstitutionType)
OPTIONAL MATCH (i)-[:SERVES_TIER]->(t:Tier)
RETURN i.id AS id, t.id AS serves_tier
"""

class PlaceError(ParamError, ViewError):
    """A jurisdiction that is no place: a ``ViewError`` to ``healthgov view`` (exit 2), and to
    the served views the same 422 as the query endpoints give."""


def wanted_jurisdictions(params: Mapping[str, str]) -> list[str]:
    """The jurisdictions asked for, each resolved as the query endpoints resolve names: a list
    as ``list[zh]`` parameters take it (repeated, or separated by , ，or 、), duplicates dropped."""
    wanted = params.get(JURISDICTION)
    if not wanted:
        return []
    out: list[str] = []
    for part in re.split(r"[,，、]", wanted):
        if not part.strip():
            continue
        try:
            name = resolve_jurisdiction(JURISDICTION, part)
        except ParamError as e:
            raise PlaceError(e.param, e.message) from None
        if name not in out:
            out.append(name)
    return out


def joined(names: list[str]) -> str:
    """Several places as one title: 重庆市、杭州市."""
    return "、".join(names)


RELATION_CHOICES = (("implements", "implements only"), ("all", "implements and cites"))
ROLES = {"lead": "LEAD_AGENCY", "support": "SUPPORTING_AGENCY"}
_SCHEME = {"HAS_TOPIC": "topic", "AT_TIER": "tier", "CONCERNS_INSTITUTION": "institution-type"}


def jurisdiction_choices(store: Store) -> list[tuple[str, str]]:
    return [(r["name"], f"{r['name']} ({r['tasks']} tasks)") for r in store.read(JURISDICTIONS, {})]


def topic_choices(store: Store) -> list[tuple[str, str]]:
    return [(r["id"], " ".join(labels.concept("topic", r["id"])) + f" ({r['tasks']})") for r in store.read(TOPICS, {})]


def _pick_jurisdictions(
    store: Store, params: Mapping[str, str], busiest_by: str = "tasks"
) -> tuple[list[str], list[tuple[str, str]]]:
    """The jurisdictions asked for, or the busiest one when none is; and the form's choices."""
    rows = store.read(JURISDICTIONS, {})
    choices = [(r["name"], f"{r['name']} ({r['tasks']} tasks)") for r in rows]
    wanted = wanted_jurisdictions(params)
    if wanted:
        known = {c for c, _ in choices}
        if missing := [w for w in wanted if w not in known]:
            listed = ", ".join(c for c, _ in choices) or "none: the graph has no tasks"
            raise ViewError(f"no tasks for jurisdiction {joined(missing)!r}; jurisdictions: {listed}", JURISDICTION)
        return wanted, choices
    if not choices:
        raise ViewError("the graph has no tasks yet: run `healthgov build` first")
    # The busiest jurisdiction: the most to look at (for agency-task, the most tasks with units).
    return [max(rows, key=lambda r: (r[busiest_by] or 0, -rows.index(r)))["name"]], choices


def _tasks(store: Store, jurisdictions: list[str], tags: Mapping[str, str]) -> list[dict[str, Any]]:
    args = {"jurisdictions": jurisdictions}
    rows = {r["id"]: {**r} for r in store.read(TASKS, args)}
    for key, rel in tags.items():
        order = {cid: i for i, cid in enumerate(labels.concept_order(_SCHEME[rel]))}
        found: dict[str, set[str]] = {}
        for r in store.read(TASK_TAGS.replace("{rel}", rel), args):
            found.setdefault(r["task"], set()).add(r["concept"])
        for tid, row in rows.items():
            # Vocabulary order, so a task's "first" topic (its colour) does not depend on the engine.
            row[key] = sorted(found.get(tid, ()), key=lambda c: (order.get(c, len(order)), c))
    return list(rows.values())


def _agencies(store: Store, ids: set[str]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in store.read(AGENCIES, {"ids": sorted(ids)}):
        out.setdefault(r["id"], r)
    return list(out.values())


def agency_task(store: Store, params: Mapping[str, str]) -> AgencyTaskData:
    from healthgov.queries import registry as named

    places, choices = _pick_jurisdictions(store, params, busiest_by="assigned")
    tasks = _tasks(store, places, {"topics": "HAS_TOPIC"})
    # The named query who-leads answers exactly "who leads or supports which task here".
    # It names agencies as written, so within one jurisdiction the name is the agency; across
    # several, the same name (市卫生健康委) is a different body in each.
    rows = named.run(store, "who-leads", {"jurisdiction": places, "role": "any"}).rows
    key = (lambda r: r["agency"]) if len(places) == 1 else (lambda r: f"{r['jurisdiction']}/{r['agency']}")
    links = [{"task": r["task_id"], "agency": key(r), "role": r["role"], "basis": r["basis"],
              "implicit": bool(r["implicit"])} for r in rows]  # fmt: skip
    agencies: dict[str, dict[str, Any]] = {}
    for r in rows:
        agencies.setdefault(key(r), {"id": key(r), "name": r["agency"], "agency_type": r["agency_type"],
                                     "level": r["agency_level"], "jurisdiction": r["jurisdiction"]})  # fmt: skip
    return AgencyTaskData(joined(places), tasks, links, list(agencies.values()),
                          choices={"jurisdiction": choices, "topic": topic_choices(store)},
                          selected={"jurisdiction": places})  # fmt: skip


def coresponsibility(store: Store, params: Mapping[str, str]) -> CoData:
    # Not the named query co-responsibility: that one pools agencies by name within the policy's
    # jurisdiction, and this view joins agency nodes (each with its own jurisdiction) across places.
    where, args = [], {}
    if wanted := wanted_jurisdictions(params):
        where.append(_WHERE_JURISDICTION)
        args["jurisdictions"] = wanted
    if params.get("topic"):
        where.append(_WHERE_TOPIC)
        args["topic"] = params["topic"]
    tasks_of: dict[tuple[str, str], dict[str, str]] = {}
    for rel_a in ROLES.values():
        for rel_b in ROLES.values():
            query = PAIRS.replace("{where}", "\n".join(where)).replace("{rel_a}", rel_a).replace("{rel_b}", rel_b)
            for r in store.read(query, args):
                tasks_of.setdefault((r["a"], r["b"]), {})[r["task"]] = r["title"] or ""
    pairs = [{"a": a, "b": b, "shared": len(ts), "tasks": [ts[k] for k in sorted(ts)]} for (a, b), ts in tasks_of.items()]
    agencies = _agencies(store, {p["a"] for p in pairs} | {p["b"] for p in pairs})
    return CoData(pairs, agencies, choices={"jurisdiction": jurisdiction_choices(store), "topic": topic_choices(store)},
                  selected={"jurisdiction": wanted})


def lineage(store: Store, params: Mapping[str, str]) -> LineageData:
    policies: dict[str, dict[str, Any]] = {}
    for r in store.read(POLICIES, {}):
        policies.setdefault(r["id"], {**r, "loaded": r.get("loaded") is not False})
    links = [{**r, "rel": rel} for rel in ("IMPLEMENTS", "CITES") for r in store.read(POLICY_LINKS.replace("{rel}", rel), {})]
    juris = sorted({p["jurisdiction"] for p in policies.values() if p.get("jurisdiction")})
    choices = {"jurisdiction": [(j, j) for j in juris], "relation": list(RELATION_CHOICES)}
    return LineageData(list(policies.values()), links, choices=choices,
                       selected={"jurisdiction": wanted_jurisdictions(params)})


def tiers(store: Store, params: Mapping[str, str]) -> TiersData:
    places, choices = _pick_jurisdictions(store, params)
    tasks = _tasks(store, places, {"topics": "HAS_TOPIC", "tiers": "AT_TIER", "institutions": "CONCERNS_INSTITUTION"})
    return TiersData(joined(places), tasks, store.read(TIERS, {}), store.read(INSTITUTIONS, {}),
                     choices={"jurisdiction": choices, "topic": topic_choices(store)},
                     selected={"jurisdiction": places})  # fmt: skip
