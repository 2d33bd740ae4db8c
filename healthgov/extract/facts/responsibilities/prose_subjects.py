"""Who a duty sentence names as its subject: the grammar of prose responsibilities.

A clause states a duty when it opens with one or more bodies followed by a modal (要/应/须) or
a duty verb (负责, 牵头, 会同, 承担, 制定 ...), or when it says "由X负责/承担/制定...". A body
is a name in the agency-type vocabulary (with its level prefix), or a name shaped like a body
(ending in 部门/委/局/厅/办/院/中心/机构/政府/会/所/署 ...) that the vocabulary does not know:
such a unit is kept and reported, never dropped. "财政、发展改革、卫生健康等部门要..." names each
department of the list as its generic department (财政部门, 发展改革部门 ...). Bodies named
anywhere but as the subject ("加强医保、公安等部门的协调") are not responsible; neither are
institutions (医院, 医疗机构 ...). Collective subjects ("各地", "各省份", "相关部门") are
bodies marked ``collective`` (``facts.collectives``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from healthgov.extract.facts.agencies import ends_unit, is_level_prefix, resolve_agency, resolves
from healthgov.extract.facts.collectives import is_collective
from healthgov.extract.facts.responsibilities.predicates import (
    ACT_VERBS,
    ADVERBIALS,
    ALIAS_NOTE,
    CONDITION_MODAL,
    COPULA_DUTY,
    LEAD_VERB,
    MODAL,
    SUPPORT_VERB,
    VERB,
    is_narrative,
    is_permissive,
)
from healthgov.extract.facts.unit_lists import split_units, unit_stem

BOUNDARY = "，,。；;：:\n！!？?"
SENTENCE_END = "。；;！!？?\n"
_MAX_SUBJECT = 60

_BODY_SUFFIX = re.compile(
    r"(部门|委员会|委|局|厅|办公室|办|院|中心|机构|政府|署|站|处|小组|领导小组|工作组|专班|"
    # a one-character head names a body only in these words ("核心区所", "十五运会", "全部" do not)
    r"指挥部|工作部|联合会|协会|学会|监会|研究所|事务所|派出所|监督所|检验所|检测所|管理所)$"
)
# Names that end like a body but are institutions or not bodies at all.
_NOT_BODY = re.compile(
    r"(医院|卫生院|医疗机构|卫生机构|服务机构|养老机构|托育机构|托幼机构|教育机构|研究院|学院|学校|幼儿园|集团|公司|企业|"
    r"疾病预防控制机构|疾控机构|采供血机构|血站|场所|干部|人员|教师|群众|居民|家庭|诊所|门诊部|医养机构|"
    r"服务中心|专业机构|社会|委员|都会|机会|大会|协会会员|医疗中心|急救中心|救治中心|康复中心|体检中心|诊疗中心|保健院|保健所)$"
)
_GENERIC = re.compile(r"(各|其他|其它)?(有关|相关|牵头|其他|其它|责任|主管|配合|各)?(部门|单位|方面|机构)")
# Words that cannot be inside a body name: a "name" containing them is a clause, not a body.
_DENY = re.compile(
    r"[的要应对在为将把被向从于以并或由等和及与、]|组织|明确|通过|按照|根据|推动|加强|建立|落实|完善|支持|鼓励|开展|实施|"
    r"提高|强化|推进|做好|确保|坚持|引导|探索|结合|利用|依托|指导|监督|负责|牵头|会同|配合|"
    r"组成|设在|成立|构建|形成|纳入|进行|实现|促进|参加|承担|深化|协同|提升|健全|优化|发挥|部署|"
    r"制定|制订|出台|提出|办法|审议|发布|印发|编制|研究|完成|汇总|拟定"
)
_SEPS = "、和及与"
_LEVEL = re.compile(r"^(?:地方|本级|各级|各|全|本|(?:省|市|县|区|区县|县区|乡镇|乡|镇|街道)(?:级|直)?)+")
_LEADING_VERB = re.compile(
    r"由|报|送|上报|提请|履行|保障|加强|推动|支持|要求|指导|督促|鼓励|协调|组织(?!部)|依托|通过|在|对|将|把|与|和|及|为|向|经|请|让|使|"
    r"配合|会同|协助|深化|推进|发挥|强化|完善|建立|健全|落实|提升|优化|加快|做好|开展|实施|积极|充分|进一步|"
    r"同时|其中|此外|并|以|按照|根据|围绕|结合|坚持|确保|探索|引导|统筹|牵头|负责|承担"
)
# A name the vocabulary does not know that opens with an adverb or an action verb is a clause
# ("理顺党委…", "全力推进区妇幼保健院…", "合理确定政府…"), not a body.
_OPENS_PREDICATE = re.compile(rf"(?:{ADVERBIALS})(?:{ACT_VERBS})|合理|全力|全面|大力|积极")
_VERB_START = re.compile(r"部署|办理|办好|院内|处理|处置|会商|署名|所有|所属|站在|中心|局部|办")
# A body's name never holds 由 ("by") or opens with the document speaking of itself (本办法 …).
_SELF_OR_BY = re.compile(r"由|^本(?:办法|方案|规定|条例|细则|规则|意见|通知|计划|决定|措施|实施)")
_CLAUSE_WORD = re.compile(r"后(?!勤)|通过|提交|报送|报请|报经|上送|送至|立即|及时|经过|按照|根据|之前|以后")
_DIST_HEAD = re.compile(r"(?P<items>.+?)等?(?P<head>(?:主管|行政|管理|职能)?部门|单位)")

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
_OPENER = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十\d]+[)）.、．]\s*|第[一二三四五六七八九十百\d]+[章节条]\s*)?(?:同时|此外|其中|另外|为此|对此|并且?)?[，,]?"
    r"(?:\d{4}年(?:\d{1,2}月)?(?:底|末|中)?(?:前|起|以前|以来)，?)?"  # "2019年6月底前各省份要…"
)


@dataclass
class Named:
    """A body found in a duty sentence; offsets relative to the scanned text."""

    name: str  # the simplified name ("财政部门" for the item 财政 of "财政、…等部门")
    start: int
    end: int
    head: str = ""  # the generic head added to a bare list item ("部门"), else ""
    head_at: int = -1  # where that head is written (relative offset)
    known: bool = True  # resolves in the agency-type vocabulary
    collective: bool = False  # a class of bodies: 各地, 各省份, 相关部门 (see facts.collectives)
    prefix: str = ""  # a level a list's first item gives a bare later one ("各级党委、政府" → 各级政府)
    prefix_at: int = -1  # where that prefix is written (relative offset)


@dataclass
class Duty:
    units: list[Named]
    role: str  # "lead" | "support"
    basis: str  # "prose" | "shared"
    sentence: tuple[int, int]
    supporters: list[Named]  # bodies named after the verb: "X会同Y" (Y supports), "X配合Y" (Y leads)
    object_role: str = "support"
    object_basis: str = "prose"


# A town or a street named as the subject of a duty stands for its government.
_NAMED_TOWN = re.compile(r"[\u4e00-\u9fff]{2,4}(?:镇|街道|乡)")
_NOT_TOWNS = frozenset({"城镇", "乡镇", "村镇", "集镇", "重镇", "小城镇", "特色小镇", "各乡镇", "各街道", "本乡镇", "全镇"})


_CLASS_PREFIX = re.compile(r"^(?:(?:县|市|省|设区的市|乡)级以上(?:地方)?(?:各级)?|地方各级|上级|本级|同级)(?:人民政府)?")


# The short names a document gives its bodies ("健康中国行动推进委员会（以下简称推进委员会）"): set
# for the document being read (``document_aliases``), a body wherever the document uses them.
_ALIASES: ContextVar[frozenset[str]] = ContextVar("document_aliases", default=frozenset())
_ALIAS_DEF = re.compile(rf"(?P<full>[\u4e00-\u9fff（）()]{{3,40}}?){ALIAS_NOTE}")


@contextmanager
def document_aliases(text: str) -> Iterator[None]:
    """Within the block, the aliases ``text`` defines for its bodies are bodies too."""
    found = set()
    for m in _ALIAS_DEF.finditer(text):
        full = m.group("full")
        alias = m.group("alias")
        # the defined name is a body's: its longest tail that is one (a clause may run before it)
        if not re.fullmatch(r"[\u4e00-\u9fff]{2,12}", alias):
            continue
        if any(is_body(full[k:]) is not None for k in range(len(full) - 2)):
            found.add(alias)
    token = _ALIASES.set(frozenset(found))
    try:
        yield
    finally:
        _ALIASES.reset(token)


def is_body(name: str) -> bool | None:
    """True for a vocabulary body, False for a body-shaped unknown, None for no body."""
    aliases = _ALIASES.get()
    if aliases:
        core = re.sub(r"^各", "", name)
        if core in aliases or any(core == a + tail for a in aliases for tail in ("办公室", "办")):
            return False  # a body the document named itself
    if not name or name[0] in "（(【[" or name.count("（") + name.count("(") != name.count("）") + name.count(")"):
        return None  # half a bracket: a fragment of an annotation, not a name
    if _NOT_BODY.search(name):
        return None  # a provider, an enterprise, a place or people the text obliges: not an agency
    if re.search(r"^(?:各省份?|地方|国家|全国)$|各地|各部门|各单位|各方面", name) or _LEADING_VERB.match(name):
        return None
    if _CLAUSE_WORD.search(name):
        return None  # "评估通过后提交海南省…委员会": a clause ending in a body's name
    if _SELF_OR_BY.search(name):
        return None  # "本办法由市医疗保障局(负责解释)": the document and a preposition, not a body's name
    if _GENERIC.fullmatch(_LEVEL.sub("", name)) or "第" in name:
        return None  # "市级有关部门": the units concerned, not a named body
    if re.search("[和及与、]", name) and len(split_units(name)) > 1:
        return None  # "县健康专家委员会和县卫生健康局" is a list, not one name
    if _two_bodies(name):
        return None
    if resolves(name):
        return True
    if _NAMED_TOWN.fullmatch(name) and name not in _NOT_TOWNS:
        return False  # "北滘镇须…", "勒流街道、陈村镇…": a named town, its government (not in the vocabulary)
    if not re.fullmatch(r"[\u4e00-\u9fff（）()]{2,40}", name) or _NOT_BODY.search(name):
        return None
    # (a law's class prefix is not a clause: "县级以上人民政府农业农村部门" holds 以 in 以上)
    if not _BODY_SUFFIX.search(name) or _DENY.search(_CLASS_PREFIX.sub("", name)) or _VERB_START.match(name) \
            or _OPENS_PREDICATE.match(name):
        return None
    if len(name) < 3:
        return None
    return resolve_agency(name).agency_type is not None


# A body named by what it does, as laws do: "中央军事委员会负责卫生工作的部门", "县级以上人民政府
#负责传染病防治的部门".
_RELATIVE_NAME = re.compile(r"(?P<head>[\u4e00-\u9fff]{2,16}?)(?:负责|主管|承担)[\u4e00-\u9fff、]{1,14}的(?:部门|机关|机构|单位)")


def _two_bodies(name: str) -> bool:
    """"区疾控中心会镇街疾控中心": a body, a character or two, and another body is not one name."""
    for k in range(3, len(name) - 3):
        if resolves(name[:k]) and any(resolves(name[k + j :]) for j in (1, 2)):
            return True
    return False


def parse_subject(s: str, start: int, end: int) -> list[Named] | None:
    """The bodies s[start:end] names, when it is nothing but a list of bodies; else None."""
    phrase = s[start:end]
    if not phrase or phrase[0] in _SEPS or phrase[-1] in _SEPS:
        return None
    if "或者" in phrase:
        # "由本级人民政府或者上级人民政府有关部门责令改正": either body may act, both are named.
        k = phrase.index("或者")
        left, right = parse_subject(s, start, start + k), parse_subject(s, start + k + 2, end)
        return left + right if left and right else None
    each = _each_place(phrase, start)
    if each:
        return each
    levels = _level_list(phrase, start)
    if levels:
        return _share_level(levels, phrase, start)
    if is_collective(phrase):
        return [Named(phrase, start, end, collective=True)]
    rel = _RELATIVE_NAME.fullmatch(phrase)
    if rel and is_body(rel.group("head")) is not None:
        return [Named(phrase, start, end, known=False)]  # "中央军事委员会负责卫生工作的部门"
    whole = is_body(phrase)
    if whole is not None:
        return [Named(phrase, start, end, known=whole)]
    pieces = split_units(phrase)
    if len(pieces) < 2 and re.search("[、和及]", phrase):
        pieces = _list_pieces(phrase)  # "各市县、各部门", "各市县和相关部门": collectives the vocabulary cannot split
    if len(pieces) >= 2:
        out: list[Named] = []
        for item, a, b in pieces:
            if is_collective(item):
                out.append(Named(item, start + a, start + b, collective=True))
                continue
            kind = is_body(item)
            if kind is None:
                break
            out.append(Named(item, start + a, start + b, known=kind))
        else:
            return _share_level(out, phrase, start)
    return _distributive(phrase, start)


_PLACE_WORD = r"(?:省|市|州|县|区|旗|乡|镇|街道|村|社区|市县|县市|区县|县区|县市区|乡镇|镇街)(?:（[^（）]{1,6}）|\([^()]{1,6}\))?"
_EACH_PLACE = re.compile(rf"(?P<q>各|所有|每个)(?:建制)?{_PLACE_WORD}(?:[、和及]{_PLACE_WORD})+")


def _each_place(phrase: str, start: int) -> list[Named] | None:
    """"各镇、街道", "所有市（地）、县": 各 / 所有 / 每个 distributes over the places of the list,
    each a collective."""
    m = _EACH_PLACE.fullmatch(phrase)
    if m is None:
        return None
    q = m.group("q")
    out: list[Named] = []
    for item, a, b in _list_pieces(phrase):
        if item.startswith(q):
            out.append(Named(item, start + a, start + b, collective=True))
        else:
            out.append(Named(q + item, start + a, start + b, collective=True, prefix=q, prefix_at=start))
    return out


_BARE_GOVERNMENT = frozenset({"政府", "人民政府", "党委", "党委政府"})
_LEADING_LEVEL = re.compile(r"^(?:各级|省级|市级|县级|区级|乡镇|本级|同级|上级|[省市县区镇乡])(?=[\u4e00-\u9fff])")


def _share_level(units: list[Named], phrase: str, start: int) -> list[Named]:
    """"各级党委、政府": a bare government after a first item with a level is of that level."""
    lead = _LEADING_LEVEL.match(phrase)
    if lead is None or len(units) < 2 or units[0].start != start:
        return units
    for u in units[1:]:
        if u.name in _BARE_GOVERNMENT and not u.prefix:
            u.prefix, u.prefix_at = lead.group(), start
            u.name = lead.group() + u.name
    return units


def _level_list(phrase: str, start: int) -> list[Named] | None:
    """A list of levels or places sharing one body's stem, each its own body: "市、区财政部门" →
    市财政部门, 区财政部门; "国家和省级医疗保障部门"; "区、镇人民政府和街道办事处" → three; "各区、
    各镇（街道）" → two collectives. None unless every piece is a body, a collective or a bare
    level prefix that a later piece's stem completes."""
    if not re.search("[、和及]", phrase) or re.search("[（(][^）)]*[、和及]", phrase):
        return None
    pieces = _list_pieces(phrase)
    if len(pieces) < 2 or any(not p for p, _a, _b in pieces):
        return None
    out: list[Named] = []
    waiting: list[tuple[str, int, int]] = []  # bare prefixes before the piece that gives the stem
    for item, a, b in pieces:
        if is_level_prefix(item) and not is_collective(item):
            waiting.append((item, a, b))
            continue
        collective = is_collective(item)
        kind = True if collective else is_body(item)
        if kind is None:
            return None
        if waiting:
            stem = unit_stem(item)
            if stem is None:
                return None
            for w, wa, wb in waiting:
                name = w + stem
                wk = is_body(name)
                if wk is None and not is_collective(name):
                    return None
                out.append(Named(name, start + wa, start + wb, stem, start + b - len(stem), bool(wk),
                                 collective=is_collective(name)))
            waiting = []
        out.append(Named(item, start + a, start + b, known=bool(kind), collective=collective))
    if waiting or len(out) < 2:
        return None
    return out


