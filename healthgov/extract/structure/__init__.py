"""Sections, tables and tasks of a policy document.

Headings (GB/T 9704 and plan forms), by rank: 第X部分/篇 < 第X章 < 第X节 < 第X条 < 一、 < (一) <
1. < (1) < ①; 专栏 boxes sit beside the items they follow; 附件N starts an annex. A heading may
carry its text on the same line ("(一)完善XX。text..."): its title is then the first sentence.

Tasks are the lowest numbered items that carry content:
- a numbered paragraph ("1.高标准推进...。text...(责任单位:...)") is a task;
- a heading whose body paragraphs are unnumbered ("(一)加强学生心理健康教育" + paragraphs, a
  第X节 of plain paragraphs) is itself the task, its text running to the next heading;
- each paragraph of a 专栏 box is a task (a box lists named projects; numbered "专栏2/1", ...);
- items under background, principle and goal sections are not tasks (``NOT_TASK_TITLE``), they
  stay sections so the target extractor can read goal sections.
Headings that are not tasks are sections; a task's ``section`` is its innermost section.

Repeated paragraphs (a 专栏 printed twice) are recorded as ``Removed(kind="duplicate")``; tables
are TAB-separated rows or flattened one-cell-per-line tables rebuilt by the header's columns.
"""

from __future__ import annotations

import re

from healthgov.extract.clean import PAGE_KINDS
from healthgov.extract.document import Table
from healthgov.extract.facts.provisions import MIN_ARTICLES
from healthgov.extract.structure.headings import (
    ACTION_START,
    NOT_TASK_TITLE,
    Head,
    build_tree,
    depth,
    find_headings,
    first_sentence,
    heading_path,
    innermost_section,
    mark_ends,
    section_kind,
    task_end,
)
from healthgov.extract.structure.inert import FOOTNOTE, duplicates, mark_lists
from healthgov.extract.structure.layout import Layout, build_layout
from healthgov.extract.structure.tables import find_tables
from healthgov.ids import to_simplified
from healthgov.records import Removed, Section, Span, Task


def parse_structure(
    text: str, simp: str, removed: list[Removed], policy_id: str, layout: Layout | None = None,
    regulation: bool = False,
) -> tuple[list[Section], list[Table], list[Task], int]:
    """Sections, tables and tasks (ids ``{policy_id}/s{n}``, ``/t{n}``), and where the body starts.

    ``regulation``: the title names a regulation (``facts.provisions.is_regulation_title``); when
    the body is organised in 第X条 articles too, the articles are provisions (see
    ``_provision_heads``). Appends ``Removed(kind="duplicate")`` records to ``removed`` for
    repeated paragraphs.
    """
    lay = layout or build_layout(text, simp, removed)
    inert, tables, table_lines = _inert_lines(lay, text, removed)
    heads = find_headings(lay, inert)
    articles = _provision_heads(heads) if regulation else None
    if articles is not None:
        heads = articles
    root = build_tree(heads)
    _fold_enumerations(lay, heads)
    mark_ends(lay, inert, heads, table_lines)
    for h in heads:
        title = to_simplified(h.title).rstrip("。")
        # A short goal/principle title is not a task even if it starts like an action ("发展目标").
        # A regulation's articles are provisions in every chapter (总则 and 附则 included).
        goal_like = articles is None and bool(NOT_TASK_TITLE.search(title)) and (
            not ACTION_START.match(title) or len(title) <= 6)
        h.excluded = bool(goal_like or h.kind == "annex") or (
            h.parent is not None and h.parent.excluded
        )
    tasks_raw = _raw_tasks(lay, inert, heads)
    sections = _sections(heads, policy_id)
    tasks: list[Task] = []
    for sec_head, number, path, title, start, end in sorted(tasks_raw, key=lambda t: t[4]):
        sh = sec_head
        while sh is not None and sh.is_task:
            sh = sh.parent
        tid = f"{policy_id}/t{len(tasks) + 1}"
        kind = "provision" if articles is not None and path and path[-1].endswith("条") else "task"
        tasks.append(Task(tid, sh.section_id if sh else None, path, number, title, lay.text_between(start, end), Span(start, end),
                          kind=kind))
    for t in tables:
        t.section = innermost_section(sections, t.span.start)
    del root
    return sections, tables, tasks, lay.body_start


# Clause headings an article may enumerate: they stay its text in a regulation.
_CLAUSE_KINDS = frozenset({"h1", "h2", "h3", "h4", "h5", "enum"})
# Headings that close an article: the next article, a chapter, a box, an annex.
_ARTICLE_CLOSERS = frozenset({"part", "chapter", "section", "article", "box", "annex"})


# "下列人员应当优先接种：" / "主要包括以下内容：": what follows is an enumeration inside the item.
_ENUM_LEAD = re.compile(r"(下列|以下|如下)[^：:。]{0,16}[：:]$")
_ENUM_ITEM_MAX = 60


def _fold_enumerations(lay: Layout, heads: list[Head]) -> None:
    """Short items listed under "下列…：" are the enumeration of the item above them, not tasks of
    their own: they stay its text (issue 25). Items that carry sentences of their own stay items."""
    folded: set[int] = set()  # ids of folded heads (a Head compares by value: identity is meant)
    for h in list(heads):
        kids = h.children
        if not kids or any(k.children for k in kids) or id(h) in folded:
            continue
        prev = lay.prev_content(kids[0].line - 1)
        if prev < h.line or not _ENUM_LEAD.search(lay.lines[prev].s):
            continue
        if any(len(lay.lines[k.line].s) > _ENUM_ITEM_MAX or "。" in lay.lines[k.line].s[:-1] for k in kids):
            continue
        h.children = []
        folded.update(id(k) for k in kids)
    if folded:
        heads[:] = [h for h in heads if id(h) not in folded]


