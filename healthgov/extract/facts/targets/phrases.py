"""Targets in running text: a value with a unit whose clause says it is a target (a comparator
or target verb, a target year), not a date, a ratio's denominator, a population qualifier or a
condition; nothing from background sections or years before the policy was issued.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from healthgov.extract.document import DocView
from healthgov.extract.facts.targets.clauses import (
    PLAN_ANCHOR,
    YEAR_ANCHOR,
    clause_bounds,
    para_start,
    sentence_end,
    sentence_start,
    task_of,
)
from healthgov.extract.facts.targets.comparators import find_comparator, find_values
from healthgov.extract.facts.targets.cues import (
    bracket_after_target,
    continues_list,
    in_baseline_note,
    in_definition,
    is_target,
    reported,
)
from healthgov.extract.facts.targets.grammar import PRE_PHRASES
from healthgov.extract.facts.targets.indicators import indicator_for, split_subjects
from healthgov.extract.facts.targets.tables import is_indicator_table, table_notes
from healthgov.extract.numbers import (
    five_year_plan_end,
)
from healthgov.ids import to_simplified
from healthgov.records import Span, Target, Task

_BACKGROUND = re.compile(r"背景|基础|现状|回顾|成就|成效|进展|形势|挑战|机遇")
_GOAL = re.compile(r"目标|指标|总体要求|总体思路")


@dataclass
class _Anchor:
    pos: int
    year: int | None
    deadline: str | None
    future: bool  # 到/前/底: a target anchor, not a statement about the past
    # "到2022年和2030年": the second year of a pair names the first too (``_respective``).
    first_of_pair: int | None = None
    # The year opens its clause ("到2022年，…"), rather than sits inside one ("…，并于2030年实现…"):
    # only an opening year reaches on into the next sentences of its paragraph.
    opens: bool = True
    aim: bool = False  # "力争到2030年，…": the sentence's plain values are aspirations


_PAIR_HEAD = re.compile(r"((?:19|20)\d{2})\s*年\s*(?:和|、|及|与)\s*$")
# A year a change is measured from ("在2019年基础上提高10%", "比2015年降低10%", "与2020年相比") is
# a baseline, not the year of the target.
_BASE_AFTER = re.compile(r"\s*(?:的)?(?:基础上|水平上|相比|为基数|为基准)")
_BASE_BEFORE = re.compile(r"(?:比|较)\s*$")


def _anchors(norm: str, start: int, end: int) -> list[_Anchor]:
    out = []
    for m in YEAR_ANCHOR.finditer(norm, start, end):
        if _BASE_AFTER.match(norm, m.end()) or (not m.group("pre") and _BASE_BEFORE.search(norm, max(0, m.start() - 2), m.start())):
            continue
        fine = (m.group("fine") or "").strip()
        post = (m.group("post") or "").strip()
        # "2025年底前", "到2024年6月底前": keep the finer deadline as written.
        deadline = m.group(0).strip() if (fine or post) else None
        if deadline and deadline[0] in "到至在":
            deadline = deadline.lstrip("到至在截止力争 ")
        # 截至 is a cut-off of what is reported ("截至2018年底，…占总人口的17.9%"), not a deadline
        future = (bool(m.group("pre") and m.group("pre") not in ("在", "截至", "截止", "截止到")) or bool(post)
                  or ("底" in fine or "末" in fine) and not (m.group("pre") or "").startswith("截"))
        pair = None if m.group("pre") else _PAIR_HEAD.search(norm, max(start, m.start() - 12), m.start())
        out.append(_Anchor(m.start(), int(m.group("y")), deadline, future, int(pair.group(1)) if pair else None,
                           _opens(norm, start, m.start()), (m.group("pre") or "").startswith("力争")))
    for m in PLAN_ANCHOR.finditer(norm, start, end):
        out.append(_Anchor(m.start(), five_year_plan_end(m.group(0)), m.group(0).strip("到至“”\""), True))
    return sorted(out, key=lambda a: a.pos)


def _opens(norm: str, lo: int, pos: int) -> bool:
    """Nothing but other years and their connectives stands between pos and its clause's start."""
    a = pos
    while a > lo and norm[a - 1] not in "，,；;。：:！？\n":
        a -= 1
    return not re.sub(r"[\s和、及与]", "", YEAR_ANCHOR.sub("", norm[a:pos]))


