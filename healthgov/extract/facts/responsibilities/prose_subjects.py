"""Who a duty sentence names as its subject: the grammar of prose responsibilities.

A clause states a duty when it opens with one or more bodies (``subjects``: what names a body)
followed by a predicate (``predicates``: adverbials, a modal and/or an action verb — "X要…",
"X负责…", "X会同Y…", "X拟订…预案"), or when it says "由X负责/承担/制定/责令...". The role follows
the verb: 负责/牵头/会同 lead, 配合/协助 support, any other act makes a sole subject the lead and a
list of subjects co-responsible. Bodies named anywhere but as the subject ("加强医保、公安等部门的
协调", "报区民政部门审核") are not responsible; a clause that narrates (相继开展, 开展了) or permits
(可以, 有权) assigns no duty.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from healthgov.extract.facts.agencies import ends_unit
from healthgov.extract.facts.collectives import is_collective
from healthgov.extract.facts.responsibilities.clauses import (
    BOUNDARY,
    MAX_SUBJECT,
    Duty,
    clause_starts,
    sentence_span,
    skip_opener,
)
from healthgov.extract.facts.responsibilities.governance_forms import by_chain, established, given_roles
from healthgov.extract.facts.responsibilities.predicates import (
    CONDITION_MODAL,
    COPULA_DUTY,
    LEAD_VERB,
    MODAL,
    SUPPORT_VERB,
    VERB,
    is_narrative,
    is_permissive,
    predicate_starts,
)
from healthgov.extract.facts.responsibilities.subjects import (
    LEADING_VERB,
    NOT_BODY,
    Named,
    is_body,
    name_endings,
    parse_subject,
)
from healthgov.extract.facts.unit_lists import split_units

_AFTER_OBJECT = re.compile(r"按照|按|共同|加强|推进|抓紧|联合|做好|对|在|就|，")
# "地方各级人民政府对本地区工作负领导责任"
_ANSWERS_FOR = re.compile(r"对[^，,。；;]{1,24}?(?:负(?:领导|主体|监管|总|直接|主要)?责|进行|开展|实施|履行)")
_BY_VERB = re.compile(
    r"(?:对[^，,。；;]{1,30}?(?:进行|开展|实施)|负责|承担|牵头|统一|组织|会同|联合|具体|主管|制定|实施|统筹|指导|监督|审核|发布|拟定|认定|编制|"
    # the enforcing body of a law's penalty article: "由县级以上人民政府…部门责令改正，给予警告"
    r"责令|给予|没收|吊销|决定|公布|确定|立即|及时|依法|提名|安排|核定|审批|批准|"
    # "由公安机关协助疾病预防控制机构采取强制隔离措施": the body helps the one named after it
    r"协助|配合|"
    # "由地方结合实际确定", "由地方政府根据发展建设规划足额安排": the rule the body acts under first
    r"(?:结合实际|(?:根据|按照|依据|依照)[^，,。；;]{1,24}?)(?:足额|统一|及时|合理)?(?:确定|安排|制定|组织|负责|承担|实施|核定|审批|决定))"
)
_RELATIVE = re.compile(r"[^，,。；;：:\n]{0,14}?的(?:部门|机关|单位|机构)")


def subject_at(s: str, p: int) -> Duty | None:
    """The duty a clause opening at p states with its subject, if any: the first body at p that a
    predicate follows, or a longer list of bodies ("市卫生健康委与市民政局联合…" names both). A
    clause that permits (可以, 有权) assigns no duty."""
    limit = min(len(s), p + MAX_SUBJECT)
    found: tuple[list[Named], re.Match] | None = None
    ends = name_endings()
    for e in predicate_positions(s, p + 2, limit):
        if s[e - 1] not in ends:
            continue  # no name ends in that character: not a subject's end
        v = predicate(s, e)
        if v is None:
            continue
        units = parse_subject(s, p, e)
        if units and (found is None or len(units) > len(found[0])) and not (weak(v) and _name_goes_on(s, p, e)):
            found = (units, v)  # a longer subject only when it is a longer list
    if found is None:
        rel = _RELATIVE_OPENING.match(s, p)
        if rel is not None and rel.end() < limit:
            return _relative_subject(s, p, rel.end())
        return None
    if is_permissive(s, found[0][-1].end):
        return None
    return _duty(s, found[0], found[1], p)


# A clause opening with a short relative clause before its subject: "接到报告的上级人民政府认为…
# 不适当的，应当立即调整", "决定采取措施的机关应当向社会发布公告".
_RELATIVE_OPENING = re.compile(r"(?:接到|收到|作出|决定|采取|发现|批准|指定|负责|承担)[^，,。；;：:\n的]{1,8}的")
_GENERIC_HEAD = re.compile(r"机关|部门|单位|机构")


def _relative_subject(s: str, p: int, q: int) -> Duty | None:
    d = subject_at(s, q) if not _GENERIC_HEAD.match(s, q) else None
    if d is not None:
        return d  # the body after the relative clause ("上级人民政府")
    head = _GENERIC_HEAD.match(s, q)
    if head is None or _LEADING_VERB_OF_CLAUSE.match(s, p):
        return None
    v = predicate(s, head.end())
    if v is None or not (v.re is not VERB or v.group("modal")):
        return None  # a body named by what it does is a subject only with a modal: "…的机关应当…"
    unit = Named(s[p : head.end()], p, head.end(), known=False)
    return _duty(s, [unit], v, p)


_REFERS_BACK = re.compile(_RELATIVE_OPENING.pattern + r"(?:机关|部门|单位|机构)")
_LEADING_VERB_OF_CLAUSE = re.compile(r"对|在|为|向|由|经|按|依|根据|按照|依照")


def weak(v: re.Match) -> bool:
    """A predicate that could be the rest of a name: no modal, no verb of a role."""
    if v.re is not VERB:
        return True  # a condition, a copula or 对…负责 opens far from the subject's last character
    verb = v.group("verb") or ""
    return not v.group("modal") and not re.fullmatch(f"{LEAD_VERB}|{SUPPORT_VERB}", verb)


def _name_goes_on(s: str, p: int, e: int) -> bool:
    """s[p:e] is the start of a longer body's name ("中央军事委" of 中央军事委员会)."""
    for x in range(e + 1, min(len(s), e + 16) + 1):
        if s[x - 1] in BOUNDARY:
            return False
        kind = is_body(s[p:x])
        # a vocabulary body, or one the vocabulary lacks that a predicate follows ("中央军事委员会负责…")
        if kind or (kind is not None and x < len(s) and VERB.match(s, x) and VERB.match(s, x).group("verb")):
            return True
    return False


