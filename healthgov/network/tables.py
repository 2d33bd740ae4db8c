"""The network answers as tables (shared by ``healthgov network`` and ``/network/...``) and GraphML.

Tables: ``measures`` (one row per agency per network), ``summary`` (one row per network),
``communities``, ``edges`` (weighted ties with the lead/support split) and ``compare`` (agencies of
one type across networks: e.g. the medical security bureau's centrality in each city).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import networkx as nx

from healthgov.network.graphs import Filters, Store, bipartite_graph, fetch, networks
from healthgov.network.measures import measure

TABLES = ("measures", "summary", "communities", "edges", "compare")

COLUMNS: dict[str, list[str]] = {
    "measures": ["network", "agency", "name", "agency_type", "level", "tasks_led", "tasks_supported", "degree",
                 "weighted_degree", "betweenness", "eigenvector", "broker", "components_created", "community",
                 "component", "component_size", "rank_betweenness", "rank_eigenvector"],
    "summary": ["network", "level", "agencies", "ties", "tasks", "shared_tasks", "density", "components",
                "largest_component", "communities", "modularity", "most_central", "top_broker", "brokers",
                "eigenvector_method"],
    "communities": ["network", "community", "size", "agencies", "names", "internal_weight", "modularity"],
    "edges": ["network", "agency_a", "agency_b", "name_a", "name_b", "weight", "lead_lead", "lead_support",
              "support_support", "tasks"],
    "compare": ["agency_type", "network", "level", "agency", "name", "tasks_led", "tasks_supported", "degree",
                "weighted_degree", "betweenness", "eigenvector", "broker", "community", "rank_betweenness",
                "rank_eigenvector", "network_agencies"],
}  # fmt: skip


@dataclass
class Answer:
    columns: list[str]
    rows: list[dict[str, Any]]
    filters: Filters


def table(store: Store, what: str, filters: Filters) -> Answer:
    if what not in TABLES:
        raise ValueError(f"no network table {what!r}; tables: {', '.join(TABLES)}")
    rows = fetch(store, filters)
    # compare is across places by definition: never pooled.
    nets = networks(rows, pooled=filters.pooled and what != "compare")
    out: list[dict[str, Any]] = []
    for name, g in nets.items():
        if what == "edges":
            for a, b, e in g.edges(data=True):
                a, b = sorted((a, b))
                if filters.agency_type and filters.agency_type not in (g.nodes[a]["agency_type"], g.nodes[b]["agency_type"]):
                    continue
                out.append({"network": name, "agency_a": a, "agency_b": b, "name_a": g.nodes[a]["name"],
                            "name_b": g.nodes[b]["name"], **{k: e[k] for k in COLUMNS["edges"][5:]}})  # fmt: skip
            continue
        m = measure(g)
        if what == "summary":
            out.append(m.summary)
        elif what == "communities":
            for i, comm in enumerate(m.communities, start=1):
                out.append({"network": name, "community": i, "size": len(comm), "agencies": comm,
                            "names": [g.nodes[n]["name"] for n in comm],
                            "internal_weight": int(g.subgraph(comm).size(weight="weight")), "modularity": m.modularity})  # fmt: skip
        else:
            for r in m.agencies:
                if filters.agency_type and r["agency_type"] != filters.agency_type:
                    continue
                out.append({**r, "network_agencies": g.number_of_nodes()})
    if what == "edges":
        out.sort(key=lambda r: (r["network"], -r["weight"], r["agency_a"], r["agency_b"]))
    if what == "compare":
        if not filters.agency_type:
            # Only types found in at least two networks can be compared.
            seen: dict[str, set[str]] = {}
            for r in out:
                seen.setdefault(r["agency_type"], set()).add(r["network"])
            out = [r for r in out if r["agency_type"] and len(seen[r["agency_type"]]) > 1]
        out.sort(key=lambda r: (r["agency_type"], -r["eigenvector"], -r["betweenness"], r["network"], r["agency"]))
    return Answer(COLUMNS[what], out, filters)


def graph_for_export(store: Store, filters: Filters, bipartite: bool = False) -> nx.Graph:
    """One graph to write: the network over every filtered task (all places' networks side by side,
    joined where a plan names another place's agency), with its measures as node attributes; or
    the agency–task bipartite graph."""
    rows = fetch(store, filters)
    if bipartite:
        return bipartite_graph(rows, "agency-task")
    nets = networks(rows, pooled=True)
    g = nets.get("*", nx.Graph(network="*"))
    if g.number_of_nodes():
        m = measure(g)
        for r in m.agencies:
            g.nodes[r["agency"]].update({k: r[k] for k in ("degree", "weighted_degree", "betweenness", "eigenvector",
                                                           "broker", "components_created", "community", "component")})  # fmt: skip
    return g


def to_graphml(g: nx.Graph) -> str:
    """GraphML text. Lists (an edge's task ids) become ``;``-joined strings: GraphML has no lists."""
    h = g.copy()
    for _, _, e in h.edges(data=True):
        for k, v in list(e.items()):
            if isinstance(v, list):
                e[k] = ";".join(map(str, v))
    h.graph = {k: v for k, v in h.graph.items() if isinstance(v, str | int | float | bool)}
    buf = io.BytesIO()
    nx.write_graphml(h, buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")