def _list_pieces(phrase: str) -> list[tuple[str, int, int]]:
    """Pieces between 、/和/及 (the caller accepts them only when every piece is a body)."""
    out, a, depth = [], 0, 0
    for i, ch in enumerate(phrase):
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth -= 1
        elif ch in "、和及" and depth == 0:  # "各镇（街道、管委会）和各部门": two pieces, not three
            out.append((phrase[a:i], a, i))
            a = i + 1
    out.append((phrase[a:], a, len(phrase)))
    return out


def _distributive(phrase: str, start: int) -> list[Named] | None:
    """"财政、发展改革、卫生健康等部门": each item with the head (财政部门, 发展改革部门 ...)."""
    dist = _DIST_HEAD.fullmatch(phrase)
    if dist is None:
        return None
    items_end = dist.end("items")
    head = dist.group("head")
    adjacent = phrase[items_end] != "等"
    spans: list[tuple[int, int]] = []
    a = 0
    for seg in phrase[:items_end].split("、"):
        b = a + len(seg)
        if resolves(seg) or resolves(seg + head):
            spans.append((a, b))  # "住房和城乡建设" is one item
        else:
            x = a
            for m in re.finditer(r"以及|及|与|和", seg):
                spans.append((x, a + m.start()))
                x = a + m.end()
            spans.append((x, b))
        a = b + 1
    if len(spans) < 2:
        return None
    out: list[Named] = []
    for i, (a, b) in enumerate(spans):
        item = phrase[a:b]
        kind = is_body(item)
        if kind is not None:
            out.append(Named(item, start + a, start + b, known=kind))
            continue
        # (the first item may carry the list's class prefix: "县级以上人民政府农业农村、水利…等部门")
        if not re.fullmatch(r"[\u4e00-\u9fff]{1,16}", item):
            return None
        kind = is_body(item + head)
        if kind is None:
            return None
        last = i == len(spans) - 1 and adjacent
        b2 = len(phrase) if last else b
        out.append(Named(item + head, start + a, start + b2, "" if last else head, start + len(phrase) - len(head), kind))
    return out


