"""Quantitative targets: in task text, in goal sections and in indicator tables.

Running text: a value with a unit ("35%", "60—80个", "3.39人", "1.5万人") is a target when its
clause says so (a comparator or target verb, a target year) and it is not a date, a document
number, a ratio's denominator ("每3万人"), a population qualifier ("65岁以上老年人") or a
condition ("服务人口低于800人的行政村"). Statements about the past are not targets: numbers in
background sections (规划背景 / 工作基础 ...) and numbers anchored to a year before the policy
was issued are skipped (the indicator tables give baselines explicitly).

Tables: a table whose header names 指标 is an indicator table; each row gives one target with
baseline, baseline year, target, target year, unit and nature as the header tells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from healthgov.extract.document import Cell, DocView, Table
from healthgov.extract.matcher import LabelMatcher
from healthgov.extract.numbers import (
    NUMBER,
    RANGE_SEP,
    five_year_plan_end,
    normalise_digits,
    parse_number,
    repair_glued_range,
)
from healthgov.ids import to_simplified
from healthgov.ontology.vocab import Concept, Scheme, load_vocabularies
from healthgov.records import Comparator, Nature, Span, Target, Task

# Units, longest first (regex alternation is ordered).
_UNITS = (
    "个百分点", "1/10万", "/10万", "/十万", "/万", "/千", "‰", "%", "万人次", "人次", "万人", "万元",
    "亿元", "万平方米", "平方米", "元", "人", "个月", "个", "张", "名", "岁", "家", "所", "项", "次",
    "天", "小时", "分钟", "公里", "种", "类", "倍", "支", "台", "辆", "床", "周", "例",
)
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS)
_VALUE = re.compile(
    rf"(?P<lo>{NUMBER})\s*(?P<u1>{_UNIT_RE})?(?:{RANGE_SEP}(?P<hi>{NUMBER})\s*)?(?P<unit>{_UNIT_RE})?"
    r"(?P<post>\s*(?:及以上|以上|及以下|以下|以内|左右|之内))?"
)
_PRE_CMP = [
    (re.compile(r"(不低于|不少于|不小于|至少|≥|>=)\s*$"), ">="),
    (re.compile(r"(不高于|不超过|不大于|≤|<=|控制在|低于)\s*$"), "<="),
    (re.compile(r"(超过|高于|大于|突破|>)\s*$"), ">"),
    (re.compile(r"(小于|<)\s*$"), "<"),
    (re.compile(r"(约|大约)\s*$"), "about"),
]
_POST_CMP = {"以上": ">=", "及以上": ">=", "以下": "<=", "及以下": "<=", "以内": "<=", "之内": "<=", "左右": "about"}
_CHANGE_VERB = re.compile(r"(增长|提高|提升|下降|降低|降|减少|增加|上升|缩短|延长)(了)?\s*$")
_TARGET_CUE = re.compile(
    r"达到|达|不低于|不少于|不高于|不超过|低于|高于|超过|突破|控制在|保持在|稳定在|维持在|提高到|提高至|"
    r"提升到|提升至|降低到|降低至|降到|降至|下降到|下降至|减少到|减少至|增加到|增加至|增长到|增长至|"
    r"至少|力争|建成|建设|打造|设立|设置|培养|培育|引进|新增|增加|提高|降低|下降|减少|增长|覆盖|"
    r"为|占|配备|实现|完成|选拔|招收|培训|入选|以上|以下|以内|左右|分别|均"
)
_YEAR_ANCHOR = re.compile(
    r"(?P<pre>到|至|截至|截止到|截止|力争到|力争|在)?\s*(?P<y>(?:19|20)\d{2})\s*年"
    r"(?P<fine>(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?\s*(?:底|末|年底|年末|上半年|下半年)?)"
    r"(?P<post>\s*(?:前|之前|以前|内))?"
)
_PLAN_ANCHOR = re.compile(r"(到|至)?[“\"]?十([一二三四五六七八九])五[”\"]?(期末|末|时期|期间)")
_BACKGROUND = re.compile(r"背景|基础|现状|回顾|成就|成效|进展|形势|挑战|机遇")
_GOAL = re.compile(r"目标|指标|总体要求|总体思路")
_POP_NOUN = re.compile(r"^(?:及以上|以上|以下|及以下)?(?:的)?(?:儿童|婴幼儿|人群|老年人|老人|妇女|居民|人口|学生|青少年|孕产妇|患者|男性|女性|新生儿)")
_NOT_UNITLESS = re.compile(r"^\s*(年|月|日|号|级|届|期|次会|条|章|节|号文|版|G|大|项目)")
_CLAUSE_SEP = "，,；;。：:！？\n"

_NATURE = {"约束性": "binding", "预期性": "expected"}


@dataclass
class _Anchor:
    pos: int
    year: int | None
    deadline: str | None
    future: bool  # 到/前/底: a target anchor, not a statement about the past


def _anchors(norm: str, start: int, end: int) -> list[_Anchor]:
    out = []
    for m in _YEAR_ANCHOR.finditer(norm, start, end):
        fine = (m.group("fine") or "").strip()
        post = (m.group("post") or "").strip()
        # "2025年底前", "到2024年6月底前": keep the finer deadline as written.
        deadline = m.group(0).strip() if (fine or post) else None
        if deadline and deadline[0] in "到至在":
            deadline = deadline.lstrip("到至在截止力争 ")
        future = bool(m.group("pre") and m.group("pre") not in ("在",)) or bool(post) or "底" in fine or "末" in fine
        out.append(_Anchor(m.start(), int(m.group("y")), deadline, future))
    for m in _PLAN_ANCHOR.finditer(norm, start, end):
        out.append(_Anchor(m.start(), five_year_plan_end(m.group(0)), m.group(0).strip("到至“”\""), True))
    return sorted(out, key=lambda a: a.pos)


def _issue_year(doc: DocView) -> int | None:
    d = doc.policy.issued_on or doc.policy.published_on
    return int(d[:4]) if d and d[:4].isdigit() else None


def _excluded_ranges(doc: DocView) -> list[tuple[int, int]]:
    ranges = [(r.span.start, r.span.end) for r in doc.removed]
    for s in doc.sections:
        title = to_simplified(s.title)
        if _BACKGROUND.search(title) and not _GOAL.search(title):
            ranges.append((s.span.start, s.span.end))
    for t in doc.tables:
        ranges.append((t.span.start, t.span.end))
        if _is_indicator_table(t):
            ranges += [(a, b) for _n, a, b in _table_notes(doc, t)]
    return ranges


def _in(ranges: list[tuple[int, int]], pos: int) -> bool:
    return any(a <= pos < b for a, b in ranges)


def _scan_regions(doc: DocView, tasks: list[Task]) -> list[tuple[int, int]]:
    """Task texts and goal sections, merged and in document order."""
    regions = [(t.span.start, t.span.end) for t in tasks]
    for s in doc.sections:
        title = to_simplified(s.title)
        if _GOAL.search(title) and not _BACKGROUND.search(title):
            regions.append((s.span.start, s.span.end))
    regions.sort()
    merged: list[tuple[int, int]] = []
    for a, b in regions:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _clause_bounds(norm: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause around pos: between separators outside brackets, or a bracket's content."""
    a, depth = pos, 0
    while a > lo:
        ch = norm[a - 1]
        if ch in ")）]】":
            depth += 1
        elif ch in "(（[【":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and ch in _CLAUSE_SEP:
            break
        a -= 1
    b, depth = pos, 0
    while b < hi:
        ch = norm[b]
        if ch in "(（[【":
            depth += 1
        elif ch in ")）]】":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and ch in _CLAUSE_SEP:
            break
        b += 1
    return a, b


