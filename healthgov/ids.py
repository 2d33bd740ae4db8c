"""Every identity rule of the project, in one place: the bottom floor (imports nothing of healthgov).

- script: ``to_simplified`` (traditional → simplified, length preserving: offsets stay valid) and
  ``simplified`` (the same without whitespace: the form names are keyed on);
- document numbers: ``DOC_NUMBER`` and ``normalise_doc_number`` ("國衛基層發〔2023〕41號" →
  "国卫基层发〔2023〕41号");
- titles: ``normalise_title`` (the key an exact-title citation is matched on);
- policies: ``policy_id`` (docs/DESIGN.md: by document number, else by title);
- cited documents: ``citation_title_key`` (the title key every way of citing one document shares)
  and ``cited_policy_id`` (a placeholder's id);
- jurisdictions and agencies: ``NATION``, ``jurisdiction_key`` (the jurisdiction an agency
  belongs to), ``agency_key`` (one node per real body per jurisdiction: ``{own}/{agency type}``
  for a body named exactly, else ``{scope}/{simplified name}``; the same id in the property
  graph and the RDF export) and ``agency_name_rank`` (which of its names a node shows);
- files: ``sha256_file`` / ``sha256_bytes`` / ``sha256_text`` (what a Policy's ``sha256`` holds).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

import opencc

# --- script ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


# Short strings (unit names, labels, table cells) are converted again and again: a bounded
# cache of their conversions (the conversion is deterministic, so the result is the same).
_SHORT = 64
_CACHE: dict[str, str] = {}
_CACHE_MAX = 1 << 16


def to_simplified(text: str) -> str:
    """Traditional → simplified, keeping the length so character offsets stay valid.

    OpenCC's phrase tables can change the length of a string in rare cases; offsets into the
    original text are our provenance, so when that happens we fall back to converting one
    character at a time (which is always length-preserving for single characters that map to
    single characters, and keeps a character as it is otherwise).
    """
    if not text or text.isascii():
        return text  # OpenCC maps no ASCII character
    if len(text) <= _SHORT:
        out = _CACHE.get(text)
        if out is None:
            out = _convert(text)
            if len(_CACHE) >= _CACHE_MAX:
                _CACHE.clear()
            _CACHE[text] = out
        return out
    return _convert(text)


def _convert(text: str) -> str:
    conv = _t2s().convert(text)
    if len(conv) == len(text):
        return conv
    out = []
    for ch in text:
        c = _t2s().convert(ch)
        out.append(c if len(c) == 1 else ch)
    return "".join(out)


def simplified(name: str) -> str:
    """Simplified script, no whitespace: the form a name (an agency's, a source path) is keyed on."""
    return re.sub(r"\s+", "", to_simplified(name))


# Whitespace a line or a number may be padded with (ideographic space, NBSP, en/em space,
# zero-width space, BOM).
WS = " \t\u3000\xa0\u2002\u2003\u200b\ufeff"
_HALF = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)},
     "（": "(", "）": ")", "［": "[", "］": "]", "：": ":", "；": ";", "，": ",", "．": ".", "！": "!",
     "？": "?", "　": " ", "＋": "+", "－": "-", "％": "%", "／": "/", "＜": "<", "＞": ">", "＝": "="}
)


def normalise_forms(simp: str) -> str:
    """Full-width ASCII forms → half-width, length preserving."""
    return simp.translate(_HALF)


# --- document numbers, titles, policies ---------------------------------------------------------

DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,14}?)\s*[〔\[(【（［]\s*(?P<year>(?:19|20)\d{2})\s*[〕\])】）］]\s*第?\s*"
    r"(?P<num>\d{1,5})\s*(?P<hao>[号號])"
    # An order (令) is numbered without a year: 主席令第38号, 重庆市人民政府令第365号.
    r"|(?P<order>(?:[\u4e00-\u9fff]{0,16}?(?:主席|人民政府|国务院|委员会|部|总局|局|署))令)\s*第\s*(?P<onum>\d{1,5})\s*[号號]"
)


