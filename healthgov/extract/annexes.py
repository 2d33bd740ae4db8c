"""Annexes: the annexes a plan lists, the number of a document that is itself an annex file, and
the jurisdiction an annex takes from its plan.

A plan lists its annexes at the end of the body ("附件：1.X" then "2.Y" on the next lines, or
"附件：X" for one), by label on their own lines ("附件1：X"), inline ("（附件1：X）") or as a web
page's file list ("附件1：X.docx", cleaning's ``attachment`` chrome). The body's list wins; the
inline references and then the file list are read only when the body lists none (a page's file
list also holds what is not an annex: "《…》政策解读.doc"). A notice's "附件：《the plan it
issues》" is the document itself, not an annex.

A document is an annex file when its first line is "附件N" (or "附件N：", or "附件N：title")
above its title: ``annex_label`` "附件N" (Chinese numerals as digits).

``adopt_plan``: a build that loads an annex file and the plan listing it gives the annex the
plan's jurisdiction (and level), its agencies resolved again in it (``resolve_agency``).
"""

from __future__ import annotations

import re

from healthgov.extract.facts.agencies import resolve_agency
from healthgov.extract.numbers import parse_chinese_int
from healthgov.extract.structure.layout import Layout
from healthgov.ids import WS, normalise_title
from healthgov.records import DocumentRecord, Jurisdiction

_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
# On the normalised line (full-width ：（） already half-width).
_LIST_HEAD = re.compile(r"^附件\s*[:]\s*(?P<rest>.*)$")
_ITEM = re.compile(r"^(?P<n>\d{1,2})\s*[.、]\s*(?P<t>\S.*)$")
_LABELLED = re.compile(rf"^附件\s*(?P<n>{_NUM})\s*[:.、]\s*(?P<t>\S.*)$")
_INLINE = re.compile(rf"附件\s*(?P<n>{_NUM})\s*[:]\s*(?P<t>[^();]+?)\s*(?=[);]|$)")
_LABEL_LINE = re.compile(rf"^附件\s*(?P<n>{_NUM})?\s*[:]?\s*(?P<t>.*)$")
_EXT = re.compile(r"\s*\.(docx?|wps|pdf|xlsx?|et|ofd|txt|rar|zip|7z|html?)\s*$", re.I)
_QUOTES = str.maketrans({"「": "“", "『": "“", "」": "”", "』": "”", "〝": "“", "〞": "”", "＂": '"'})
_QUOTE_CHARS = re.compile(r"[“”\"‘’'「」『』]")
Item = tuple[int | None, str]


def _number(n: str | None) -> int | None:
    if not n:
        return None
    return int(n) if n.isdigit() else parse_chinese_int(n)


def clean_annex_title(raw: str) -> str:
    """"附件1：省级相关部门"将健康融入所有政策"职责清单.docx" → 省级相关部门“将健康融入所有政策”职责清单."""
    s = raw.strip(WS)
    s = re.sub(rf"^附件\s*{_NUM}?\s*[:：.．、]?\s*", "", s)
    s = re.sub(r"^\d{1,2}\s*[.．、]\s*", "", s)
    s = _EXT.sub("", s).strip(WS)
    s = s.rstrip("。；;，,").translate(_QUOTES)
    # Straight double quotes alternate: open, close.
    parts = s.split('"')
    if len(parts) % 2 == 1 and len(parts) > 1:
        s = "".join(p + ("“" if k % 2 == 0 else "”") if k < len(parts) - 1 else p for k, p in enumerate(parts))
    return s


def annex_key(title: str) -> str:
    """What an annex title is matched on: the title key (``normalise_title``) without quotes."""
    return _QUOTE_CHARS.sub("", normalise_title(clean_annex_title(title)))


def label_number(label: str | None) -> int | None:
    """"附件1" → 1, "附件" → None."""
    m = re.match(rf"^附件\s*({_NUM})", label or "")
    return _number(m.group(1)) if m else None


def _raw(lay: Layout, i: int, start: int, end: int | None = None) -> str:
    """The original text of line ``i`` from offset ``start`` of its normalised form."""
    ln = lay.lines[i]
    return lay.text[ln.start + start : ln.start + (len(ln.s) if end is None else end)]


