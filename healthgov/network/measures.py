"""Measures of a co-responsibility network: centrality, brokerage, communities.

Choices a reader needs to know to interpret the numbers:

- **Betweenness** counts shortest paths in hops (unweighted), normalised by networkx (share of
  the pairs of other agencies whose shortest paths pass through the agency). Edge weights are
  strengths (shared tasks), not distances; turning them into distances (1/w) is a modelling
  choice that would make the number hard to check by hand.
- **Eigenvector** centrality is computed per connected component, weighted by shared tasks,
  and scaled so the most central agency of each component is 1.0: on a disconnected graph a
  single eigenvector puts all weight on the largest component and says nothing about the others.
  Isolated agencies get 0. networkx's power iteration is used with ``max_iter=1000``; should it
  not converge, the component falls back to weighted degree scaled the same way, and the
  network's ``eigenvector_method`` says so.
- **Brokerage**: articulation points (agencies whose removal disconnects others from their
  component); ``components_created`` is how many more connected components the network has
  without the agency (0 for non-brokers).
- **Communities**: Louvain (networkx ``louvain_communities``, weight = shared tasks, fixed seed
  ``SEED``), numbered 1.. by size, then by the smallest agency id, so the numbering is stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

SEED = 42
EIGEN_MAX_ITER = 1000


@dataclass
class NetworkMeasures:
    network: str
    agencies: list[dict[str, Any]]  # one row per node
    communities: list[list[str]]  # node ids, community 1 first
    modularity: float
    eigenvector_method: str
    summary: dict[str, Any] = field(default_factory=dict)


def eigenvector_by_component(g: nx.Graph) -> tuple[dict[str, float], str]:
    scores: dict[str, float] = {}
    fallback = 0
    for comp in nx.connected_components(g):
        if len(comp) == 1:
            scores.update(dict.fromkeys(comp, 0.0))
            continue
        sub = g.subgraph(comp)
        try:
            raw = nx.eigenvector_centrality(sub, max_iter=EIGEN_MAX_ITER, tol=1e-9, weight="weight")
        except nx.PowerIterationFailedConvergence:
            fallback += 1
            raw = dict(sub.degree(weight="weight"))
        top = max(raw.values()) or 1.0
        scores.update({n: v / top for n, v in raw.items()})
    method = "power iteration per component"
    if fallback:
        method += f"; weighted degree for {fallback} component(s) that did not converge"
    return scores, method


def brokerage(g: nx.Graph) -> dict[str, int]:
    """Articulation point -> how many more components the network has without it."""
    base = nx.number_connected_components(g)
    out = {}
    for node in nx.articulation_points(g):
        h = g.copy()
        h.remove_node(node)
        out[node] = nx.number_connected_components(h) - base
    return out


def communities(g: nx.Graph) -> tuple[list[list[str]], float]:
    if g.number_of_nodes() == 0:
        return [], 0.0
    found = nx.community.louvain_communities(g, weight="weight", seed=SEED)
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    q = nx.community.modularity(g, ordered, weight="weight") if g.number_of_edges() else 0.0
    return ordered, q


def measure(g: nx.Graph) -> NetworkMeasures:
    name = g.graph.get("network", "")
    between = nx.betweenness_centrality(g, normalized=True)
    eigen, method = eigenvector_by_component(g)
    cut = brokerage(g)
    comms, q = communities(g)
    community_of = {n: i for i, c in enumerate(comms, start=1) for n in c}
    component_of: dict[str, tuple[int, int]] = {}
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    for i, comp in enumerate(comps, start=1):
        for n in comp:
            component_of[n] = (i, len(comp))
    rows = []
    for n in sorted(g.nodes):
        a = g.nodes[n]
        rows.append({
            "network": name, "agency": n, "name": a["name"], "agency_type": a["agency_type"], "level": a["level"],
            "jurisdiction": a["jurisdiction"], "tasks_led": a["tasks_led"], "tasks_supported": a["tasks_supported"],
            "degree": g.degree(n), "weighted_degree": g.degree(n, weight="weight"),
            "betweenness": round(between[n], 4), "eigenvector": round(eigen[n], 4),
            "broker": n in cut, "components_created": cut.get(n, 0),
            "community": community_of[n], "component": component_of[n][0], "component_size": component_of[n][1],
        })  # fmt: skip
    rank(rows, "betweenness")
    rank(rows, "weighted_degree")
    rank(rows, "eigenvector")
    rows.sort(key=lambda r: (-r["betweenness"], -r["weighted_degree"], r["agency"]))
    m = NetworkMeasures(name, rows, comms, round(q, 4), method)
    m.summary = _summary(g, m, comps)
    return m


def rank(rows: list[dict[str, Any]], key: str) -> None:
    """``rank_{key}``: 1 = highest; ties share the better rank (competition ranking)."""
    values = sorted((r[key] for r in rows), reverse=True)
    for r in rows:
        r[f"rank_{key}"] = values.index(r[key]) + 1


def _summary(g: nx.Graph, m: NetworkMeasures, comps: list[list[str]]) -> dict[str, Any]:
    by_id = {r["agency"]: r for r in m.agencies}
    largest = comps[0] if comps else []
    # No ties, no centre: a network of isolated agencies has no most central one.
    central = max(largest, key=lambda n: (by_id[n]["eigenvector"], by_id[n]["weighted_degree"], n), default=None) \
        if len(largest) > 1 else None
    broker = max(g.nodes, key=lambda n: (by_id[n]["betweenness"], n), default=None)
    return {
        "network": m.network, "level": g.graph.get("level", ""), "agencies": g.number_of_nodes(),
        "ties": g.number_of_edges(), "tasks": g.graph.get("tasks", 0), "shared_tasks": g.graph.get("shared_tasks", 0),
        "density": round(float(nx.density(g)), 4) if g.number_of_nodes() > 1 else 0.0,
        "components": len(comps), "largest_component": len(largest),
        "communities": len(m.communities), "modularity": m.modularity,
        # Ids, not names: a pooled network holds several "市公安局".
        "most_central": central or "",
        "top_broker": broker if broker and by_id[broker]["betweenness"] > 0 else "",
        "brokers": sorted(n for n, r in by_id.items() if r["broker"]),
        "eigenvector_method": m.eigenvector_method,
    }  # fmt: skip
