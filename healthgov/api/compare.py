"""The compare pages: who leads how many tasks, place by agency type; an indicator's targets as a chart.

``/compare`` runs the ``lead-matrix`` named query (through the app's runner: the same limits,
cache and errors as ``/queries/lead-matrix``) and draws it as a table, jurisdictions × agency
types, each count linking to the who-leads page of those tasks. A browser (``Accept:
text/html``, no ``format=``) gets the page; everyone else the query's rows as JSON or CSV.
``/compare/targets`` draws the ``compare-targets`` rows of one indicator as an SVG chart
(``chart.py``), also served alone at ``/compare/targets.svg``; its data is that query's CSV.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from healthgov.api import chart, pages
from healthgov.api.schemas import STORE_ERRORS, errors, query_page_model, table_responses
from healthgov.api.tabular import BomParam, FormatParam, content_disposition, table_response, wants_html
from healthgov.queries import registry
from healthgov.queries.params import ParamError

router = APIRouter(tags=["compare"])
MATRIX, TARGETS = "lead-matrix", "compare-targets"
_IGNORED = {"format", "bom"}

Places = Annotated[list[str] | None, Query(description="Jurisdictions, e.g. 重庆市,杭州市 (empty: all)")]
Level = Annotated[str | None, Query(description="Administrative level: nation, province, city, county, township, village")]
Topic = Annotated[str | None, Query(description="Only tasks tagged with this topic (id or label; see /vocab/topic)")]
Role = Annotated[str, Query(description="lead (default), support or any")]
Indicator = Annotated[str | None, Query(description="Indicator: id or label (see /vocab/indicator)")]


def _labels(scheme_id: str, concept_id: str | None) -> tuple[str, str]:
    """A concept's Chinese and English labels; the id itself when it is not in the vocabulary."""
    from healthgov.ontology.vocab import load_vocabularies

    scheme = load_vocabularies().schemes.get(scheme_id)
    if not concept_id or scheme is None or concept_id not in scheme.concepts:
        return (concept_id or "", concept_id or "")
    c = scheme[concept_id]
    return c.pref_zh, c.pref_en


def _raw(request: Request, spec: registry.QuerySpec) -> tuple[dict[str, Any], dict[str, str]]:
    """The request's values for ``spec`` (as ``pages`` reads a form) and the unknown parameters."""
    given = pages._given(request, spec)  # noqa: SLF001 - the query pages' own reading of a form
    raw = {k: (vs if spec.param(k).type.is_list else vs[-1]) for k, vs in given.items()}  # type: ignore[union-attr]
    unknown = {k: "unknown parameter; this page takes: " + ", ".join(p.name for p in spec.params)
               for k in set(request.query_params) - {p.name for p in spec.params} - _IGNORED}
    return raw, unknown


def _href(path: str, query: list[tuple[str, Any]]) -> str:
    q = [(k, str(v)) for k, v in query if v not in (None, "", [])]
    return path + (f"?{urlencode(q)}" if q else "")


