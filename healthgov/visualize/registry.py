"""The named views: what each one is, the parameters it takes, and how it is made from the store.

One registry serves ``healthgov view`` and ``/views/{name}``, so the file and the served page
take the same parameters and show the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from healthgov.visualize import agency_task, coresponsibility, data, lineage, policy_network, tiers
from healthgov.visualize.common import ViewError
from healthgov.visualize.model import DEFAULT_MAX_NODES, View, merge_legend

COMMON_PARAMS = {"max_nodes": f"most nodes drawn before aggregating or leaving out (default {DEFAULT_MAX_NODES})"}


@dataclass(frozen=True)
class ViewSpec:
    name: str
    title: str
    description: str
    params: dict[str, str]  # name -> help
    fetch: Callable[[data.Store, Mapping[str, str]], Any]
    build: Callable[[Any, Mapping[str, str]], View]


VIEWS: dict[str, ViewSpec] = {
    s.name: s
    for s in (
        ViewSpec(
            "agency-task",
            "机构–任务网络 · agency–task network",
            "Agencies and the tasks they lead or support in one or several jurisdictions.",
            {"jurisdiction": "jurisdiction names, e.g. 重庆市,杭州市 (default: the one with most tasks)",
             "topic": "topic concept id: only tasks on this topic"},  # fmt: skip
            data.agency_task,
            agency_task.build,
        ),
        ViewSpec(
            "co-responsibility",
            "共同责任网络 · co-responsibility network",
            "Agencies across jurisdictions joined by the tasks they share; edge width = shared tasks.",
            {"jurisdiction": "only tasks of these jurisdictions' policies (one or several, e.g. 重庆市,杭州市)", "topic": "only tasks on this topic",
             "min_shared": "draw pairs sharing at least this many tasks (default 1)"},  # fmt: skip
            data.coresponsibility,
            coresponsibility.build,
        ),
        ViewSpec(
            "policy-network",
            "政策网络 · policy network",
            "The co-responsibility network as `healthgov network` measures it: colour = community, size = centrality.",
            {"jurisdiction": "only tasks of these jurisdictions' policies (one or several, e.g. 重庆市,杭州市)", "topic": "only tasks on this topic",
             "size_by": "eigenvector (default) or betweenness"},  # fmt: skip
            policy_network.fetch,
            policy_network.build,
        ),
        ViewSpec(
            "lineage",
            "政策谱系 · policy lineage",
            "Which policy implements or cites which, national → provincial → city → county; placeholders marked.",
            {"jurisdiction": "only these jurisdictions' policies and their direct links (one or several)",
             "relation": "'implements' (default) or 'all' (citations too)"},  # fmt: skip
            data.lineage,
            lineage.build,
        ),
        ViewSpec(
            "tiers",
            "层级分工 · tiers",
            "Tasks and institution types by tier (national … village), a layered drawing, for one or several jurisdictions.",
            {"jurisdiction": "jurisdiction names, e.g. 重庆市,杭州市 (default: the one with most tasks)",
             "topic": "topic concept id: only tasks on this topic"},  # fmt: skip
            data.tiers,
            tiers.build,
        ),
    )
}


def make_view(store: data.Store, name: str, params: Mapping[str, str]) -> View:
    """Fetch and build one view. Raises ViewError for an unknown view or parameter."""
    spec = VIEWS.get(name)
    if spec is None:
        raise ViewError(f"no view {name!r}; views: {', '.join(VIEWS)}")
    clean = {k: v for k, v in params.items() if v not in ("", None)}  # an empty form field means "all"
    allowed = set(spec.params) | set(COMMON_PARAMS)
    if unknown := sorted(set(clean) - allowed):
        raise ViewError(f"view {name!r} takes no parameter {', '.join(unknown)}; it takes {', '.join(sorted(allowed))}")
    # One reading of a place name for every view, served or from the CLI, as the query
    # endpoints read it ("杭州" is 杭州市; a name that is no place is a PlaceError).
    # Several places are one comma-separated value, as the list[zh] query parameters take them.
    if clean.get(data.JURISDICTION):
        clean[data.JURISDICTION] = ",".join(data.wanted_jurisdictions(clean))
    fetched = spec.fetch(store, clean)
    view = spec.build(fetched, clean)
    view.choices = getattr(fetched, "choices", {})
    view.selected = {**_asked(clean), **getattr(fetched, "selected", {})}
    view.legend = merge_legend(view.legend)
    return view


def _asked(params: Mapping[str, str]) -> dict[str, list[str]]:
    return {k: [v for v in str(params[k]).split(",") if v] for k in params if k != "max_nodes"}


def form_choices(store: data.Store, name: str) -> dict[str, list[tuple[str, str]]]:
    """The filter form's choices without building the view: for a page that reports a bad value."""
    spec = VIEWS[name]
    out: dict[str, list[tuple[str, str]]] = {}
    if "jurisdiction" in spec.params:
        out["jurisdiction"] = data.jurisdiction_choices(store)
    if "topic" in spec.params:
        out["topic"] = data.topic_choices(store)
    if "relation" in spec.params:
        out["relation"] = list(data.RELATION_CHOICES)
    return out


def describe() -> list[dict[str, Any]]:
    return [{"name": s.name, "title": s.title, "description": s.description, "params": {**s.params, **COMMON_PARAMS}}
            for s in VIEWS.values()]  # fmt: skip
