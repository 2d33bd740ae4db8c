"""Indicator tables flattened into labelled rows: a table copied from a page or a PDF as one
paragraph per row, each cell written after its column's name ("领域：健康水平 指标：人均预期寿命(岁)
2015年：76.34 2020年：77.3 2030年：79.0"). A row gives one target per year column after the
policy's own year (the earlier ones are its baseline), each value read like a table cell.
"""

from __future__ import annotations

import re

from healthgov.extract.document import DocView
from healthgov.extract.facts.targets.clauses import task_of
from healthgov.extract.facts.targets.tables import parse_cell_value, split_unit
from healthgov.records import Span, Target, Task

_ROW = re.compile(r"指标\s*[:：]\s*(?P<ind>[^：:\n]{2,60}?)\s*(?=(?:19|20)\d{2}\s*年\s*[:：])")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*[:：]\s*")
# Where a row ends: the next row's first label, the end of a paragraph, or a line break that a
# value or a year label does not continue ("2015 年：" / "10.7 2020 年：9.5").
_ROW_END = re.compile(r"领域\s*[:：]|指标\s*[:：]|。|\n(?!\s*(?:(?:19|20)\d{2}\s*年\s*[:：]|[\d.≥≤<>]))")


def labelled_targets(doc: DocView, tasks: list[Task], norm: str) -> list[Target]:
    """``norm``: the simplified text with its digits normalised (``numbers.normalise_digits``)."""
    issued = doc.policy.issued_on or doc.policy.published_on
    issue_year = int(issued[:4]) if issued and issued[:4].isdigit() else None
    out: list[Target] = []
    for m in _ROW.finditer(norm, doc.body_start):
        end_m = _ROW_END.search(norm, m.end())
        end = end_m.start() if end_m else len(norm)
        labels = list(_YEAR.finditer(norm, m.end("ind"), end))
        if len(labels) < 2:
            continue
        indicator, unit = split_unit(doc.simp[m.start("ind") : m.end("ind")].strip())
        # A value runs to the next label; a year glued to the value before it ("76.342020年：")
        # starts the next label, not the value.
        cells = [(int(lab.group(1)), lab.end(), labels[k + 1].start() if k + 1 < len(labels) else end)
                 for k, lab in enumerate(labels)]
        baseline = next(((y, norm[a:b].strip()) for y, a, b in cells if issue_year and y <= issue_year), None)
        for year, a, b in cells:
            if issue_year is None or year <= issue_year:
                continue
            raw = re.sub(r"\s+", "", norm[a:b])
            if not raw:
                continue
            cmp, value, vmax, vunit, _cell_year = parse_cell_value(raw)
            out.append(Target(
                id="", text=doc.text[m.start() : end].strip(), indicator_text=indicator, comparator=cmp,
                value=value, value_max=vmax, unit=unit or vunit, year=year,
                baseline=baseline[1] if baseline else None, baseline_year=baseline[0] if baseline else None,
                task=task_of(tasks, a), span=Span(a, a + len(norm[a:b].rstrip())),
            ))
    return out