def _sentence_start(norm: str, pos: int, lo: int) -> int:
    a = pos
    while a > lo and norm[a - 1] not in "。；;！？\n":
        a -= 1
    return a


def _para_start(norm: str, pos: int, lo: int) -> int:
    a = norm.rfind("\n", lo, pos)
    return lo if a < 0 else a + 1


def _is_cn(s: str) -> bool:
    return not re.search(r"\d", s)


@dataclass
class _Hit:
    start: int
    end: int
    value: float | None
    value_max: float | None
    unit: str | None
    post: str


def _values(norm: str, a: int, b: int) -> list[_Hit]:
    """Value expressions in norm[a:b] that look like quantities (not dates, numbers, ordinals)."""
    hits: list[_Hit] = []
    for m in _VALUE.finditer(norm, a, b):
        lo_s, hi_s = m.group("lo"), m.group("hi")
        unit = m.group("unit") or m.group("u1")
        post = (m.group("post") or "").strip()
        s, e = m.start(), m.end()
        before = norm[max(0, s - 1) : s]
        after = norm[e : e + 6]
        if _is_cn(lo_s):
            # Chinese numerals only as counts with a unit (not "一批", "二级", "两个允许").
            if not unit or not re.search(r"[一二三四五六七八九两〇零]", lo_s) or before in "“\"第每":
                continue
            if parse_number(lo_s) is None or (parse_number(lo_s) or 0) < 2:
                continue
        if before and (before.isdigit() or before in ".第〔[（(" and not unit):
            continue
        if before == "每" or norm[max(0, s - 2) : s] in ("每个",):
            continue  # a denominator: "每3万人", "每千人口"
        if not unit and not post:
            continue
        if not unit and _NOT_UNITLESS.match(after):
            continue
        if unit == "岁" and re.match(r"[\u4e00-\u9fff]", after) and not re.match(r"(左右|以上|以下|以内)", after):
            continue  # "65岁及以上常住老年人": a population, not a value
        if re.match(r"\s*的", after) and re.search(r"(低于|高于|超过|不足|少于|多于|大于|小于|在|为)\s*$", norm[max(0, s - 3) : s]):
            continue  # "服务人口低于800人的行政村": a condition, not "90%以上的县"
        lo = parse_number(lo_s)
        hi = parse_number(hi_s) if hi_s else None
        if hi_s is None and unit and lo_s.isdigit():
            glued = repair_glued_range(lo_s, unit)
            if glued is not None and (unit == "岁" and lo is not None and lo > 120):
                lo, hi = float(glued[0]), float(glued[1])
                if _POP_NOUN.match(after):
                    continue
        if hi is not None and m.group("hi") and hi_s.endswith("万") and not lo_s.endswith("万") and lo and lo < hi / 10_000:
            lo *= 10_000
        if lo is None:
            continue
        if not unit and lo >= 1_000_000:
            continue  # phone numbers, ids
        hits.append(_Hit(s, e, lo, hi, unit, post))
    return hits