def normalise_doc_number(raw: str) -> str | None:
    """"國衛基層發〔2023〕41號", "阜蒙健促办发[2020] 3 号", "X(2023)第5号" → "X〔YYYY〕N号" (simplified);
    an order "主席令第 38 号" → "主席令第38号".

    Idempotent: a normalised number normalises to itself.
    """
    if not raw:
        return None
    s = normalise_forms(to_simplified(raw.strip(WS)))
    m = DOC_NUMBER.search(s)
    if not m:
        return None
    if m.group("order"):
        return f"{m.group('order')}第{int(m.group('onum'))}号"
    prefix = re.sub(r"\s+", "", m.group("prefix"))
    return f"{prefix}〔{m.group('year')}〕{int(m.group('num'))}号"


def normalise_title(title: str) -> str:
    """Simplified, no whitespace, half-width brackets, outer 《》 and quotes dropped: the id key."""
    s = normalise_forms(to_simplified(title or ""))
    s = re.sub(r"[\s\u00a0\u2002\u2003]+", "", s)
    s = s.replace("〈", "《").replace("〉", "》")
    s = s.strip("《》")
    return s


def policy_id(doc_number: str | None, title: str | None) -> str:
    """``p`` + 12 hex of SHA-1 of ``doc:{normalised number}`` or ``title:{normalised title}``."""
    num = normalise_doc_number(doc_number) if doc_number else None
    key = f"doc:{num}" if num else f"title:{normalise_title(title or '')}"
    return "p" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


# --- cited documents: one key however a document is cited -----------------------------------------
#
# 《中共中央办公厅 国务院办公厅关于进一步完善医疗卫生服务体系的意见》, 《关于进一步完善医疗卫生服务体系
# 的意见》 and "…印发关于进一步完善医疗卫生服务体系的意见" name one document; so do 《X方案》 and
# 《关于印发X方案的通知》 (the notice that issues a plan is, in this graph, the plan). The title key
# drops what varies between those forms: quotes and inner 《》, dashes written differently, the
# issuer prefix before 关于, 关于 itself, and the 印发…的通知 wrapper. 转发 is kept: a notice that
# forwards another body's document is a document of its own.

_QUOTES = re.compile(r"[《》〈〉“”\"‘’'「」『』]")
_DASHES = str.maketrans({"—": "-", "–": "-", "－": "-", "~": "-", "～": "-", "―": "-"})
# Who issues: one or more bodies ending in an issuer word (several joined by 、 or nothing).
_ISSUER = re.compile(r"^(?P<who>[\u4e00-\u9fff、·]{2,80}?(?:中央|厅|部|委|局|院|府|会|办|室|组|署|行|社|团|总局|政府|党委|"
                     r"委员会|办公室|领导小组))关于(?=.{4,})")
_ABOUT_QUOTED = re.compile(r"^(?:[^《》]{0,80}?)关于《(?P<t>[^《》]{4,})》的?(?:通知|决定|公告|通告)$")
_WRAPPER = re.compile(r"^(?:印发|颁布|发布|公布)(?P<t>.{4,}?)的?(?:通知|决定|公告|通告|函)$")


# A news-style title: the issuers, then the verb, then the document ("中共中央办公厅 国务院办公厅印发
# 《关于…的意见》", "中共中央 国务院印发《“健康中国2030”规划纲要》").
_ISSUED_BY = re.compile(r"^(?P<who>[\u4e00-\u9fff、·]{2,60}?(?:中央|国务院|厅|部|委|局|院|府|会|办|室|组|署|政府|委员会|办公室))"
                        r"(?:联合)?(?:印发|发布|颁布|公布)(?P<t>.{4,})$")


def citation_title_key(title: str | None) -> str | None:
    """The key a cited or loaded document is matched on by title (docs/DESIGN.md, "Cited
    documents"): "国务院办公厅关于印发《X方案》的通知" → "X方案", "中共中央办公厅 国务院办公厅印发《关于X的
    意见》" → "X的意见"; None for an empty title."""
    s = normalise_title(title or "").translate(_DASHES)
    m = _ISSUED_BY.match(s)
    if m and not re.search(r"关于", m.group("who")):
        s = m.group("t")
    # "关于《X》的通知" issues X (a notice about a quoted document is its wrapper, as 印发 is).
    m = _ABOUT_QUOTED.match(s)
    s = _QUOTES.sub("", m.group("t") if m else s)
    for _ in range(2):  # "关于印发A关于B的意见的通知" unwraps twice; nothing needs more
        m = _ISSUER.match(s)
        if m and not re.search(r"印发|转发|颁布", m.group("who")):
            s = s[m.end("who") :]
        s = s[2:] if s.startswith("关于") and len(s) > 6 else s
        m = _WRAPPER.match(s)
        if m:
            s = m.group("t")
        elif s.startswith("印发") and len(s) > 6:  # "…印发关于X的意见" cut after the verb
            s = s[2:]
        else:
            break
    return s or None