def _provision_heads(heads: list[Head]) -> list[Head] | None:
    """A regulation's headings without the clauses enumerated inside its articles, or None when
    the body is not organised in articles (fewer than ``MIN_ARTICLES``)."""
    if sum(h.kind == "article" for h in heads) < MIN_ARTICLES:
        return None
    out: list[Head] = []
    in_article = False
    for h in heads:
        if h.kind in _ARTICLE_CLOSERS:
            in_article = h.kind == "article"
        elif in_article and h.kind in _CLAUSE_KINDS:
            continue
        out.append(h)
    return out


def _inert_lines(lay: Layout, text: str, removed: list[Removed]) -> tuple[list[bool], list[Table], set[int]]:
    """Which lines are not body text (header, signatures, lists, tables, duplicates, footnotes);
    the tables; the lines of the tables."""
    n = len(lay.lines)
    body0 = lay.body_start_line
    inert = [False] * n
    for i in range(min(body0, n)):
        inert[i] = True
    for sig in lay.signatures:
        for i in range(sig.first, min(sig.last + 1, n)):
            inert[i] = True
    for i, ln in enumerate(lay.lines):
        if ln.removed:
            inert[i] = True
    mark_lists(lay, inert)
    before_tables = list(inert)
    tables = find_tables(lay, inert)
    table_lines = {i for i in range(n) if inert[i] and not before_tables[i]}
    dups = duplicates(lay, inert)
    for i in dups:
        ln = lay.lines[i]
        removed.append(Removed("duplicate", text[ln.start : ln.end], Span(ln.start, ln.end)))
        inert[i] = True
    footnote = [not inert[i] and bool(FOOTNOTE.match(lay.lines[i].s)) and i > body0 for i in range(n)]
    for i in range(n):
        if footnote[i]:
            inert[i] = True
    return inert, tables, table_lines


_RawTask = tuple[Head | None, str, list[str], str, int, int]  # (section head, number, path, title, start, end)


def _raw_tasks(lay: Layout, inert: list[bool], heads: list[Head]) -> list[_RawTask]:
    """The tasks: each paragraph of a box, and every heading without sub-headings that carries text."""
    n = len(lay.lines)
    tasks_raw: list[_RawTask] = []
    for h in heads:
        kids = [c for c in h.children if c.kind != "box"]
        if h.kind == "box":
            if h.excluded:
                continue
            k = 0
            for i in range(h.line + 1, n):
                ln = lay.lines[i]
                if ln.start >= h.end:
                    break
                if inert[i] or ln.blank:
                    continue
                k += 1
                tasks_raw.append((h, str(k), heading_path(h) + [str(k)], first_sentence(lay.text[ln.start : ln.end]), ln.start, ln.end))
            continue
        if kids and not h.excluded and h.kind not in ("annex", "part"):
            intro = _intro(lay, inert, h, kids[0])
            if intro is not None:
                tasks_raw.append((h.parent, h.number, heading_path(h), h.title, h.start, intro))
        if kids or h.excluded or h.kind in ("annex", "part"):
            continue
        start, end = h.start, task_end(lay, inert, h, heads)
        if end <= h.title_end and not h.inline:
            continue  # a bare heading with nothing under it
        h.is_task = True
        tasks_raw.append((h.parent, h.number, heading_path(h), h.title, start, end))
    return tasks_raw


def _intro(lay: Layout, inert: list[bool], h: Head, first: Head) -> int | None:
    """Where a section's own text before its first item ends, when it has a paragraph of its own
    ("（二）规范开展疫情处置 / 市、区卫生健康行政部门…组织做好…。/ 1.流行病学调查 …"): such a
    paragraph states the section's duties, so the section is a task too. None when the heading is
    followed directly by its items or by a paragraph that gives no one a duty. (Imported here: the
    prose grammar reads text, it does not depend on the structure.)"""
    body = [i for i in range(h.line + 1, first.line) if not inert[i] and not lay.lines[i].blank
            and lay.lines[i].kind not in PAGE_KINDS and not lay.lines[i].removed]
    if not body or sum(len(lay.lines[i].s) for i in body) < 30:
        return None
    # A description of what follows ("绩效考核指标体系由…构成") is not a task: only a paragraph that
    # names who is to do something (the prose duty grammar) makes the section a task of its own.
    from healthgov.extract.facts.responsibilities.prose_subjects import find_duties

    end = lay.lines[body[-1]].end
    if any(_GOAL_LABEL.match(lay.lines[i].s) for i in body):
        return None  # background and goals ("行动目标：到2030年…"), read by the target extractor
    if not find_duties(lay.simp[lay.lines[body[0]].start : end]):
        return None
    return end


_GOAL_LABEL = re.compile(r"\s*(?:行动|工作|主要|总体|发展|具体)?目标\s*[:：]")


def _sections(heads: list[Head], policy_id: str) -> list[Section]:
    """Every heading that is not a task is a section."""
    sections: list[Section] = []
    for h in heads:
        if h.is_task:
            continue
        h.section_id = f"{policy_id}/s{len(sections) + 1}"
        parent = h.parent
        while parent is not None and parent.is_task:
            parent = parent.parent
        sections.append(
            Section(h.section_id, section_kind(h.kind), h.number, h.title, depth(h), parent.section_id if parent else None,
                    Span(h.start, max(h.end, h.title_end)))
        )
    return sections