def clause_starts(s: str) -> list[int]:
    """Where a clause may open: the start and after every clause punctuation mark."""
    starts = [_skip_opener(s, 0)]
    for i, ch in enumerate(s):
        if ch in BOUNDARY and i + 1 < len(s):
            starts.append(_skip_opener(s, i + 1))
    return starts


def _skip_opener(s: str, i: int) -> int:
    while i < len(s) and s[i].isspace():  # a line break and the next paragraph's indent
        i += 1
    m = _OPENER.match(s[i : i + 12])
    return i + (m.end() if m else 0)


def sentence_span(s: str, start: int) -> tuple[int, int]:
    a = start
    while a > 0 and s[a - 1] not in SENTENCE_END:
        a -= 1
    b = start
    while b < len(s) and s[b] not in SENTENCE_END:
        b += 1
    if b < len(s) and s[b] not in "\n":
        b += 1
    while a < b and s[a] in " \t\u3000":
        a += 1
    return a, b


# "中央军事委员会负责卫生工作的部门": a verb inside a relative clause naming a body, not a duty.
_RELATIVE = re.compile(r"[^，,。；;：:\n]{0,14}?的(?:部门|机关|单位|机构)")


def subject_at(s: str, p: int) -> Duty | None:
    """The duty a clause opening at p states with its subject, if any: the first body at p that a
    predicate follows, or a longer list of bodies ("市卫生健康委与市民政局联合…" names both). A
    clause that permits (可以, 有权) assigns no duty."""
    limit = min(len(s), p + _MAX_SUBJECT)
    found: tuple[list[Named], re.Match] | None = None
    for e in range(p + 2, limit + 1):
        if s[e - 1] in BOUNDARY:
            break
        v = _predicate(s, e)
        if v is None:
            continue
        units = parse_subject(s, p, e)
        if units and (found is None or len(units) > len(found[0])) and not (_weak(v) and _name_goes_on(s, p, e)):
            found = (units, v)  # a longer subject only when it is a longer list
    if found is None or is_permissive(s, found[0][-1].end):
        return None
    return _duty(s, found[0], found[1], p)


