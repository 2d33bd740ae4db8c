"""Policy lineage: which plan implements or cites which, laid out nation → province → city → county.

Placeholder policies (known only because another document cites them, ``loaded = false``) are
grey with a dashed border. Their level is not recorded, so they are drawn one rank above the
highest document that points to them: cited documents are almost always issued higher up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from healthgov.visualize import labels
from healthgov.visualize.common import ViewError, max_nodes
from healthgov.visualize.model import Edge, LegendItem, Node, View, short

LEVEL_COLOURS = {0: "#b03a2e", 1: "#d9822b", 2: "#4e79a7", 3: "#59a14f", 4: "#76b7b2", 5: "#9c755f"}
PLACEHOLDER_COLOUR = "#e0e0e0"
# A grid per level rather than vis-network's hierarchical layout (that one lays unconnected
# chains side by side, and fitting a dozen of them to the window shrinks every label out of
# reach) or physics (wide boxes still overlap): each level is a band of rows of at most PER_ROW
# boxes, a cell wider and taller than the largest box (12 characters × 5 lines), so no two meet.
PER_ROW = 7
CELL_W = 210
CELL_H = 115
BAND_GAP = 70
IMPLEMENTS_COLOUR = "#333333"
CITES_COLOUR = "#9a9a9a"


@dataclass
class LineageData:
    policies: list[dict[str, Any]]  # id, title, doc_number, issued_on, loaded, level, jurisdiction, source_path
    links: list[dict[str, Any]]  # source, target, rel (IMPLEMENTS|CITES)
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # for the page's filter form
    selected: dict[str, list[str]] = field(default_factory=dict)  # what the form shows as chosen


def build(data: LineageData, params: Mapping[str, str]) -> View:
    limit = max_nodes(params)
    # Implementation chains by default: every plan cites a dozen documents, and drawing them all
    # buries the lineage under a row of placeholders (relation=all shows them).
    relation = params.get("relation", "implements")
    if relation not in ("all", "implements"):
        raise ViewError("relation must be 'all' or 'implements'", "relation")
    juris = [j for j in (params.get("jurisdiction") or "").split(",") if j]
    view = View(
        name="lineage",
        title="政策谱系 · policy lineage" + (f" ({'、'.join(juris)})" if juris else ""),
        description="Arrows point from a document to the one it implements (solid) or cites (dashed); "
        "national at the top, then provincial, city and county, one band of boxes per level. Grey dashed boxes are placeholders: cited, not loaded."
        + (" Citations are hidden: relation=all shows them." if relation == "implements" else ""),
        params=dict(params),
        still=True,
    )
    policies = {p["id"]: p for p in data.policies}
    best = _strongest_links(data.links, policies, relation)
    shown = _shown_policies(view, policies, best, juris, limit)
    edges = {k: rel for k, rel in best.items() if k[0] in shown and k[1] in shown}

    rank = _ranks(policies, shown, edges)
    place = _grid(shown, rank, policies)
    # The id breaks ties: documents may share a title, and set order changes between processes.
    for pid in sorted(shown, key=lambda i: (rank[i], place[i][1], place[i][0])):
        view.nodes.append(_policy_node(pid, policies[pid], rank[pid], place[pid]))
    for (s, t), rel in sorted(edges.items()):
        view.edges.append(_link_edge(s, t, rel, policies))
    _add_legend(view)
    view.check()
    return view


def _strongest_links(links: list[dict[str, Any]], policies: dict[str, dict[str, Any]],
                     relation: str) -> dict[tuple[str, str], str]:
    """One relation per (source, target) pair between known policies: an implementing document
    also cites, and the stronger relation wins. ``relation="implements"`` drops the citations."""
    links = [lk for lk in links if lk["source"] in policies and lk["target"] in policies]
    if relation == "implements":
        links = [lk for lk in links if lk["rel"] == "IMPLEMENTS"]
    best: dict[tuple[str, str], str] = {}
    for lk in links:
        key = (lk["source"], lk["target"])
        if best.get(key) != "IMPLEMENTS":
            best[key] = lk["rel"]
    return best


def _shown_policies(view: View, policies: dict[str, dict[str, Any]], best: dict[tuple[str, str], str],
                    juris: list[str], limit: int) -> set[str]:
    """The policies drawn: those of ``juris`` and their direct links (all when empty), without
    unlinked placeholders, cut to ``limit``; what is left out is noted on ``view``."""
    if juris:
        local = {pid for pid, p in policies.items() if p.get("jurisdiction") in juris}
        if missing := [j for j in juris if not any(p.get("jurisdiction") == j for p in policies.values())]:
            raise ViewError(f"no policy of jurisdiction {'、'.join(missing)!r}", "jurisdiction")
        near = local | {t for s, t in best if s in local} | {s for s, t in best if t in local}
        view.notes.append(f"Only policies of {'、'.join(juris)} and the documents they are directly linked to are shown.")
    else:
        near = set(policies)
    shown = {pid for pid in near if policies[pid].get("loaded", True) or any(pid in k for k in best)}
    if isolated := len(near - shown):
        view.notes.append(f"{isolated} placeholder(s) with no remaining link are not drawn.")
    if len(shown) > limit:
        # Keep loaded documents first, then the placeholders that most documents point to.
        indegree = {pid: sum(1 for (_, t) in best if t == pid) for pid in shown}
        ranked = sorted(shown, key=lambda pid: (not policies[pid].get("loaded", True), -indegree[pid], pid))
        view.notes.append(f"{len(shown) - limit} of {len(shown)} policies (the least cited placeholders) are left out.")
        shown = set(ranked[:limit])
    return shown


def _grid(shown: set[str], rank: dict[str, int], policies: dict[str, dict[str, Any]]) -> dict[str, tuple[float, float]]:
    """(x, y) of every box: levels top to bottom, each a band of rows of at most PER_ROW boxes,
    by place, date and title within a level; rows centred on x = 0."""
    out: dict[str, tuple[float, float]] = {}
    y = 0.0
    for level in sorted(set(rank.values())):
        members = sorted((p for p in shown if rank[p] == level),
                         key=lambda p: (policies[p].get("jurisdiction") or "~", str(policies[p].get("issued_on") or ""),
                                        policies[p].get("title") or "", p))  # fmt: skip
        for start in range(0, len(members), PER_ROW):
            row = members[start : start + PER_ROW]
            for i, pid in enumerate(row):
                out[pid] = ((i - (len(row) - 1) / 2) * CELL_W, y)
            y += CELL_H
        y += BAND_GAP
    return out


def _policy_node(pid: str, p: dict[str, Any], rank: int, at: tuple[float, float]) -> Node:
    loaded = p.get("loaded", True) is not False
    label = _wrap(short(p.get("title"), 30), 12) + (f"\n{p['doc_number']}" if p.get("doc_number") else "")
    if not loaded:
        label = "〔未收录 placeholder〕\n" + label
    level = p.get("level")
    tip = [
        ("政策", p.get("title") or "?"),
        ("English", f"{level or 'unknown-level'} policy" + ("" if loaded else " (placeholder: cited, not loaded)")),
        ("文号 doc number", p.get("doc_number") or "—"),
        ("辖区 jurisdiction", f"{p.get('jurisdiction') or '?'} ({labels.LEVEL_ZH.get(level or '', '?')})"),
    ]
    if p.get("issued_on"):
        tip.append(("成文日期 issued", p["issued_on"]))
    tip.append(("来源 source", p.get("source_path") or "not loaded: known from a citation"))
    if not loaded and level is None:
        tip.append(("层级 level", "drawn one rank above the documents citing it (inferred)"))
    return Node(id=f"p:{pid}", label=label, tip=tip, kind="policy", shape="box", level=rank,
                pinned=at, color=LEVEL_COLOURS.get(rank, "#bbbbbb") if loaded else PLACEHOLDER_COLOUR,
                dashed_border=not loaded, group=level)


def _link_edge(s: str, t: str, rel: str, policies: dict[str, dict[str, Any]]) -> Edge:
    impl = rel == "IMPLEMENTS"
    tip = [
        ("关系", "贯彻落实 implements" if impl else "引用 cites"),
        ("English", f"{'implements' if impl else 'cites'}"),
        ("从 from", policies[s].get("title") or s),
        ("到 to", policies[t].get("title") or t),
    ]
    return Edge(f"p:{s}", f"p:{t}", tip, kind=rel.lower(), width=2.5 if impl else 1,
                dashes=not impl, color=IMPLEMENTS_COLOUR if impl else CITES_COLOUR)


def _add_legend(view: View) -> None:
    for lvl, rk in labels.LEVEL_RANK.items():
        if any(n.level == rk and not n.dashed_border for n in view.nodes):
            view.legend.append(LegendItem(f"{labels.LEVEL_ZH[lvl]} {lvl}", LEVEL_COLOURS[rk], shape="box"))
    view.legend += [
        LegendItem("未收录 placeholder", PLACEHOLDER_COLOUR, shape="box", dashed=True),
        LegendItem("贯彻落实 implements", IMPLEMENTS_COLOUR, kind="edge"),
        LegendItem("引用 cites", CITES_COLOUR, kind="edge", dashed=True),
    ]


def _ranks(policies: dict, shown: set[str], edges: dict[tuple[str, str], str]) -> dict[str, int]:
    rank: dict[str, int] = {}
    for pid in shown:
        level = policies[pid].get("level")
        if level in labels.LEVEL_RANK:
            rank[pid] = labels.LEVEL_RANK[level]
    # Unknown levels: one above the highest citing document; repeat for chains of placeholders.
    for _ in range(len(shown)):
        changed = False
        for pid in shown - set(rank):
            citing = [rank[s] for (s, t) in edges if t == pid and s in rank]
            if citing:
                rank[pid] = max(min(citing) - 1, 0)
                changed = True
        if not changed:
            break
    for pid in shown - set(rank):
        rank[pid] = 0
    return rank


def _wrap(text: str, width: int) -> str:
    """Break a title into lines: Chinese has no spaces for the renderer to break at."""
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))
