"""The comparator grammar: which words before and after a value set its direction.

A comparator word before the value ("不低于90%", "至少建成1家", "不高于每人每天35元") and a
qualifier after it ("90%以上", "8天以内", "5个工作日内", "45%左右") combine into one comparator.
Negation reverses a direction word, never merely weakens it: 超过 is ``>`` and 不超过 / 不得超过
``<=``; 低于 is ``<`` and 不低于 / 不得低于 ``>=``. Only the bare words are strict. Aspiration
(力争, 约) is ``about`` unless a direction is written too ("力争达到90%以上" is ``>=``).
"""

from __future__ import annotations

import re

from healthgov.extract.facts.targets.clauses import YEAR_ANCHOR
from healthgov.records import Comparator

# Direction words that a 不 / 不得 in front reverses (突破: 不突破 is "at most" as well).
BASE_WORDS: dict[str, Comparator] = {
    "超过": ">", "高于": ">", "多于": ">", "大于": ">", "突破": ">",
    "低于": "<", "少于": "<", "小于": "<",
}
NEGATE: dict[Comparator, Comparator] = {">": "<=", "<": ">=", ">=": "<", "<=": ">"}
NEGATIONS = ("不", "不得", "不应", "不宜")

PRE_PHRASES: dict[str, Comparator] = {
    **BASE_WORDS,
    **{neg + w: NEGATE[c] for w, c in BASE_WORDS.items() for neg in NEGATIONS},
    "至少": ">=", "最少": ">=", "至多": "<=", "最多": "<=", "不足": "<",
    "控制在": "<=", "压减到": "<=", "压减至": "<=", "压缩到": "<=", "压缩至": "<=",
    "力争": "about", "约": "about", "大约": "about",
    "≥": ">=", ">=": ">=", "≤": "<=", "<=": "<=", ">": ">", "<": "<",
}
POST_PHRASES: dict[str, Comparator] = {
    "以上": ">=", "及以上": ">=", "以下": "<=", "及以下": "<=", "以内": "<=", "之内": "<=", "内": "<=", "前": "<=",
    "左右": "about", "上下": "about",
}
# Words that may stand between a verb-taking comparator and the value: "至少主动联系1次",
# "力争达到90%", "至多选择2家".
_VERB_TAKING = {"至少", "最少", "至多", "最多", "力争"}
# What may stand between any comparator word and its value: a target verb and a denominator
# ("不高于每人每天35元", "控制在每千人口2人"), or an "of" phrase ("不低于采购金额的30%").
_GAP = re.compile(
    r"(?:达到|达|为|在|到|至|提高到|提高至|提升到|提升至|降低到|降低至|降到|降至|下降到|下降至)?"
    r"(?:每(?:人口|人|床位?|户|千常住人口|千人口|千人|万常住人口|万人口|万人|十万人口|天|日|年|月|周|次|季度))*"
)
_OF_GAP = re.compile(r"[\u4e00-\u9fff]{1,8}的")
_PRE_RE = re.compile("|".join(re.escape(p) for p in sorted(PRE_PHRASES, key=len, reverse=True)))
# 约 alone is a syllable of many words (签约, 约束性, 节约, 制约): only right before the value.
_BOUND_ONLY = {"约"}


def pre_comparator(pre: str) -> Comparator | None:
    """The comparator written before a value, given the clause text up to the value."""
    last = None
    for m in _PRE_RE.finditer(pre):
        last = m
    if last is None:
        return None
    word, gap = last.group(0), YEAR_ANCHOR.sub("", pre[last.end():]).strip()
    if word in _BOUND_ONLY:
        return PRE_PHRASES[word] if gap in ("", "为") and not _in_word(pre, last.start()) else None
    if re.search(r"[\d，,；;。、：:]", gap):
        return None
    if word in _VERB_TAKING:
        return PRE_PHRASES[word] if len(gap) <= 10 else None
    if _GAP.fullmatch(gap) or _OF_GAP.fullmatch(gap):
        return PRE_PHRASES[word]
    return None


def _in_word(text: str, pos: int) -> bool:
    """约 glued to a preceding syllable (签约, 节约, 制约) is part of that word."""
    return pos > 0 and text[pos - 1] in "签节制契预公条邀践履违合特"


def combine(pre: Comparator | None, post: str) -> Comparator | None:
    """One comparator from the words before and after the value; None when neither says one."""
    post_c = POST_PHRASES.get(post)
    if pre is None or post_c is None:
        return pre or post_c
    if pre == "about" or post_c == "about":
        return post_c if pre == "about" else pre  # a direction beats an aspiration
    # 低于4%以下 (<=), 超过90%以上 (>=), 控制在90%以上 (>=): the word next to the value decides,
    # and it includes the bound.
    return post_c


def comparator_of(phrase: str) -> Comparator | None:
    """The comparator of a bare phrase ("不得超过", "以上"): for the tests and the tables."""
    if phrase in POST_PHRASES:
        return POST_PHRASES[phrase]
    return pre_comparator(phrase)