def _weak(v: re.Match) -> bool:
    """A predicate that could be the rest of a name: no modal, no verb of a role."""
    if v.re is not VERB:
        return True  # a condition, a copula or 对…负责 opens far from the subject's last character
    verb = v.group("verb") or ""
    return not v.group("modal") and not re.fullmatch(f"{LEAD_VERB}|{SUPPORT_VERB}", verb)


def _name_goes_on(s: str, p: int, e: int) -> bool:
    """s[p:e] is the start of a longer body's name ("中央军事委" of 中央军事委员会)."""
    for x in range(e + 1, min(len(s), e + 6) + 1):
        if s[x - 1] in BOUNDARY:
            return False
        kind = is_body(s[p:x])
        # a vocabulary body, or one the vocabulary lacks that a predicate follows ("中央军事委员会负责…")
        if kind or (kind is not None and x < len(s) and VERB.match(s, x) and VERB.match(s, x).group("verb")):
            return True
    return False


def _predicate(s: str, e: int) -> re.Match | None:
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
    return Duty(units, role, basis, sentence_span(s, p), supporters)


def objects_after(s: str, q: int) -> list[Named]:
    """The bodies a "会同" names right after it: the longest list of bodies that a verb, 等 or
    a clause mark follows."""
    if q < len(s) and s[q] == "级" and s[q - 1] == "同":
        q -= 1  # "会同级财政部门" is 会同 + 同级财政部门
    best: list[Named] = []
    for e in range(q + 2, min(len(s), q + 40) + 1):
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
    limit = min(len(s), q + _MAX_SUBJECT)
    for e in range(q + 2, limit + 1):
        if s[e - 1] in BOUNDARY:
            return None
        bv = _BY_VERB.match(s, e)
        if not bv or _RELATIVE.match(s, bv.end()):
            continue  # "由中央军事委员会负责卫生工作的部门实施…": the verb names the body
        units = parse_subject(s, q, e)
        if units:
            if bv.group() in ("协助", "配合"):
                return Duty(units, "support", "prose", sentence_span(s, i), objects_after(s, bv.end()), "lead")
            role, basis = ("lead", "prose") if len(units) == 1 else ("support", "shared")
            sup = objects_after(s, bv.end()) if bv.group() in ("会同", "联合") and len(units) == 1 else []
            return Duty(units, role, basis, sentence_span(s, i), sup)
    return None