def _comparator(norm: str, clause_start: int, hit: _Hit) -> Comparator:
    pre = norm[clause_start : hit.start]
    if hit.value_max is not None:
        return "range"
    if hit.unit == "个百分点" or _CHANGE_VERB.search(pre[-6:]) and not re.search(r"(到|至)\s*$", pre):
        return "text"  # a change ("增长30%", "每年降0.5个百分点"), not a level
    for rx, cmp in _PRE_CMP:
        if rx.search(pre[-6:]):
            if cmp == "<=" and hit.post in ("以上", "及以上"):
                return ">="
            return cmp  # type: ignore[return-value]
    if hit.post:
        return _POST_CMP[hit.post]  # type: ignore[return-value]
    return "="


_SCOPE_WORDS = re.compile(r"^(全市|全省|全区|全县|全国|我市|我省|我区|我县|其中|力争|并|且|和|同时|每年|均|将|把)+")
_VERB_SPLIT = re.compile(
    r"(分别|均)?(达到|达(?!标)|不低于|不少于|不高于|不超过|低于|高于|超过|突破|控制在|保持在|稳定在|维持在|"
    r"提高到|提高至|提升到|提升至|降低到|降低至|降到|降至|下降到|下降至|减少到|减少至|增加到|增加至|"
    r"增长到|增长至|至少|为)"
)
_ACTION = re.compile(r"(建成|建设|打造|设立|设置|培养|培育|引进|新增|选拔培育|选拔|招收|培训|入选|配备|建立)")


