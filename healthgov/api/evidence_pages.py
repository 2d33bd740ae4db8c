"""The evidence pages: a browser opening ``/policies/{id}`` or ``/tasks/{id}`` sees the facts on the text.

The same URLs answer JSON to API clients (``tabular.wants_html`` decides, as for the query
pages; ``format=`` wins). A policy page shows the document's text with every extracted fact
drawn at its span (``highlight``): tasks as a band with their number as an anchor, units by role
(lead, support) with their basis in the tooltip, targets with comparator, value, unit and year.
A task page shows its responsibilities with the rule that decided each, its targets and the lines
it came from. The text is the source file (``evidence.source_text``); without it the page says so
and lists the facts.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse

from healthgov.api.highlight import Mark, highlight, placed
from healthgov.api.pages import _env, policy_href, task_href
from healthgov.queries.document import DocumentFacts, document_facts
from healthgov.queries.evidence import source_text

# How each basis value came about, in words (docs/DESIGN.md, "Fact extraction: decisions").
BASIS = {
    "explicit": "the document says who leads: a sole unit, 牵头/配合 named, or a rule such as "
                "“列第一位的为牵头单位”",
    "convention": "a list of units and no rule: the first one listed is taken as lead, the others support",
    "shared": "joint responsibility with no single lead (共同牵头, 按职责分工负责, or co-subjects “A、B要…”)",
    "prose": "read from a sentence: the subject of a duty (“X负责/牵头/要…”, “由X负责”, “X会同Y”, “X配合Y”)",
    "scoped": "added by a rule that covers later tasks (“以下责任单位均包括X，不再列出”, a note on a section)",
    "annex": "from an annex table of tasks and units (牵头单位 / 配合单位 / 责任单位 columns)",
}
ROLE = {"lead": "lead 牵头", "support": "support 配合"}
_CONTEXT_LINES = 2  # lines of text shown before and after a task on its page
_COMPARATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "=", "about": "about", "range": "", "text": ""}


def policy_url(policy_id: str, task_id: str | None = None) -> str:
    """The policy page, at the task's anchor when a task is given."""
    return policy_href(policy_id) + (f"#{task_anchor(task_id)}" if task_id else "")


task_url = task_href


def task_anchor(task_id: str) -> str:
    return "task-" + task_id.rsplit("/", 1)[-1]


def basis_words(basis: str | None) -> str:
    return BASIS.get(basis or "", "not recorded")


def target_words(g: dict[str, Any]) -> str:
    """A target in one line: indicator, comparator, value (or range), unit, year, nature."""
    value = g.get("value")
    if g.get("comparator") == "range" and g.get("value_max") is not None:
        amount = f"{_num(value)}–{_num(g['value_max'])}"
    elif value is not None:
        amount = f"{_COMPARATORS.get(g.get('comparator') or '=', g.get('comparator'))} {_num(value)}".strip()
    else:
        amount = "(no number)"
    parts = [g.get("indicator_text") or g.get("indicator") or "target", amount + (g.get("unit") or "")]
    if g.get("target_year"):
        parts.append(f"by {g['target_year']}")
    if g.get("nature"):
        parts.append(f"({g['nature']})")
    return " ".join(p for p in parts if p)