def cited_policy_id(doc_number: str | None, title: str | None) -> str:
    """The id of a placeholder made from a citation: by number when the citation gives one
    (``policy_id``, the id of the real document once loaded), else ``title:{citation_title_key}``,
    so that every title-only form of one document makes the same node whatever the build order."""
    num = normalise_doc_number(doc_number) if doc_number else None
    if num:
        return policy_id(num, title)
    key = f"title:{citation_title_key(title) or ''}"
    return "p" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


# --- jurisdictions and agencies -------------------------------------------------------------------

NATION = "全国"  # the jurisdiction (name and id) of national bodies
# The gazetteer: name, level, parent, aliases (a data file of the extractor, read here by path).
JURISDICTIONS_TSV = Path(__file__).parent / "extract" / "data" / "jurisdictions.tsv"
Place = tuple[str, str, str | None]  # (canonical name, level, parent)


@lru_cache(maxsize=1)
def places() -> tuple[dict[str, Place], list[str]]:
    """name or alias → (canonical name, level, parent); and the keys longest first."""
    table: dict[str, Place] = {}
    aliases: dict[str, Place] = {}
    for line in JURISDICTIONS_TSV.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t") + ["", "", ""]
        name, level, parent, al = cols[0], cols[1], cols[2] or None, cols[3]
        rec = (name, level, parent)
        table[name] = rec
        for a in filter(None, al.split(",")):
            aliases.setdefault(a, rec)  # provinces come first: they win
    for a, rec in aliases.items():
        table.setdefault(a, rec)
    return table, sorted(table, key=len, reverse=True)


def place_info(name: str) -> Place | None:
    """The jurisdiction key of a place name or alias: (canonical name, level, parent), or None."""
    table, _ = places()
    return table.get(name)


# A well-formed place name not in the table ends in an administrative suffix; the words below
# are pieces of body names or kinds of area, never the place itself (a leftover "医疗保障" of a
# merged signature, "社区", "开发区" ...). The gazetteer decides first.
_PLACE_SUFFIX = re.compile(r"(特别行政区|自治区|自治州|自治县|自治旗|省|市|州|盟|地区|县|区|旗|镇|乡)$")
_NOT_A_PLACE = re.compile(
    r"^(各|本|全|该|我|其|上级|下级|有关|相关|所在|属地)|"
    r"(人民|政府|委员|办公|卫生|健康|医疗|医保|保障|管理|服务|发展|建设|工作|领导|监督|监管|中心|机构|部门|单位|"
    r"社区|园区|开发区|景区|城区|市区|县区|片区|辖区|校区|小区|街区|城市|农村|地区性|省市|市县|区县)"
)


def is_place_name(name: str | None) -> bool:
    """True when ``name`` is a real place: in the gazetteer, or a well-formed name (2–12 Han
    characters ending in 省/市/区/县/州/旗/镇/乡/自治区 ...) that is no fragment of a body's name."""
    if not name:
        return False
    if name == NATION or place_info(name) is not None:
        return True
    return (2 <= len(name) <= 12 and bool(re.fullmatch(r"[\u4e00-\u9fff]+", name))
            and bool(_PLACE_SUFFIX.search(name)) and len(_PLACE_SUFFIX.sub("", name)) >= 1
            and not _NOT_A_PLACE.search(name))


def jurisdiction_key(level: str | None, jurisdiction: str | None,
                     doc_jurisdiction: str | None, doc_level: str | None) -> str | None:
    """The jurisdiction an agency belongs to: the extractor's when it gives one; 全国 for a
    national unit; the document's for a unit at the document's own level; else none."""
    own = jurisdiction
    if own is None and level == "nation":
        own = NATION
    if own is None and level is not None and level == doc_level:
        own = doc_jurisdiction
    return own


NAME_FORMS = ("current", "former", "generic")


