"""Agency–task network of one jurisdiction: who leads and who supports which task.

Agencies are coloured by agency type, tasks by (first) topic; lead edges are thick and dark,
support edges thin and light, and responsibilities added by a scoped rule (implicit) are dashed.
Over the node limit the tasks are folded into one node per topic, the edge width counting the
tasks, and if that is still too many only the busiest agencies are kept.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from healthgov.visualize import labels
from healthgov.visualize.common import agency_tip, filter_topic, max_nodes, task_tip
from healthgov.visualize.model import Edge, LegendItem, Node, Palette, View, clip, qualitative_palette, short

LEAD_COLOUR = "#b03a2e"
OTHER = "~other"  # the node the smallest topics are merged into when even topics are too many
SUPPORT_COLOUR = "#8fa3b8"


@dataclass
class AgencyTaskData:
    jurisdiction: str
    tasks: list[dict[str, Any]]  # id, number, title, text, policy_title, doc_number, source_path, span_*, topics
    links: list[dict[str, Any]]  # task, agency, role (lead|support), basis, implicit
    agencies: list[dict[str, Any]]  # id, name, agency_type, level, jurisdiction
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # for the page's filter form
    selected: dict[str, list[str]] = field(default_factory=dict)  # what the form shows as chosen


def build(data: AgencyTaskData, params: Mapping[str, str]) -> View:
    limit = max_nodes(params)
    view = View(
        name="agency-task",
        title=f"{data.jurisdiction} 机构–任务网络 · agency–task network",
        description="Who leads (thick, dark) and who supports (thin, light) each task; dashed = "
        "added by a scoped rule rather than written at the task. Agencies coloured by agency type, tasks by topic.",
        params=dict(params),
    )
    tasks = {t["id"]: t for t in filter_topic(data.tasks, params, view.notes)}
    agencies = {a["id"]: a for a in data.agencies}
    links = [lk for lk in data.links if lk["task"] in tasks and lk["agency"] in agencies]
    linked_tasks = {lk["task"] for lk in links}
    if unlinked := len(tasks) - len(linked_tasks):
        view.notes.append(f"{unlinked} task(s) with no responsible unit are not drawn.")
    if not links:
        view.notes.append(f"No responsibilities found for {data.jurisdiction}.")

    used_agencies = {lk["agency"] for lk in links}
    palette = _palette([agencies[a].get("agency_type") for a in used_agencies],
                       [(tasks[t].get("topics") or [None])[0] for t in linked_tasks])  # fmt: skip
    if len(used_agencies) + len(linked_tasks) <= limit:
        _draw_tasks(view, tasks, linked_tasks, links, agencies, palette)
    else:
        _draw_topics(view, tasks, linked_tasks, links, agencies, limit, palette)
    _legend(view)
    view.check()
    return view


def _agency_nodes(view: View, agencies: dict, ids: set[str], counts: dict[str, Counter], palette: Palette) -> None:
    for aid in sorted(ids, key=lambda i: agencies[i]["name"]):
        a = agencies[aid]
        c = counts[aid]
        tip = agency_tip(a, [("任务 tasks", f"牵头 lead {c['lead']} · 配合 support {c['support']}")])
        colour = palette(_key("agency-type", a.get("agency_type")))
        view.nodes.append(Node(id=f"a:{aid}", label=short(a["name"], 14), tip=tip, kind="agency", shape="dot",
                               size=12 + min(c["lead"] + c["support"], 30), color=colour,
                               group=a.get("agency_type")))  # fmt: skip


def _draw_tasks(view: View, tasks: dict, linked: set[str], links: list, agencies: dict, palette: Palette) -> None:
    counts: dict[str, Counter] = defaultdict(Counter)
    for lk in links:
        counts[lk["agency"]][lk["role"]] += 1
    _agency_nodes(view, agencies, {lk["agency"] for lk in links}, counts, palette)
    topics = palette
    for tid in sorted(linked, key=lambda i: (tasks[i].get("policy_title") or "", _order(tasks[i]))):
        t = tasks[tid]
        topic = (t.get("topics") or [None])[0]
        label = short(f"{t.get('number') or ''} {t.get('title') or ''}".strip(), 16)
        view.nodes.append(Node(id=f"t:{tid}", label=label, tip=task_tip(t), kind="task", shape="square",
                               size=9, color=topics(_key("topic", topic)), group=topic))  # fmt: skip
    for lk in links:
        t, a = tasks[lk["task"]], agencies[lk["agency"]]
        view.edges.append(_edge(f"a:{lk['agency']}", f"t:{lk['task']}", lk, a["name"], t))


def _draw_topics(view: View, tasks: dict, linked: set[str], links: list, agencies: dict, limit: int,
                 palette: Palette) -> None:
    """Too many tasks to draw one by one: one node per topic, edges weighted by task count."""
    topic_of = {tid: (tasks[tid].get("topics") or [None])[0] for tid in linked}
    per_topic = Counter(topic_of.values())
    # Topics get at most half the nodes; the smallest ones share an "other topics" node.
    slots = max(limit // 2, 1)
    if len(per_topic) > slots:
        big = {t for t, _ in sorted(per_topic.items(), key=lambda kv: (-kv[1], kv[0] or ""))[: slots - 1]}
        merged = len(per_topic) - len(big)
        topic_of = {tid: (t if t in big else OTHER) for tid, t in topic_of.items()}
        per_topic = Counter(topic_of.values())
        view.notes.append(f"The {merged} topics with the fewest tasks are merged into one node, 其他 other topics.")
    weights: Counter = Counter()  # (agency, topic, role, implicit) -> tasks
    for lk in links:
        weights[(lk["agency"], topic_of[lk["task"]], lk["role"], bool(lk.get("implicit")))] += 1
    busy: Counter = Counter()
    for (aid, _, _, _), n in weights.items():
        busy[aid] += n
    topic_ids = sorted(per_topic, key=lambda t: (t == OTHER, t is None, t or ""))
    room = max(limit - len(topic_ids), 1)
    keep = {aid for aid, _ in sorted(busy.items(), key=lambda kv: (-kv[1], kv[0]))[:room]}
    view.notes.append(
        f"{len(linked)} tasks and {len(busy)} agencies exceed the limit of {limit} nodes: tasks are "
        f"folded into {len(topic_ids)} topic nodes (edge width = number of tasks). Use topic=… or "
        "max_nodes=… to see single tasks."
    )
    if dropped := len(busy) - len(keep):
        view.notes.append(f"{dropped} agencies with the fewest tasks are left out.")
    counts: dict[str, Counter] = defaultdict(Counter)
    for lk in links:
        counts[lk["agency"]][lk["role"]] += 1
    _agency_nodes(view, agencies, keep, counts, palette)
    for topic in topic_ids:
        sample = [tasks[t].get("title") or "" for t in sorted(linked) if topic_of[t] == topic][:8]
        tip = [("主题 topic", _topic_label(topic)[0]), ("English", _topic_label(topic)[1]), *[("任务 tasks", f"{per_topic[topic]}"),
                                                          ("例如 e.g.", clip("；".join(sample), 400))]]  # fmt: skip
        zh, _ = _topic_label(topic)
        colour = palette(_key("topic", topic) if topic != OTHER else OTHER)
        view.nodes.append(Node(id=f"topic:{topic}", label=f"{zh} ({per_topic[topic]})", tip=tip, kind="aggregate",
                               shape="square", size=10 + min(per_topic[topic], 40), color=colour,
                               dashed_border=True, group=topic))  # fmt: skip
    for (aid, topic, role, implicit), n in sorted(weights.items(), key=lambda kv: str(kv[0])):
        if aid not in keep:
            continue
        a = agencies[aid]
        zh, en = _topic_label(topic)
        tip = [("关系", f"{labels.ROLE_ZH[role]} {role} × {n}"), ("English", f"{role} agency for {n} task(s) on {en}"),
               ("单位 agency", a["name"]), ("主题 topic", zh)] + ([("隐含 implicit", "added by a scoped rule")] if implicit else [])  # fmt: skip
        view.edges.append(Edge(f"a:{aid}", f"topic:{topic}", tip, color=LEAD_COLOUR if role == "lead" else SUPPORT_COLOUR,
                               kind=role, width=min(1 + n, 12), dashes=implicit))  # fmt: skip


def _key(scheme: str, cid: str | None) -> str | None:
    return f"{scheme}:{cid}" if cid else None


def _topic_label(topic: str | None) -> tuple[str, str]:
    return ("其他主题", "other topics") if topic == OTHER else labels.concept("topic", topic)


def _edge(src: str, dst: str, lk: Mapping[str, Any], agency_name: str, task: Mapping[str, Any]) -> Edge:
    role = lk["role"]
    basis = lk.get("basis")
    tip = [
        ("关系", f"{labels.ROLE_ZH.get(role, role)}单位"),
        ("English", f"{role} agency"),
        ("单位 agency", agency_name),
        ("任务 task", f"{task.get('number') or ''} {task.get('title') or ''}".strip()),
        ("依据 basis", f"{basis}: {labels.BASIS_EN.get(basis, '')}" if basis else "?"),
        ("文件 document", f"《{task.get('policy_title') or '?'}》"),
    ]
    if lk.get("implicit"):
        tip.append(("隐含 implicit", "yes: added by a scoped rule, not written at the task"))
    lead = role == "lead"
    return Edge(src, dst, tip, color=LEAD_COLOUR if lead else SUPPORT_COLOUR, kind=role,
                width=3 if lead else 1.2, dashes=bool(lk.get("implicit")))  # fmt: skip


def _order(task: Mapping[str, Any]) -> int:
    # Task ids end in /t{n}: document order, which reads better than alphabetical numbers.
    tail = str(task["id"]).rsplit("/t", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _palette(agency_types: list[str | None], topics: list[str | None]) -> Palette:
    """One palette for the whole view, so an agency type and a topic never share a colour: the
    agency types drawn first, then the topics, each in vocabulary order (stable from view to view)."""
    p = Palette(qualitative_palette(48))
    for scheme, present in (("agency-type", agency_types), ("topic", topics)):
        order = {cid: i for i, cid in enumerate(labels.concept_order(scheme))}
        for cid in sorted({c for c in present if c}, key=lambda c: (order.get(c, len(order)), c)):
            p(f"{scheme}:{cid}")
    return p


def _legend(view: View) -> None:
    seen_agency = {n.group for n in view.nodes if n.kind == "agency"}
    seen_topic = {n.group for n in view.nodes if n.kind in ("task", "aggregate")}
    for n in view.nodes:
        if n.kind == "agency" and n.group in seen_agency:
            zh, en = labels.concept("agency-type", n.group)
            view.legend.append(LegendItem(f"{zh} {en}", n.color, shape="dot"))
            seen_agency.discard(n.group)
    for n in view.nodes:
        if n.kind in ("task", "aggregate") and n.group in seen_topic:
            zh, en = _topic_label(n.group)
            view.legend.append(LegendItem(f"任务 task: {zh} {en}", n.color, shape="square"))
            seen_topic.discard(n.group)
    view.legend += [
        LegendItem("牵头 lead", LEAD_COLOUR, kind="edge"),
        LegendItem("配合 support", SUPPORT_COLOUR, kind="edge"),
        LegendItem("隐含 implicit (scoped rule)", SUPPORT_COLOUR, kind="edge", dashed=True),
    ]
