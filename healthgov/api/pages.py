"""The named queries as web pages: a browser asking for ``/queries/{name}`` gets a form and a table.

Content negotiation, not a second site: the same URL, the same parameters and the same run
(``registry.run`` through the app's runner, so limits, offsets, the cache and the errors are the
API's own). A request that sends ``Accept: text/html`` and no ``format=`` gets this page; every
other request gets JSON or CSV as before (``tabular.wants_html``).

The form is generated from the query's ``@param`` lines: places as a filtered multi-select over
the graph's jurisdictions (the ``jurisdictions`` query), concepts as pickers from the vocabularies
(Chinese and English labels), enums as selects, bools as checkboxes, numbers with their bounds.
A bad value answers 422 with this page, the message next to its field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from healthgov.api.tabular import DEFAULT_LIMIT, wants_html
from healthgov.queries import registry
from healthgov.queries.params import JURISDICTION, ParamError, ParamSpec, bind

Runner = Callable[[str, dict[str, Any]], registry.QueryResult]
FORM_PARAMS = ("limit", "offset", "format", "bom")
PAGE_SIZES = (25, 100, 500, 1000)
# A concept picker with more choices than this gets a filter box above it.
_FILTER_OVER = 12

# Which network view draws a query's result, and how the query's parameters map onto the view's.
NETWORK_VIEWS: dict[str, tuple[str, dict[str, str]]] = {
    "who-leads": ("agency-task", {"topic": "topic"}),
    "agency-profile": ("agency-task", {}),
    "co-responsibility": ("co-responsibility", {"min_shared": "min_shared"}),
    "tier-division": ("tiers", {}),
}
# Columns holding task or policy ids, and the page that shows the evidence for one.
_TASK_COLUMNS = {"task_id", "task_ids", "led_task_ids", "supported_task_ids"}
_POLICY_COLUMNS = {"policy_id"}


def task_href(task_id: str) -> str:
    """The task's evidence page (``evidence_pages``); task ids hold a slash, kept as a path."""
    return "/tasks/" + quote(task_id, safe="/")


def policy_href(policy_id: str) -> str:
    """The policy's evidence page: its text with every fact drawn on it."""
    return "/policies/" + quote(policy_id, safe="")


@dataclass
class Field:
    """One form control, as the template draws it."""

    name: str
    kind: str  # text | number | checkbox | select
    description: str
    type: str
    required: bool = False
    multiple: bool = False
    filterable: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    values: list[str] = field(default_factory=list)
    minimum: int | None = None
    maximum: int | None = None
    step: str | None = None
    placeholder: str = ""
    error: str | None = None


@lru_cache(maxsize=1)
def _env() -> Environment:
    # Autoescape: every value shown comes from documents or from the URL.
    return Environment(loader=PackageLoader("healthgov.api", "templates"),
                       autoescape=select_autoescape(["html", "j2"]))  # fmt: skip


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [_text(v) for v in value if v not in (None, "")]
    return [_text(value)] if value != "" else []


def _concept_options(scheme_id: str) -> list[tuple[str, str]]:
    from healthgov.ontology.vocab import load_vocabularies

    scheme = load_vocabularies().schemes.get(scheme_id)
    if scheme is None:
        return []
    return [(c.id, f"{c.pref_zh} · {c.pref_en} ({c.id})") for c in sorted(scheme, key=lambda c: c.id)]


def _enum_options(choices: Iterable[str]) -> list[tuple[str, str]]:
    """The choices, with Chinese and English labels when they are the ids of one vocabulary
    (``level``'s nation … village are the admin-level scheme)."""
    from healthgov.ontology.vocab import load_vocabularies

    choices = list(choices)
    for scheme in load_vocabularies():
        if all(c in scheme.concepts for c in choices):
            return [(c, f"{scheme[c].pref_zh} · {scheme[c].pref_en} ({c})") for c in choices]
    return [(c, c) for c in choices]


def _place_options(run: Runner) -> list[tuple[str, str]]:
    rows = run("jurisdictions", {}).rows
    return [(r["jurisdiction"], f"{r['jurisdiction']} ({r.get('level') or '?'}, {r.get('policies') or 0} policies)")
            for r in rows]


