"""What the API's answers look like, for the OpenAPI description (``/openapi.json``, ``/docs``).

The handlers build their JSON bodies by hand (rows straight from the graph); the models here only
document them. ``tests/test_openapi.py`` validates real answers over the seed corpus against
these schemas, so a model that drifts from the bodies fails there rather than misleading a client.

One error shape everywhere: ``{"detail": "..."}`` or, for parameter errors,
``{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}``; some errors add fields
(a 503 names the store).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

# --- errors -----------------------------------------------------------------------------------


class ErrorItem(BaseModel):
    loc: list[str | int] = Field(description="Where: e.g. [\"query\", \"role\"] or [\"body\", \"query\"].")
    msg: str = Field(description="What is wrong with it.")
    type: str = Field(description="A machine-readable kind, e.g. value_error, missing, enum.")


class Error(BaseModel):
    """Every 4xx/5xx answer of this API."""

    model_config = ConfigDict(extra="allow")

    detail: str | list[ErrorItem] = Field(
        description="A sentence, or one item per bad parameter (422)."
    )


_ERRORS: dict[int, tuple[str, dict[str, Any]]] = {
    400: ("The request cannot be run as given (e.g. Cypher that does not parse).",
          {"detail": "Neo.ClientError.Statement.SyntaxError: Invalid input 'RETURN'"}),
    403: ("Refused: the Cypher query writes, administers or loads files.",
          {"detail": "query refused: CREATE is not allowed (read-only endpoint)"}),
    404: ("No such resource.", {"detail": "no policy 'p000000000000'"}),
    413: ("The request body is over the size limit.", {"detail": "request body too large: the limit is 1000000 bytes"}),
    422: ("A parameter is missing, unknown, or has a value it cannot take.",
          {"detail": [{"loc": ["query", "role"], "msg": "Input should be 'lead', 'support' or 'any'", "type": "literal_error"}]}),
    500: ("An unexpected server error.", {"detail": "internal error (RuntimeError)"}),
    503: ("The graph store is not reachable; the body names it (never its credentials).",
          {"detail": "the graph store at bolt://127.0.0.1:7687 (bundled, database kg) is not reachable; start it and retry",
           "store": {"uri": "bolt://127.0.0.1:7687", "kind": "bundled", "database": "kg"}}),
    504: ("The query ran past its time limit.", {"detail": "query 'who-leads' did not finish within 60 s"}),
}  # fmt: skip


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries declaring ``codes`` with the one error schema, each with its own example."""
    return {code: {"model": Error, "description": _ERRORS[code][0],
                   "content": {"application/json": {"example": _ERRORS[code][1]}}} for code in codes}


# Every operation that reads the graph can meet an unreachable store or an unexpected failure.
STORE_ERRORS = (500, 503)

# --- tabular pages ------------------------------------------------------------------------------

# JSON first: Swagger UI asks for the first media type listed, and JSON is the default answer.
CSV = {"application/json": {}, "text/csv": {"schema": {"type": "string", "description": "UTF-8 CSV with a header row."}}}

# Column types by name. The query headers name their columns but not their types; a name means
# the same thing across tables unless overridden below. Checked against real rows in the tests.
_INT = {"tasks_led", "tasks_supported", "policies_issued", "tasks_total", "shared_tasks", "policies", "tasks",
        "distance", "sections", "span_start", "span_end", "tier_rank", "list_order", "target_year", "baseline_year",
        "degree", "weighted_degree", "components_created", "community", "component", "component_size",
        "rank_betweenness", "rank_eigenvector", "network_agencies", "ties", "components", "largest_component",
        "communities", "size", "internal_weight", "weight", "lead_lead", "lead_support", "support_support", "targets",
        "agencies"}  # fmt: skip
_FLOAT = {"value", "value_max", "betweenness", "eigenvector", "density", "modularity"}
_BOOL = {"loaded", "implicit", "broker", "collective"}
_STR_LIST = {"agency_names", "led_task_ids", "supported_task_ids", "topics", "partner_types", "task_ids", "chain",
             "relations", "issuers", "lead_agencies", "institution_types", "tiers", "brokers", "names", "aliases"}  # fmt: skip
_OBJ_LIST = {"implements", "implemented_by", "cites", "cited_by", "responsibilities", "obligations"}
_OVERRIDES: dict[tuple[str, str], Any] = {
    ("task-detail", "targets"): list[dict[str, Any]],
    ("communities", "agencies"): list[str],
    ("edges", "tasks"): list[str],
    ("policy-lineage", "chain_levels"): list[str | None],
    ("vocab", "alt_labels"): list[str],
    ("vocab", "broader"): list[str],
    ("vocab", "props"): dict[str, Any],
}


