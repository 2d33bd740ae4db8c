"""Values and comparators: a number with its unit ("35%", "60—80个", "1.5万人"), the comparator
before or after it ("不低于", "以上") and the nature of a target (binding / expected).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from healthgov.extract.facts.targets.clauses import is_cn
from healthgov.extract.facts.targets.grammar import POST_PHRASES, PRE_PHRASES, combine, pre_comparator
from healthgov.extract.numbers import (
    NUMBER,
    RANGE_SEP,
    parse_number,
    repair_glued_range,
)
from healthgov.records import Comparator

# Units, longest first (regex alternation is ordered).
UNITS = (
    "个百分点", "个工作日", "个自然日", "工作日", "个小时", "1/10万", "/10万", "/十万", "/万", "/千", "‰", "%", "万人次", "人次", "万人", "万元",
    "亿元", "万平方米", "平方米", "元", "人", "个月", "个", "张", "名", "岁", "家", "所", "项", "次",
    "天", "小时", "分钟", "公里", "种", "类", "倍", "支", "台", "辆", "床", "周", "例", "年", "日",
    # measures of the body, food and the home ("食盐不高于5g", "腰围小于85cm", "不高于20摄氏度"),
    # of lessons, doses and rounds ("每周4课时", "每月至少开展一轮"); ASCII units in lower case only
    # ("5G" is a network)
    "自然日", "课时", "摄氏度", "kg/m2", "kg/㎡", "kcal", "ml", "mg", "kg", "cm", "m2", "㎡", "g",
    "毫升", "千克", "公斤", "厘米", "米", "杯", "片", "步", "户", "只", "轮",
    # the rule-of-thumb distances of a reading posture ("离笔尖一寸、离桌子一拳、离眼一尺")
    "寸", "尺", "拳",
)
# Units written with a measure word that is not part of the measure: "5个工作日" is 5 工作日.
_UNIT_ALIAS = {"个工作日": "工作日", "个小时": "小时", "个自然日": "自然日"}
# Units that are dates as often as durations: a value only as a time limit ("1年内", "90日内")
# or after a comparator ("不超过3年").
_TIME_ONLY = {"年", "日"}
# A denominator written right before the value: "每人每天35元" is 35 元/人/天.
_PER = re.compile(
    r"(?:每(?P<a>千常住人口|万常住人口|十万人口|千人口|万人口|千人|万人|人口|人|床位?|户|百张床位?))?"
    r"(?:每(?P<b>天|日|年|月|周|次|季度))?"
    # "每人每年不低于700元": the denominator may come before the comparator word.
    # (a space before the value, from a PDF's text layer, changes nothing: "每周 4 课时")
    r"(?:" + "|".join(re.escape(w) for w in sorted(PRE_PHRASES, key=len, reverse=True) if len(w) > 1) + r")?\s*$"
)
_PER_NAME = {"千常住人口": "千人", "万常住人口": "万人", "十万人口": "10万人", "千人口": "千人", "万人口": "万人",
             "人口": "人", "床位": "床", "百张床位": "百床", "百张床": "百床", "日": "天"}
# A unit may be broken by the text layer's line wrap ("18/10 万", "15 分 钟"): spaces allowed inside
# a unit of two characters or more (never a line break between a number and a Latin unit's letters).
UNIT_RE = "|".join(r"[ \t]*".join(map(re.escape, u)) if len(u) > 1 and not u.isascii() else re.escape(u)
                   for u in UNITS)
_VALUE = re.compile(
    # a second unit only after a range's upper bound: "2030年人均" is a date, not 2030 人
    rf"(?P<lo>{NUMBER})\s*(?P<u1>{UNIT_RE})?(?:{RANGE_SEP}(?P<hi>{NUMBER})\s*(?P<unit>{UNIT_RE})?)?"
    r"(?P<post>\s*(?:及以上|以上|及以下|以下|以内|左右|之内|内(?![容部外涵科地需])|前(?![往来])))?"
)
POST_CMP = POST_PHRASES
_CHANGE_VERB = re.compile(r"(增长|提高|提升|下降|降低|降|减少|增加|上升|缩短|延长)(了)?\s*$")
_POP_NOUN = re.compile(r"(?:及以上|以上|以下|及以下)?(?:的)?(?:儿童|婴幼儿|婴儿|人群|老年人|老人|妇女|居民|人口|学生|青少年|孕产妇|患者|男性|女性|新生儿)")
_NOT_UNITLESS = re.compile(r"^\s*(年|月|日|号|级|届|期|次会|条|章|节|号文|版|G|大|项目)")

NATURE = {"约束性": "binding", "预期性": "expected"}


@dataclass
class Hit:
    start: int
    end: int
    value: float | None
    value_max: float | None
    unit: str | None
    post: str


TIME_UNITS = {"年", "日", "天", "工作日", "小时", "个月", "周", "分钟", "自然日"}
# Units a written 一 counts in, as a quota or a limit ("每周一次", "一个自然日内").
_ONCE_UNITS = {"次", "轮", "自然日", "个自然日", "工作日", "个工作日"}
_SPAN_UNITS = {"寸", "尺", "拳"}  # 一寸, 一拳, 一尺: counted in 一 only


def _not_a_value(norm: str, s: int, e: int, lo_s: str, unit: str | None, post: str) -> bool:
    """Dates, ordinals, denominators, populations and conditions written like quantities."""
    before = norm[max(0, s - 1) : s]
    after = norm[e : e + 6]
    if is_cn(lo_s):
        # Chinese numerals only as counts with a unit (not "一批", "二级", "两个允许").
        if not unit or not re.search(r"[一二三四五六七八九十百千两〇零]", lo_s) or before in "“\"第每":
            return True
        if parse_number(lo_s) is None or lo_s in ("十", "百", "千", "万"):
            return True  # "百人医疗队", "千人床位数": a name or a denominator, not a count
        # 一 is a count only as a quota or a limit: "每月至少开展一次", "每周一次", "一个自然日内";
        # elsewhere it is an article ("一次性", "一个机制", "一年来").
        if (parse_number(lo_s) or 0) < 2 and not (
            unit in _SPAN_UNITS
            or unit in _ONCE_UNITS and not after.startswith("性")
            and (re.search(r"(?:每[^，,；;。：:]{0,10}|至少|最少)$", norm[max(0, s - 12) : s]) or post in ("内", "以内", "之内"))
        ) and not _upper_bound(norm, s, post):
            return True
    if before and (before.isdigit() or before in ".第〔[（(" and not unit):
        return True
    if norm[max(0, s - 3) : s].rstrip().endswith(("每", "每个")) and not re.match(r"\s*(?:距离|间距|间隔)", norm[e : e + 4]):
        return True  # a denominator: "每3万人", "每 1 万人", "每千人口"; not a spacing ("每25-30米距离")
    if before in "“\"" and re.match(r"[^”\"，。；]{0,8}[”\"]", norm[e : e + 10]):
        return True  # a name in quotes: "15分钟健身圈"
    if unit in ("岁", "个月", "月", "周") and _POP_NOUN.match(norm, e):
        return True  # "为6个月以上婴儿", "0～6个月婴儿": the people concerned, not a value
    if re.search(r"(?:餐后|饭后)\s*$", norm[max(0, s - 4) : s]):
        return True  # "餐后2小时血糖": a measure's name
    if re.match(r"\s*[\u4e00-\u9fff]{1,4}(?:及)?以[上下]的", after) and not post:
        return True  # "600名学生以上的学校": a class of units, not a value
    if not unit and (not post or _NOT_UNITLESS.match(after)):
        return True
    if unit in _TIME_ONLY and (
        re.fullmatch(r"(?:19|20)\d{2}", lo_s)
        or not (post in ("内", "以内", "之内") or _upper_bound(norm, s, post)
                or pre_comparator(norm[max(0, s - 8) : s]) not in (None, "about"))
    ):
        return True  # "2027年", "3月20日", "三年行动", "力争2025年": dates and names, not time limits
    if unit == "岁" and re.match(r"[\u4e00-\u9fff]", after) and not re.match(r"(左右|以上|以下|以内)", after):
        return True  # "65岁及以上常住老年人": a population, not a value
    if re.match(r"\s*的", after) and re.search(r"(低于|高于|超过|不足|少于|多于|大于|小于|在|为)\s*$", norm[max(0, s - 3) : s]):
        return True  # "服务人口低于800人的行政村": a condition, not "90%以上的县"
    # "两个或两个以上医疗机构", "3家或以上": a definition's threshold, not a target.
    return bool(re.match(r"\s*或\s*(?:[一二两三四五六七八九十\d]+\S{0,2})?(?:以上|以下)", after)
                or bool(re.search(r"或\s*$", norm[max(0, s - 2) : s])) and post in ("以上", "及以上", "以下", "及以下"))


def _upper_bound(norm: str, s: int, post: str) -> bool:
    """The upper bound of a range written as two bounds ("六个月以上一年以下")."""
    return post in ("以下", "及以下") and bool(re.search(r"以上\s*$", norm[max(0, s - 3) : s]))


def _measure(norm: str, s: int, unit: str | None) -> str | None:
    """The unit with the denominator written right before the value ("每人每天35元" → 元/人/天)."""
    if unit is None:
        return None
    unit = _UNIT_ALIAS.get(unit, unit)
    m = _PER.search(norm, max(0, s - 16), s)
    if m and (m.group("a") or m.group("b")):
        per = [_PER_NAME.get(g, g) for g in (m.group("a"), m.group("b")) if g]
        return "/".join([unit, *per])
    return unit


def find_values(norm: str, a: int, b: int) -> list[Hit]:
    """Value expressions in norm[a:b] that look like quantities (not dates, numbers, ordinals)."""
    hits: list[Hit] = []
    for m in _VALUE.finditer(norm, a, b):
        lo_s, hi_s = m.group("lo"), m.group("hi")
        unit = m.group("unit") or m.group("u1")
        unit = re.sub(r"\s+", "", unit) if unit else unit
        post = (m.group("post") or "").strip()
        if post in ("内", "前") and (_UNIT_ALIAS.get(unit or "", unit) not in TIME_UNITS or post == "前" and unit in _TIME_ONLY):
            post = ""  # "内" bounds a time ("5个工作日内"), "前" a time reached ("孕28周前"), not a count
        s, e = m.start(), m.end()
        if _not_a_value(norm, s, e, lo_s, unit, post):
            continue
        after = norm[e : e + 6]
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
        hits.append(Hit(s, e, lo, hi, _measure(norm, s, unit), post))
    return sorted(hits + _unit_at_end(norm, a, hits) + _halves(norm, a, b) + _fractions(norm, a, b), key=lambda h: h.start)


_FRACTION = re.compile(r"(?<![\d一二三四五六七八九十])([一二三四五六七八九十\d]{1,3})分之([一二三四五六七八九十\d]{1,3})(?!\d)")


def _fractions(norm: str, a: int, b: int) -> list[Hit]:
    """"占主食摄入量的三分之一": a share written as a fraction, its value the ratio."""
    out: list[Hit] = []
    for m in _FRACTION.finditer(norm, a, b):
        den, num = parse_number(m.group(1)), parse_number(m.group(2))
        if den and num is not None and num <= den:
            out.append(Hit(m.start(), m.end(), round(num / den, 6), None, None, ""))
    return out


# 半 as a quantity of time: "至少半小时", "半小时以上", "半年内"; not a part of a period (上半年,
# 多半, 前半天) nor a frequency's period (每半年).
_HALF = re.compile(r"(?<![上下多大过前后每])半(?P<unit>个小时|小时|个月|年|天)"
                   r"(?P<post>\s*(?:及以上|以上|以内|之内|内(?![容部外涵科地需])))?")


def _halves(norm: str, a: int, b: int) -> list[Hit]:
    out: list[Hit] = []
    for m in _HALF.finditer(norm, a, b):
        unit, post = _UNIT_ALIAS.get(m.group("unit"), m.group("unit")), (m.group("post") or "").strip()
        if unit in _TIME_ONLY and not (post or pre_comparator(norm[max(0, m.start() - 8) : m.start()]) not in (None, "about")):
            continue  # "半年工作总结": a period's name
        out.append(Hit(m.start(), m.end(), 0.5, None, unit, post))
    return out


_LIST_HEAD = re.compile(r"(\d+(?:\.\d+)?)\s*、\s*$")


def _unit_at_end(norm: str, a: int, hits: list[Hit]) -> list[Hit]:
    """A list of numbers whose unit is written once, after the last ("分别不少于10、9、8个小时"):
    each number before it is a value in that unit."""
    out: list[Hit] = []
    for h in hits:
        if not h.unit or h.value_max is not None:
            continue
        end = h.start
        while (m := _LIST_HEAD.search(norm, max(a, end - 16), end)) is not None:
            lo_s = m.group(1)
            if _not_a_value(norm, m.start(1), m.end(1), lo_s, h.unit, ""):
                break
            out.append(Hit(m.start(1), m.end(1), parse_number(lo_s), None, h.unit, ""))
            end = m.start(1)
    return out


def find_comparator(norm: str, clause_start: int, hit: Hit) -> Comparator:
    """The comparator of a value from the words before it in its clause and the qualifier after it."""
    if hit.value_max is not None:
        return "range"
    pre = norm[clause_start : hit.start]
    before = pre_comparator(pre)
    if before is None and (hit.unit == "个百分点" or _CHANGE_VERB.search(pre[-6:]) and not re.search(r"(到|至)\s*$", pre)):
        return "text"  # a change ("增长30%", "每年降0.5个百分点"), not a level
    return combine(before, hit.post) or "="