def _field(p: ParamSpec, values: list[str], run: Runner) -> Field:
    t = p.type
    f = Field(p.name, "text", p.description, t.describe(), required=p.required, multiple=t.is_list, values=values)
    if t.base == "zh" and p.name == JURISDICTION:
        f.kind, f.filterable, f.options = "select", True, _place_options(run)
    elif t.base == "concept":
        f.kind, f.options = "select", _concept_options(t.scheme or "")
        f.filterable = len(f.options) > _FILTER_OVER
    elif t.base == "enum":
        f.kind, f.options = "select", _enum_options(t.choices)
    elif t.base == "bool" and not t.is_list and p.default_value() is not None:
        f.kind = "checkbox"
    elif t.base == "bool":
        f.kind, f.options = "select", [("true", "yes (true)"), ("false", "no (false)")]
    elif t.base in ("int", "float"):
        f.kind, f.minimum, f.maximum = "number", t.minimum, t.maximum
        f.step = "1" if t.base == "int" else "any"
    if f.kind == "text" and t.is_list:
        f.placeholder = "several: separate with commas"
    if f.kind == "select":
        known = {v for v, _ in f.options}
        # A value given that is not among the choices (an alias, a typo) stays visible and selected.
        f.options += [(v, v) for v in values if v not in known]
        if f.multiple:  # the chosen ones first, where a long list shows them
            f.options.sort(key=lambda o: o[0] not in values)
        if not f.multiple and not (t.base == "enum" and p.default_value() is not None):
            f.options.insert(0, ("", "— choose —" if p.required else "(any)"))
    return f


def _given(request: Request, spec: registry.QuerySpec) -> dict[str, list[str]]:
    """The request's values per parameter, as typed: empty ones dropped; a scalar's last value
    (a checkbox sends its hidden ``false`` and then ``true`` when ticked), a list's every value."""
    out: dict[str, list[str]] = {}
    for k, v in request.query_params.multi_items():
        p = spec.param(k)
        if p is None or not v.strip():
            continue
        out[k] = [*out.get(k, []), v] if p.type.is_list else [v]
    return out


def clean_query(request: Request, spec: registry.QuerySpec) -> list[tuple[str, str]]:
    """The request's parameters for links (CSV, JSON, pages), without the form's noise."""
    return [(k, v) for k, vs in _given(request, spec).items() for v in vs]


def _fields(spec: registry.QuerySpec, run: Runner, values: Mapping[str, Any],
            errors: Mapping[str, str]) -> list[Field]:
    fields = []
    for p in spec.params:
        f = _field(p, _as_list(values.get(p.name, p.default_value())), run)
        f.error = errors.get(p.name)
        fields.append(f)
    return fields


def _cell(column: str, value: Any) -> dict[str, Any]:
    """A table cell: its text, a sort key, and links to evidence for task and policy ids."""
    links: list[tuple[str, str]] = []
    if column in _TASK_COLUMNS or column in _POLICY_COLUMNS:
        href = task_href if column in _TASK_COLUMNS else policy_href
        links = [(str(v), href(str(v))) for v in (value if isinstance(value, list) else [value]) if v]
    items = [_compact(v) for v in value] if isinstance(value, list) else [_compact(value)]
    text = "; ".join(items)
    sort: Any = value if isinstance(value, int | float) and not isinstance(value, bool) else text
    return {"text": text, "items": items, "links": links, "sort": sort}


def _compact(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_compact(v)}" for k, v in value.items() if v not in (None, "", []))
    if isinstance(value, list):
        return " / ".join(_compact(v) for v in value)
    return _text(value)


def _evidence(row: Mapping[str, Any]) -> tuple[str, str] | None:
    """The first place to check a row: its task, else its policy."""
    if row.get("task_id"):
        return "task", task_href(str(row["task_id"]))
    if row.get("policy_id"):
        return "policy", policy_href(str(row["policy_id"]))
    return None


