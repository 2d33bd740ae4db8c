"""The page layer a layout finds in its lines: a letterhead printed letter-spaced and a table of
contents. Their lines are removed from the body (``Removed`` records of kind "letterhead" and
"contents"); a task's text steps over them (``layout.PAGE_KINDS``)."""

from __future__ import annotations

import re

from healthgov.extract.dates import is_date_line
from healthgov.extract.facts.agencies import is_body_name
from healthgov.extract.structure.layout import Layout, is_heading, remove_line
from healthgov.records import Removed

# A letterhead printed letter-spaced ("佛 山 市 卫 生 健 康 局"): single characters between spaces.
_SPACED = re.compile(r"[\u4e00-\u9fff]([ \u3000]+[\u4e00-\u9fff]){3,}")


def find_letterheads(lay: Layout, removed: list[Removed]) -> None:
    """Letter-spaced body names are the letterhead, not text or a signature (a signature is
    written plain, above its date)."""
    for i, ln in enumerate(lay.lines):
        if ln.removed or not _SPACED.fullmatch(ln.s):
            continue
        k = lay.next_content(i + 1)
        if k < len(lay.lines) and is_date_line(lay.lines[k].s):
            continue
        if is_body_name(re.sub(r"\s+", "", ln.s)) or _SPACED.fullmatch(lay.lines[k].s if k < len(lay.lines) else ""):
            remove_line(lay, removed, i, "letterhead")


_CONTENTS_HEAD = re.compile(r"目\s*录|目\s*次")
_LEADER = re.compile(r"(\.{4,}|…{2,}|·{4,}|-{6,})\s*\d{1,4}$")


def find_contents(lay: Layout, removed: list[Removed]) -> None:
    """A table of contents: a "目录" line and the headings under it, up to the first heading
    printed again; or lines ending in a dot leader and a page number."""
    lines = lay.lines
    for i, ln in enumerate(lines):
        if not ln.removed and _LEADER.search(ln.s) and len(ln.s) <= 120:
            remove_line(lay, removed, i, "contents")
    for i, ln in enumerate(lines[:200]):
        if ln.removed or not _CONTENTS_HEAD.fullmatch(ln.s):
            continue
        entries: list[int] = []
        seen: set[str] = set()
        k = lay.next_content(i + 1)
        while k < len(lines):
            key = re.sub(r"\s+", "", lines[k].s)
            if key in seen or not (is_heading(lines[k].s) and len(key) <= 40):
                break
            seen.add(key)
            entries.append(k)
            k = lay.next_content(k + 1)
        if len(entries) >= 2:
            for j in [i, *entries]:
                remove_line(lay, removed, j, "contents")
        break
