"""Values and comparators: a number with its unit ("35%", "60—80个", "1.5万人"), the comparator
before or after it ("不低于", "以上") and the nature of a target (binding / expected).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from healthgov.extract.facts.targets.clauses import is_cn
from healthgov.extract.numbers import (
    NUMBER,
    RANGE_SEP,
    parse_number,
    repair_glued_range,
)
from healthgov.records import Comparator

# Units, longest first (regex alternation is ordered).
UNITS = (
    "个百分点", "1/10万", "/10万", "/十万", "/万", "/千", "‰", "%", "万人次", "人次", "万人", "万元",
    "亿元", "万平方米", "平方米", "元", "人", "个月", "个", "张", "名", "岁", "家", "所", "项", "次",
    "天", "小时", "分钟", "公里", "种", "类", "倍", "支", "台", "辆", "床", "周", "例",
)
UNIT_RE = "|".join(re.escape(u) for u in UNITS)
_VALUE = re.compile(
    rf"(?P<lo>{NUMBER})\s*(?P<u1>{UNIT_RE})?(?:{RANGE_SEP}(?P<hi>{NUMBER})\s*)?(?P<unit>{UNIT_RE})?"
    r"(?P<post>\s*(?:及以上|以上|及以下|以下|以内|左右|之内))?"
)
_PRE_CMP = [
    (re.compile(r"(不低于|不少于|不小于|至少|≥|>=)\s*$"), ">="),
    (re.compile(r"(不高于|不超过|不大于|≤|<=|控制在|低于)\s*$"), "<="),
    (re.compile(r"(超过|高于|大于|突破|>)\s*$"), ">"),
    (re.compile(r"(小于|<)\s*$"), "<"),
    (re.compile(r"(约|大约)\s*$"), "about"),
]
POST_CMP = {"以上": ">=", "及以上": ">=", "以下": "<=", "及以下": "<=", "以内": "<=", "之内": "<=", "左右": "about"}
_CHANGE_VERB = re.compile(r"(增长|提高|提升|下降|降低|降|减少|增加|上升|缩短|延长)(了)?\s*$")
_POP_NOUN = re.compile(r"^(?:及以上|以上|以下|及以下)?(?:的)?(?:儿童|婴幼儿|人群|老年人|老人|妇女|居民|人口|学生|青少年|孕产妇|患者|男性|女性|新生儿)")
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


def find_values(norm: str, a: int, b: int) -> list[Hit]:
    """Value expressions in norm[a:b] that look like quantities (not dates, numbers, ordinals)."""
    hits: list[Hit] = []
    for m in _VALUE.finditer(norm, a, b):
        lo_s, hi_s = m.group("lo"), m.group("hi")
        unit = m.group("unit") or m.group("u1")
        post = (m.group("post") or "").strip()
        s, e = m.start(), m.end()
        before = norm[max(0, s - 1) : s]
        after = norm[e : e + 6]
        if is_cn(lo_s):
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
        hits.append(Hit(s, e, lo, hi, unit, post))
    return hits


def find_comparator(norm: str, clause_start: int, hit: Hit) -> Comparator:
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
        return POST_CMP[hit.post]  # type: ignore[return-value]
    return "="