_ARABIC_VALUE = re.compile(rf"\d+(?:\.\d+)?万?\s*(?:{_UNIT_RE})?(?:{RANGE_SEP}\d+(?:\.\d+)?万?\s*(?:{_UNIT_RE})?)?")


def _clean_ind(t: str) -> str:
    t = _PLAN_ANCHOR.sub("", _YEAR_ANCHOR.sub("", t))
    t = re.sub(r"[(（][^()（）]*简称[^()（）]*[)）]", "", t)
    return _SCOPE_WORDS.sub("", t.strip(" ，,、")).strip(" ，,、")


def _cut_depth0(text: str, seps: str) -> str:
    depth = 0
    for i, ch in enumerate(text):
        if ch in "(（[【":
            depth += 1
        elif ch in ")）]】":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in seps:
            return text[:i]
    return text


def _cjk2(s: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]{2}", s))


def _indicator_for(simp: str, ca: int, cb: int, hit: _Hit, sent: int) -> str:
    """The indicator as written for a value in clause [ca, cb).

    Subject-verb-value ("县域就诊率达到90%"), list items ("、床位占比达到60%"), verb-value-object
    ("培养2—3名全国知名学科领军人物") and value-first ("10个医学高峰学科纳入...") are told apart by
    where the comparator verb and the enumeration comma (、) are.
    """
    # After "30%、" a new list item starts; before any value, 、 joins the subject's parts.
    cut = simp.rfind("、", ca, hit.start)
    lp_start = cut + 1 if cut >= 0 and re.search(r"\d", simp[ca:cut]) else ca
    local = simp[lp_start : hit.start]
    tail = _cut_depth0(simp[hit.end : cb], "，,；;。")
    tail = re.split(r"(?:、|和|及|以及)(?=[^，,；;。]*\d)", tail, maxsplit=1)[0]
    tail = re.sub(r"^(及以上|以上|及以下|以下|左右|以内)?的?", "", tail).strip()
    for pre in (local, simp[ca : hit.start]):
        m = _VERB_SPLIT.search(pre)
        if m:
            subject = _clean_ind(pre[: m.start()])
            if _cjk2(subject):
                am = _ACTION.search(pre[m.end() :])
                if am and _cjk2(tail):
                    # "各区、县(市)至少建设1个...站点": the action and its object complete it.
                    return subject + am.group(0) + tail
                return subject
    lp = _clean_ind(local)
    action = _ACTION.match(lp)
    if lp and re.search(r"(和|及|以及|与)$", lp):
        # "建成十大学科和65个特色专科": the value opens a new list item.
        lp = action.group(0) if action else ""
    if lp and not (action and action.end() == len(lp)) and not _ACTION.search(lp[-4:]):
        return lp
    if lp and _cjk2(tail):
        return lp + tail  # "培养" + "全国知名学科领军人物"
    if not lp and _cjk2(tail):
        return tail  # value first
    # "发展社区医院,到2027年,全市建成60—80个": the object is in an earlier clause.
    p = ca - 1
    while p > sent:
        a, b = _clause_bounds(simp, p, sent, p)
        prev = _ARABIC_VALUE.sub("", _clean_ind(simp[a:b])).strip(" ，,、")
        if _cjk2(prev):
            return (prev + "，" + lp).strip("，")
        p = a - 1
    return lp or tail


def _split_subjects(subject: str) -> list[str]:
    parts = [p for p in re.split(r"[、和及]", subject) if p.strip()]
    return parts


