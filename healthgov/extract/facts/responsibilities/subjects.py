"""What names a body where a duty's subject stands: the names of the prose duty grammar.

A body is a name in the agency-type vocabulary (with its level prefix), or a name shaped like a
body (ending in 部门/委/局/厅/办/院/中心/机构/政府/署 ...) that the vocabulary does not know: such a
unit is kept and reported, never dropped. A list names each of its bodies: "财政、发展改革、卫生健康
等部门" each department as its generic department (财政部门, 发展改革部门 ...), "市、区财政部门" one
per level, "各镇、街道" each place of the class. Providers, enterprises, places and people are never
bodies; collectives ("各地", "各省份", "相关部门") are bodies marked ``collective``
(``facts.collectives``). A document's own short names for its bodies (以下简称…) are bodies within it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from healthgov.extract.facts.agencies import CACHE_SIZE, is_level_prefix, resolve_agency, resolves
from healthgov.extract.facts.collectives import is_collective
from healthgov.extract.facts.responsibilities.predicates import ACT_VERBS, ADVERBIALS, ALIAS_NOTE
from healthgov.extract.facts.unit_lists import split_units, unit_stem
from healthgov.ids import is_place_name, place_info

_BODY_SUFFIX = re.compile(
    r"(部门|委员会|委|局|厅|办公室|办|院|中心|机构|政府|署|站|处|小组|领导小组|工作组|专家组|指导组|专班|"
    # a one-character head names a body only in these words ("核心区所", "十五运会", "全部" do not)
    r"指挥部|工作部|联合会|协会|学会|监会|研究所|事务所|派出所|监督所|检验所|检测所|管理所)$"
)
# Names that end like a body but are institutions or not bodies at all.
NOT_BODY = re.compile(
    r"(医院|卫生院|医疗机构|卫生机构|服务机构|养老机构|托育机构|托幼机构|教育机构|研究院|学院|学校|幼儿园|集团|公司|企业|"
    r"疾病预防控制机构|疾控机构|采供血机构|血站|场所|干部|人员|教师|群众|居民|家庭|诊所|门诊部|医养机构|"
    r"服务中心|专业机构|社会|委员|都会|机会|大会|协会会员|医疗中心|急救中心|救治中心|康复中心|体检中心|诊疗中心|保健院|保健所|"
    r"诊断机构|鉴定机构|检验检测机构|技术服务机构|体检机构|居民委员会|村民委员会|居委会|村委会|"
    # field teams are people at work, not bodies
    r"入户小组|消杀队|消杀队伍|志愿者|志愿服务队|工作人员)$"
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
LEADING_VERB = re.compile(
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
# ("卫生健康、教育、住建…等重点部门": the qualifier after 等 is not part of each department's name)
_DIST_HEAD = re.compile(r"(?P<items>.+?)(?:等(?:重点|有关|相关|职能)?)?(?P<head>(?:主管|行政|管理|职能)?部门|单位)")


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



_NAMED_TOWN = re.compile(r"[\u4e00-\u9fff]{2,4}(?:镇|街道|乡)")
# A county or a city by its name ("临武县", "资兴市"); a 区 only from the gazetteer ("核心区" and "病区"
# end like districts).
_NAMED_PLACE = re.compile(r"[\u4e00-\u9fff]{2,4}(?:县|市|旗)")
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


@lru_cache(maxsize=1)
def name_endings() -> frozenset[str]:
    """The last characters a subject can end in: those of the agency vocabulary's labels, of a
    body-shaped name, a collective, a place or a bracket ("各镇（街道）")."""
    from healthgov.ontology.vocab import load_vocabularies

    labels = {lab[-1] for lab, _c in load_vocabularies()["agency-type"].labels() if lab}
    return frozenset(labels | set("门委局厅室办院心构府署站处组班部所会关军联协团地份区市县镇乡道街方位级村属线）)"))


def is_body(name: str) -> bool | None:
    """True for a vocabulary body, False for a body-shaped unknown, None for no body."""
    return _is_body(name, _ALIASES.get())


@lru_cache(maxsize=CACHE_SIZE)  # (a clause start tries every prefix of its subject: names repeat)
def _is_body(name: str, aliases: frozenset[str]) -> bool | None:
    if name.startswith("设区的市") and len(name) > 4:
        return _is_body(name[3:], aliases)  # a law's class: "设区的市级人民政府"
    if aliases:
        core = re.sub(r"^各", "", name)
        if core in aliases or any(core == a + tail for a in aliases for tail in ("办公室", "办")):
            return False  # a body the document named itself
    if not name or name[0] in "（(【[" or name.count("（") + name.count("(") != name.count("）") + name.count(")"):
        return None  # half a bracket: a fragment of an annotation, not a name
    if NOT_BODY.search(name):
        return None  # a provider, an enterprise, a place or people the text obliges: not an agency
    if re.search(r"^(?:各省份?|地方|国家|全国)$|各地|各部门|各单位|各方面", name) or LEADING_VERB.match(name):
        return None
    if _CLAUSE_WORD.search(name):
        return None  # "评估通过后提交海南省…委员会": a clause ending in a body's name
    if _SELF_OR_BY.search(name):
        return None  # "本办法由市医疗保障局(负责解释)": the document and a preposition, not a body's name
    if _GENERIC.fullmatch(_LEVEL.sub("", name)) or "第" in name:
        return None  # "市级有关部门": the units concerned, not a named body
    if re.search("[和及与、]", name) and len(split_units(name)) > 1:
        return None  # "县健康专家委员会和县卫生健康局" is a list, not one name
    if len(name) >= 8 and _two_bodies(name):
        return None
    if resolves(name):
        return True
    if (_NAMED_TOWN.fullmatch(name) or ((_NAMED_PLACE.fullmatch(name) or place_info(name)) and is_place_name(name))) \
            and name not in _NOT_TOWNS and name not in ("中国", "全国", "国家", "中华人民共和国"):
        # "北滘镇须…", "临武县率先推进…", "资兴市力争创建…": a named place, its government
        return False
    if not re.fullmatch(r"[\u4e00-\u9fff（）()]{2,40}", name) or NOT_BODY.search(name):
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
    each = _each_place(phrase, start) or _tiers(phrase, start)
    if each:
        return each
    levels = _level_list(phrase, start)
    if levels:
        return _its(_share_level(levels, phrase, start), phrase, start)
    if is_collective(phrase):
        return [Named(phrase, start, end, collective=True)]
    rel = _RELATIVE_NAME.fullmatch(phrase)
    if rel and is_body(rel.group("head")) is not None:
        return [Named(phrase, start, end, known=False)]  # "中央军事委员会负责卫生工作的部门"
    whole = is_body(phrase)
    if whole is not None:
        return [Named(phrase, start, end, known=whole)]
    # the vocabulary's split first ("住房和城乡建设局" is one), then every 、/和/及 ("各市县和相关部门",
    # "县级以上人民政府及其卫生健康主管部门、…和有关机关": collectives the vocabulary cannot split)
    for pieces in (split_units(phrase), list_pieces(phrase) if re.search("[、和及]", phrase) else []):
        if len(pieces) < 2:
            continue
        out: list[Named] = []
        for item, a, b in pieces:
            if is_collective(item) or (item in _BARE_UNITS and out and _LEADING_CLASS.match(phrase)):
                out.append(Named(item, start + a, start + b, collective=True))  # (a bare 部门: _share_level)
                continue
            if re.match(r"其(?![他它余中])", item) and out:
                out.append(Named(item, start + a, start + b, collective=is_collective(item[1:])))  # (_its)
                continue
            kind = is_body(item)
            if kind is None:
                break
            out.append(Named(item, start + a, start + b, known=kind))
        else:
            return _its(_share_level(out, phrase, start), phrase, start)
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
    for item, a, b in list_pieces(phrase):
        if item.startswith(q):
            out.append(Named(item, start + a, start + b, collective=True))
        else:
            out.append(Named(q + item, start + a, start + b, collective=True, prefix=q, prefix_at=start))
    return out


_TIER = r"(?:省|市|县|区|乡镇|镇|乡|街道|村|社区)(?:（[^（）]{1,6}）|\([^()]{1,6}\))?"
_TIER_LIST = re.compile(rf"(?P<tiers>{_TIER}(?:、{_TIER})*)(?:(?P<n>两|三|四|各)级(?P<head>党委政府|党委和政府|人民政府|政府|党委))?")


def _tiers(phrase: str, start: int) -> list[Named] | None:
    """Tiers named bare, each the class of its governments: "市、县至少建立…" (市, 县), "乡镇（街道）、
    村（社区）设立…", "市、县两级政府要…" (市政府, 县政府), "市、区、镇（街道）各级党委政府" (各级党委,
    各级政府). A single bare tier is one only with its brackets ("镇（街道）"): "市" alone is too
    often the document's own city speaking of itself."""
    m = _TIER_LIST.fullmatch(phrase)
    if m is None or (m.group("n") is None and "、" not in phrase and not re.search("[（(]", phrase)):
        return None
    heads = [h for h in re.split("和", m.group("head") or "") if h] or [""]
    if m.group("head") == "党委政府":
        heads = ["党委", "政府"]
    if m.group("n") == "各":  # "市、区、镇（街道）各级党委政府": the classes 各级党委, 各级政府
        at = start + m.start("n")
        return [Named("各级" + h, at, at + 2, collective=True, head=h, head_at=start + m.start("head") + k)
                for h, k in zip(heads, [0, len(heads[0])], strict=False)]
    out: list[Named] = []
    for item, a, b in list_pieces(m.group("tiers")):
        for h in heads:
            out.append(Named(item + h, start + a, start + b, collective=True, head=h,
                             head_at=start + m.start("head") if h else -1))
    return out