def _issue_year(doc: DocView) -> int | None:
    d = doc.policy.issued_on or doc.policy.published_on
    return int(d[:4]) if d and d[:4].isdigit() else None


_TOC_LINE = re.compile(r"(?m)^[^\n]*(?:[…·.]{6,}|…{3,})\s*\d{1,3}[^\n]*$")


def _excluded_ranges(doc: DocView) -> list[tuple[int, int]]:
    ranges = [(r.span.start, r.span.end) for r in doc.removed]
    for s in doc.sections:
        title = to_simplified(s.title)
        if _BACKGROUND.search(title) and not _GOAL.search(title):
            ranges.append((s.span.start, s.span.end))
    for t in doc.tables:
        ranges.append((t.span.start, t.span.end))
        if is_indicator_table(t):
            ranges += [(a, b) for _n, a, b in table_notes(doc, t)]
    # A table of contents ("（十）老年健康促进行动……76") and the summary printed after an entry
    # on its line: an overview, its numbers are the sections' own.
    ranges += [(m.start(), m.end()) for m in _TOC_LINE.finditer(doc.simp, doc.body_start)]
    return ranges


def _in(ranges: list[tuple[int, int]], pos: int) -> bool:
    return any(a <= pos < b for a, b in ranges)


# A goal paragraph opened by a label line rather than a heading ("行动目标：", "工作目标：到2025年…"):
# the label starts a line; the paragraph runs to the next sub-heading ("——个人和家庭："), a label
# line ("主要任务："), the next task or the next section.
_GOAL_LABEL = re.compile(r"(?m)^[ \t\u3000]*[\u4e00-\u9fff]{0,4}目标[ \t\u3000]*[:：]")
_LABEL_END = re.compile(r"\n[ \t\u3000]*(?:——|[\u4e00-\u9fff]{2,10}[:：][ \t\u3000]*\n)")


def _scan_regions(doc: DocView, tasks: list[Task], norm: str) -> list[tuple[int, int]]:
    """Task texts, goal sections and goal paragraphs, merged and in document order.

    A task reads on to the next task or heading of its section: the text after an item's first
    lines (an item broken by the page layer, a closing paragraph of the section) is still the
    section's requirements, never its background (background sections are excluded anyway)."""
    starts = sorted({t.span.start for t in tasks} | {s.span.start for s in doc.sections})
    regions = []
    for t in tasks:
        inner = [s for s in doc.sections if s.span.start <= t.span.start < s.span.end]
        end = t.span.end
        if inner:
            sec_end = min(s.span.end for s in inner)
            nxt = next((x for x in starts if x >= t.span.end), sec_end)
            end = max(end, min(nxt, sec_end))
        regions.append((t.span.start, end))
    for s in doc.sections:
        title = to_simplified(s.title)
        if _GOAL.search(title) and not _BACKGROUND.search(title):
            regions.append((s.span.start, s.span.end))
    for m in _GOAL_LABEL.finditer(norm, doc.body_start):
        stop = _LABEL_END.search(norm, m.end())
        ends = [x for x in starts if x > m.start()] + [stop.start() if stop else len(norm)]
        regions.append((m.start(), min(ends)))
    regions.sort()
    merged: list[tuple[int, int]] = []
    for a, b in regions:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _para(norm: str, pos: int, lo: int) -> int:
    """Where the paragraph of pos starts, for its year anchor: a line that ends in a clause
    separator ("…低于14%和10%；" / "合格碘盐…") runs on into the next (a list broken over lines,
    not a new paragraph)."""
    a = para_start(norm, pos, lo)
    while a > lo and norm[: a - 1].rstrip()[-1:] in ("；", ";", "，", ",", "、"):
        a = para_start(norm, a - 1, lo)
    return a


