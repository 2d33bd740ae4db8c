"""Duty-bearers that are not agencies: the providers, schools, employers, enterprises, sites and
residents' committees a task's text obliges ("定点医药机构应当…", "各学校要…", "居民委员会、村民委员会
应当协助…"). Issue 25: they bear duties, but of another kind than an agency's, so they are kept
apart from responsibilities (``Task.obligations``), typed by the institution-type vocabulary
where it knows the kind, and never counted in an agency answer unless a question asks for them.
The subject grammar is the prose duties' (``prose_subjects``): a clause-initial list of names and a
predicate after it; here the predicate must oblige (a modal or a duty verb), not merely narrate.
"""

from __future__ import annotations

import re

from healthgov.extract.document import DocView
from healthgov.extract.facts.responsibilities.predicates import VERB, is_permissive
from healthgov.extract.facts.responsibilities.prose_subjects import (
    MAX_SUBJECT,
    clause_starts,
    predicate,
    predicate_positions,
    sentence_span,
    weak,
)
from healthgov.extract.facts.responsibilities.subjects import list_pieces, parse_subject
from healthgov.extract.facts.tagging import find_concepts
from healthgov.ontology.vocab import load_vocabularies
from healthgov.records import Obligation, Span, Task

# What a text obliges that is not an agency: providers, schools, employers, enterprises, sites and
# residents' committees ("定点医药机构应当…", "各学校要…", "建筑工地要…", "居民委员会、村民委员会应当协助…").
_OBLIGED = re.compile(
    r"(?:各级各类|各类|各|所有|全部|辖区内?|本市|全市|有关|相关|属地|定点|其他)?[\u4e00-\u9fff（）()]{0,14}?"
    r"(?:医疗机构|医疗卫生机构|卫生机构|医药机构|医院|卫生院|卫生室|卫生服务中心|卫生服务站|疾病预防控制机构|疾控机构|"
    r"采供血机构|血站|药店|保险机构|经办机构|养老机构|托育机构|托幼机构|康复机构|福利机构|救助管理机构|救助保护机构|"
    r"检验检测机构|专业机构|学校|院校|幼儿园|企业|公司|集团|用人单位|建设单位|施工单位|生产单位|经营单位|供水单位|"
    r"建筑工地|物业|物业小区|物业服务企业|社会组织|行业协会|媒体|监测哨点|居民委员会|村民委员会|居委会?|村委会?|医共体|医联体|"
    r"場所|场所|车站|港口|机场|体育场馆)"
)


def _pieces(phrase: str) -> list[tuple[str, int, int]]:
    """A subject list's pieces: at 、/和/及 and 或(者) ("镇（街道）或社区村委"), and two kinds written
    together apart ("学校托幼机构" → 学校, 托幼机构)."""
    out: list[tuple[str, int, int]] = []
    for item, a, _b in list_pieces(phrase):
        for m in re.finditer(r"(?:(?!或者|或).)+", item):
            piece, x = m.group(), a + m.start()
            cut = next((k for k in range(2, len(piece) - 1) if _KIND_END.search(piece[:k])
                        and _OBLIGED.fullmatch(piece[:k]) and _OBLIGED.fullmatch(piece[k:])), None)
            if cut is not None:
                out += [(piece[:cut], x, x + cut), (piece[cut:], x + cut, x + len(piece))]
            else:
                out.append((piece, x, x + len(piece)))
    return out


def find_obligations(s: str) -> list[tuple[list[tuple[str, int, int]], tuple[int, int]]]:
    """Every clause of s whose subject is a list of obliged non-agencies followed by a modal or a
    duty verb: ([(name, start, end), ...], sentence span), in order. A permissive clause (可以,
    有权) obliges no one."""
    out = []
    if not _OBLIGED_WORD.search(s):
        return out  # (most tasks name no provider, school or enterprise at all)
    for p in clause_starts(s):
        if not _OBLIGED_WORD.search(s, p, min(len(s), p + MAX_SUBJECT)):
            continue  # no provider, school, enterprise … named where a subject could be
        for e in predicate_positions(s, p + 2, min(len(s), p + MAX_SUBJECT)):
            v = predicate(s, e)
            if v is None or (v.re is VERB and not v.group("modal") and weak(v)
                             and not _EVERY_ONE.search(s, v.start(), v.start("verb"))):
                continue  # an institution obliged: a modal, a duty verb or an act of every one of them
            pieces = _pieces(s[p:e])
            obliged = [(x, a, b) for x, a, b in pieces if _OBLIGED.fullmatch(x) and not _DENY_OBLIGED.search(x)]
            # every piece obliged, or a body of its own ("各镇（街道）教育办和学校要…": the school)
            whole = len(obliged) == len(pieces) or (obliged and all(
                (x, a, b) in obliged or parse_subject(s, p + a, p + b) for x, a, b in pieces))
            if not whole and _OBLIGED.fullmatch(s[p:e]) and not _DENY_OBLIGED.search(s[p:e]):
                obliged, whole = [(s[p:e], 0, e - p)], True  # "二级及以上医疗机构": one name with 及 in it
            if whole and not is_permissive(s, e):
                out.append(([(x, p + a, p + b) for x, a, b in obliged], sentence_span(s, p)))
            break
    return out


_OBLIGED_WORD = re.compile(_OBLIGED.pattern.split("(?:", 2)[-1].rsplit(")", 1)[0])
# A clause, not a name: "对医疗机构…", "加强学校…".
_DENY_OBLIGED = re.compile(
    r"[的对在为将把被向从于由]|以(?![上下])|加强|推进|推动|支持|鼓励|引导|指导|督促|组织|要求|确保|落实|建立|探索|"
    r"健全|完善|实施|开展|提升|依托|通过|发挥|优化|规范"
)
_KIND_END = re.compile(_OBLIGED_WORD.pattern + "$")
# "县级及以上公立中医院全部设置…", "二级以上综合性医院…均规范建立…": an act required of every one
_EVERY_ONE = re.compile(r"均|全部|全面|都|普遍|一律")
# "各学校", "所有医疗机构": the distributive is the sentence's, the kind obliged is 学校, 医疗机构
_DISTRIBUTIVE = re.compile(r"^(?:各级各类|各类|各|所有|全部|全体)(?=[\u4e00-\u9fff]{2})")


def task_obligations(doc: DocView, t: Task, simp: str) -> list[Obligation]:
    """The providers, schools, enterprises … the task's sentences oblige, each once, typed by the
    institution-type vocabulary when it knows the kind."""
    scheme = load_vocabularies().schemes.get("institution-type")
    out: list[Obligation] = []
    seen: set[str] = set()
    off = t.span.start
    for names, (a, b) in find_obligations(simp):
        for name, x, y in names:
            lead = _DISTRIBUTIVE.match(name)
            if lead is not None:
                x += lead.end()
                name = name[lead.end() :]
            written = doc.written(off + x, off + y)
            key = re.sub(r"\s+", "", written)
            if key in seen:
                continue
            seen.add(key)
            hits = find_concepts(name, scheme) if scheme is not None else []
            # the kind the name ends in ("区人民医院" is a hospital, whatever it names before)
            kind = max(hits, key=lambda h: h[0])[1].id if hits else None
            out.append(Obligation(written, kind, Span(off + a, off + b)))
    return out
