"""Responsible units: split a list of them, and resolve one to an agency type and level.

The agency-type labels are the *core* names without a jurisdiction prefix (DESIGN.md); this
module strips the prefix (国家 / 省 / 市 / a place name / 省委 ...), looks the core up in the
``agency-type`` scheme, and reads the administrative level off the prefix. No agency names are
kept here: only the grammar of prefixes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from healthgov.extract.matcher import LabelMatcher
from healthgov.ids import is_place_name, place_info, to_simplified
from healthgov.ontology.vocab import Concept, Scheme, load_vocabularies
from healthgov.records import AgencyRef, Jurisdiction, Level

OPENERS = "（([【〔［{《「『“‘"
CLOSERS = "）)]】〕］}》」』”’"
_PAIR = dict(zip(CLOSERS, OPENERS, strict=True))
LIST_SEPARATORS = "、，,；;"
CONNECTIVES = ("以及", "和", "及")

# --- prefix grammar -------------------------------------------------------------------------
# A jurisdiction/level prefix is a sequence of these tokens; the order of the alternatives
# matters (longest first) because regex alternation is ordered.
_TIER_WORDS = "|".join(
    re.escape(w)
    for w in (
        "特别行政区 自治区 自治州 自治县 设区的市 设区市 地级市 县级市 县市区 县（市、区） "
        "县(市、区) 县（市） 县(市) 区县 县区 市县 省市 地市 乡镇 街道 省 市 县 区 州 盟 旗 乡 镇 村"
    ).split()
)
_TOKEN = re.compile(
    # The classes of governments a law names: 县级以上地方人民政府卫生健康主管部门, 设区的市级以上
    # 地方人民政府, 本级人民政府有关部门 ("人民政府" here is the government whose department follows).
    r"(?:县|市|省|设区的市|乡)级以上|地方|上级|下级|本级|同级|人民政府|"
    r"中共|国家|国务院|中央|全国|各级|各|全|本|"
    rf"(?:{_TIER_WORDS})委(?![员会])|"  # party committees: 省委, 市委 (not 市委员会...)
    rf"(?:{_TIER_WORDS})(?:级|直|属)?|"
    r"[\u4e00-\u9fff]{1,8}?(?:特别行政区|自治区|自治州|自治县|新区|省|市|县|区|州|盟|旗)|"
    r"[、，,]"
)
_NATION = {"国家", "国务院", "中央", "全国"}
_CLASS_TOKENS = {"地方", "上级", "下级", "本级", "同级", "人民政府"}
# Words of a clause, never of a place's name that the gazetteer does not know (the lenient place
# alternative of _TOKEN takes any few characters before 省/市/县/区 ...).
_CLAUSE_IN_PLACE = re.compile(r"[的要应对在为将把被向从于以并或由等与]|采集|上送|报送|履行|开展|实施|立即|组织|负责|落实|加强|推进")
_CHAR_LEVEL: dict[str, Level] = {
    "省": "province", "自治区": "province", "特别行政区": "province",
    "市": "city", "州": "city", "盟": "city", "自治州": "city", "设区市": "city", "设区的市": "city",
    "地级市": "city", "地市": "city",
    "县": "county", "区": "county", "旗": "county", "自治县": "county", "县级市": "county",
    "区县": "county", "县区": "county", "县市区": "county", "县（市、区）": "county",
    "县(市、区)": "county", "县（市）": "county", "县(市)": "county", "市县": "county",
    "省市": "city",
    "乡": "township", "镇": "township", "乡镇": "township", "街道": "township",
    "村": "village",
}
# The four municipalities directly under the central government are province-level although
# their names end in 市: administrative geography, not vocabulary.
_MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
GENERIC_CORE = re.compile(r"(部门|机构|单位|有关方面)$")


def _scheme() -> Scheme | None:
    try:
        return load_vocabularies()["agency-type"]
    except KeyError:
        return None


def prefix_tokens(prefix: str) -> list[str] | None:
    """Tokenise a prefix; None when it is not entirely made of prefix tokens."""
    toks = _tokens_cached(prefix)
    return None if toks is None else list(toks)


# The functions below depend only on their string arguments and the vocabularies (loaded once
# per process): unit names and prefixes repeat within and across documents, so their results
# are cached (bounded). Mutable results are cached as tuples and copied.
CACHE_SIZE = 1 << 16


@lru_cache(maxsize=CACHE_SIZE)
def _tokens_cached(prefix: str) -> tuple[str, ...] | None:
    out: list[str] = []
    pos = 0
    while pos < len(prefix):
        m = _TOKEN.match(prefix, pos)
        if not m or m.end() == pos:
            # Brackets inside a prefix ("县(市)" written with other brackets) are skipped.
            if prefix[pos] in OPENERS or prefix[pos] in CLOSERS:
                pos += 1
                continue
            return None
        tok = m.group(0)
        if len(tok) > 2 and _CLAUSE_IN_PLACE.search(tok) and not is_place_name(tok):
            return None  # "立即采集病人血清标本上送辖区": a clause ending in 区, not a place
        out.append(tok)
        pos = m.end()
    # "人民政府" prefixes only the department right after it (县级以上人民政府卫生健康主管部门), never a
    # list: "各设区市人民政府、赣江新区管委会" is two bodies.
    if "人民政府" in out[:-1]:
        return None
    # The lazy place alternative cuts "广州市" into "广州" (ends in 州) + "市": a place and a tier
    # word that together are a place of the gazetteer are one token (广州市, not its alias).
    for i in range(len(out) - 2, -1, -1):
        if out[i + 1] in _CHAR_LEVEL and (info := place_info(out[i] + out[i + 1])) and info[0] == out[i] + out[i + 1]:
            out[i : i + 2] = [out[i] + out[i + 1]]
    return tuple(out)


@lru_cache(maxsize=CACHE_SIZE)
def is_level_prefix(s: str) -> bool:
    """True when s is nothing but a jurisdiction/level prefix ("各区", "县(市)", "省", "各级")."""
    s = s.strip()
    toks = prefix_tokens(s) if s else None
    # "各设区市人民政府" is a body (a prefix only before a department's name), not a bare prefix.
    return bool(toks) and any(t not in "、，," for t in toks) and toks[-1] != "人民政府"


def _place_level(place: str, jurisdiction: Jurisdiction | None) -> Level | None:
    if jurisdiction is not None and place == jurisdiction.name:
        return jurisdiction.level
    if place in _MUNICIPALITIES:
        return "province"
    for suffix in ("特别行政区", "自治区", "自治州", "自治县", "新区", "省", "市", "县", "区", "州", "盟", "旗"):
        if place.endswith(suffix):
            return None if suffix == "新区" else _CHAR_LEVEL.get(suffix)
    return None


def _tier_of(token: str) -> str:
    """The tier word of a tier/party token: "市级" → "市", "省委" → "省", "县直" → "县"."""
    if token.endswith("委") and token[:-1] in _CHAR_LEVEL:
        return token[:-1]
    if token[-1] in "级直属" and token[:-1] in _CHAR_LEVEL:
        return token[:-1]
    return token


def _prefix_level(
    tokens: list[str], jurisdiction: Jurisdiction | None
) -> tuple[Level | None, str | None]:
    """Level and jurisdiction name told by a prefix: the most specific (last) token wins."""
    level: Level | None = None
    place: str | None = None
    for tok in tokens:
        if tok in _CLASS_TOKENS or tok.endswith("以上"):
            continue  # a class of governments (县级以上 …): no one level, no place
        if tok in _NATION:
            level, place = "nation", "全国"
            continue
        tier = _tier_of(tok)
        if tier in _CHAR_LEVEL:
            # A bare tier word that is the document's own tier ("市" in a 重庆市 document) means
            # the document's jurisdiction, whatever its real level.
            if jurisdiction is not None and jurisdiction.name.endswith(tier) and len(tier) == 1:
                level, place = jurisdiction.level, jurisdiction.name
            else:
                level = _CHAR_LEVEL[tier]
            continue
        if re.fullmatch(r"[\u4e00-\u9fff]+", tok) and tok not in ("各级", "各", "全", "本", "中共"):
            lv = _place_level(tok, jurisdiction)
            place = tok
            if lv is not None:
                level = lv
    return level, place


@lru_cache(maxsize=CACHE_SIZE)
def clean_core(name: str) -> str:
    """A name compared as a body: simplified, no whitespace, no trailing 等 or punctuation."""
    s = to_simplified(name)
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"等+$", "", s)
    return s.strip("、，,；;。:：")


def _lookup(scheme: Scheme | None, core: str) -> Concept | None:
    if scheme is None or not core:
        return None
    c = scheme.lookup(core)
    if c is not None:
        return c
    # "宣传部（融媒体中心）": the bracket is an alias; try without it, then the alias itself.
    m = re.fullmatch(r"(.+?)[（(]([^（）()]+)[）)]", core)
    if m:
        return scheme.lookup(m.group(1)) or scheme.lookup(m.group(2))
    return None


def _exact_split(s: str, scheme: Scheme | None) -> tuple[Concept, list[str], str] | None:
    """The shortest valid prefix whose remainder is exactly an agency-type label."""
    c = _lookup(scheme, s)
    if c is not None:
        return c, [], s
    for i in range(1, len(s)):
        core = s[i:]
        toks = prefix_tokens(s[:i])
        if toks is None:
            continue
        c = _lookup(scheme, core)
        if c is not None:
            return c, toks, core
    return None


def _contained(s: str, scheme: Scheme | None) -> tuple[Concept, int, int] | None:
    """The longest agency-type label contained in s (leftmost among equals)."""
    if scheme is None:
        return None
    labels, matcher = _matcher(scheme)
    hit = matcher.first(s)
    if hit is None:
        # (An empty label, if a vocabulary ever had one, is "contained" at 0, as str.find says.)
        empty = next((c for lab, c in scheme.labels() if not lab), None)
        return (empty, 0, 0) if empty is not None else None
    label, concept = labels[hit[0]]
    return concept, hit[1], hit[1] + len(label)


_MATCHERS: dict[int, tuple[list[tuple[str, Concept]], LabelMatcher]] = {}


def _matcher(scheme: Scheme) -> tuple[list[tuple[str, Concept]], LabelMatcher]:
    # The scheme's labels, longest first (Scheme.labels order), and one matcher over them;
    # the vocabularies are loaded once, so cache per scheme.
    key = id(scheme)
    if key not in _MATCHERS:
        labels = [(lab, c) for lab, c in scheme.labels() if lab]
        _MATCHERS[key] = (labels, LabelMatcher([lab for lab, _c in labels]))
    return _MATCHERS[key]


def _lenient_tokens(text: str) -> list[str]:
    """Tokens of the longest leading part of text that parses as a prefix ([] if none)."""
    for i in range(len(text), 0, -1):
        toks = prefix_tokens(text[:i])
        if toks is not None:
            return toks
    return []


def resolve_agency(name: str, jurisdiction: Jurisdiction | None = None) -> AgencyRef:
    """Resolve a surface name to its agency type and administrative level (see ``_resolve``).

    A pure function of the name, the jurisdiction's fields and the vocabularies: cached, and a
    new ``AgencyRef`` is returned every time (callers may change it)."""
    jkey = None if jurisdiction is None else (jurisdiction.name, jurisdiction.level, jurisdiction.parent)
    key = (name, jkey)
    hit = _RESOLVED.get(key)
    if hit is None:
        ref = _resolve(name, jurisdiction)
        hit = (ref.name, ref.agency_type, ref.level, ref.jurisdiction, ref.name_form)
        if len(_RESOLVED) >= CACHE_SIZE:
            _RESOLVED.clear()
        _RESOLVED[key] = hit
    return AgencyRef(*hit)


_RESOLVED: dict[tuple, tuple] = {}


def _resolve(name: str, jurisdiction: Jurisdiction | None = None) -> AgencyRef:
    """Resolve a surface name to its agency type and administrative level.

    The whole name is tried first (forms only ever written whole: "国家医保局", "团省委"), then
    the shortest jurisdiction/level prefix whose remainder is a label, then the longest label
    contained in the name. The surface form is kept as written.
    """
    surface = name.strip()
    s = clean_core(surface)
    ref = AgencyRef(name=surface)
    scheme = _scheme()
    if not s:
        return ref
    split = _exact_split(s, scheme)
    tokens: list[str]
    remainder = ""
    if split is not None:
        concept, tokens, core = split
    else:
        found = _contained(s, scheme)
        if found is None:
            # Unknown body: still tell its level from the prefix when there is one.
            toks = _lenient_tokens(s[:-1])
            level, place = _prefix_level(toks, jurisdiction) if toks else (None, None)
            ref.level, ref.jurisdiction = level, place
            return ref
        concept, start, end = found
        tokens = _lenient_tokens(s[:start])
        core = s[start:end]
        remainder = s[end:]
    ref.agency_type = concept.id
    if tokens:
        ref.level, ref.jurisdiction = _prefix_level(tokens, jurisdiction)
    elif core.startswith(("国家", "国务院", "中央")):
        ref.level, ref.jurisdiction = "nation", "全国"
    elif m := re.match(r"团?(省|市|县|区)委", core):
        # Whole forms carrying their own tier word ("团省委").
        ref.level, ref.jurisdiction = _prefix_level([m.group(1)], jurisdiction)
    elif jurisdiction is not None and not GENERIC_CORE.search(core):
        if core.endswith("部") and "委" not in core and jurisdiction.level != "nation":
            # Ministries (部) exist only nationally; provinces have 厅.
            ref.level, ref.jurisdiction = "nation", "全国"
        else:
            # An unprefixed department in a local document is that government's own.
            ref.level, ref.jurisdiction = jurisdiction.level, jurisdiction.name
    if split is not None:
        ref.name_form = name_form(concept, tokens, core, ref.jurisdiction, jurisdiction)
    if remainder:
        # "国家金融监督管理总局重庆监管局": a local branch of a national body.
        branch = _branch(remainder)
        if jurisdiction is not None and branch and jurisdiction.name.startswith(branch):
            ref.level, ref.jurisdiction = jurisdiction.level, jurisdiction.name
        elif branch and is_place_name(branch):
            ref.level, ref.jurisdiction = _place_level(branch, jurisdiction), branch
    # A jurisdiction is a real place; a prefix token that is not one ("城区") tells no place.
    if ref.jurisdiction is not None and not is_place_name(ref.jurisdiction):
        ref.jurisdiction = None
    return ref


def _branch(remainder: str) -> str:
    return re.sub(r"(监管分局|监管局|分局|局|办事处|办)$", "", remainder)


def unplaced_remainder(name: str) -> str | None:
    """What follows the agency label in a name when it is not a place ("医保" of a merged
    "…卫生健康委医保局", "办公室"): the name is not one body of a place, so it gets no jurisdiction
    from it (the caller warns)."""
    s = clean_core(name)
    scheme = _scheme()
    if not s or _exact_split(s, scheme) is not None:
        return None
    found = _contained(s, scheme)
    if found is None:
        return None
    branch = _branch(s[found[2]:])
    return branch if branch and not is_place_name(branch) else None


_SEAL = re.compile(r"[（(](代章|印章|章|盖章|签章)[)）]")


@lru_cache(maxsize=CACHE_SIZE)
def is_body_name(s: str) -> bool:
    """A name that is a body on its own: a (prefixed) agency-type label, or a well-formed body name
    (ends in 委员会/局/厅/部/办/政府 ...)."""
    c = clean_core(_SEAL.sub("", s))
    return len(c) >= 2 and bool(re.search(r"[\u4e00-\u9fff]{2}", c)) and (resolves(c) or ends_unit(c))


def split_on_gaps(s: str) -> list[tuple[int, int]]:
    """Spans (into s) of the names on a line of several bodies separated by runs of spaces, tabs
    or full-width spaces ("广州市卫生健康委员会   广州市财政局"), when every part is a body name;
    else the one span of the stripped line (a space inside one name, as PDF text leaves them:
    "国家卫生 健康委", splits nothing)."""
    parts = [(m.start(), m.end()) for m in re.finditer(r"[^ \t\u3000\xa0\u2002\u2003]+", s)]
    if len(parts) > 1 and all(is_body_name(s[a:b]) for a, b in parts):
        return parts
    return [(parts[0][0], parts[-1][1])] if parts else []


# A generic name: a department named by its field (卫生健康部门, 卫生行政部门, 公安机关).
_GENERIC_FORM = re.compile(r"(部门|机关|机构|单位)$")


def name_form(concept: Concept, tokens: list[str], core: str, place: str | None,
              jurisdiction: Jurisdiction | None) -> str | None:
    """``form:label`` when a name exactly made of prefix ``tokens`` and the label ``core`` names
    the one body of its type in the document's own jurisdiction, the nation, or a real place the
    name itself names as its last prefix token (广州市卫生健康委员会 in a province's text: the
    record carries 广州市 as the body's ``jurisdiction``); else None.

    Which form: a label marked ``hg:formerLabel`` is a predecessor's name ("former"); a label
    ending in 部门/机关/机构/单位 names a department by its field ("generic"); else "current".
    None (the surface key) for a type whose labels name several bodies per jurisdiction
    (``hg:severalBodies``), a class prefix (各, 各级), or another "place" that is none; a form with
    no place of its own (市卫健委 in a province's text) keeps the surface key too (``agency_identity``).
    """
    if concept.props.get("several_bodies") or any(t in ("各", "各级") or t in _CLASS_TOKENS or t.endswith("以上")
                                                    for t in tokens):
        return None
    own = jurisdiction.name if jurisdiction is not None else None
    if place is not None and place not in ("全国", own):
        words = [t for t in tokens if t not in ("、", "，", ",", "中共")]
        if not (words and words[-1] == place and is_place_name(place)):
            return None
    former = {to_simplified(lab) for lab in concept.former_labels}
    if core in former:
        return f"former:{core}"
    if _GENERIC_FORM.search(core):
        return f"generic:{core}"
    return f"current:{core}"


@lru_cache(maxsize=CACHE_SIZE)
def resolves(name: str) -> bool:
    """True when a name is exactly a (prefixed) agency-type label: used to decide on 和/及."""
    s = clean_core(name)
    return bool(s) and _exact_split(s, _scheme()) is not None


@lru_cache(maxsize=CACHE_SIZE)
def ends_unit(s: str) -> bool:
    # Without a vocabulary, a piece ending like a body name still counts as a unit.
    return bool(re.search(r"(委员会|委|局|厅|部|办|办公室|政府|中心|院|会|联|协|团|机构|部门|海关)$", clean_core(s)))


@lru_cache(maxsize=CACHE_SIZE)
def resolves_any(name: str) -> bool:
    return resolve_agency(name).agency_type is not None