def _view_links(spec: registry.QuerySpec, params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Links to the network view of this result: one per jurisdiction (a view draws one)."""
    if spec.name not in NETWORK_VIEWS:
        return []
    view, mapping = NETWORK_VIEWS[spec.name]
    common = [(mapping[k], _text(v)) for k, v in params.items() if k in mapping and v not in (None, "", [])]
    places = _as_list(params.get(JURISDICTION))
    if not places:
        return [(f"{view} (the view's default place)", f"/views/{view}?{urlencode(common)}".rstrip("?"))]
    return [(f"{view}: {p}", f"/views/{view}?{urlencode([(JURISDICTION, p), *common])}") for p in places]


def _href(path: str, query: list[tuple[str, str]], **extra: Any) -> str:
    q = [*query, *((k, _text(v)) for k, v in extra.items())]
    return path + (f"?{urlencode(q)}" if q else "")


def _result_context(request: Request, spec: registry.QuerySpec, result: registry.QueryResult,
                    limit: int, offset: int) -> dict[str, Any]:
    query = clean_query(request, spec)
    path = request.url.path
    page = result.page(offset, limit)
    rows = [{"cells": [_cell(c, row.get(c)) for c in result.columns],
             "evidence": _evidence(row)} for row in page]

    def at(o: int) -> str:
        return _href(path, query, limit=limit, offset=max(o, 0))

    total = result.total
    return {
        "columns": result.columns, "rows": rows, "total": total, "offset": offset, "limit": limit,
        "first": offset + 1 if page else 0, "last": offset + len(page),
        "prev": at(offset - limit) if offset > 0 and limit else None,
        "next": at(offset + limit) if limit and (offset + limit < total or (result.total_estimated and len(page) == limit))
        else None,
        "estimated": result.total_estimated,
        "csv": _href(path, query, format="csv"),
        "json": _href(path, query, format="json", limit=limit, offset=offset),
        "views": _view_links(spec, result.params),
        "record": total == 1 and len(result.columns) > 8,
    }


def render(request: Request, spec: registry.QuerySpec, run: Runner, *, result: registry.QueryResult | None,
           limit: int = DEFAULT_LIMIT, offset: int = 0, values: Mapping[str, Any] | None = None,
           errors: Mapping[str, str] | None = None, status: int = 200) -> HTMLResponse:
    """The page: the form (filled with ``values``: the bound parameters, or what was typed) and,
    with a ``result``, its page of rows."""
    values = result.params if values is None and result is not None else (values or {})
    errors = dict(errors or {})
    known = {p.name for p in spec.params}
    general = [f"{k}: {m}" for k, m in errors.items() if k not in known]
    sizes = sorted({*PAGE_SIZES, limit} - {0}) if limit else list(PAGE_SIZES)
    html = _env().get_template("query.html.j2").render(
        spec=spec, fields=_fields(spec, run, values, errors), general_errors=general, limit=limit, sizes=sizes,
        result=_result_context(request, spec, result, limit, offset) if result is not None else None,
        queries=sorted(registry.load_queries().values(), key=lambda s: s.name),
    )
    return HTMLResponse(html, status_code=status, headers={"Vary": "Accept", "Cache-Control": "no-cache"})


def error_page(request: Request, detail: list[dict[str, Any]]) -> Response | None:
    """The 422 answer for a browser: the page with each message beside its field; None when the
    request is not a browser's for a query page (the caller then answers JSON)."""
    spec = _page_spec(request)
    run: Runner | None = getattr(request.app.state, "run_query", None)
    if spec is None or run is None:
        return None
    query = request.query_params
    if not query:  # the page opened from a link, nothing asked yet: the empty form
        return render(request, spec, run, result=None)
    if any(not v.strip() for _, v in query.multi_items()):
        # A form sent with its empty fields: the same question without them.
        return RedirectResponse(_href(request.url.path, clean_query(request, spec)), status_code=303,
                                headers={"Vary": "Accept"})
    given = _given(request, spec)
    errors = {str(d["loc"][-1]): str(d.get("msg", "")) for d in detail if d.get("loc")}
    for k in sorted(set(query) - {p.name for p in spec.params} - set(FORM_PARAMS)):
        errors.setdefault(k, "unknown parameter; this query takes: " + ", ".join(p.name for p in spec.params))
    values: dict[str, Any] = {}
    for p in spec.params:
        raw = given.get(p.name)
        if raw is None:
            continue
        try:  # each field on its own, so every bad one is named, not just the first
            values[p.name] = bind([p], {p.name: raw})[p.name]
        except ParamError as e:
            values[p.name] = raw
            errors[p.name] = e.message  # the query's own words ("must be at least 1")
    limit = _int(query.get("limit"), DEFAULT_LIMIT)
    return render(request, spec, run, result=None, limit=limit, values=values, errors=errors, status=422)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _page_spec(request: Request) -> registry.QuerySpec | None:
    path = request.url.path
    if not path.startswith("/queries/") or not wants_html(request, request.query_params.get("format")):
        return None
    try:
        return registry.get(path.removeprefix("/queries/"))
    except registry.UnknownQuery:
        return None