_ROW_CLOSE = re.compile(r"(?:预期性|约束性|倡导性)\s*(?:\d{1,3}\s)?")
_FREQUENCY = re.compile(r"每\s*(?P<n>\d+(?:\s*[~～\-—]\s*\d+)?|[一两二三四五六七八九十半])?\s*(?P<p>个?\s*(?:年|季度|月|周|星期|天|日|小时))(?!前|底|内)")
# Units a count of occurrences is written in: under a frequency, "每周1次" is 1 次/周.
_COUNT_UNITS = {"次", "轮", "遍"}
_ADJACENT = re.compile(r"\s*(?:至少|最少|不少于|不超过|最多|至多)?\s*")
_PER_WORDS = re.compile(r"每(?:人口|人|床|户|天|日|年|月|周|次|季度)")
_ITEM = re.compile(r"[一二三四五六七八九十]是")
_CMP_WORDS = re.compile(
    "|".join(sorted((re.escape(w) for w in PRE_PHRASES if len(w) > 1), key=len, reverse=True))
    + r"|达到|达|为|到|至|在"
)


def _anchor_for(anchors: list[_Anchor], norm: str, hit_start: int, sent: int, para: int, yearly: bool) -> _Anchor | None:
    """The year anchor: the nearest before the value in the sentence, else the paragraph's, unless an
    item marker (二是, 三是) stands between: each item is a requirement of its own."""
    anchor = next((x for x in reversed(anchors) if sent <= x.pos < hit_start), None)
    if anchor is None and not yearly:
        anchor = next((x for x in reversed(anchors) if para <= x.pos < hit_start and x.opens), None)
        if anchor is not None and _ITEM.search(norm, anchor.pos, hit_start):
            anchor = None
    return anchor


def _per_period(unit: str | None, freq: re.Match[str] | None, norm: str, pos: int) -> str | None:
    """A count right after its frequency carries the period as its denominator (gold README: the
    unit with the denominator the value phrase states): "每3天1次" → 次/3天, "每月至少一次" → 次/月.
    Across a verb ("每年开展1次") the period is the clause's, the unit stays 次 (the Chongqing seed's
    norm, tests/integration/test_queries.py); the gold of 17/19/21 writes 次/周 there, 15's 次."""
    if freq is None or unit not in _COUNT_UNITS or not _ADJACENT.fullmatch(norm, freq.end(), pos):
        return unit
    period = re.sub(r"\s+", "", (freq.group("n") or "") + freq.group("p"))
    return f"{unit}/{'天' if period == '日' else period}"


def _aimed(cmp: str, anchor: _Anchor | None, sent: int) -> str:
    """A plain value under "力争到2030年" opening its sentence is an aspiration (README: about)."""
    return "about" if cmp == "=" and anchor is not None and anchor.aim and anchor.pos >= sent else cmp


def _bare(indicator: str) -> bool:
    """An indicator that is only comparator and target words ("不低于", "到2026年达到"): the
    indicator was left unstated and is the previous clause's."""
    rest = _CMP_WORDS.sub("", YEAR_ANCHOR.sub("", _PER_WORDS.sub("", indicator)))
    return not re.search(r"[\u4e00-\u9fff]{2}", rest)


def _tidy(indicator: str) -> str:
    """Comparator words are not part of an indicator: "开放率力争" → "开放率"."""
    t = re.sub(r"(力争|至少|最少|约|大约|达到|达)+$", "", indicator)
    t = re.sub(r"^第[一二三四五六七八九十百零〇两\d]+条[\s\u3000]*", "", t)  # an article's own number
    # an item's own marker: "（一）", "4.", "二、"
    t = re.sub(r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、](?!\d)|[一二三四五六七八九十]{1,3}、)\s*", "", t)
    t = re.sub(r"^(按|以)?(" + "|".join(re.escape(w) for w in PRE_PHRASES if len(w) > 1) + ")", "", t)
    return t.strip(" ，,、") or indicator