@dataclass
class Matrix:
    """The table: places (rows), agency types (columns), counts, links and totals."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    columns: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    total_href: str = ""


def build_matrix(result: registry.QueryResult) -> Matrix:
    """Pivot the lead-matrix rows; every count links to the who-leads page of its tasks."""
    params = result.params
    common = [("role", params.get("role") or "lead"), ("topic", params.get("topic"))]
    chosen = [("jurisdiction", j) for j in params.get("jurisdiction") or []]
    types: dict[str, dict[str, Any]] = {}
    places: dict[str, dict[str, Any]] = {}
    for r in result.rows:
        t, j, n = r["agency_type"], r["jurisdiction"], int(r["tasks"] or 0)
        col = types.setdefault(t, {"id": t, "zh": r.get("agency_type_zh") or _labels("agency-type", t)[0],
                                   "en": r.get("agency_type_en") or _labels("agency-type", t)[1], "total": 0,
                                   "href": _href("/queries/who-leads", [*chosen, ("agency_type", t), *common])})
        col["total"] += n
        level_zh, level_en = _labels("admin-level", r.get("level"))
        row = places.setdefault(j, {"name": j, "level": r.get("level"), "level_zh": level_zh, "level_en": level_en,
                                    "cells": {}, "total": 0,
                                    "href": _href("/queries/who-leads", [("jurisdiction", j), *common])})
        row["cells"][t] = {"count": n, "agencies": r.get("agencies"), "policies": r.get("policies"),
                           "href": _href("/queries/who-leads", [("jurisdiction", j), ("agency_type", t), *common])}
        row["total"] += n
    columns = sorted(types.values(), key=lambda c: (-c["total"], c["id"]))
    return Matrix(rows=list(places.values()), columns=columns, total=sum(c["total"] for c in columns),
                  total_href=_href("/queries/who-leads", [*chosen, *common]))


def _page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = pages._env().get_template(template).render(**context)  # noqa: SLF001 - the query pages' templates
    return HTMLResponse(html, status_code=status, headers={"Vary": "Accept", "Cache-Control": "no-cache"})


def _fields(spec: registry.QuerySpec, request: Request, values: Mapping[str, Any],
            errs: Mapping[str, str], only: tuple[str, ...] | None = None) -> list[pages.Field]:
    fields = pages._fields(spec, request.app.state.run_query, values, errs)  # noqa: SLF001
    return [f for f in fields if only is None or f.name in only]


@router.get("/compare", response_class=Response, summary="Compare places: who leads how many tasks, by agency type",
            responses=table_responses(query_page_model(MATRIX, registry.get(MATRIX).columns), 422, 504, *STORE_ERRORS))
def compare(request: Request, jurisdiction: Places = None, level: Level = None, topic: Topic = None,
            role: Role = "lead", format: FormatParam = None, bom: BomParam = None) -> Response:
    """Jurisdictions × agency types: how many tasks each type leads (``role``) in each place,
    filtered by topic and level. A browser gets the table (each count links to the who-leads
    page of its tasks, with totals per row and column); JSON or CSV (``format=`` or ``Accept``)
    give the rows of the ``lead-matrix`` query, one per (jurisdiction, agency type)."""
    spec = registry.get(MATRIX)
    html = wants_html(request, format)
    raw, unknown = _raw(request, spec)
    try:
        if unknown:
            name, message = sorted(unknown.items())[0]
            raise ParamError(name, message)
        result = request.app.state.run_query(MATRIX, raw)
    except ParamError as e:
        if not html:
            raise
        errs = {**unknown, e.param: e.message}
        return _page("compare.html.j2", 422, fields=_fields(spec, request, raw, errs), matrix=None,
                     general_errors=[f"{k}: {m}" for k, m in errs.items() if spec.param(k) is None], links={})
    if not html:
        return table_response(request, columns=result.columns, rows=result.rows, limit=len(result.rows), offset=0,
                              fmt=format, meta={"query": MATRIX, "params": result.params}, bom=bom,
                              filename="compare.csv")
    query = pages.clean_query(request, spec)
    links = {"csv": _href("/compare", [*query, ("format", "csv")]), "json": _href("/compare", [*query, ("format", "json")]),
             "query": _href(f"/queries/{MATRIX}", query)}
    return _page("compare.html.j2", fields=_fields(spec, request, result.params, {}), matrix=build_matrix(result),
                 general_errors=[], links=links, params=result.params)


def _targets(request: Request, indicator: str | None) -> tuple[registry.QueryResult | None, dict[str, Any], dict[str, str]]:
    spec = registry.get(TARGETS)
    raw, _ = _raw(request, spec)
    raw = {k: v for k, v in raw.items() if k in ("indicator", "jurisdiction")}
    if not indicator:
        return None, raw, {}
    try:
        return request.app.state.run_query(TARGETS, raw), raw, {}
    except ParamError as e:
        return None, raw, {e.param: e.message}


def _chart(result: registry.QueryResult | None) -> chart.Chart:
    ind = (result.params.get("indicator") if result else None) or ""
    zh, en = _labels("indicator", ind)
    return chart.render(ind, f"{zh} · {en}" if ind else "targets", result.rows if result else [])


@router.get("/compare/targets", response_class=HTMLResponse, summary="Compare places: an indicator's targets as a chart",
            responses=errors(422, 504, *STORE_ERRORS))
def compare_targets(request: Request, indicator: Indicator = None, jurisdiction: Places = None) -> HTMLResponse:
    """Every place's targets for one indicator: value by year, binding vs expected, as an SVG
    chart drawn on the server, downloadable as SVG (``/compare/targets.svg``) or PNG (drawn
    from the SVG in the browser), and the data as the compare-targets query's CSV."""
    result, raw, errs = _targets(request, indicator)
    spec = registry.get(TARGETS)
    drawn = _chart(result)
    query = [(k, v) for k, vs in raw.items() for v in (vs if isinstance(vs, list) else [vs])]
    links = {"svg": _href("/compare/targets.svg", query), "csv": _href(f"/queries/{TARGETS}", [*query, ("format", "csv")]),
             "json": _href(f"/queries/{TARGETS}", [*query, ("format", "json")]),
             "query": _href(f"/queries/{TARGETS}", query)} if result else {}
    rows = [{**r, "href": pages.task_href(r["task_id"]) if r.get("task_id") else
             (pages.policy_href(r["policy_id"]) if r.get("policy_id") else None)} for r in (result.rows if result else [])]
    return _page("compare_targets.html.j2", 422 if errs else 200,
                 fields=_fields(spec, request, result.params if result else raw, errs, ("indicator", "jurisdiction")),
                 chart=drawn, rows=rows, links=links, indicator=indicator, general_errors=[])


@router.get("/compare/targets.svg", response_class=Response, summary="An indicator's targets chart as an SVG file",
            responses={200: {"content": {"image/svg+xml": {"schema": {"type": "string"}}},
                             "description": "The chart, a standalone SVG file"},
                       **errors(422, 504, *STORE_ERRORS)})
def compare_targets_svg(request: Request, indicator: Indicator = None, jurisdiction: Places = None) -> Response:
    """The chart of ``/compare/targets`` alone, as a standalone SVG download."""
    result, _, errs = _targets(request, indicator)
    if errs:
        name, message = next(iter(errs.items()))
        raise ParamError(name, message)
    name = f"targets-{indicator or 'none'}.svg"
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + _chart(result).svg
    return Response(body.encode("utf-8"), media_type="image/svg+xml",
                    headers={"Content-Disposition": content_disposition(name), "Vary": "Accept"})