@lru_cache(maxsize=1 << 16)  # a pure function of the text (and the vocabularies)
def _resolve_indicator(text: str) -> str | None:
    try:
        scheme = load_vocabularies()["indicator"]
    except KeyError:
        return None
    s = re.sub(r"[(（][^()（）]*[)）]$", "", text).strip()
    s = _SCOPE_WORDS.sub("", s)
    c = scheme.lookup(s) or scheme.lookup(text)
    if c is not None:
        return c.id
    # The first label (longest first) of 3+ characters contained in s.
    labels, matcher = _indicator_matcher(scheme)
    hit = matcher.first(s)
    return labels[hit[0]][1].id if hit is not None else None


_INDICATOR_MATCHERS: dict[int, tuple[list[tuple[str, Concept]], LabelMatcher]] = {}


def _indicator_matcher(scheme: Scheme) -> tuple[list[tuple[str, Concept]], LabelMatcher]:
    key = id(scheme)
    if key not in _INDICATOR_MATCHERS:
        labels = [(lab, c) for lab, c in scheme.labels() if len(lab) >= 3]
        _INDICATOR_MATCHERS[key] = (labels, LabelMatcher([lab for lab, _c in labels]))
    return _INDICATOR_MATCHERS[key]


def _task_of(tasks: list[Task], pos: int) -> str | None:
    best = None
    for t in tasks:
        if t.span.start <= pos < t.span.end and (best is None or t.span.end - t.span.start < best.span.end - best.span.start):
            best = t
    return best.id if best else None


def _text_targets(doc: DocView, tasks: list[Task]) -> list[Target]:
    norm = normalise_digits(doc.simp)
    excluded = _excluded_ranges(doc)
    issue_year = _issue_year(doc)
    out: list[Target] = []
    seen: set[tuple[int, int]] = set()
    for ra, rb in _scan_regions(doc, tasks):
        anchors = _anchors(norm, ra, rb)
        for hit in _values(norm, ra, rb):
            if _in(excluded, hit.start) or (hit.start, hit.end) in seen:
                continue
            ca, cb = _clause_bounds(norm, hit.start, ra, rb)
            sent = _sentence_start(norm, hit.start, ra)
            para = _para_start(norm, hit.start, ra)
            yearly = "每年" in norm[sent:hit.start]
            # The year anchor: the nearest before the value in the sentence, else the paragraph.
            anchor = next((x for x in reversed(anchors) if sent <= x.pos < hit.start), None)
            if anchor is None and not yearly:
                anchor = next((x for x in reversed(anchors) if para <= x.pos < hit.start), None)
            if anchor is not None and not anchor.future and issue_year and anchor.year and anchor.year < issue_year:
                continue  # "2020年,居民健康素养水平达19.85%": a past fact
            if not _TARGET_CUE.search(norm[ca : hit.end + 4]):
                continue
            seen.add((hit.start, hit.end))
            cmp = _comparator(norm, ca, hit)
            ind = _indicator_for(doc.simp, ca, cb, hit, sent)
            out.append(
                Target(
                    id="",
                    text=doc.text[sent:_sentence_end(norm, hit.end, rb)].strip(),
                    indicator_text=ind,
                    comparator=cmp,
                    value=hit.value,
                    value_max=hit.value_max,
                    unit=hit.unit,
                    year=anchor.year if anchor else None,
                    deadline=("每年" if yearly and anchor is None else (anchor.deadline if anchor else None)),
                    task=_task_of(tasks, hit.start),
                    span=Span(hit.start, hit.end),
                )
            )
    _pair_lists(out, doc)
    _shared_qualifiers(out, norm)
    return out


def _sentence_end(norm: str, pos: int, hi: int) -> int:
    b = pos
    while b < hi and norm[b] not in "。；;！？\n":
        b += 1
    return min(hi, b + 1) if b < hi and norm[b] in "。；;！？" else b


def _pair_lists(targets: list[Target], doc: DocView) -> None:
    """"A、B和C分别达到x、y和z": pair each value with its indicator when the counts agree."""
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
            parts = _split_subjects(group[0].indicator_text)
            if len(parts) == len(group):
                for t, p in zip(group, parts, strict=True):
                    t.indicator_text = p.strip()
        i = j + 1