def _num(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def unit_words(u: dict[str, Any]) -> str:
    extra = [f"basis {u.get('basis') or '?'}: {basis_words(u.get('basis'))}"]
    if u.get("implicit"):
        extra.append("implicit (not written at the task)")
    if u.get("divisions"):
        extra.append("divisions: " + "、".join(u["divisions"]))
    if u.get("collective"):
        extra.append("collective (a class of bodies)")
    return f"{u.get('agency') or u.get('written_as')} — {ROLE.get(u.get('role') or '', u.get('role'))}; " + "; ".join(extra)


def marks_of(task: dict[str, Any]) -> list[Mark]:
    """The task's band, its units and its targets, as marks."""
    tid = task["task_id"]
    out: list[Mark] = []
    if task.get("span_start") is not None and task.get("span_end") is not None:
        out.append(Mark(f"task:{tid}", task["span_start"], task["span_end"], 0, "task", f"task {task.get('number') or ''} "
                        f"{task.get('title') or ''}".strip(), tag="span", anchor=task_anchor(tid),
                        link=(task_url(tid), f"task {task.get('number') or tid}: its page", task.get("number") or "§")))
    for i, u in enumerate(task["units"]):
        if u.get("span_start") is not None and u.get("span_end") is not None:
            cls = f"unit {u.get('role')}" + (" implicit" if u.get("implicit") else "")
            out.append(Mark(f"unit:{tid}:{i}", u["span_start"], u["span_end"], 1, cls, unit_words(u)))
    out += target_marks(task["targets"])
    return out


def target_marks(targets: list[dict[str, Any]]) -> list[Mark]:
    return [Mark(f"target:{g['id']}", g["span_start"], g["span_end"], 2, "target", "target: " + target_words(g))
            for g in targets if g.get("span_start") is not None and g.get("span_end") is not None]


def who_leads_href(u: dict[str, Any], jurisdiction: str | None) -> str:
    """The agency's tasks: who-leads for its type (else its name in the text) in the same place, any role."""
    q: list[tuple[str, str]] = [("jurisdiction", jurisdiction)] if jurisdiction else []
    q += [("agency_type", u["agency_type"])] if u.get("agency_type") else [("phrase", u.get("agency") or "")]
    return "/queries/who-leads?" + urlencode([*q, ("role", "any")])


def _respond(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = _env().get_template(template).render(basis=BASIS, role=ROLE, task_url=task_url, policy_url=policy_url,
                                                policy_href=policy_href, task_href=task_href,
                                                target_words=target_words, **context)
    return HTMLResponse(html, status_code=status, headers={"Vary": "Accept", "Cache-Control": "no-cache"})


def _facts(request: Request, policy_id: str) -> DocumentFacts | None:
    return document_facts(request.app.state.store, policy_id)


def policy_page(request: Request, summary: dict[str, Any]) -> HTMLResponse:
    """The policy page: metadata, then the text with every fact drawn on it (or the facts as a list)."""
    facts = _facts(request, summary["policy_id"]) or DocumentFacts(summary["policy_id"], None, None)
    text, note = source_text(facts.source_path, facts.sha256) if summary.get("loaded") else (
        None, "this policy is known only because another document cites it: its text was not loaded")
    marks = [m for t in facts.tasks for m in marks_of(t)] + target_marks(facts.loose_targets)
    body, unplaced = None, []
    if text is not None:
        body = highlight(text, marks)
        unplaced = placed(marks, 0, len(text))[1]
    counts = {"tasks": len(facts.tasks), "units": sum(len(t["units"]) for t in facts.tasks),
              "targets": sum(len(t["targets"]) for t in facts.tasks) + len(facts.loose_targets)}
    return _respond("policy.html.j2", p=summary, facts=facts, text_html=body, note=note, counts=counts,
                    unplaced=unplaced, marks=len(marks), task_anchor=task_anchor, unit_words=unit_words)


def _excerpt(text: str, start: int, end: int) -> tuple[int, int]:
    """The lines around ``[start, end)``: whole lines, ``_CONTEXT_LINES`` more before and after."""
    a = text.rfind("\n", 0, start) + 1
    for _ in range(_CONTEXT_LINES):
        if a == 0:
            break
        a = text.rfind("\n", 0, a - 1) + 1
    b = text.find("\n", end)
    b = len(text) if b < 0 else b
    for _ in range(_CONTEXT_LINES):
        if b >= len(text):
            break
        nxt = text.find("\n", b + 1)
        b = len(text) if nxt < 0 else nxt
    return a, b


def task_page(request: Request, detail: dict[str, Any]) -> HTMLResponse:
    """The task page: its policy, text, responsibilities with their rules, targets and source lines."""
    facts = _facts(request, detail["policy_id"])
    task = (facts.task(detail["task_id"]) if facts else None) or {
        "task_id": detail["task_id"], "units": [], "targets": [], "span_start": detail.get("span_start"),
        "span_end": detail.get("span_end"), "number": detail.get("number"), "title": detail.get("title")}
    for u in task["units"]:
        u["who_leads"] = who_leads_href(u, detail.get("jurisdiction"))
        u["basis_words"] = basis_words(u.get("basis"))
    excerpt, note, lines = None, detail.get("span_note"), None
    if facts is not None and task.get("span_start") is not None:
        text, note = source_text(facts.source_path, facts.sha256)
        if text is not None and 0 <= task["span_start"] <= task["span_end"] <= len(text):
            a, b = _excerpt(text, task["span_start"], task["span_end"])
            excerpt = highlight(text[a:b], marks_of(task), offset=a)
            lines = (text.count("\n", 0, a) + 1, text.count("\n", 0, b) + 1)
        elif text is not None:
            note = f"span [{task['span_start']}, {task['span_end']}) lies outside the source text"
    return _respond("task.html.j2", d=detail, task=task, excerpt=excerpt, note=note, lines=lines,
                    back=policy_url(detail["policy_id"], detail["task_id"]), source_path=facts and facts.source_path)
