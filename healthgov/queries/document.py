"""Every extracted fact of one policy with its span: what the evidence pages draw on the text.

``policy-summary`` and ``task-detail`` answer the API; the pages also need the spans of each
responsibility and target, the divisions and collective marks, and the source file's SHA-256.
These three reads fetch them for one policy (by id), in document order; the text itself is cut
from the source file by ``healthgov.queries.evidence.source_text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from healthgov.queries.execute import read
from healthgov.queries.registry import DEFAULT_TIMEOUT

POLICY = """\
MATCH (p:Policy)
WHERE p.id = $policy
RETURN p.id AS policy_id, p.source_path AS source_path, p.sha256 AS sha256,
       p.annex_title AS annex_titles, p.annex_label AS annex_label,
       [(p)-[:IS_ANNEX_OF]->(q:Policy) | q {.id, .title}] AS annex_of,
       [(p)<-[:IS_ANNEX_OF]-(q:Policy) | q {.id, .title}] AS annexes"""

TASKS = """\
MATCH (p:Policy)-[:HAS_TASK]->(t:Task)
WHERE p.id = $policy
OPTIONAL MATCH (t)-[r:LEAD_AGENCY|SUPPORTING_AGENCY]->(a:Agency)
WITH t, r, a
ORDER BY r.order, a.name
WITH t, collect(CASE WHEN a IS NULL THEN NULL ELSE {
       agency: a.name, written_as: r.name, agency_type: a.agency_type, agency_level: a.level,
       jurisdiction: a.jurisdiction, collective: coalesce(a.collective, false),
       role: CASE type(r) WHEN 'LEAD_AGENCY' THEN 'lead' ELSE 'support' END,
       basis: r.basis, implicit: coalesce(r.implicit, false), list_order: r.order, divisions: r.divisions,
       span_start: r.span_start, span_end: r.span_end
     } END) AS units
RETURN t.id AS task_id, t.number AS number, t.title AS title, t.text AS text, t.kind AS kind,
       t.section_path AS section_path, t.span_start AS span_start, t.span_end AS span_end, units
ORDER BY t.span_start, t.id"""

TARGETS = """\
MATCH (p:Policy)-[:HAS_TASK]->(t:Task)-[:HAS_TARGET]->(g:Target)
WHERE p.id = $policy
RETURN t.id AS task_id, g {.id, .text, .indicator_text, .comparator, .value, .value_max, .unit, .target_year,
       .deadline, .baseline, .baseline_year, .nature, .note, .span_start, .span_end,
       indicator: head([(g)-[:MEASURES]->(i:Indicator) | i.id])} AS target
UNION
MATCH (p:Policy)-[:HAS_TARGET]->(g:Target)
WHERE p.id = $policy
RETURN NULL AS task_id, g {.id, .text, .indicator_text, .comparator, .value, .value_max, .unit, .target_year,
       .deadline, .baseline, .baseline_year, .nature, .note, .span_start, .span_end,
       indicator: head([(g)-[:MEASURES]->(i:Indicator) | i.id])} AS target"""


@dataclass
class DocumentFacts:
    """One policy's facts: its source file, its tasks (each with ``units`` and ``targets``) and
    the targets that belong to no task."""

    policy_id: str
    source_path: str | None
    sha256: str | None
    annex_titles: list[str] = field(default_factory=list)
    annex_label: str | None = None
    annex_of: list[dict[str, Any]] = field(default_factory=list)
    annexes: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    loose_targets: list[dict[str, Any]] = field(default_factory=list)

    def task(self, task_id: str) -> dict[str, Any] | None:
        return next((t for t in self.tasks if t["task_id"] == task_id), None)


def _divisions(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return [d for d in str(value or "").split("、") if d]


def document_facts(store: Any, policy_id: str, *, timeout: float = DEFAULT_TIMEOUT) -> DocumentFacts | None:
    """The facts of the loaded or placeholder policy ``policy_id``; None when there is none."""
    params = {"policy": policy_id}
    head = read(store, POLICY, params, timeout=timeout).dicts()
    if not head:
        return None
    h = head[0]
    facts = DocumentFacts(
        policy_id=h["policy_id"], source_path=h.get("source_path"), sha256=h.get("sha256"),
        annex_titles=[str(a) for a in (h.get("annex_titles") or [])], annex_label=h.get("annex_label"),
        annex_of=list(h.get("annex_of") or []), annexes=list(h.get("annexes") or []))
    for t in read(store, TASKS, params, timeout=timeout).dicts():
        units = sorted((u for u in t.pop("units") or [] if u),
                       key=lambda u: (0 if u["role"] == "lead" else 1, u.get("list_order") or 0))
        for u in units:
            u["divisions"] = _divisions(u.get("divisions"))
        facts.tasks.append({**t, "units": units, "targets": []})
    by_id = {t["task_id"]: t for t in facts.tasks}
    seen: set[str] = set()
    # Task targets first: a target hanging off its task and the policy too is shown once, at its task.
    rows = sorted(read(store, TARGETS, params, timeout=timeout).dicts(), key=lambda r: r["task_id"] is None)
    for r in rows:
        g = r["target"]
        if g["id"] in seen:
            continue
        seen.add(g["id"])
        owner = by_id.get(r["task_id"]) if r["task_id"] else None
        (owner["targets"] if owner else facts.loose_targets).append(g)
    for t in facts.tasks:
        t["targets"].sort(key=lambda g: (g.get("span_start") is None, g.get("span_start") or 0, g["id"]))
    facts.loose_targets.sort(key=lambda g: (g.get("span_start") is None, g.get("span_start") or 0, g["id"]))
    return facts
