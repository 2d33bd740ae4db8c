"""Co-responsibility network: agencies joined when they answer for the same task.

Across all jurisdictions unless filtered (``jurisdiction`` = the place whose policies set the
tasks, ``topic`` = a topic concept id). Edge width is the number of shared tasks. Agencies are
coloured by their jurisdiction, so cross-jurisdiction ties stand out. Over the node limit the
agencies with the smallest weighted degree are left out, and the view says how many.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from healthgov.visualize import labels
from healthgov.visualize.common import agency_tip, max_nodes, positive_int
from healthgov.visualize.model import Edge, LegendItem, Node, Palette, View, clip, short

MAX_WIDTH = 16  # wider edges swallow their nodes; the tooltip gives the exact count


@dataclass
class CoData:
    pairs: list[dict[str, Any]]  # a, b (agency ids, a < b), shared (distinct tasks), tasks (titles)
    agencies: list[dict[str, Any]]  # id, name, agency_type, level, jurisdiction
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # for the page's filter form
    selected: dict[str, list[str]] = field(default_factory=dict)  # what the form shows as chosen


def build(data: CoData, params: Mapping[str, str]) -> View:
    limit = max_nodes(params)
    min_shared = positive_int(params, "min_shared", 1)
    where = [f"jurisdiction = {params['jurisdiction'].replace(',', '、')}"] if params.get("jurisdiction") else []
    if params.get("topic"):
        zh, en = labels.concept("topic", params["topic"])
        where.append(f"topic = {zh} {en}")
    view = View(
        name="co-responsibility",
        title="共同责任网络 · co-responsibility network" + (f" ({'; '.join(where)})" if where else " (all jurisdictions)"),
        description="Two agencies are joined when both are responsible for the same task; edge width = "
        "number of shared tasks. Agencies coloured by jurisdiction.",
        params=dict(params),
    )
    agencies = {a["id"]: a for a in data.agencies}
    pairs = [p for p in data.pairs if p["a"] in agencies and p["b"] in agencies]
    if weak := sum(1 for p in pairs if p["shared"] < min_shared):
        view.notes.append(f"{weak} pair(s) sharing fewer than {min_shared} task(s) are not drawn (min_shared).")
    pairs = [p for p in pairs if p["shared"] >= min_shared]
    degree: Counter = Counter()
    for p in pairs:
        degree[p["a"]] += p["shared"]
        degree[p["b"]] += p["shared"]
    keep = {aid for aid, _ in sorted(degree.items(), key=lambda kv: (-kv[1], agencies[kv[0]]["name"]))[:limit]}
    if len(degree) > limit:
        dropped_pairs = sum(1 for p in pairs if p["a"] not in keep or p["b"] not in keep)
        view.notes.append(
            f"{len(degree)} agencies exceed the limit of {limit} nodes: the {len(degree) - limit} with the fewest "
            f"shared tasks and their {dropped_pairs} link(s) are left out. Filter by jurisdiction=… or topic=…, "
            "or raise min_shared."
        )
    if not pairs:
        view.notes.append("No two agencies share a task under these filters.")

    colours = Palette()
    for aid in sorted(keep, key=lambda i: (agencies[i].get("jurisdiction") or "~", agencies[i]["name"])):
        a = agencies[aid]
        juris = a.get("jurisdiction")
        tip = agency_tip(a, [("共同任务 shared tasks", str(degree[aid]))])
        label = short(a["name"], 14)
        view.nodes.append(Node(id=f"a:{aid}", label=label, tip=tip, kind="agency", color=colours(juris or "未知"),
                               size=10 + min(degree[aid], 40), group=juris))  # fmt: skip
    for p in sorted(pairs, key=lambda p: (p["a"], p["b"])):
        if p["a"] not in keep or p["b"] not in keep:
            continue
        a, b = agencies[p["a"]], agencies[p["b"]]
        titles = p.get("tasks") or []
        tip = [
            ("共同负责", f"{a['name']} — {b['name']}"),
            ("English", f"co-responsible for {p['shared']} task(s)"),
            ("任务 tasks", clip("；".join(t for t in titles[:10] if t), 600) + (" …" if len(titles) > 10 else "")),
        ]
        cross = (a.get("jurisdiction") or "") != (b.get("jurisdiction") or "")
        view.edges.append(Edge(f"a:{p['a']}", f"a:{p['b']}", tip, kind="shared", arrows=None,
                               width=min(p["shared"], MAX_WIDTH), color="#d9822b" if cross else "#8a8a8a"))  # fmt: skip
    view.legend += [LegendItem(f"辖区 {j}", c) for j, c in colours.items()]
    view.legend += [
        LegendItem("同一辖区 same jurisdiction (width = shared tasks)", "#8a8a8a", kind="edge"),
        LegendItem("跨辖区 across jurisdictions", "#d9822b", kind="edge"),
    ]
    view.check()
    return view