def split_name_form(name_form: str | None) -> tuple[str, str] | None:
    """``"current:卫健委"`` → ``("current", "卫健委")``; None for None or a malformed value."""
    form, sep, label = (name_form or "").partition(":")
    return (form, label) if sep and form in NAME_FORMS and label else None


def agency_key(name: str, level: str | None, jurisdiction: str | None,
               doc_jurisdiction: str | None, doc_level: str | None, *,
               agency_type: str | None = None, name_form: str | None = None,
               collective: bool = False, former_body: str | None = None) -> tuple[str, str | None]:
    """(id, own jurisdiction) of an agency.

    One node per real body per jurisdiction (docs/DESIGN.md, "Agency identity"): a concrete body
    (``name_form`` given by the extractor: the name is exactly a prefix plus a label of a type
    with one body per jurisdiction), not a class of bodies, whose own jurisdiction is known, is
    keyed by what it is rather than how it is written:

    - a current name (市卫健委, 广州市卫生健康委员会) → ``{own}/{agency_type}``;
    - a generic name (市卫生健康部门) → ``{own}/{agency_type}/generic``: a department named by
      its field, kept apart from the concrete body;
    - a predecessor's name (国家卫生计生委) → ``{own}/{agency_type}/former/{body}``: kept apart
      from its successor (and linked to it in the graph), one node per predecessor body: ``body``
      is ``former_body``, the full name the vocabulary groups the label under (hg:formerBody:
      卫计委, 卫生计生委 → 卫生和计划生育委员会; ``healthgov.ontology.vocab.former_body_key``, which
      callers pass since this module reads no vocabulary), else the label itself.

    Anything else keeps the surface key ``{scope}/{simplified name}``: the scope is its own
    jurisdiction (``jurisdiction_key``) when known, else the document's (generic units below the
    document's level, "各区县卫生健康局", have none of their own, but the same words in two
    cities are two sets of bodies). Agency types are ASCII ids and names are Chinese, so the two
    kinds of key never meet.
    """
    aid, own, _kind = agency_identity(name, level, jurisdiction, doc_jurisdiction, doc_level,
                                      agency_type=agency_type, name_form=name_form, collective=collective,
                                      former_body=former_body)
    return aid, own


def agency_identity(name: str, level: str | None, jurisdiction: str | None,
                    doc_jurisdiction: str | None, doc_level: str | None, *,
                    agency_type: str | None = None, name_form: str | None = None,
                    collective: bool = False, former_body: str | None = None) -> tuple[str, str | None, str | None]:
    """``agency_key`` and the form the id was made from: (id, own jurisdiction, "current" /
    "former" / "generic" for an agency keyed by type, None for one keyed by its name)."""
    own = jurisdiction_key(level, jurisdiction, doc_jurisdiction, doc_level)
    form = split_name_form(name_form)
    if form is not None and agency_type and own and not collective:
        kind, label = form
        suffix = {"current": "", "generic": "/generic"}.get(kind, f"/former/{simplified(former_body or label)}")
        return f"{own}/{agency_type}{suffix}", own, kind
    scope = own or doc_jurisdiction or ""
    return f"{scope}/{simplified(name)}", own, None


def agency_name_rank(name: str, own: str | None, name_form: str | None) -> str:
    """The key the node's ``name`` is chosen by among the forms one agency is written in (the
    smallest wins, whatever order documents are loaded in): a form naming its own place
    (广州市卫生健康委员会, 国家医保局) first, then one with a level prefix (市卫健委), then a bare
    label (卫健委); then the shorter; then the lexically first."""
    s = simplified(name)
    form = split_name_form(name_form)
    prefix = s[: len(s) - len(simplified(form[1]))] if form and s.endswith(simplified(form[1])) else ""
    if own and (s.startswith(own) or (own == NATION and s.startswith("国家"))):
        rank = 0
    elif prefix:
        rank = 1
    else:
        rank = 2
    return f"{rank}{len(s):03d}{s}"


# --- files -------------------------------------------------------------------------------------


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_text(text: str) -> str:
    """Of the UTF-8 encoding (a record extracted from text rather than a file)."""
    return sha256_bytes(text.encode("utf-8"))


def sha256_file(path: str | Path) -> str:
    """Of a file's raw bytes, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