def predicate_positions(s: str, a: int, limit: int) -> list[int]:
    """Where a predicate may open after a subject starting at a-2: from a to limit, not past the
    clause's end."""
    b = a
    while b <= limit and s[b - 1] not in BOUNDARY:
        b += 1
    starts = predicate_starts(s)
    i = bisect_left(starts, a)
    j = bisect_right(starts, b - 1)
    return list(starts[i:j])


def predicate(s: str, e: int) -> re.Match | None:
    """The predicate opening at e, if one does: a modal or a verb after adverbials, a copula naming
    a duty-bearer, or "对…负责"."""
    v = VERB.match(s, e)
    if v is not None and (v.group("modal") or v.group("verb")):
        if s.startswith("的", v.end()) or _RELATIVE.match(s, v.end()) or _noun_phrase(s, v):
            return None  # "各县市区编制的规划…": a verb before 的 makes a noun phrase, not a duty
        if not is_narrative(s, v):
            return v
    return _ANSWERS_FOR.match(s, e) or COPULA_DUTY.match(s, e) or CONDITION_MODAL.match(s, e)


def _noun_phrase(s: str, v: re.Match) -> bool:
    """"X组织开展的培训要…": the verb with no modal heads a relative clause whose noun is the
    subject (a 的 in the clause, a modal after it)."""
    if v.group("modal"):
        return False
    clause = re.match(r"[^，,。；;：:\n]*", s[v.end() :]).group()
    k = clause.find("的")
    return k >= 0 and re.search(rf"{MODAL}|请|可以", clause[k:]) is not None


def _duty(s: str, units: list[Named], v: re.Match, p: int) -> Duty:
    verb = (v.groupdict().get("verb") or "") if v.re is VERB else "负责"
    supporters: list[Named] = []
    if verb in ("与", "同") and (objects := objects_after(s, v.end())):
        # "X与同级教育、公安等部门建立通报机制": every party of the joint act is co-responsible.
        return Duty(units, "support", "shared", sentence_span(s, p), objects, "support", "shared")
    if len(units) == 1 and verb == "提供" and re.match(r"[^，,。；;]{0,6}?(?:技术)?(?:支持|支撑)", s[v.end() :]):
        return Duty(units, "support", "prose", sentence_span(s, p), [])  # "属地疾控中心提供技术支持"
    if re.fullmatch(SUPPORT_VERB, verb):
        # "X配合Y…": X supports, Y leads.
        objects = objects_after(s, v.end()) if len(units) == 1 else []
        return Duty(units, "support", "prose", sentence_span(s, p), objects, "lead")
    elif len(units) == 1:
        role, basis = "lead", "prose"
        if verb in ("会同", "联合"):
            supporters = objects_after(s, v.end())
    elif "共同牵头" in s[v.start() : v.end()]:
        role, basis = "lead", "shared"  # a lead held jointly, as an annotation's 共同牵头
    elif verb in ("牵头", "会同", "联合"):
        # "A、B会同C…": each subject leads over the bodies it brings in (C supports).
        role, basis = "lead", "prose"
        supporters = objects_after(s, v.end()) if verb != "牵头" else []
    else:
        role, basis = "support", "shared"
    return Duty(units, role, basis, sentence_span(s, p), supporters, leads_by_word=_leads_by_word(verb),
                modal=bool(v.groupdict().get("modal")))