_HEADING_BODY = re.compile(r"[\u4e00-\u9fff]{1,12}(?:小组|组|办公室|委员会|中心|指挥部|专班)")
# A working group's roster: "成员单位：A、B、C。" / "成 员：…" under the group's name; its duties
# follow under "主要职责：" / "工作职责：".
_ROSTER = re.compile(r"(?:^|\n)\s*(?:成员单位|成\s*员)\s*[:：]\s*(?P<list>(?:[^。\n]|(?<=[、，,])\s*\n)+)")
_DUTIES_LABEL = re.compile(r"(?:主要|工作)?职责\s*[:：]")


_HEADING_VERB = re.compile(r"建设|打造|设立|组建|发展|创建|构建|做强|做实|培育|推广|布局|提高|扩大|规范|实施|开展|争创")


def heading_subject(s: str) -> Duty | None:
    """"1.监督组。负责对…进行监督": a heading that is a body's name, and a duty right after it."""
    p = _skip_opener(s, 0)
    end = p
    while end < len(s) and s[end] not in "。：:\n":
        end += 1
    name = s[p:end]
    if end >= len(s) or not _HEADING_BODY.fullmatch(name) or re.search(r"[的要应对在为将把被向从于以并或由等和及与、]", name):
        return None
    known = is_body(name)
    if not known and (_LEADING_VERB.match(name) or _HEADING_VERB.match(name) or _NOT_BODY.search(name)):
        return None  # "建设区域医疗中心。" is a task heading, not a body
    v = VERB.match(s, end + 1)
    if v is None or not (v.group("modal") or v.group("verb")):
        return None
    unit = Named(name, p, end, known=bool(known))
    return Duty([unit], "lead", "prose", sentence_span(s, end + 1), [])


def roster_duty(s: str) -> Duty | None:
    """"2.疫情防控组 / 组长：… / 成员单位：A、B、C。/ 主要职责：负责…": the group leads its duties, its
    member units support them (the officials named as 组长/副组长 are people, not bodies)."""
    p = _skip_opener(s, 0)
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
    for m in re.finditer("由", s):
        d = by_subject(s, m.start())
        if d is not None and not any(u.start == d.units[0].start for x in out for u in x.units):
            out.append(d)
    out.sort(key=lambda d: d.units[0].start)
    return out