def _shared_qualifiers(targets: list[Target], norm: str) -> None:
    """"控制在10%和4%以下": a qualifier after the last value of a list applies to all of it."""
    for i in range(len(targets) - 1, 0, -1):
        a, b = targets[i - 1], targets[i]
        if not (a.span and b.span) or a.comparator != "=":
            continue
        if re.fullmatch(r"[、和及与\s]*", norm[a.span.end : b.span.start]) and b.comparator in (">=", "<=", "about"):
            if a.unit == b.unit or a.unit is None:
                a.comparator = b.comparator


# --- indicator tables ------------------------------------------------------------------------

_MARKERS = "*＊▲△★☆#※"


@dataclass
class _Cols:
    indicator: int | None
    number: int | None
    baseline: int | None
    target: int | None
    unit: int | None
    nature: int | None
    baseline_year: int | None
    target_year: int | None


def _columns(header: list[str]) -> _Cols:
    ind = num = base = tgt = unit = nat = None
    years: list[tuple[int, int]] = []
    for i, h in enumerate(header):
        h = normalise_digits(h)
        y = re.search(r"((?:19|20)\d{2})", h)
        if re.search(r"序号|编号", h):
            num = i
        elif re.search(r"属性|性质|类型", h) and "指标" not in h.replace("指标属性", "").replace("指标性质", ""):
            nat = i
        elif re.search(r"属性|性质", h):
            nat = i
        elif h == "单位" or h.endswith("单位") and "责任" not in h:
            unit = i
        elif re.search(r"基线|基期|现状|基数", h):
            base = i
            if y:
                years.append((i, int(y.group(1))))
        elif re.search(r"目标|期末|规划值", h):
            tgt = i
            if y:
                years.append((i, int(y.group(1))))
        elif y:
            years.append((i, int(y.group(1))))
        elif "指标" in h and "说明" not in h:
            ind = i  # the most specific (last) 指标 column: 一级/二级/三级指标
    by = ty = None
    if years:
        years.sort(key=lambda p: p[1])
        if base is None and len(years) >= 2:
            base = years[0][0]
        if tgt is None:
            tgt = years[-1][0]
        for i, y in years:
            if i == base:
                by = y
            if i == tgt:
                ty = y
    return _Cols(ind, num, base, tgt, unit, nat, by, ty)


def _is_indicator_table(table: Table) -> bool:
    return any("指标" in h for h in table.header) and bool(table.rows)


def _parse_cell_value(text: str) -> tuple[Comparator, float | None, float | None, str | None]:
    """A table value: "78.6左右" → about; "≤15" → <=; "25" → =; anything worded → text."""
    t = normalise_digits(text).strip().lstrip(_MARKERS)
    m = re.fullmatch(rf"(≥|≤|>=|<=|>|<)?\s*({NUMBER})\s*({_UNIT_RE})?(?:{RANGE_SEP}({NUMBER})\s*({_UNIT_RE})?)?\s*(以上|以下|左右|以内)?", t)
    if m:
        lo = parse_number(m.group(2))
        hi = parse_number(m.group(4)) if m.group(4) else None
        unit = m.group(5) or m.group(3)
        if hi is not None:
            return "range", lo, hi, unit
        sym = m.group(1)
        if sym:
            return {"≥": ">=", ">=": ">=", "≤": "<=", "<=": "<=", ">": ">", "<": "<"}[sym], lo, None, unit  # type: ignore[return-value]
        if m.group(6):
            return _POST_CMP[m.group(6)], lo, None, unit  # type: ignore[return-value]
        return "=", lo, None, unit
    n = re.search(rf"({NUMBER})\s*({_UNIT_RE})?", t)
    if n and re.search(r"\d", n.group(1)):
        return "text", parse_number(n.group(1)), None, n.group(2)
    return "text", None, None, None


_UNIT_PAREN = re.compile(r"[(（]\s*([^()（）]{1,8})\s*[)）]\s*$")


