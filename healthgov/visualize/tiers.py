"""Tiers: how one jurisdiction's tasks and the institution types they concern divide by tier.

A layered drawing (vis-network's hierarchical layout with fixed levels): each tier is a row,
national at the top and village at the bottom, its box first and, on the row under it, the tasks
(AT_TIER) and institution types (SERVES_TIER, CONCERNS_INSTITUTION) that belong to it, a task
under the highest tier it names. Rows of a hundred dots are unreadable, so the tiers view has
its own, lower node limit: over it, tasks are folded into one count node per tier (per place
when several are shown; per institution type for tasks naming no tier), and the page says so.
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
TIERS_MAX_NODES = 80  # beyond this, a layered drawing of single tasks stops being legible
ROW_MAX = 9  # nodes per row: a tier with more members wraps them onto further rows under it


@dataclass
class TiersData:
    jurisdiction: str
    tasks: list[dict[str, Any]]  # task rows as in agency_task, plus tiers and institutions (concept ids)
    tiers: list[dict[str, Any]]  # id, rank (1 village … 6 national)
    institutions: list[dict[str, Any]]  # id, serves_tier (tier id or None)
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # for the page's filter form
    selected: dict[str, list[str]] = field(default_factory=dict)  # what the form shows as chosen


def build(data: TiersData, params: Mapping[str, str]) -> View:
    limit = max_nodes(params, TIERS_MAX_NODES)
    view = View(
        name="tiers",
        title=f"{data.jurisdiction} 层级分工 · tasks and institution types by tier",
        description="One row per tier (national at the top); under each tier box, the tasks that name it (green) "
        "and the institution types that serve it (orange).",
        params=dict(params),
        hierarchical=True,
        default_max_nodes=TIERS_MAX_NODES,
        # No physics: the layout's spacing is kept exactly, wider than the widest label (10 characters).
        layout={"levelSeparation": 85, "nodeSpacing": 160, "treeSpacing": 160}, still=True,
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
    level = _levels(used_tiers, rank)
    places = sorted({t.get("jurisdiction") for t in tasks if t.get("jurisdiction")})

    # Tiers first: they are the frame the rest hangs on.
    for tr in sorted(used_tiers, key=lambda x: -rank[x]):
        n_tasks = sum(1 for t in tasks if tr in (t.get("tiers") or []))
        tip = concept_tip("tier", tr, "层级 tier", [("任务 tasks", str(n_tasks))])
        zh, en = labels.concept("tier", tr)
        node = Node(id=f"tier:{tr}", label=f"{zh}\n{en}", tip=tip, kind="tier", shape="box", color=TIER_COLOUR,
                    group="tier", size=30, level=level[tr])  # fmt: skip
        view.nodes.append(node)
    for i in used_inst:
        n_tasks = sum(1 for t in tasks if i in (t.get("institutions") or []))
        extra = [("服务层级 serves tier", " / ".join(labels.concept("tier", serves[i]))), ("任务 tasks", str(n_tasks))]
        zh, en = labels.concept("institution-type", i)
        view.nodes.append(Node(id=f"inst:{i}", label=f"{short(zh, 10)}\n{short(en, 16)}",
                               tip=concept_tip("institution-type", i, "机构类型", extra), kind="institution",
                               shape="diamond", color=INSTITUTION_COLOUR, size=10 + min(n_tasks, 12),
                               group="institution", level=_under(level, [serves[i]] if serves[i] else [])))  # fmt: skip
        if serves[i]:
            view.edges.append(Edge(f"inst:{i}", f"tier:{serves[i]}", [("关系", "服务层级"), ("English", "serves tier")],
                                   kind="serves", color=INSTITUTION_COLOUR, width=2, arrows="to"))  # fmt: skip

    if len(view.nodes) + len(tasks) <= limit:
        for t in tasks:
            label = short(f"{t.get('number') or ''} {t.get('title') or ''}".strip(), 10)
            view.nodes.append(Node(id=f"t:{t['id']}", label=label, tip=task_tip(t), kind="task", shape="dot",
                                   size=7, color=TASK_COLOUR, group="task", level=_task_level(t, level, serves)))  # fmt: skip
            for tr in t.get("tiers") or []:
                view.edges.append(Edge(f"t:{t['id']}", f"tier:{tr}", [("关系", "所在层级"), ("English", "at tier"),
                                       ("任务 task", t.get("title") or "")], kind="at_tier", color=TASK_COLOUR, width=1))  # fmt: skip
            for i in t.get("institutions") or []:
                view.edges.append(Edge(f"t:{t['id']}", f"inst:{i}", [("关系", "涉及机构"), ("English", "concerns institution type"),
                                       ("任务 task", t.get("title") or "")], kind="concerns", color="#b9b9b9",
                                       width=1, dashes=True))  # fmt: skip
    else:
        _fold(view, tasks, limit, places, level)
    _wrap_rows(view)
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


def _wrap_rows(view: View) -> None:
    """Renumber the levels so that no row holds more than ROW_MAX nodes: a long row of members
    becomes several rows, still under its tier's box and above the next tier's."""
    by_level: dict[int, list[Node]] = {}
    for n in view.nodes:
        by_level.setdefault(n.level or 0, []).append(n)
    row = 0
    for lvl in sorted(by_level):
        members = by_level[lvl]
        for start in range(0, len(members), ROW_MAX):
            for n in members[start : start + ROW_MAX]:
                n.level = row
            row += 1


def _levels(tiers: set[str], rank: dict[str, int]) -> dict[str, int]:
    """Row of each tier box: national (highest rank) first; the row under each is its members'."""
    return {tr: 2 * i for i, tr in enumerate(sorted(tiers, key=lambda x: (-rank[x], x)))}


