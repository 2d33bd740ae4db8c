"""Policy network: the co-responsibility network as ``healthgov network`` measures it.

Drawn from the same networkx graph (``healthgov.network``): agencies coloured by Louvain
community, sized by centrality (eigenvector by default, or betweenness), brokers (articulation
points) drawn as diamonds; edge width = shared tasks. Unlike the ``co-responsibility`` view, which
colours by jurisdiction, this one shows the structure the measures find.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from healthgov.visualize.common import ViewError, agency_tip, max_nodes
from healthgov.visualize.model import Edge, LegendItem, Node, Palette, View, short

MAX_WIDTH = 16
SIZE_BY = ("eigenvector", "betweenness")


@dataclass
class NetData:
    graph: nx.Graph  # healthgov.network.tables.graph_for_export: measures on the nodes
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    selected: dict[str, list[str]] = field(default_factory=dict)  # what the form shows as chosen


def fetch(store: Any, params: Mapping[str, str]) -> NetData:
    from healthgov.network.graphs import Filters
    from healthgov.network.tables import graph_for_export
    from healthgov.queries.params import ParamError
    from healthgov.visualize.data import jurisdiction_choices, topic_choices

    try:
        filters = Filters.parse({"jurisdiction": params.get("jurisdiction") or [], "topic": params.get("topic")})
    except ParamError as e:
        raise ViewError(str(e), e.param) from None
    return NetData(graph_for_export(store, filters),
                   {"jurisdiction": jurisdiction_choices(store), "topic": topic_choices(store)},
                   {"jurisdiction": list(filters.jurisdiction)})  # fmt: skip


def build(data: NetData, params: Mapping[str, str]) -> View:
    g = data.graph
    limit = max_nodes(params)
    size_by = params.get("size_by") or "eigenvector"
    if size_by not in SIZE_BY:
        raise ViewError(f"size_by must be one of {', '.join(SIZE_BY)}, not {size_by!r}", "size_by")
    where = [f"{k} = {params[k].replace(',', '、')}" for k in ("jurisdiction", "topic") if params.get(k)]
    view = View(
        name="policy-network",
        title="政策网络 · policy network" + (f" ({'; '.join(where)})" if where else " (all jurisdictions)"),
        description=f"Co-responsibility network coloured by Louvain community, sized by {size_by}; diamonds are "
        "brokers (agencies whose removal disconnects others); edge width = shared tasks.",
        params=dict(params),
    )
    order = sorted(g.nodes, key=lambda n: (-g.nodes[n].get(size_by, 0), -g.nodes[n].get("weighted_degree", 0), n))
    keep = set(order[:limit])
    if len(order) > limit:
        view.notes.append(f"{len(order)} agencies exceed the limit of {limit} nodes: the {len(order) - limit} least "
                          f"central by {size_by} are left out. Filter by jurisdiction=… or topic=….")  # fmt: skip
    if g.number_of_edges() == 0:
        view.notes.append("No two agencies share a task under these filters.")
    colours = Palette()
    top = max((g.nodes[n].get(size_by, 0) for n in keep), default=0) or 1.0
    for n in sorted(keep, key=lambda n: (g.nodes[n].get("community", 0), n)):
        a = g.nodes[n]
        community = f"社群 community {a.get('community', '?')}"
        tip = agency_tip(a, [
            ("社群 community", str(a.get("community", ""))),
            ("特征向量 eigenvector", str(a.get("eigenvector", ""))),
            ("中介 betweenness", str(a.get("betweenness", ""))),
            ("共同任务 shared tasks (weighted degree)", str(a.get("weighted_degree", ""))),
            ("牵头/配合 led/supported", f"{a.get('tasks_led', 0)} / {a.get('tasks_supported', 0)}"),
        ] + ([("中介者 broker", f"removal leaves {a.get('components_created', 0)} more component(s)")]
             if a.get("broker") else []))  # fmt: skip
        view.nodes.append(Node(id=f"a:{n}", label=short(a.get("name"), 14), tip=tip, kind="agency",
                               color=colours(community), size=int(10 + 30 * a.get(size_by, 0) / top),
                               shape="diamond" if a.get("broker") else "dot", group=community))  # fmt: skip
    for a, b, e in sorted(g.edges(data=True), key=lambda x: tuple(sorted(x[:2]))):
        if a not in keep or b not in keep:
            continue
        a, b = sorted((a, b))
        tip = [("共同负责", f"{g.nodes[a]['name']} — {g.nodes[b]['name']}"),
               ("English", f"co-responsible for {e['weight']} task(s): lead–lead {e['lead_lead']}, "
                           f"lead–support {e['lead_support']}, support–support {e['support_support']}")]  # fmt: skip
        view.edges.append(Edge(f"a:{a}", f"a:{b}", tip, kind="shared", arrows=None, width=min(e["weight"], MAX_WIDTH),
                               color="#8a8a8a"))  # fmt: skip
    view.legend += [LegendItem(c, col) for c, col in colours.items()]
    view.legend.append(LegendItem("中介者 broker (articulation point)", "#8a8a8a", shape="diamond"))
    view.check()
    return view