def column_type(table: str, column: str) -> Any:
    if (table, column) in _OVERRIDES:
        return _OVERRIDES[(table, column)]
    if column in _INT:
        return int
    if column in _FLOAT:
        return float
    if column in _BOOL:
        return bool
    if column in _STR_LIST:
        return list[str]
    if column in _OBJ_LIST:
        return list[dict[str, Any]]
    return str


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("_", "-").split("-"))


@cache
def row_model(table: str, columns: tuple[str, ...]) -> type[BaseModel]:
    """One row of ``table``: its columns typed, each possibly null (the graph may lack the value)."""
    fields: dict[str, Any] = {c: (column_type(table, c) | None, Field(None)) for c in columns}
    return create_model(f"{_camel(table)}Row", __config__=ConfigDict(extra="allow"), **fields)


@cache
def page_model(table: str, columns: tuple[str, ...], meta: tuple[tuple[Any, ...], ...] = ()) -> type[BaseModel]:
    """A page of rows as the tabular endpoints send it, with ``meta`` (name, type) fields first."""
    fields: dict[str, Any] = {m[0]: (m[1], m[2] if len(m) > 2 else ...) for m in meta}
    fields.update({
        "columns": (list[str], Field(..., description="The column names, in order (the CSV header).")),
        "total": (int, Field(..., description="Rows in the whole answer (also the X-Total-Count header).")),
        "limit": (int, ...),
        "offset": (int, ...),
        "rows": (list[row_model(table, columns)], Field(..., description="This page of rows.")),
    })
    return create_model(f"{_camel(table)}Page", **fields)


def query_page_model(name: str, columns: tuple[str, ...]) -> type[BaseModel]:
    return page_model(name, columns, _QUERY_META)


# One object, so page_model's cache knows it again.
_QUERY_META = (("query", str), ("params", dict[str, Any]), (
    "total_estimated", bool, Field(False, description="True when `total` is an estimate from a sample (a "
                                   "filter-free search of a large graph; also the X-Total-Estimated header), "
                                   "not a count.")))


def table_responses(model: type[BaseModel], *error_codes: int) -> dict[int | str, dict[str, Any]]:
    return {200: {"model": model, "content": CSV,
                  "description": "A page of rows (JSON); with `?format=csv` or `Accept: text/csv`, CSV of every "
                                 "row (only a page when `limit` is given). X-Total-Count gives the total."},
            **errors(*error_codes)}


# --- other bodies ---------------------------------------------------------------------------------


class ParamInfo(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str
    type: str = Field(description="str, int, bool, zh, enum(...), concept(scheme), list[...]")
    required: bool
    default: Any = None
    choices: list[str] | None = None
    scheme: str | None = None
    description: str


class QueryInfo(BaseModel):
    name: str
    description: str
    params: list[ParamInfo]
    columns: list[str]
    notes: str


class SchemeInfo(BaseModel):
    scheme: str
    title: str
    iri: str
    concepts: int


class StoreInfo(BaseModel):
    model_config = ConfigDict(extra="allow")
    uri: str = Field(description="The store's address without user or password.")
    kind: str | None
    database: str | None
    engine: str | None = None
    counts: dict[str, int] | None = None


class Health(BaseModel):
    status: str
    version: str
    store: StoreInfo
    cache: dict[str, Any] = Field(description="The query cache's statistics, or {\"enabled\": false}.")


class CypherLimits(BaseModel):
    read_only: bool
    timeout_seconds: float
    row_cap: int


class CypherResult(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]]
    row_count: int
    truncated: bool = Field(description="True when the row cap cut the result.")
    limits: CypherLimits


# --- parameter examples ---------------------------------------------------------------------------

# Values that give rows over the seed corpus (corpus/); shown in /docs and filled by "Try it out".
# tests/test_openapi.py runs every named query with them.
EXAMPLES: dict[str, Any] = {
    "jurisdiction": ["重庆市"],
    "agency_type": "health-commission",
    "topic": "primary-care",
    "tier": "county",
    "indicator": "每千人口执业(助理)医师数",
    "text": "医师",
    "year": 2027,
    "phrase": "医疗服务价格",
    "policy": "pa035f2227f9f",
    "policy_id": "pa035f2227f9f",
    "task": "pa035f2227f9f/t1",
    "task_id": "pa035f2227f9f/t1",
    "scheme": "agency-type",
    "min_shared": 2,
    "name": "lineage",
    "level": "city",
}


def example(name: str, schema: dict[str, Any] | None = None) -> Any:
    """The example for a parameter called ``name`` with JSON schema ``schema``; None if none is known."""
    if name in EXAMPLES:
        return EXAMPLES[name]
    alternatives = [schema or {}, *(schema or {}).get("anyOf", [])]
    if any(s.get("type") == "boolean" for s in alternatives):
        return True
    return None
