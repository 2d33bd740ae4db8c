"""``/network/{table}`` (JSON or CSV, paged like the other tabular endpoints) and
``/network/graphml``: the same answers as ``healthgov network``.

The store is the app's own (``app.state.store``). Bad filter values raise ``ParamError``, which
the app turns into a 422 naming the parameter.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from healthgov.api.schemas import STORE_ERRORS, errors, page_model, table_responses
from healthgov.api.tabular import (
    DEFAULT_LIMIT,
    BomParam,
    FormatParam,
    LimitParam,
    OffsetParam,
    table_response,
)
from healthgov.network.graphs import Filters
from healthgov.network.tables import COLUMNS, TABLES, graph_for_export, table, to_graphml

router = APIRouter(prefix="/network", tags=["network"])

JurisdictionParam = Annotated[list[str] | None, Query(description="Places whose policies set the tasks (repeat or a,b).")]
TopicParam = Annotated[str | None, Query(description="Only tasks on this topic (id or label).")]
LevelParam = Annotated[str | None, Query(description="Only policies of places at this level (nation, province, city, county...).")]
PolicyParam = Annotated[str | None, Query(description="Only the tasks of this policy (id).")]
AgencyTypeParam = Annotated[str | None, Query(description="Rows for this agency type only (id or label); the network is not cut.")]
PooledParam = Annotated[bool, Query(description="One network over all places instead of one per jurisdiction.")]
ImplicitParam = Annotated[bool, Query(description="Count units added by scoped rules; false: only units written at the task.")]
CollectiveParam = Annotated[bool, Query(description="Include classes of bodies (各地, 各区县政府, 相关部门) as nodes; false: named bodies only.")]

_SUMMARIES = {
    "measures": "Per agency and network: tasks led/supported, weighted degree, betweenness, eigenvector, brokerage, community",
    "summary": "Per network (jurisdiction): size, density, components, communities, modularity, the most central agency and the brokers",
    "communities": "Louvain communities (fixed seed) of each network",
    "edges": "Agency pairs with shared-task weights and the lead-lead / lead-support / support-support split",
    "compare": "Agencies of one type across jurisdictions (e.g. the medical security bureau's centrality in each city)",
}  # fmt: skip


def _store(request: Request) -> Any:
    store = getattr(request.app.state, "store", None)
    if store is None:
        raise HTTPException(503, "no graph store attached to this app")
    return store


def _filters(jurisdiction: list[str] | None, topic: str | None, level: str | None, policy: str | None,
             agency_type: str | None, pooled: bool, implicit: bool = True, collective: bool = False) -> Filters:  # fmt: skip
    return Filters.parse({"jurisdiction": jurisdiction or [], "topic": topic, "level": level, "policy": policy,
                          "agency_type": agency_type, "pooled": pooled, "implicit": implicit,
                          "collective": collective})  # fmt: skip


def _table_route(what: str) -> None:
    # Sync endpoint: FastAPI runs it in its thread pool, so the blocking driver never stalls the loop.
    def endpoint(
        request: Request,
        jurisdiction: JurisdictionParam = None,
        topic: TopicParam = None,
        level: LevelParam = None,
        policy: PolicyParam = None,
        agency_type: AgencyTypeParam = None,
        pooled: PooledParam = False,
        implicit: ImplicitParam = True,
        collective: CollectiveParam = False,
        limit: LimitParam = DEFAULT_LIMIT,
        offset: OffsetParam = 0,
        format: FormatParam = None,  # noqa: A002 - the public parameter name, as elsewhere in the API
        bom: BomParam = None,
    ) -> Response:
        answer = table(_store(request), what,
                       _filters(jurisdiction, topic, level, policy, agency_type, pooled, implicit, collective))
        return table_response(request, columns=answer.columns, rows=answer.rows, limit=limit, offset=offset,
                              fmt=format, meta={"table": what}, bom=bom)  # fmt: skip

    endpoint.__name__ = f"network_{what}"
    page = page_model(what, tuple(COLUMNS[what]), (("table", str),))
    router.add_api_route(f"/{what}", endpoint, methods=["GET"], summary=_SUMMARIES[what], response_class=Response,
                         responses=table_responses(page, 422, *STORE_ERRORS))


for _what in TABLES:
    _table_route(_what)


@router.get("/graphml", summary="The network (or the agency–task bipartite graph) as GraphML, measures as node attributes",
            response_class=Response,
            responses={200: {"content": {"application/graphml+xml": {"schema": {"type": "string"}}},
                             "description": "A GraphML document (XML)."}, **errors(422, *STORE_ERRORS)})
def network_graphml(
    request: Request,
    jurisdiction: JurisdictionParam = None,
    topic: TopicParam = None,
    level: LevelParam = None,
    policy: PolicyParam = None,
    implicit: ImplicitParam = True,
    collective: CollectiveParam = False,
    bipartite: Annotated[bool, Query(description="The agency–task bipartite graph instead.")] = False,
) -> Response:
    g = graph_for_export(_store(request), _filters(jurisdiction, topic, level, policy, None, True, implicit, collective),
                         bipartite=bipartite)
    return Response(to_graphml(g), media_type="application/graphml+xml; charset=utf-8")