def _body_list(lay: Layout, i: int) -> tuple[list[Item], int]:
    """The items of a "附件：…" list starting at line ``i``; the line after it."""
    m = _LIST_HEAD.match(lay.lines[i].s)
    assert m is not None
    rest = m.group("rest")
    items: list[Item] = []
    j = i + 1
    if rest:
        first = _ITEM.match(rest)
        if first is None:
            return [(None, _raw(lay, i, m.start("rest")))], j
        items.append((int(first.group("n")), _raw(lay, i, m.start("rest"))))
    while True:
        k = lay.next_content(j)
        if k >= len(lay.lines):
            break
        nxt = _ITEM.match(lay.lines[k].s)
        expected = (items[-1][0] or 0) + 1 if items else 1
        if nxt is None or int(nxt.group("n")) != expected or len(lay.lines[k].s) > 80 or "。" in lay.lines[k].s:
            break
        items.append((expected, _raw(lay, k, 0)))
        j = k + 1
    return items, j


def listed_annexes(lay: Layout, own_titles: list[str]) -> list[str]:
    """The titles of the annexes a document lists, in number order (see the module)."""
    body: list[Item] = []
    inline: list[Item] = []
    files: list[Item] = []
    i = 0
    while i < len(lay.lines):
        ln = lay.lines[i]
        if "附件" not in ln.s:
            i += 1
            continue
        if ln.removed:
            m = _LABELLED.match(ln.s)
            if m and _EXT.search(ln.s):
                files.append((_number(m.group("n")), _raw(lay, i, m.start("t"))))
            i += 1
            continue
        if _LIST_HEAD.match(ln.s) and len(ln.s) <= 120 and "。" not in ln.s:
            items, i = _body_list(lay, i)
            body += items
            continue
        m = _LABELLED.match(ln.s)
        if m and len(ln.s) <= 80 and "。" not in ln.s:
            (files if _EXT.search(ln.s) else body).append((_number(m.group("n")), _raw(lay, i, m.start("t"))))
        else:
            inline += [(_number(x.group("n")), _raw(lay, i, x.start("t"), x.end("t")))
                       for x in _INLINE.finditer(ln.s) if x.start() > 0]
        i += 1
    own = {annex_key(t) for t in own_titles if t}
    for items in (body, inline, files):
        titles = _ordered(items, own)
        if titles:
            return titles
    return []


def _ordered(items: list[Item], own: set[str]) -> list[str]:
    """Clean titles, one per number and per title (the first wins), numbered ones in number order."""
    by_number: dict[int, str] = {}
    unnumbered: list[str] = []
    seen: set[str] = set()
    for n, raw in items:
        title = clean_annex_title(raw)
        key = annex_key(title)
        if not key or key in own or key in seen or (n is not None and n in by_number):
            continue
        seen.add(key)
        if n is None:
            unnumbered.append(title)
        else:
            by_number[n] = title
    return [by_number[n] for n in sorted(by_number)] + unnumbered


def annex_label(lay: Layout, title: str) -> str | None:
    """"附件1" when the document opens with 附件N above its title, or with "附件N：its title"
    (it is an annex file); None otherwise."""
    first = lay.next_content(0)
    m = _LABEL_LINE.match(lay.lines[first].s) if first < len(lay.lines) else None
    if m is None:
        return None
    if m.group("t"):
        if annex_key(m.group("t")) != annex_key(title):
            return None  # "附件：1.X …": a list of annexes, not a label
    elif not lay.title_groups or first >= lay.title_groups[0][0]:
        return None
    n = _number(m.group("n"))
    return f"附件{n}" if n is not None else "附件"


def adopt_plan(rec: DocumentRecord, plan_id: str, jurisdiction: Jurisdiction | None) -> None:
    """Make ``rec`` (an annex file) the annex of ``plan_id``: it takes the plan's jurisdiction
    (when the plan has one) and its issuers and responsible units are resolved again in it."""
    pol = rec.policy
    pol.annex_of = plan_id
    if jurisdiction is None:
        return
    juris = Jurisdiction(jurisdiction.name, jurisdiction.level, jurisdiction.parent)
    pol.jurisdiction = juris
    pol.issuers = [resolve_agency(ref.name, juris) for ref in pol.issuers]
    for task in rec.tasks:
        for r in task.responsibilities:
            ref = resolve_agency(r.name, juris)
            r.agency_type, r.level, r.jurisdiction = ref.agency_type, ref.level, ref.jurisdiction
            r.name_form = None if r.collective else ref.name_form
