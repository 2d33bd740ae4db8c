"""networkx graphs read from the store: the agency co-responsibility network and the agency–task
bipartite network.

One Cypher query reads every responsibility (task, agency, role) under the filters; both graphs
are made from those rows in Python, so they always describe the same tasks. Nodes and edges are
added in sorted order: community detection with a fixed seed then gives the same answer on every
run and on both engines (which return rows in different orders).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import networkx as nx

from healthgov.queries.params import ParamSpec, bind, parse_param_line

POOLED = "*"  # the network name when all places are pooled (as in the named query co-responsibility)

# The filters, typed like the named queries' parameters so the CLI and the API check them alike
# (labels in either script or English resolve to concept ids; a bad value is a ParamError).
PARAMS: list[ParamSpec] = [
    parse_param_line(line)
    for line in (
        "jurisdiction: list[zh] = [] | Jurisdictions whose policies set the tasks (empty: all)",
        "level: concept(admin-level) = null | Only policies of jurisdictions at this administrative level",
        "topic: concept(topic) = null | Only tasks tagged with this topic",
        "policy: str = null | Only the tasks of this policy (policy id)",
        "agency_type: concept(agency-type) = null | Rows for agencies of this type only (the network is not cut)",
        "pooled: bool = false | One network over all places instead of one per jurisdiction",
        "implicit: bool = true | Count units added by scoped rules (以下责任单位均包括…); false: only units written at the task",
        "collective: bool = false | Include classes of bodies (各地, 各区县政府, 相关部门) as nodes; false: named bodies only",
    )
]

RESPONSIBILITIES = """
MATCH (p:Policy)-[:HAS_TASK]->(t:Task)-[r:LEAD_AGENCY|SUPPORTING_AGENCY]->(a:Agency)
OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
OPTIONAL MATCH (j)-[:ADMINISTRATIVE_LEVEL]->(lv:AdministrativeLevel)
WITH p, t, r, a, j, lv
WHERE (size($jurisdiction) = 0 OR j.name IN $jurisdiction)
  AND ($level IS NULL OR lv.id = $level)
  AND ($policy IS NULL OR p.id = $policy)
  AND ($topic IS NULL OR EXISTS { MATCH (t)-[:HAS_TOPIC]->(c:Topic) WHERE c.id = $topic })
RETURN j.name AS network, lv.id AS network_level, p.id AS policy, t.id AS task, t.order AS task_order,
       t.title AS task_title,
       type(r) AS rel, r.basis AS basis, r.implicit AS implicit,
       a.id AS agency, a.name AS name, a.agency_type AS agency_type, a.level AS level,
       a.jurisdiction AS jurisdiction, coalesce(a.collective, false) AS collective
"""


class Store(Protocol):
    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class Filters:
    jurisdiction: tuple[str, ...] = ()
    level: str | None = None
    topic: str | None = None
    policy: str | None = None
    agency_type: str | None = None
    pooled: bool = False
    implicit: bool = True
    # A class of bodies (各区县政府, 相关部门) is not one actor: the network is of named bodies unless asked.
    collective: bool = False

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> Filters:
        """Checked filters from raw strings (CLI or URL). Raises ParamError."""
        v = bind(PARAMS, {k: val for k, val in raw.items() if val is not None})
        return cls(tuple(v["jurisdiction"]), v["level"], v["topic"], v["policy"], v["agency_type"], bool(v["pooled"]),
                   bool(v["implicit"]), bool(v["collective"]))

    def cypher(self) -> dict[str, Any]:
        return {"jurisdiction": list(self.jurisdiction), "level": self.level, "topic": self.topic, "policy": self.policy}


def fetch(store: Store, filters: Filters) -> list[dict[str, Any]]:
    """One row per responsibility (a task naming an agency as lead or support)."""
    rows = store.read(RESPONSIBILITIES, filters.cypher())
    if not filters.implicit:
        rows = [r for r in rows if not r.get("implicit")]
    if not filters.collective:
        rows = [r for r in rows if not r.get("collective")]
    for r in rows:
        r["role"] = "lead" if r["rel"] == "LEAD_AGENCY" else "support"
        r["network"] = r.get("network") or "(no jurisdiction)"
    # Document order ("t2" before "t10"), so an edge's task list reads like the plan.
    return sorted(rows, key=lambda r: (r["network"], r["policy"], r.get("task_order") or 0, r["task"], r["agency"],
                                       r["role"]))  # fmt: skip


def _agency_attrs(r: Mapping[str, Any]) -> dict[str, Any]:
    # GraphML has no null: an unknown value is an empty string. Generic units ("相关部门") have no
    # jurisdiction of their own; their id is scoped by the document's place ("杭州市/相关部门").
    return {"kind": "agency", "name": r["name"] or "", "agency_type": r.get("agency_type") or "",
            "level": r.get("level") or "", "jurisdiction": r.get("jurisdiction") or "",
            "scope": str(r["agency"]).split("/", 1)[0]}  # fmt: skip


def _roles_by_task(rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    """task -> agency -> role; an agency written as both lead and support of one task counts as lead."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for r in rows:
        roles = out[r["task"]]
        roles[r["agency"]] = "lead" if r["role"] == "lead" or roles.get(r["agency"]) == "lead" else "support"
    return out