_BARE_GOVERNMENT = frozenset({"政府", "人民政府", "党委", "党委政府"})
_LEADING_LEVEL = re.compile(r"^(?:各级|省级|市级|县级|区级|乡镇|本级|同级|上级|[省市县区镇乡])(?=[\u4e00-\u9fff])")


_BARE_UNITS = frozenset({"部门", "单位"})
_LEADING_CLASS = re.compile(r"^(?:各有关|各相关|有关|相关|各)(?=单位|部门)")


def _share_level(units: list[Named], phrase: str, start: int) -> list[Named]:
    """"各级党委、政府": a bare government after a first item with a level is of that level;
    "各有关单位和部门": a bare 部门 after a class of units is of that class."""
    lead = _LEADING_LEVEL.match(phrase) or _LEADING_CLASS.match(phrase)
    if lead is None or len(units) < 2 or units[0].start != start:
        return units
    bare = _BARE_UNITS if lead.re is _LEADING_CLASS else _BARE_GOVERNMENT
    for u in units[1:]:
        if u.name in bare and not u.prefix:
            u.prefix, u.prefix_at = lead.group(), start
            u.name = lead.group() + u.name
    return units


def _its(units: list[Named], phrase: str, start: int) -> list[Named]:
    """"县级以上人民政府及其有关部门": 其 is the body before it (县级以上人民政府有关部门)."""
    for i in range(1, len(units)):
        u, prev = units[i], units[i - 1]
        if re.match(r"其(?![他它余中])", u.name) and not u.prefix and not prev.head and not prev.prefix:
            written = phrase[prev.start - start : prev.end - start]
            u.name = prev.name + u.name[1:]
            u.start += 1
            u.prefix, u.prefix_at = written, prev.start
    return units


def _level_list(phrase: str, start: int) -> list[Named] | None:
    """A list of levels or places sharing one body's stem, each its own body: "市、区财政部门" →
    市财政部门, 区财政部门; "国家和省级医疗保障部门"; "区、镇人民政府和街道办事处" → three; "各区、
    各镇（街道）" → two collectives. None unless every piece is a body, a collective or a bare
    level prefix that a later piece's stem completes."""
    if not re.search("[、和及]", phrase) or re.search("[（(][^）)]*[、和及]", phrase):
        return None
    pieces = list_pieces(phrase)
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


def list_pieces(phrase: str) -> list[tuple[str, int, int]]:
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


