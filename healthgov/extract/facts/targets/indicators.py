"""The indicator a value measures: the subject before the comparator verb, resolved in the
indicator vocabulary when it can be.
"""

from __future__ import annotations

import re
from functools import lru_cache

from healthgov.extract.facts.targets.clauses import PLAN_ANCHOR, YEAR_ANCHOR, clause_bounds
from healthgov.extract.facts.targets.comparators import UNIT_RE, Hit
from healthgov.extract.matcher import LabelMatcher
from healthgov.extract.numbers import (
    RANGE_SEP,
)
from healthgov.ontology.vocab import Concept, Scheme, load_vocabularies

_SCOPE_WORDS = re.compile(r"^(全市|全省|全区|全县|全国|我市|我省|我区|我县|其中|力争|并|且|和|同时|每年|均|将|把)+")
_VERB_SPLIT = re.compile(
    r"(分别|均)?(达到|达(?!标)|不低于|不少于|不高于|不超过|低于|高于|超过|突破|控制在|保持在|稳定在|维持在|"
    r"提高到|提高至|提升到|提升至|降低到|降低至|降到|降至|下降到|下降至|减少到|减少至|增加到|增加至|"
    r"增长到|增长至|至少|为)"
)
_ACTION = re.compile(r"(建成|建设|打造|设立|设置|培养|培育|引进|新增|选拔培育|选拔|招收|培训|入选|配备|建立)")


# A penalty's verb right before its amount: the measure is the object after it (罚款, 执业活动).
_SANCTION = re.compile(r"(?:(?<![事到之住出用益好])处|罚|暂停|禁止其?|吊销)$")
_MODAL_ONLY = re.compile(r"(?:应当|应|须|必须|需|要|可以|可|均)*(?:于|在)?")
_ARABIC_VALUE = re.compile(rf"\d+(?:\.\d+)?万?\s*(?:{UNIT_RE})?(?:{RANGE_SEP}\d+(?:\.\d+)?万?\s*(?:{UNIT_RE})?)?")


def _clean_ind(t: str) -> str:
    t = PLAN_ANCHOR.sub("", YEAR_ANCHOR.sub("", t))
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


def indicator_for(simp: str, ca: int, cb: int, hit: Hit, sent: int) -> str:
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
    if _SANCTION.search(lp) and _cjk2(tail):
        # "可以并处十万元以下罚款", "暂停…执业活动直至吊销": the penalty is the noun after the amount
        return re.split(r"直至|或者|并", tail)[0] or tail
    if _MODAL_ONLY.fullmatch(lp) and _cjk2(tail):
        # "应当于两小时内进行网络直报": a time limit measures the act after it
        return re.sub(r"^(?:进行|完成|开展|作出|予以)", "", tail)
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
        a, b = clause_bounds(simp, p, sent, p)
        prev = _ARABIC_VALUE.sub("", _clean_ind(simp[a:b])).strip(" ，,、")
        if _cjk2(prev):
            return (prev + "，" + lp).strip("，")
        p = a - 1
    return lp or tail


def split_subjects(subject: str) -> list[str]:
    # 及 of "30岁及以上居民" qualifies a population, it does not join two subjects.
    parts = [p for p in re.split(r"[、和]|及(?!以上|以下|其)", subject) if p.strip()]
    return parts


@lru_cache(maxsize=1 << 16)  # a pure function of the text (and the vocabularies)
def resolve_indicator(text: str) -> str | None:
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
    labels, matcher = indicator_matcher(scheme)
    hit = matcher.first(s)
    return labels[hit[0]][1].id if hit is not None else None


_INDICATOR_MATCHERS: dict[int, tuple[list[tuple[str, Concept]], LabelMatcher]] = {}


def indicator_matcher(scheme: Scheme) -> tuple[list[tuple[str, Concept]], LabelMatcher]:
    key = id(scheme)
    if key not in _INDICATOR_MATCHERS:
        labels = [(lab, c) for lab, c in scheme.labels() if len(lab) >= 3]
        _INDICATOR_MATCHERS[key] = (labels, LabelMatcher([lab for lab, _c in labels]))
    return _INDICATOR_MATCHERS[key]
