"""Quantitative targets: in task text, in goal sections and in indicator tables.

Running text: a value with a unit ("35%", "60—80个", "3.39人", "1.5万人") is a target when its
clause says so (a comparator or target verb, a target year) and it is not a date, a document
number, a ratio's denominator ("每3万人"), a population qualifier ("65岁以上老年人") or a
condition ("服务人口低于800人的行政村"). Statements about the past are not targets: numbers in
background sections (规划背景 / 工作基础 ...) and numbers anchored to a year before the policy
was issued are skipped (the indicator tables give baselines explicitly).

Quantified norms: the amounts of a regulation's or a law's provisions (rates, caps, durations,
counts) and time limits and frequencies stated without a target year anywhere ("2小时内报告",
"每周1次") are kept with the same grammar, ``kind="norm"``: standing rules a researcher compares
across places, not goals.

Tables: a table whose header names 指标 is an indicator table; each row gives one target with
baseline, baseline year, target, target year, unit and nature as the header tells.
"""

from __future__ import annotations

from healthgov.extract.document import DocView
from healthgov.extract.facts.targets.indicators import resolve_indicator
from healthgov.extract.facts.targets.labelled import labelled_targets
from healthgov.extract.facts.targets.layer_rows import aligned_row_targets
from healthgov.extract.facts.targets.phrases import text_targets
from healthgov.extract.facts.targets.tables import table_targets
from healthgov.extract.numbers import normalise_digits
from healthgov.records import Span, Target, Task

# Units of a time limit or a frequency: without a target year, a quantity in them is a standing rule.
NORM_UNITS = frozenset({"小时", "分钟", "日", "天", "工作日", "个工作日", "周", "个月", "月", "次", "年"})


def extract_targets(doc: DocView, tasks: list[Task], policy_id: str) -> list[Target]:
    """Every quantitative target of the document, ids ``{policy_id}/g{n}`` in document order."""
    rows: list[Span] = []  # the text-layer rows and their notes, exactly
    norm = normalise_digits(doc.simp)  # digits normalised once, for every reader below
    cells = labelled_targets(doc, tasks, norm)
    labelled = cells + aligned_row_targets(doc, tasks, norm, rows)
    # a labelled row's values are read once, as the table's (its label up to 40 characters before
    # a value's cell); a text-layer row's and its note's exactly (a sentence may end right before)
    rows += [Span(g.span.start - 40, g.span.end) for g in cells if g.span is not None]
    text = [g for g in text_targets(doc, tasks, norm)
            if not (g.span and any(r.start <= g.span.start < r.end for r in rows))]
    targets = text + table_targets(doc, tasks) + labelled
    # A regulation's provisions state rules (payment standards, 元/日, reimbursement ratios,
    # ceilings, time limits): norms, not goals (``facts.provisions``).
    rules = [t.span for t in tasks if t.kind == "provision"]
    for g in targets:
        in_rule = g.span is not None and any(r.start <= g.span.start < r.end for r in rules)
        # Without a target year, a time limit or a frequency is a standing rule (measured on the
        # gold: kind right 0.91 this way, 0.87 calling every quantity without a year a norm).
        # (a count under a frequency, "次/周", is a frequency: its head unit decides)
        head = g.unit.split("/")[0] if g.unit else None
        if in_rule or (g.year is None and head in NORM_UNITS and g.comparator in ("<=", ">=", "=", "range")):
            g.kind = "norm"
    for t in targets:
        if t.indicator is None and t.indicator_text:
            t.indicator = resolve_indicator(t.indicator_text)
    targets.sort(key=lambda t: (t.span.start if t.span else 0))
    for n, t in enumerate(targets, 1):
        t.id = f"{policy_id}/g{n}"
    return targets