def text_targets(doc: DocView, tasks: list[Task], norm: str) -> list[Target]:
    """``norm``: the simplified text with its digits normalised (``numbers.normalise_digits``)."""
    excluded = _excluded_ranges(doc)
    issue_year = _issue_year(doc)
    out: list[Target] = []
    seen: set[tuple[int, int]] = set()
    regions = _scan_regions(doc, tasks, norm)
    pairs: dict[int, int] = {}  # id(target) -> the first year of the year pair it is anchored to
    for ra, rb in regions:
        anchors = _anchors(norm, ra, rb)
        for hit in find_values(norm, ra, rb):
            if _in(excluded, hit.start) or (hit.start, hit.end) in seen:
                continue
            ca, cb = clause_bounds(norm, hit.start, ra, rb)
            sent = sentence_start(norm, hit.start, ra)
            # An indicator row of a text layer is closed by its nature column: a sentence in the
            # next row ("…倡导性62 小学生每天睡眠时间不少于10") starts after it.
            row_end = next(reversed(list(_ROW_CLOSE.finditer(norm, ca, hit.start))), None)
            if row_end is not None:
                ca, sent = row_end.end(), max(sent, row_end.end())
            para = _para(norm, hit.start, ra)
            # A quota per period: "每年开展1次", "每周1次", "每3天1次" (the clause's, before the value).
            # The nearest, for the values after it in its unit: "每天睡眠10个小时、初中生9个小时",
            # never another measure: "每6个月检测1次…餐后2小时血糖".
            freq = next(reversed(list(_FREQUENCY.finditer(norm, ca, hit.start))), None)
            between = norm[freq.end() : hit.start] if freq is not None else ""
            if (re.search(r"[)）]", between)  # "（每周…3次及以上…）人数比例达到37%": a definition's
                    or re.search(r"\d", between) and not (hit.unit and hit.unit.split("/")[0] in between)):
                freq = None
            yearly = freq is not None
            anchor = _anchor_for(anchors, norm, hit.start, sent, para, yearly)
            if anchor is not None and not anchor.future and issue_year and anchor.year and anchor.year < issue_year:
                continue  # "2020年,居民健康素养水平达19.85%": a past fact
            if in_baseline_note(norm, hit.start, sent):
                continue
            part_of = bracket_after_target(norm, out, hit.start, sent)
            if part_of is None and (in_definition(norm, hit.start, sent, rb) or not (
                    is_target(norm, ca, hit, yearly, sent) or continues_list(norm, ca, cb, hit, out[-1] if out else None, sent))):
                continue
            if reported(norm, sent, ca, hit.start, anchor is None):
                continue  # "研究发现…占到60%", "我国…比例为33.9%": a finding reported, no aim
            seen.add((hit.start, hit.end))
            ind = _tidy(indicator_for(doc.simp, ca, cb, hit, sent))
            if _bare(ind) and out and out[-1].span and out[-1].span.start >= para:
                ind = out[-1].indicator_text  # "…比例2025年达到70%，到2026年不低于80%"
            out.append(
                Target(
                    id="",
                    text=doc.text[sent:sentence_end(norm, hit.end, rb)].strip(),
                    indicator_text=ind,
                    comparator=_aimed(find_comparator(norm, ca, hit), anchor, sent),
                    value=hit.value,
                    value_max=hit.value_max,
                    unit=_per_period(hit.unit, freq, norm, hit.start),
                    year=anchor.year if anchor else None,
                    deadline=(freq.group(0) if freq is not None and anchor is None else (anchor.deadline if anchor else None)),
                    task=task_of(tasks, hit.start),
                    span=Span(hit.start, hit.end),
                )
            )
            if anchor is not None and anchor.first_of_pair is not None:
                pairs[id(out[-1])] = anchor.first_of_pair
    out = _bounded_ranges(out, norm)
    paired = _pair_lists(out, doc, pairs)
    _shared_qualifiers(out, norm)
    _respective(out, norm, pairs, paired)
    return out


# An upper bound in a larger unit, in the lower bound's ("六个月以上一年以下" is 6–12 个月).
_IN_UNIT = {("个月", "年"): 12.0, ("天", "年"): 365.0, ("日", "年"): 365.0, ("小时", "天"): 24.0, ("小时", "日"): 24.0}


