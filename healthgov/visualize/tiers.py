"""Tiers: how one jurisdiction's tasks and the institution types they concern divide by tier.

The tier nodes are pinned in a column, national at the top and village at the bottom; tasks
(AT_TIER) and institution types (SERVES_TIER, and CONCERNS_INSTITUTION from tasks) settle
around the tiers they belong to. Over the node limit, tasks are folded into one count node per
tier (and per institution type for tasks tagged with an institution but no tier).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from healthgov.visualize import labels
from healthgov.visualize.common import concept_tip, filter_topic, max_nodes, task_tip
from healthgov.visualize.model import Edge, LegendItem, Node, View, short

TIER_COLOUR = "#4e79a7"
INSTITUTION_COLOUR = "#f28e2b"
TASK_COLOUR = "#59a14f"
TIER_SPACING = 220


@dataclass
class TiersData:
    jurisdiction: str
    tasks: list[dict[str, Any]]  # task rows as in agency_task, plus tiers and institutions (concept ids)
    tiers: list[dict[str, Any]]  # id, rank (1 village … 6 national)
    institutions: list[dict[str, Any]]  # id, serves_tier (tier id or None)
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # for the page's filter form
    selected: dict[str, list[str]] = field(default_factory=dict)  # what the form shows as chosen


def build(data: TiersData, params: Mapping[str, str]) -> View:
    limit = max_nodes(params)
    view = View(
        name="tiers",
        title=f"{data.jurisdiction} 层级分工 · tasks and institution types by tier",
        description="Tiers in a column (national at the top). Tasks link to the tiers they name (green) and the "
        "institution types they concern; institution types link to the tier they serve (orange).",
        params=dict(params),
    )
    chosen = filter_topic(data.tasks, params, view.notes)
    tasks = [t for t in chosen if t.get("tiers") or t.get("institutions")]
    if untagged := len(chosen) - len(tasks):
        view.notes.append(f"{untagged} task(s) that name no tier and no institution type are not drawn.")
    rank = {t["id"]: t.get("rank") or 0 for t in data.tiers}
    serves = {i["id"]: i.get("serves_tier") for i in data.institutions}
    used_inst = sorted({i for t in tasks for i in t.get("institutions") or []})
    for i in used_inst:
        serves.setdefault(i, None)
    used_tiers = {tr for t in tasks for tr in t.get("tiers") or []} | {serves[i] for i in used_inst if serves[i]}
    for tr in used_tiers:
        rank.setdefault(tr, 0)
    top = max(rank.values(), default=0)

    # Tiers first: they are the frame the rest hangs on.
    for tr in sorted(used_tiers, key=lambda x: -rank[x]):
        n_tasks = sum(1 for t in tasks if tr in (t.get("tiers") or []))
        tip = concept_tip("tier", tr, "层级 tier", [("任务 tasks", str(n_tasks))])
        zh, en = labels.concept("tier", tr)
        node = Node(id=f"tier:{tr}", label=f"{zh}\n{en}", tip=tip, kind="tier", shape="box", color=TIER_COLOUR,
                    group="tier", size=30)  # fmt: skip
        view.nodes.append(node)
    for i in used_inst:
        n_tasks = sum(1 for t in tasks if i in (t.get("institutions") or []))
        extra = [("服务层级 serves tier", " / ".join(labels.concept("tier", serves[i]))), ("任务 tasks", str(n_tasks))]
        zh, _ = labels.concept("institution-type", i)
        view.nodes.append(Node(id=f"inst:{i}", label=short(zh, 12), tip=concept_tip("institution-type", i, "机构类型", extra),
                               kind="institution", shape="diamond", color=INSTITUTION_COLOUR, size=14 + min(n_tasks, 20),
                               group="institution"))  # fmt: skip
        if serves[i]:
            view.edges.append(Edge(f"inst:{i}", f"tier:{serves[i]}", [("关系", "服务层级"), ("English", "serves tier")],
                                   kind="serves", color=INSTITUTION_COLOUR, width=2, arrows="to"))  # fmt: skip

    if len(view.nodes) + len(tasks) <= limit:
        for t in tasks:
            label = short(f"{t.get('number') or ''} {t.get('title') or ''}".strip(), 14)
            view.nodes.append(Node(id=f"t:{t['id']}", label=label, tip=task_tip(t), kind="task", shape="dot",
                                   size=7, color=TASK_COLOUR, group="task"))  # fmt: skip
            for tr in t.get("tiers") or []:
                view.edges.append(Edge(f"t:{t['id']}", f"tier:{tr}", [("关系", "所在层级"), ("English", "at tier"),
                                       ("任务 task", t.get("title") or "")], kind="at_tier", color=TASK_COLOUR, width=1))  # fmt: skip
            for i in t.get("institutions") or []:
                view.edges.append(Edge(f"t:{t['id']}", f"inst:{i}", [("关系", "涉及机构"), ("English", "concerns institution type"),
                                       ("任务 task", t.get("title") or "")], kind="concerns", color="#b9b9b9",
                                       width=1, dashes=True))  # fmt: skip
    else:
        _fold(view, tasks, limit)
    _pin(view, rank, top)
    view.legend += [
        LegendItem("层级 tier", TIER_COLOUR, shape="box"),
        LegendItem("机构类型 institution type", INSTITUTION_COLOUR, shape="diamond"),
        LegendItem("任务 task", TASK_COLOUR),
        LegendItem("所在层级 task at tier", TASK_COLOUR, kind="edge"),
        LegendItem("涉及机构 task concerns institution type", "#b9b9b9", kind="edge", dashed=True),
        LegendItem("服务层级 institution serves tier", INSTITUTION_COLOUR, kind="edge"),
    ]
    view.check()
    return view


def _fold(view: View, tasks: list[dict[str, Any]], limit: int) -> None:
    per_tier: Counter = Counter(tr for t in tasks for tr in t.get("tiers") or [])
    per_inst: Counter = Counter(i for t in tasks if not t.get("tiers") for i in t.get("institutions") or [])
    view.notes.append(
        f"{len(tasks)} tasks exceed the limit of {limit} nodes: they are folded into one count node per tier "
        "(and per institution type for tasks naming no tier). Use max_nodes=… to draw them one by one."
    )
    for tr, n in sorted(per_tier.items()):
        zh, en = labels.concept("tier", tr)
        tip = [("任务", f"{n} 项任务 at {zh}"), ("English", f"{n} tasks at the {en} tier")]
        view.nodes.append(Node(id=f"agg:tier:{tr}", label=f"{n} 项任务", tip=tip, kind="aggregate", color=TASK_COLOUR,
                               size=10 + min(n, 40), dashed_border=True, group="task"))  # fmt: skip
        view.edges.append(Edge(f"agg:tier:{tr}", f"tier:{tr}", tip, kind="at_tier", color=TASK_COLOUR, width=min(1 + n / 4, 12)))
    for i, n in sorted(per_inst.items()):
        zh, en = labels.concept("institution-type", i)
        tip = [("任务", f"{n} 项任务 concerning {zh} (no tier named)"), ("English", f"{n} tasks concerning {en}")]
        view.nodes.append(Node(id=f"agg:inst:{i}", label=f"{n} 项任务", tip=tip, kind="aggregate", color=TASK_COLOUR,
                               size=10 + min(n, 40), dashed_border=True, group="task"))  # fmt: skip
        view.edges.append(Edge(f"agg:inst:{i}", f"inst:{i}", tip, kind="concerns", color="#b9b9b9",
                               width=min(1 + n / 4, 12), dashes=True))  # fmt: skip


def _pin(view: View, rank: dict[str, int], top: int) -> None:
    """Fix the tier column in place: physics then arranges the rest around a stable frame."""
    for n in view.nodes:
        if n.kind == "tier":
            tier_id = n.id.split(":", 1)[1]
            n.pinned = (0.0, float((top - rank.get(tier_id, 0)) * TIER_SPACING))