def _split_unit(indicator: str) -> tuple[str, str | None]:
    m = _UNIT_PAREN.search(indicator)
    if m:
        u = m.group(1)
        if u in _UNITS or re.fullmatch(r"[/%‰\d万千百]+.*|种类|万元|亿元|人|个|张|岁", u):
            return indicator[: m.start()].strip(), u
    return indicator, None


def _table_notes(doc: DocView, table: Table) -> list[tuple[str, int, int]]:
    """Footnotes of a table: (text, start, end); the structure stage's, else the "注" block after it."""
    if table.notes:
        return [(c.text, c.span.start, c.span.end) for c in table.notes]
    out: list[tuple[str, int, int]] = []
    started = False
    pos = table.span.end
    for line in doc.simp[table.span.end : table.span.end + 4000].split("\n"):
        lstart, pos = pos, pos + len(line) + 1
        s = line.strip()
        if not s:
            continue
        if not started and re.match(r"注\s*[:：]?", s):
            started = True
            rest = re.sub(r"^注\s*[:：]?\s*", "", s)
            if rest:
                out.append((rest, lstart, lstart + len(line)))
            continue
        if started and re.match(r"\d+\s*[.、．]", s):
            out.append((s, lstart, lstart + len(line)))
            continue
        break
    return out


def _marker_notes(notes: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for n in notes:
        for ch in _MARKERS:
            if ch in n and re.search(rf"[“\"']?{re.escape(ch)}[”\"']?\s*(号|的)?", n):
                out[ch] = re.sub(r"^\d+\s*[.、．]\s*", "", n).strip()
    return out


def _quoted_notes(notes: list[str]) -> list[tuple[str, str]]:
    out = []
    for n in notes:
        for q in re.findall(r"[“\"]([^”\"]{3,40})[”\"]", n):
            out.append((q, re.sub(r"^\d+\s*[.、．]\s*", "", n).strip()))
    return out


def _align(row: list[Cell], header: list[str], cols: _Cols) -> dict[str, Cell | str | None]:
    """Map a row's cells to roles; rows of flattened tables may miss or split cells."""
    texts = [c.text for c in row]
    aligned = len(row) == len(header) and (
        cols.indicator is None or re.search(r"[\u4e00-\u9fff]", texts[cols.indicator])
    ) and (cols.number is None or re.fullmatch(r"\d*", texts[cols.number]))
    if aligned:
        get = lambda i: row[i] if i is not None and i < len(row) else None  # noqa: E731
        return {
            "indicator": get(cols.indicator),
            "baseline": get(cols.baseline),
            "target": get(cols.target),
            "unit": get(cols.unit),
            "nature": get(cols.nature),
        }
    # Indicator: the cell after a bare number cell, or a cell numbered "12.xxx".
    ind_i = None
    for i, t in enumerate(texts):
        if re.fullmatch(r"\d+", t) and i + 1 < len(texts):
            ind_i = i + 1
            break
        if re.match(r"\d+\s*[.、．]\s*\S", t) and re.search(r"[\u4e00-\u9fff]", t):
            ind_i = i
            break
    if ind_i is None:
        cjk = [i for i, t in enumerate(texts) if re.search(r"[\u4e00-\u9fff]{2,}", t) and t not in _NATURE]
        ind_i = cjk[0] if cjk else 0
    nat_i = next((i for i in range(len(texts) - 1, ind_i, -1) if re.search(r"约束性|预期性|定量|定性", texts[i])), None)
    end = nat_i if nat_i is not None else len(texts)
    vals = list(range(ind_i + 1, end))
    if cols.nature is None and nat_i is None and cols.indicator is not None:
        # Trailing explanation columns (指标说明) are not values.
        vals = [i for i in vals if i - ind_i <= 2]
    ncols = sum(1 for c in (cols.baseline, cols.target) if c is not None)
    merged = [[i] for i in vals]
    while ncols and len(merged) > ncols:
        # Join a split cell: prefer a fragment without digits joined to what follows it.
        k = next((k for k in range(len(merged) - 1) if not re.search(r"\d", texts[merged[k][-1]])), len(merged) - 2)
        merged[k] = merged[k] + merged.pop(k + 1)
    res: dict[str, Cell | str | None] = {"indicator": row[ind_i], "nature": row[nat_i] if nat_i is not None else None, "unit": None}
    joined = ["".join(texts[i] for i in g) for g in merged]
    if ncols == 2 and len(joined) == 2:
        res["baseline"], res["target"] = joined
    elif ncols == 2 and len(joined) == 1:
        res["baseline"], res["target"] = None, None
        res["single"] = joined[0]
    elif ncols == 1 and joined:
        key = "target" if cols.target is not None else "baseline"
        res[key] = joined[0]
    return res


def _text_of(x: Cell | str | None) -> str:
    if x is None:
        return ""
    return x.text if isinstance(x, Cell) else x


def _table_targets(doc: DocView, tasks: list[Task]) -> list[Target]:
    out: list[Target] = []
    for table in doc.tables:
        if not _is_indicator_table(table):
            continue
        cols = _columns(table.header)
        notes = [n for n, _a, _b in _table_notes(doc, table)]
        by_marker = _marker_notes(notes)
        quoted = _quoted_notes(notes)
        for row in table.rows:
            if not row:
                continue
            cells = _align(row, table.header, cols)
            ind_cell = cells.get("indicator")
            ind_raw = _text_of(ind_cell)
            ind_text = re.sub(r"^\d+\s*[.、．]\s*", "", ind_raw).strip()
            if not re.search(r"[\u4e00-\u9fff]", ind_text):
                continue
            row_markers = {ch for c in row for ch in c.text if ch in _MARKERS}
            ind_clean = ind_text.strip(_MARKERS + " ")
            ind_clean, paren_unit = _split_unit(ind_clean)
            target_s = _text_of(cells.get("target")).strip()
            base_s = _text_of(cells.get("baseline")).strip()
            note_parts: list[str] = []
            single = cells.get("single")
            if single:
                note_parts.append(f"one value given for the baseline and target columns: {single}")
            cmp, value, vmax, vunit = _parse_cell_value(target_s) if target_s else ("text", None, None, None)
            unit = _text_of(cells.get("unit")).strip() or paren_unit or vunit
            for ch in sorted(row_markers):
                if ch in by_marker:
                    note_parts.append(by_marker[ch])
            for q, n in quoted:
                if q == ind_clean:
                    note_parts.append(n)
            nat_s = _text_of(cells.get("nature")).strip()
            nature: Nature | None = _NATURE.get(nat_s)  # type: ignore[assignment]
            if nat_s and nature is None:
                note_parts.append(f"指标性质: {nat_s}")
            span = Span(row[0].span.start, row[-1].span.end)
            out.append(
                Target(
                    id="",
                    text=" | ".join(doc.text[c.span.start : c.span.end].strip() for c in row),
                    indicator=_resolve_indicator(ind_clean),
                    indicator_text=ind_clean,
                    comparator=cmp,
                    value=value,
                    value_max=vmax,
                    unit=unit or None,
                    year=cols.target_year if target_s else None,
                    baseline=base_s.strip(_MARKERS) or None,
                    baseline_year=cols.baseline_year if base_s else None,
                    nature=nature,
                    note="; ".join(note_parts) or None,
                    task=_task_of(tasks, span.start),
                    span=span,
                )
            )
    return out


def extract_targets(doc: DocView, tasks: list[Task], policy_id: str) -> list[Target]:
    """Every quantitative target of the document, ids ``{policy_id}/g{n}`` in document order."""
    targets = _text_targets(doc, tasks) + _table_targets(doc, tasks)
    for t in targets:
        if t.indicator is None and t.indicator_text:
            t.indicator = _resolve_indicator(t.indicator_text)
    targets.sort(key=lambda t: (t.span.start if t.span else 0))
    for n, t in enumerate(targets, 1):
        t.id = f"{policy_id}/g{n}"
    return targets