def objects_after(s: str, q: int) -> list[Named]:
    """The bodies a "会同" names right after it: the longest list of bodies that a verb, 等 or
    a clause mark follows."""
    if q < len(s) and s[q] == "级" and s[q - 1] == "同":
        q -= 1  # "会同级财政部门" is 会同 + 同级财政部门
    best: list[Named] = []
    for e in range(q + 2, min(len(s), q + MAX_SUBJECT) + 1):
        if s[e - 1] in BOUNDARY:
            break
        units = parse_subject(s, q, e)
        if not units:
            continue
        v = VERB.match(s, e)
        if e == len(s) or s[e] in BOUNDARY or s[e] == "等" or (v is not None and (v.group("verb") or v.group("modal"))):
            best = units
        elif _AFTER_OBJECT.match(s, e):
            best = units
        elif all(u.known for u in units) and not re.match(r"[\u4e00-\u9fff]{0,3}(?:部门|委|局|厅|办|部|中心|院|会|组)", s[e:]):
            best = units  # a vocabulary body and no longer name going on
    return best


def by_subject(s: str, i: int) -> Duty | None:
    """"由X负责/承担/制定..." with 由 at i: X leads (a list of X shares). "可以由X…" permits, it
    assigns no duty."""
    if s.startswith("由于", i) or (i > 0 and s[i - 1] in "理缘来自经") or s[max(0, i - 2) : i] in ("可以", "也可") \
            or (i > 0 and s[i - 1] == "可"):
        return None
    q = i + 1
    limit = min(len(s), q + MAX_SUBJECT)
    for e in range(q + 2, limit + 1):
        if s[e - 1] in BOUNDARY:
            return None
        bv = _BY_VERB.match(s, e)
        if bv is None:
            # any act of the by-phrase's body: "由区级疾病预防控制中心接报并核实疫情后，开展…"
            v = predicate(s, e)
            bv = v if v is not None and v.re is VERB and v.group("verb") and not v.group("modal") else None
            if bv is not None and _STAFFING.match(s, bv.start("verb")):
                return None  # "由A、B选派人员参加": the bodies lend staff, the duty is another's
        if not bv or _RELATIVE.match(s, bv.end()):
            continue  # "由中央军事委员会负责卫生工作的部门实施…": the verb names the body
        units = parse_subject(s, q, e)
        if units:
            if bv.group() in ("协助", "配合"):
                return Duty(units, "support", "prose", sentence_span(s, i), objects_after(s, bv.end()), "lead")
            role, basis = ("lead", "prose") if len(units) == 1 else ("support", "shared")
            sup = objects_after(s, bv.end()) if bv.group() in ("会同", "联合") and len(units) == 1 else []
            return Duty(units, role, basis, sentence_span(s, i), sup, leads_by_word=_leads_by_word(bv.group()))
    return None


_HEADING_BODY = re.compile(r"[\u4e00-\u9fff]{1,12}(?:小组|组|办公室|委员会|中心|指挥部|专班)")
# A working group's roster: "成员单位：A、B、C。" / "成 员：…" under the group's name; its duties
# follow under "主要职责：" / "工作职责：".
_ROSTER = re.compile(r"(?:^|\n|[ \u3000]{2,})\s*(?:成员单位|成\s*员)\s*[:：]\s*(?P<list>(?:[^。\n]|(?<=[、，,])\s*\n)+)")
_DUTIES_LABEL = re.compile(r"(?:主要|工作)?职责\s*[:：]")


_HEADING_VERB = re.compile(r"建设|打造|设立|组建|发展|创建|构建|做强|做实|培育|推广|布局|提高|扩大|规范|实施|开展|争创")