def _under(level: dict[str, int], tiers: list[str]) -> int:
    """The row under the highest of ``tiers``; the bottom row when none is known."""
    rows = [level[t] for t in tiers if t in level]
    return (min(rows) if rows else max(level.values(), default=0) + 2) + 1


def _task_level(task: Mapping[str, Any], level: dict[str, int], serves: dict[str, str | None]) -> int:
    named = list(task.get("tiers") or []) or [serves[i] for i in task.get("institutions") or [] if serves.get(i)]
    return _under(level, named)


def _fold(view: View, tasks: list[dict[str, Any]], limit: int, places: list[str], level: dict[str, int]) -> None:
    """One count node per tier (per tier and place when several places are shown), and per
    institution type for the tasks that name no tier."""
    several = len(places) > 1
    per_tier: Counter = Counter((tr, t.get("jurisdiction") if several else None) for t in tasks for tr in t.get("tiers") or [])
    per_inst: Counter = Counter(i for t in tasks if not t.get("tiers") for i in t.get("institutions") or [])
    view.notes.append(
        f"{len(tasks)} tasks exceed the limit of {limit} nodes for a legible layered drawing: they are folded into "
        f"one count node per tier{' and place' if several else ''} (and per institution type for tasks naming no "
        "tier). Use topic=… to narrow, or max_nodes=… to draw them one by one."
    )
    for (tr, place), n in sorted(per_tier.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        zh, en = labels.concept("tier", tr)
        where = f"{place} " if place else ""
        tip = [("任务", f"{where}{n} 项任务 at {zh}"), ("English", f"{n} tasks at the {en} tier")]
        if place:
            tip.append(("辖区 jurisdiction", place))
        node_id = f"agg:tier:{tr}" + (f":{place}" if place else "")
        view.nodes.append(Node(id=node_id, label=f"{where}{n} 项任务\n{n} tasks", tip=tip, kind="aggregate",
                               color=TASK_COLOUR, size=10 + min(n, 30), dashed_border=True, group="task",
                               level=_under(level, [tr])))  # fmt: skip
        view.edges.append(Edge(node_id, f"tier:{tr}", tip, kind="at_tier", color=TASK_COLOUR, width=min(1 + n / 4, 12)))
    for i, n in sorted(per_inst.items()):
        zh, en = labels.concept("institution-type", i)
        tip = [("任务", f"{n} 项任务 concerning {zh} (no tier named)"), ("English", f"{n} tasks concerning {en}")]
        inst = next(nd for nd in view.nodes if nd.id == f"inst:{i}")
        view.nodes.append(Node(id=f"agg:inst:{i}", label=f"{n} 项任务\n{n} tasks", tip=tip, kind="aggregate",
                               color=TASK_COLOUR, size=10 + min(n, 30), dashed_border=True, group="task",
                               level=inst.level))  # fmt: skip
        view.edges.append(Edge(f"agg:inst:{i}", f"inst:{i}", tip, kind="concerns", color="#b9b9b9",
                               width=min(1 + n / 4, 12), dashes=True))  # fmt: skip