def _bounded_ranges(targets: list[Target], norm: str) -> list[Target]:
    """"处五万元以上五十万元以下罚款", "暂停六个月以上一年以下执业活动": a lower bound written
    right before an upper bound is one range in the lower bound's unit, not two targets."""
    out: list[Target] = []
    for t in targets:
        prev = out[-1] if out else None
        scale = 1.0 if prev is None or prev.unit == t.unit else _IN_UNIT.get((prev.unit or "", t.unit or ""))
        if (prev is not None and prev.span and t.span and prev.comparator == ">=" and t.comparator == "<="
                and prev.value_max is None and t.value_max is None and scale is not None and t.value is not None
                and re.search(r"以上$", norm[prev.span.start : prev.span.end])
                and not norm[prev.span.end : t.span.start].strip()):
            prev.comparator, prev.value_max = "range", t.value * scale
            upper = re.sub(r"\s+", "", norm[t.span.start : t.span.end])
            if prev.indicator_text.startswith(upper):  # the object read after the lower bound
                prev.indicator_text = prev.indicator_text[len(upper):] or prev.indicator_text
            prev.span = Span(prev.span.start, t.span.end)
            continue
        out.append(t)
    return out


def _respective(targets: list[Target], norm: str, pairs: dict[int, int], paired: set[int]) -> None:
    """A list of values ("…不低于22%和30%", "分别提高到30%、18%和45%、25%") under one comparator
    written before it: the comparator belongs to every value of the list. Under a pair of years
    ("到2022年和2030年，…"), the values take the years in order, the first half the first year;
    a value written once, or one per indicator of the list ("A和B分别达到x和y"), is the first
    year's (the nearer target, kept to the later year)."""
    i = 0
    while i < len(targets):
        j = i
        while j + 1 < len(targets) and targets[j].span and targets[j + 1].span and re.fullmatch(
                r"[、和及与\s]*(?:及以上|以上|以下|及以下)?[、和及与\s]*", norm[targets[j].span.end : targets[j + 1].span.start]):
            j += 1
        group = targets[i : j + 1]
        i = j + 1
        first = group[0].comparator
        # (a change: "提高30%和80%" are both changes)
        # (a range is its own values' comparator, not a list's)
        if first not in ("=", "range") and not (first == "text" and any(t.value is None for t in group)):
            for t in group[1:]:
                if t.comparator == "=":
                    t.comparator = first
        y1 = {pairs.get(id(t)) for t in group}
        if len(y1) != 1 or None in y1:
            continue
        first_year = y1.pop()
        own = all(id(t) in paired for t in group)  # one value per indicator of the list
        early = group[: len(group) // 2] if len(group) % 2 == 0 and not own else group
        for t in early:
            t.year = first_year


_MEASURE_NOUN = re.compile(r"(?:率|比例|比重|数|量|水平|时间|面积|长度|寿命|人数|次数)$")


def _pair_lists(targets: list[Target], doc: DocView, pairs: dict[int, int]) -> set[int]:
    """"A、B和C分别达到x、y和z": pair each value with its indicator when the counts agree; the ids
    of the targets paired. Under a pair of years, subjects sharing one measure ("职业健康检查和职业病
    诊断服务覆盖率": the first part names no measure of its own) are one indicator, a value a year."""
    paired: set[int] = set()
    i = 0
    while i < len(targets):
        j = i
        while (
            j + 1 < len(targets)
            and targets[j + 1].indicator_text == targets[i].indicator_text
            and targets[j + 1].span
            and targets[j].span
            and re.fullmatch(r"[、和及与,，\s]*(以上|以下)?[、和及与,，\s]*", doc.simp[targets[j].span.end : targets[j + 1].span.start])
        ):
            j += 1
        group = targets[i : j + 1]
        if len(group) > 1:
            parts = split_subjects(group[0].indicator_text)
            shared = all(id(t) in pairs for t in group) and not any(_MEASURE_NOUN.search(p) for p in parts[:-1])
            if len(parts) == len(group) and not shared:
                for t, p in zip(group, parts, strict=True):
                    t.indicator_text = p.strip()
                    paired.add(id(t))
        i = j + 1
    return paired


def _shared_qualifiers(targets: list[Target], norm: str) -> None:
    """"控制在10%和4%以下": a qualifier after the last value of a list applies to all of it."""
    for i in range(len(targets) - 1, 0, -1):
        a, b = targets[i - 1], targets[i]
        if not (a.span and b.span) or a.comparator != "=":
            continue
        if re.fullmatch(r"[、和及与\s]*", norm[a.span.end : b.span.start]) and b.comparator in (">=", "<=", "about"):
            if a.unit == b.unit or a.unit is None:
                a.comparator = b.comparator