def heading_subject(s: str) -> Duty | None:
    """"1.监督组。负责对…进行监督": a heading that is a body's name, and a duty right after it."""
    p = skip_opener(s, 0)
    end = p
    while end < len(s) and s[end] not in "。：:\n":
        end += 1
    name = s[p:end]
    if end >= len(s) or not _HEADING_BODY.fullmatch(name) or re.search(r"[的要应对在为将把被向从于以并或由等和及与、]", name):
        return None
    known = is_body(name)
    if not known and (LEADING_VERB.match(name) or _HEADING_VERB.match(name) or NOT_BODY.search(name)):
        return None  # "建设区域医疗中心。" is a task heading, not a body
    v = VERB.match(s, end + 1)
    if v is None or not (v.group("modal") or v.group("verb")):
        return None
    unit = Named(name, p, end, known=bool(known))
    return Duty([unit], "lead", "prose", sentence_span(s, end + 1), [])


def roster_duty(s: str) -> Duty | None:
    """"2.疫情防控组 / 组长：… / 成员单位：A、B、C。/ 主要职责：负责…": the group leads its duties, its
    member units support them (the officials named as 组长/副组长 are people, not bodies)."""
    p = skip_opener(s, 0)
    end = p
    while end < len(s) and s[end] not in "。：:\n":
        end += 1
    name = s[p:end]
    roster = _ROSTER.search(s, end)
    if roster is None or not _DUTIES_LABEL.search(s, roster.end()) or not _HEADING_BODY.fullmatch(name) \
            or re.search(r"[的要应对在为将把被向从于以并或由等和及与、]", name):
        return None
    text = re.sub(r"(?:主要|分管|相关)?负责同志$", "", roster.group("list").rstrip("，,；; "))
    a = roster.start("list")
    members: list[Named] = []
    for item, x, y in split_units(re.sub(r"\s", " ", text)):
        if is_collective(item):
            members.append(Named(item, a + x, a + y, collective=True))
        elif (kind := is_body(item)) is not None or ends_unit(item):
            # a roster lists units only: one ending like a body is a unit the vocabulary lacks
            members.append(Named(item, a + x, a + y, known=bool(kind)))
    if not members:
        return None
    unit = Named(name, p, end, known=bool(is_body(name)))
    return Duty([unit], "lead", "prose", (roster.start("list"), roster.end("list")), members, "support")


def find_duties(s: str) -> list[Duty]:
    """Every duty stated in s (the simplified text of one task), in order."""
    out: list[Duty] = []
    taken = -1
    head = roster_duty(s) or heading_subject(s)
    if head is not None:
        out.append(head)
        taken = max([head.units[0].end] + [u.end for u in head.supporters])
    for p in clause_starts(s):
        if p <= taken:
            continue
        d = subject_at(s, p)
        if d is not None:
            out.append(d)
            taken = d.units[-1].end
    chains = [d for m in re.finditer("由", s) for d in by_chain(s, m.start())]
    for d in chains + [by_subject(s, m.start()) for m in re.finditer("由", s)] + established(s) + given_roles(s):
        if d is not None and not any(u.start == d.units[0].start for x in out for u in x.units):
            out.append(d)
    out.sort(key=lambda d: d.units[0].start)
    # "接到举报的机关应当…" after the article has named its bodies refers back to them: not one more
    out = [d for i, d in enumerate(out) if i == 0 or not _REFERS_BACK.fullmatch(d.units[0].name)]
    _second_to_a_named_lead(out)
    return out


_LEADS_BY_WORD = re.compile(r"牵头|负责(?!人)|主管|统筹|会同")


def _leads_by_word(verb: str) -> bool:
    return bool(_LEADS_BY_WORD.fullmatch(verb or ""))


def _second_to_a_named_lead(duties: list[Duty]) -> None:
    """"由辖区教育部门牵头组织，卫生健康部门提供培训内容和师资": in a sentence where one body is
    said to lead, another that is merely the subject of an act (no modal, no lead word) supports it."""
    by_sentence: dict[tuple[int, int], list[Duty]] = {}
    for d in duties:
        by_sentence.setdefault(d.sentence, []).append(d)
    for group in by_sentence.values():
        if any(d.leads_by_word and d.role == "lead" for d in group):
            for d in group:
                if d.role == "lead" and not d.leads_by_word and not d.modal and d.basis == "prose":
                    d.role = "support"


# "由县级党委领导、政府主导，机构编制、发展改革…等部门参与的…机制": who governs a mechanism, each
# with its part (领导/主导/牵头/负责 lead, 参与/配合/协同/支持 support).
_STAFFING = re.compile(r"选派|派出|派遣|抽调|派")
