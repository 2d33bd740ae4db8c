"""Totals of filtered who-leads pages from kept per-place row counts (``facets/<file>``).

A who-leads page filtered by role, basis, agency type, class of body, topic, level or place
needs its total: counted over every responsibility that is 5-7 s at 10,000 documents and grows
with the graph. The build keeps, per place, how many rows each (topic, role, basis, agency type,
class of body) has (``facets/who_leads.cypher``, kept like the filter-free answers and forgotten
with them when a write touches the place: ``healthgov.queries.kept``); the total is their sum.
Only the topic's rows are read ('' when no topic is asked for): a few hundred per place.

Not used (the caller counts instead) for a phrase or a policy filter, or while a policy of no
place is loaded (its rows are in no place's counts).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from healthgov.queries import kept
from healthgov.queries.companions import companion

FACETS_DIR = Path(__file__).parent / "facets"
# The parameters a facet row answers for; any other set makes the total the count statement's.
ANSWERED = {"jurisdiction", "level", "topic", "role", "basis", "agency_type", "collective"}


@cache
def spec_of(name: str) -> Any | None:
    """The facet spec of a named query (``facets/<its file>``), if it has one."""
    from healthgov.queries.registry import get, parse_query

    spec = get(name)
    found = companion("facets", spec.path)
    return None if found is None else parse_query(found.text, FACETS_DIR / spec.path.name if spec.path else None)


def all_specs(names: list[str]) -> list[Any]:
    return [s for n in names if (s := spec_of(n)) is not None]


def answers(spec: Any, values: dict[str, Any]) -> bool:
    """True when every parameter not at its default is one the facet rows answer for."""
    for p in spec.params:
        value, default = values.get(p.name), p.default_value()
        if p.name not in ANSWERED and (value if value != [] else None) != (default if default != [] else None):
            return False
    return True


def total(store: Any, spec: Any, values: dict[str, Any], run_rows: Callable[[Any, dict[str, Any]], kept.Rows],
          timeout: float) -> int | None:
    """The number of rows the query ``spec`` gives for ``values``, from the kept facet rows; None
    when they cannot answer (the caller counts)."""
    facet = spec_of(spec.name)
    if facet is None or not answers(spec, values) or not kept.enabled():
        return None
    plan = kept.plan(store, facet, {"jurisdiction": list(values.get("jurisdiction") or [])},
                     lambda v: run_rows(facet, v), timeout)
    if plan is None:
        return None
    role, basis, kind, level = values.get("role"), values.get("basis"), values.get("agency_type"), values.get("level")
    with_collective = values.get("collective", True)
    n = 0
    for r in kept.stream(plan, sub=values.get("topic") or ""):
        if (role in ("any", None) or r["role"] == role) and (basis is None or r["basis"] == basis) \
                and (kind is None or r["agency_type"] == kind) and (level is None or r["level"] == level) \
                and (with_collective or not r["collective"]):
            n += r["rows"]
    return n
