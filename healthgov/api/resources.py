"""REST resources over the graph: policies, tasks, agencies, jurisdictions, targets, vocabularies.

Lists are the named queries of the same name (so the CLI, the query endpoints and these agree);
single resources are ``policy-summary`` and ``task-detail`` with 404 when nothing matches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import Response

from healthgov.api import evidence_pages
from healthgov.api.named import query_endpoint
from healthgov.api.schemas import (
    CSV,
    STORE_ERRORS,
    SchemeInfo,
    errors,
    page_model,
    query_page_model,
    row_model,
    table_responses,
)
from healthgov.api.tabular import (
    DEFAULT_LIMIT,
    BomParam,
    FormatParam,
    LimitParam,
    OffsetParam,
    UTF8JSONResponse,
    csv_response,
    etag_for,
    not_modified,
    table_response,
    wants_csv,
    wants_html,
    with_etag,
)
from healthgov.queries import registry

Runner = Callable[[str, dict[str, Any]], registry.QueryResult]
_VOCAB_COLUMNS = ("id", "pref_zh", "pref_en", "alt_labels", "broader", "props", "iri")
_VOCAB_PAGE = page_model("vocab", _VOCAB_COLUMNS, (("scheme", str),))


def _one_responses(query: str) -> dict[int | str, dict[str, Any]]:
    spec = registry.get(query)
    return {200: {"model": row_model(spec.name, spec.columns), "content": CSV,
                  "description": f"One object: the row of `{spec.name}` (a one-row table as CSV)."},
            **errors(404, 422, 504, *STORE_ERRORS)}


def _one(request: Request, result: registry.QueryResult, fmt: str | None, what: str, key: str,
         bom: bool | None = None) -> Response:
    if not result.rows:
        raise HTTPException(status_code=404, detail=f"no {what} {key!r}")
    if wants_html(request, fmt):  # a browser: the evidence page (format= wins, as on the query pages)
        page = evidence_pages.policy_page if what == "policy" else evidence_pages.task_page
        return page(request, result.rows[0])
    etag = etag_for(request, result.graph_version, fmt)
    unchanged = not_modified(request, etag)
    if unchanged is not None:
        return unchanged
    if wants_csv(request, fmt):
        return with_etag(csv_response(request, result.columns, result.rows[:1], bom=bom), etag)
    return with_etag(UTF8JSONResponse(result.rows[0], headers={"Vary": "Accept"}), etag)


def router(run: Runner) -> APIRouter:
    r = APIRouter(tags=["resources"])
    lists = {
        "/policies": ("policies", "Policies: loaded documents and placeholders known from citations"),
        "/agencies": ("agencies", "Agencies with type, level, jurisdiction and task counts"),
        "/jurisdictions": ("jurisdictions", "Jurisdictions with level, parent and counts"),
        "/targets": ("compare-targets", "Targets (filter by indicator, text, jurisdiction, year)"),
    }
    for path, (name, summary) in lists.items():
        spec = registry.get(name)
        r.add_api_route(path, query_endpoint(spec, run), methods=["GET"], summary=summary, response_class=Response,
                        responses=table_responses(query_page_model(spec.name, spec.columns), 422, 504, *STORE_ERRORS))

    @r.get("/policies/{policy_id}", summary="One policy: metadata, counts, lead agencies, topics, links (a browser: its evidence page)",
           response_class=Response, responses=_one_responses("policy-summary"))
    def policy(
        request: Request,
        policy_id: Annotated[str, Path(description="Policy id, document number or exact title")],
        format: FormatParam = None,
        bom: BomParam = None,
    ) -> Response:
        return _one(request, run("policy-summary", {"policy": policy_id}), format, "policy", policy_id, bom)

    # Task ids contain a slash ("p…/t19"): the path converter takes the rest of the URL.
    @r.get("/tasks/{task_id:path}", summary="One task with its source span, responsibilities, targets and tags (a browser: its evidence page)",
           response_class=Response, responses=_one_responses("task-detail"))
    def task(
        request: Request,
        task_id: Annotated[str, Path(description="Task id, e.g. pa035f2227f9f/t19")],
        format: FormatParam = None,
        bom: BomParam = None,
    ) -> Response:
        return _one(request, run("task-detail", {"task": task_id}), format, "task", task_id, bom)

    @r.get("/vocab", summary="The concept schemes (vocabularies)", tags=["vocabularies"], response_model=None,
           responses={200: {"model": list[SchemeInfo]}, **errors(500)})
    def schemes() -> list[dict[str, Any]]:
        from healthgov.ontology.vocab import load_vocabularies

        return [{"scheme": s.id, "title": s.title, "iri": s.iri, "concepts": len(s)}
                for s in sorted(load_vocabularies(), key=lambda s: s.id)]

    @r.get("/vocab/{scheme}", summary="The concepts of one scheme, with labels", tags=["vocabularies"],
           response_class=Response, responses=table_responses(_VOCAB_PAGE, 404, 422, 500))
    def vocab(
        request: Request,
        scheme: Annotated[str, Path(description="agency-type, institution-type, tier, topic, indicator or admin-level")],
        limit: LimitParam = DEFAULT_LIMIT * 10,
        offset: OffsetParam = 0,
        format: FormatParam = None,
        bom: BomParam = None,
    ) -> Response:
        from healthgov.ontology.vocab import load_vocabularies

        vocab = load_vocabularies()
        if scheme not in vocab.schemes:
            raise HTTPException(status_code=404, detail=f"no scheme {scheme!r}; schemes: {', '.join(sorted(vocab.schemes))}")
        columns = list(_VOCAB_COLUMNS)
        rows = [
            {"id": c.id, "pref_zh": c.pref_zh, "pref_en": c.pref_en, "alt_labels": list(c.alt_labels),
             "broader": list(c.broader), "props": {k: v for k, v in c.props.items()}, "iri": c.iri}
            for c in sorted(vocab[scheme], key=lambda c: c.id)
        ]
        return table_response(request, columns=columns, rows=rows, limit=limit, offset=offset, fmt=format,
                              meta={"scheme": scheme}, bom=bom)

    return r