def co_graph(rows: list[dict[str, Any]], name: str) -> nx.Graph:
    """Agencies as nodes; an edge per pair sharing at least one task.

    Edge attributes: ``weight`` = distinct shared tasks; ``lead_lead`` / ``lead_support`` /
    ``support_support`` = how many of those tasks the two hold in those roles; ``tasks`` = the
    task ids (sorted). Node attributes: name, agency_type, level, jurisdiction, scope,
    ``tasks_led`` and ``tasks_supported`` (in this network). Agencies sharing no task are kept
    as isolated nodes: they still lead or support tasks.
    """
    g = nx.Graph(network=name)
    attrs = {r["agency"]: _agency_attrs(r) for r in rows}
    roles = _roles_by_task(rows)
    led: dict[str, int] = defaultdict(int)
    supported: dict[str, int] = defaultdict(int)
    for task_roles in roles.values():
        for agency, role in task_roles.items():
            (led if role == "lead" else supported)[agency] += 1
    for aid in sorted(attrs):
        g.add_node(aid, **attrs[aid], tasks_led=led[aid], tasks_supported=supported[aid])
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for task in roles:  # rows come in document order (fetch)
        members = sorted(roles[task])
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                e = pairs.setdefault((a, b), {"weight": 0, "lead_lead": 0, "lead_support": 0, "support_support": 0,
                                              "tasks": []})  # fmt: skip
                kinds = sorted((roles[task][a], roles[task][b]))
                e["weight"] += 1
                e["_".join(kinds)] += 1
                e["tasks"].append(task)
    for (a, b), e in sorted(pairs.items()):
        g.add_edge(a, b, **e)
    g.graph["tasks"] = len(roles)
    g.graph["shared_tasks"] = sum(1 for t in roles.values() if len(t) > 1)
    levels = {r.get("network_level") for r in rows} - {None}
    g.graph["level"] = levels.pop() if len(levels) == 1 else ""
    return g


def bipartite_graph(rows: list[dict[str, Any]], name: str) -> nx.Graph:
    """Agencies (``bipartite=0``) and tasks (``bipartite=1``); an edge per responsibility with its
    ``role``, ``basis`` and ``implicit``. The co-responsibility network is its weighted projection
    onto the agencies."""
    g = nx.Graph(network=name)
    for r in rows:
        g.add_node(r["agency"], bipartite=0, **_agency_attrs(r))
    for r in rows:
        g.add_node(r["task"], bipartite=1, kind="task", name=r.get("task_title") or "", policy=r["policy"],
                   network=r["network"])  # fmt: skip
    for task, task_roles in _roles_by_task(rows).items():
        for agency, role in sorted(task_roles.items()):
            found = next(x for x in rows if x["task"] == task and x["agency"] == agency and x["role"] == role)
            g.add_edge(agency, task, role=role, basis=found.get("basis") or "", implicit=bool(found.get("implicit")))
    return g


def networks(rows: list[dict[str, Any]], pooled: bool) -> dict[str, nx.Graph]:
    """The co-responsibility network of each jurisdiction (the place whose policies set the tasks),
    or one pooled network named ``*``."""
    if pooled:
        return {POOLED: co_graph(rows, POOLED)} if rows else {}
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by[r["network"]].append(r)
    return {name: co_graph(by[name], name) for name in sorted(by)}
