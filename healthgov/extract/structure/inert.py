"""Lines that are not body text: annex reference lists ("附件:1.xxx / 2.xxx"), repeated
paragraphs (a 专栏 printed twice) and footnotes.
"""

from __future__ import annotations

import re

from healthgov.extract.structure.layout import Layout

_ANNEX_REF = re.compile(r"^附件\s*\d*\s*[:.、]")
LIST_ITEM = re.compile(r"^\d{1,2}\s*[.、]\s*\S")
FOOTNOTE = re.compile(r"^(\[\d+\]|【\d+】|注\s*\d*\s*[:]|注释\s*[:])")


# --- lines that are not body text ------------------------------------------------------------


def mark_lists(lay: Layout, inert: list[bool]) -> None:
    """Annex reference lists ("附件:1.xxx / 2.xxx") are not tasks."""
    n = len(lay.lines)
    i = 0
    while i < n:
        s = lay.lines[i].s
        if not inert[i] and _ANNEX_REF.match(s) and len(s) <= 80 and "。" not in s:
            inert[i] = True
            j = lay.next_content(i + 1)
            while j < n and LIST_ITEM.match(lay.lines[j].s) and len(lay.lines[j].s) <= 60 and "。" not in lay.lines[j].s:
                inert[j] = True
                j = lay.next_content(j + 1)
            i = j
            continue
        i += 1


_SPACES = re.compile(r"\s+")


_FIELD = re.compile(r"\s*[\u4e00-\u9fff][\u4e00-\u9fff \u3000]{0,5}[:：]")


def duplicates(lay: Layout, inert: list[bool]) -> list[int]:
    """Paragraphs printed twice: the later exact copy, or the shorter of two that share a long start."""
    seen: dict[str, int] = {}
    out: set[int] = set()
    # (a short field line "组 长：张三 区卫生健康局局长" may rightly repeat: one official leads two groups)
    body = [i for i, ln in enumerate(lay.lines) if not inert[i] and len(ln.s) >= 20
            and not (len(ln.s) < 40 and _FIELD.match(ln.s))]
    keys = {i: _SPACES.sub("", lay.lines[i].s) for i in body}  # each line's key, computed once
    for i in body:
        key = keys[i]
        if key in seen:
            out.add(i)
        else:
            seen[key] = i
    for x, i in enumerate(body):
        if i in out:
            continue
        a = keys[i]
        for j in body[x + 1 : x + 8]:
            if j in out or j - i > 16:
                continue
            b = keys[j]
            if a != b and a[:25] == b[:25] and not re.match(r"^[(\d一二三四五六七八九十第]", a):
                out.add(i if len(a) < len(b) else j)
    return sorted(out)
