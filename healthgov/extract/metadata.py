"""Policy metadata: title, document number, issuers, dates, jurisdiction, citations → ``Policy``.

Where each fact comes from (in order of trust):
- title: the notice's own title in the header ("关于印发《X》的通知" wins over the plan title X,
  which is kept as ``short_title``);
- document number: the first 发文字号 in the header (its own line, glued to the title, or right
  after the document's own title in a news lead sentence);
- issuers: the signature block (lines of bodies above the date, several on a line when spaces
  separate bodies, on the date's own line, or a stray line right after it), else the title prefix
  ("广州市卫生健康委等4部门关于...", "A、B关于", "A B C关于"), else a lead sentence
  ("2023年10月18日,X印发...");
- issued_on: the signature date (成文日期), else the lead sentence date; published_on: the
  page's 发布时间 when it differs;
- jurisdiction: the first issuer's place prefix, resolved in ``data/jurisdictions.tsv``, or 全国
  for a national body without a place (国家医保局, 财政部), else the title's, else the document
  number's abbreviation; only a real place (``ids.is_place_name``) becomes one, else none and a
  warning (``place_warnings``);
- cites: every 《title》 outside the header, with the document number that follows it;
- annexes, annex_label: the annexes the document lists, and "附件N" when it opens as one
  (``healthgov.extract.annexes``).
"""

from __future__ import annotations

import re
import warnings

from healthgov.extract.annexes import annex_label, listed_annexes
from healthgov.extract.dates import find_dates, parse_date
from healthgov.extract.facts.agencies import resolve_agency, split_on_gaps, unplaced_remainder
from healthgov.extract.header_notes import header_notes
from healthgov.extract.structure.layout import Layout, build_layout, title_text
from healthgov.ids import (
    DOC_NUMBER,
    WS,
    citation_title_key,
    is_place_name,
    normalise_doc_number,
    normalise_forms,
    normalise_title,
    place_info,
    places,
    policy_id,
    to_simplified,
)
from healthgov.records import AgencyRef, Citation, Jurisdiction, Level, Policy, Removed, Span

# --- document numbers and ids ----------------------------------------------------------------


def find_doc_numbers(s: str) -> list[tuple[int, int, str, str]]:
    """(start, end, normalised, raw) for every document number in normalised text ``s``."""
    out = []
    for m in DOC_NUMBER.finditer(s):
        out.append((m.start(), m.end(), normalise_doc_number(m.group(0)) or "", m.group(0)))
    return out


# --- jurisdictions -----------------------------------------------------------------------------


_NATION = re.compile(r"^(国务院|国家|中共中央|中央|全国|中华人民共和国|国卫|国办|国医保|财政部|教育部|民政部|"
                     r"人力资源社会保障部|农业农村部|生态环境部|商务部|科技部|公安部|司法部|审计署|工业和信息化部|"
                     r"住房城乡建设部|交通运输部|水利部|应急管理部|自然资源部|文化和旅游部|海关总署|市场监管总局|"
                     r"[\u4e00-\u9fff]{2,8}部$)")
_PLACE_TOKEN = re.compile(r"[\u4e00-\u9fff]{1,9}?(特别行政区|自治区|自治州|自治县|自治旗|省|市|州|盟|地区|县|区|旗)")
_LEVEL_BY_SUFFIX: list[tuple[str, Level]] = [
    ("特别行政区", "province"), ("自治区", "province"), ("省", "province"), ("自治州", "city"), ("州", "city"),
    ("盟", "city"), ("地区", "city"), ("自治县", "county"), ("自治旗", "county"), ("县", "county"),
    ("区", "county"), ("旗", "county"), ("市", "city"),
]
# Not places although they end like one ("市场", "区域" are cut before they get here).
_NOT_PLACE = re.compile(r"^(各|本|全|该|我|上级|下级|有关|相关|城区|社区|园区|开发区|新区|景区|市区|县区|县市区|城市|农村)")


def _suffix_level(tok: str) -> Level | None:
    for suf, lvl in _LEVEL_BY_SUFFIX:
        if tok.endswith(suf):
            return lvl
    return None


def place_chain(name: str) -> list[tuple[str, Level, str | None]]:
    """The place prefix of a body's name, outermost first: "广安市广安区人民政府办公室" →
    [("广安市", city, 四川省), ("广安区", county, 广安市)]."""
    s = to_simplified(name).strip(WS)
    table, keys = places()
    out: list[tuple[str, Level, str | None]] = []
    pos = 0
    while pos < len(s) and len(out) < 3:
        rest = s[pos:]
        hit = next((k for k in keys if rest.startswith(k) and (len(k) > 2 or k.endswith(("市", "县", "区", "省", "州", "盟", "旗")))), None)
        if hit:
            rec = table[hit]
            out.append((rec[0], rec[1], rec[2]))
            pos += len(hit)
            continue
        m = _PLACE_TOKEN.match(rest)
        if not m or _NOT_PLACE.match(m.group(0)) or len(m.group(0)) < 2:
            break
        tok = m.group(0)
        # "市人民政府": a bare tier word is not a place; "卫生健康委员会" never ends in a suffix.
        if re.search(r"(人民|政府|委员|办公|卫生|健康|管理|服务|发展|建设|工作|领导)", tok):
            break
        lvl = _suffix_level(tok)
        if lvl is None or not is_place_name(tok):
            break
        parent = out[-1][0] if out else None
        out.append((tok, lvl, parent))
        pos += len(tok)
    # A chain's parent is the place before it in the name, when the name gives one.
    fixed = []
    for k, (n, lvl, parent) in enumerate(out):
        fixed.append((n, lvl, out[k - 1][0] if k else parent))
    return fixed


def infer_jurisdiction(names: list[str], title: str = "", doc_number: str | None = None,
                       context: str = "") -> Jurisdiction | None:
    """The jurisdiction of a policy from its issuers, title, document number and addressees."""
    for k, cand in enumerate([*names, title]):
        s = to_simplified(cand or "").strip(WS)
        if not s:
            continue
        if _NATION.match(s) or k < len(names) and _national_body(s):
            return Jurisdiction("全国", "nation")
        chain = place_chain(s)
        if chain:
            name, level, parent = chain[-1]
            if level == "city" and name not in places()[0] and _addressed_to_townships(context):
                level = "county"  # an unknown 县级市 that addresses its townships
            return Jurisdiction(name, level, parent)
    if doc_number:
        num = normalise_doc_number(doc_number) or ""
        if re.match(r"^(国|中|国务院)", num):
            return Jurisdiction("全国", "nation")
        rec = place_info(num[:1])
        if rec and rec[1] == "province":
            return Jurisdiction(rec[0], rec[1], rec[2])
    return None


def _national_body(name: str) -> bool:
    """An issuer that is a national body by its name alone (国家医保局, 中央编办, 海关总署): the
    level the agency-type vocabulary tells, when the name carries no place; or a body named for
    the country (健康中国行动推进委员会, 全国人民代表大会常务委员会)."""
    if place_chain(name):
        return False
    return resolve_agency(name).level == "nation" or bool(re.search(r"^(中共中央|全国|国家)|中国", name))


def place_warnings(issuers: list[AgencyRef], jurisdiction: Jurisdiction | None) -> list[str]:
    """Why an issuer or the policy has no jurisdiction: a leftover of its name that is no place
    ("医保" of "…卫生健康委医保局") is not made one."""
    out = [f"issuer {a.name!r}: {rest!r} is not a place; no jurisdiction taken from it"
           for a in issuers if a.jurisdiction is None and (rest := unplaced_remainder(a.name))]
    if jurisdiction is None:
        out.append("policy: no jurisdiction (no place in its issuers, title or document number)")
    return out


def _addressed_to_townships(context: str) -> bool:
    return bool(re.search(r"各(乡镇|镇|乡)(人民政府|党委)?|街道办事处", context)) and not re.search(r"各(县|区|县市区|区县)", context)


# --- issuers -----------------------------------------------------------------------------------


def _resolve(name: str, jurisdiction: Jurisdiction | None) -> AgencyRef:
    try:
        return resolve_agency(name, jurisdiction)
    except Exception as e:  # noqa: BLE001 - an extractor bug must not lose the document
        warnings.warn(f"resolve_agency({name!r}) failed: {e}", stacklevel=2)
        return AgencyRef(name=name)


_TITLE_ISSUER = re.compile(r"^(?P<who>.{2,80}?)关于")


def issuers_from_title(title: str) -> list[str]:
    """"广州市卫生健康委等4部门关于..." → ["广州市卫生健康委"]; "A B关于" → [A, B]."""
    m = _TITLE_ISSUER.match(title.strip(WS))
    if not m:
        return []
    who = m.group("who")
    if re.search(r"印发|转发|《", who):
        return []
    who = re.sub(r"等\s*[\d一二三四五六七八九十]+\s*(个)?(部门|单位|家)$", "", who)
    parts: list[str] = []
    for piece in re.split(r"、|(?<=[厅局委部办府院会室])和", who):
        # Spaces separate bodies only when every part is one ("国家卫生健康委 教育部 财政部");
        # a space inside one name (PDF text: "国家卫生 健康委") is dropped.
        spans = split_on_gaps(piece)
        if len(spans) > 1:
            parts += [piece[a:b] for a, b in spans]
        elif spans:
            parts.append(re.sub(f"[{WS}]+", "", piece))
    return [p for p in parts if len(p) >= 2]


_LEAD_ISSUER = re.compile(r"^[^,，]{0,20}[,，]\s*(?P<who>[\u4e00-\u9fff（）()]{4,40}?)(为|联合|近日|印发|发布|出台|公布)")


# --- citations ---------------------------------------------------------------------------------

_IMPLEMENT_BEFORE = re.compile(r"(根据|按照|依据|依照|遵照|贯彻|落实|执行|对照|结合)")
_IMPLEMENT_AFTER = re.compile(r"^[^。;!?]{0,30}?(要求|精神|部署|规定|安排)")
_CLAUSE_BREAK = re.compile(r"[。;!?,:]")


def _quoted_titles(s: str) -> list[tuple[int, int]]:
    """(start, end) of every top-level 《...》 (nested 《》/〈〉 inside are kept in it)."""
    out, depth, start = [], 0, -1
    for i, ch in enumerate(s):
        if ch == "《":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i + 1))
        elif ch == "\n":
            depth = 0
    return out


# Forms, standards and clinical or technical guidelines cited by title are not policy documents
# (《诊疗科目核定表》, 《广东省登革热防控专业技术指南（2015年版）》, 《国民体质测定标准》): no citation,
# no placeholder node. An edition or trial mark after the name does not change what it is.
NOT_POLICY = re.compile(r"(表|指南|标准|手册|共识|图谱)(?:[(（][^()（）]{1,12}[)）])?$")


def find_citations(lay: Layout, own_titles: list[str], own_number: str | None, skip_before: int) -> list[Citation]:
    s = lay.norm
    own = {citation_title_key(t) or "" for t in own_titles if t}
    aliases = {normalise_title(a) for a in re.findall(r"以下简称\s*(《[^》]{1,20}》)", s)}
    found: dict[tuple[str, str | None], Citation] = {}
    order: list[tuple[str, str | None]] = []
    quotes = _quoted_titles(s)
    # A policy states what it implements in its preamble ("根据《A》要求,结合实际,制定本方案");
    # "按照《处方管理办法》执行" inside a numbered measure is a reference, not lineage.
    first_heading = _FIRST_HEADING.search(s, skip_before)
    preamble_end = first_heading.start() if first_heading else len(s)
    basis = _basis_clause(s, skip_before)
    for qi, (a, b) in enumerate(quotes):
        if a < skip_before or lay.text[a:b] and _in_removed(lay, a):
            continue
        title_raw = s[a + 1 : b - 1]
        if normalise_title(title_raw) in aliases or not _cited_here(s, a, b, a < preamble_end):
            continue
        key = citation_title_key(title_raw) or ""
        if len(key) < 4 or NOT_POLICY.search(key):
            continue
        if key in own or any(o.endswith(key) and len(key) >= 8 for o in own):
            continue
        # A document number right after the title, bracketed or not.
        num = None
        end = b
        m = re.match(r"\s*[(\[【]?\s*(" + DOC_NUMBER.pattern + r")\s*[)\]】]?", s[b : b + 40])
        if m:
            num = normalise_doc_number(m.group(1))
            end = b + m.end()
        if num and own_number and num == own_number:
            continue
        lineage = a < preamble_end or basis[0] <= a < basis[1]
        relation = "implements" if lineage and _implements(s, a, end, quotes, qi) else "cites"
        k = (key, num)
        if k in found:
            if relation == "implements":
                found[k].relation = "implements"
            continue
        # Same title seen before without a number: the numbered mention completes it.
        if num and (key, None) in found:
            c = found.pop((key, None))
            order.remove((key, None))
            c.doc_number = num
            c.relation = "implements" if relation == "implements" or c.relation == "implements" else "cites"
            found[k] = c
            order.append(k)
            continue
        if not num and any(t == key for t, _n in found):
            continue
        found[k] = Citation(to_simplified(lay.text[a + 1 : b - 1]).strip(WS), num, relation, Span(a, end))  # type: ignore[arg-type]
        order.append(k)
    cited = [found[k] for k in order]
    return _with_unquoted(lay, cited, own, skip_before, preamble_end)


# A document to be written, not one that exists: "制定《健康江西行动发展指数评价指南》"; in a measure
# also a subjectless "发布《…指南》" ("党中央、国务院印发《X》" reports an issued document).
_DRAFTING = re.compile(r"(制定|制订|编制|出台|修订|起草|编写|研制|研究起草)\s*$")
_ISSUING = re.compile(r"(?:^|[\n。;；:：,，)）]|要|将|并|及时|适时|前|内)\s*(发布|印发|推出)\s*$")
# Its own annex: "《三级公立医院绩效考核指标》(见附件)".
_OWN_ANNEX = re.compile(r"^\s*[(（]\s*(见|详见)?附件")


def _cited_here(s: str, a: int, b: int, in_preamble: bool) -> bool:
    """Whether the 《》 at [a, b) names an existing document rather than one to be drafted or
    the document's own annex."""
    before = s[max(0, a - 8) : a]
    if _DRAFTING.search(before) or (not in_preamble and _ISSUING.search(before)):
        return False
    return not _OWN_ANNEX.match(s[b : b + 8])


# A document cited without 《》: "中共中央办公厅、国务院办公厅印发关于进一步完善医疗卫生服务体系的意见"
# (the issuers, the verb, then a title that starts with 关于 and ends with a document type).
_UNQUOTED = re.compile(r"(?:印发|出台|颁布|发布)的?(?P<t>关于[^,，。;；:：!?！？《》“”\"\n]{4,60}?的"
                       r"(?:指导意见|实施意见|若干意见|意见|通知|决定|方案|规划|办法|规定|纲要))"
                       r"(?![\u4e00-\u9fff]{0,2}(?:的通知|》))")


def _with_unquoted(lay: Layout, cited: list[Citation], own: set[str], skip_before: int,
                   preamble_end: int) -> list[Citation]:
    """``cited`` plus the unquoted citations of the text (one per title key not cited already),
    in text order."""
    s = lay.norm
    seen = {citation_title_key(c.title) for c in cited} | own
    extra: list[Citation] = []
    for m in _UNQUOTED.finditer(s, skip_before):
        a, b = m.start("t"), m.end("t")
        key = citation_title_key(s[a:b])
        if not key or key in seen or _in_removed(lay, a):
            continue
        seen.add(key)
        lineage = a < preamble_end
        relation = "implements" if lineage and _implements(s, a, b, [(a, b)], 0) else "cites"
        extra.append(Citation(to_simplified(lay.text[a:b]).strip(WS), None, relation, Span(a, b)))  # type: ignore[arg-type]
    if not extra:
        return cited
    return sorted(cited + extra, key=lambda c: c.span.start if c.span else 0)


_FIRST_HEADING = re.compile(r"(?m)^[ \t\u3000]*(?:一[、.．]|[(（]一[)）]|第一[章条部编]|1[.．、]\D)")


# A regulation states its basis in 第一条, after the headings start: "第一条 为了…,根据《X》
# (…号)…,结合本市实际,制定本办法。" That article counts as the preamble.
_FIRST_ARTICLE = re.compile(r"(?m)^[ \t\u3000]*第一条")
_ENACTS = re.compile(r"(制定|制订)本(办法|条例|规定|细则|实施细则|规则|方案|意见)")


def _basis_clause(s: str, skip_before: int) -> tuple[int, int]:
    """The span of the first article when it is a basis clause ("…制定本办法"), else (0, 0)."""
    m = _FIRST_ARTICLE.search(s, skip_before)
    if not m:
        return 0, 0
    end = s.find("\n", m.end())
    end = len(s) if end < 0 else end
    return (m.start(), end) if _ENACTS.search(s, m.end(), end) else (0, 0)


def _in_removed(lay: Layout, pos: int) -> bool:
    for ln in lay.lines:
        if ln.start <= pos < ln.end + 1:
            return ln.removed
    return False


def _implements(s: str, a: int, end: int, quotes: list[tuple[int, int]], qi: int) -> bool:
    # A chain of titles ("根据《A》《B》等文件精神") shares the cue before the first one.
    first = a
    k = qi
    while k > 0 and re.fullmatch(r"[\s、,和及与]*", s[quotes[k - 1][1] : first]) and first - quotes[k - 1][1] <= 3:
        k -= 1
        first = quotes[k][0]
    line_start = s.rfind("\n", 0, first) + 1
    before = s[line_start:first]
    cut = max((m.end() for m in _CLAUSE_BREAK.finditer(before)), default=0)
    clause = before[cut:]
    if _IMPLEMENT_BEFORE.search(clause):
        return True
    # The cue after the last title of the chain: "...》(中办发〔2023〕10号)要求".
    last_end = end
    k = qi
    while k + 1 < len(quotes) and re.fullmatch(r"[\s、,和及与]*", s[quotes[k][1] : quotes[k + 1][0]]) \
            and quotes[k + 1][0] - quotes[k][1] <= 3:
        k += 1
        last_end = quotes[k][1]
    after = s[last_end : s.find("\n", last_end) if s.find("\n", last_end) > 0 else len(s)]
    after = re.sub(r"^\s*[(\[【][^)\]】]{0,30}[)\]】]", "", after)
    return bool(_IMPLEMENT_AFTER.match(after)) and bool(re.search(r"(根据|按照|依据|贯彻|落实|为)", s[max(line_start, first - 40) : first]) or re.match(r"^\s*等?(文件)?(精神|要求|部署)", after))


# --- the policy --------------------------------------------------------------------------------

_SHORT_TITLE = [
    re.compile(r"(?:印发|转发|颁布|发布)\s*《(?P<t>.+)》\s*的?(?:通知|决定|公告|通告|函)$"),
    re.compile(r"关于\s*《(?P<t>.+)》\s*的?(?:通知|决定|公告|通告|函)$"),
    re.compile(r"(?:印发|转发|颁布|发布)(?P<t>[^《》]{4,})的(?:通知|决定|公告|通告|函)$"),
]


def short_title_of(title: str) -> str | None:
    for pat in _SHORT_TITLE:
        m = pat.search(title)
        if m:
            return m.group("t").strip(WS)
    return None


def extract_policy(text: str, simp: str, removed: list[Removed], layout: Layout | None = None) -> Policy:
    lay = layout or build_layout(text, simp, removed)
    # Title: prefer the notice title ("关于...的通知") over a plan title.
    titles = [title_text(lay, g) for g in lay.title_groups]
    chosen = next((t for t in titles if "关于" in t[0]), titles[0] if titles else None)
    plan = title_text(lay, lay.plan_title) if lay.plan_title else None
    if chosen is None and plan is not None:
        chosen = plan
    title_raw = chosen[0] if chosen else ""
    title = to_simplified(title_raw).strip(WS)
    short = short_title_of(normalise_forms(title)) or (to_simplified(plan[0]).strip(WS) if plan else None)
    if short:
        # Keep the title's own bracket forms in the short title (it was matched on the normalised one).
        # (str.find: the same first match as re.search(re.escape(...)), without compiling it)
        needle = normalise_forms(short)
        at = normalise_forms(title).find(needle)
        if at >= 0:
            short = title[at : at + len(needle)]
    if short == title:
        short = None
    header_end = lay.lines[lay.header_end].start if lay.header_end < len(lay.lines) else len(text)
    body_start = lay.body_start
    # Document number: first one in the header zone, unless it follows another document's title.
    own_titles = [title] + ([short] if short else []) + ([plan[0]] if plan else [])
    number_raw = None
    zone_end = max(header_end, lay.lines[lay.lead_line].end if lay.lead_line is not None else 0)
    if lay.cover is not None:
        zone_end = max(zone_end, lay.lines[lay.cover.first].start)
    for a, _b, _norm, raw in find_doc_numbers(lay.norm[:zone_end]):
        if _in_removed(lay, a):
            continue
        q = lay.norm.rfind("》", 0, a)
        if q >= 0 and a - q <= 3:
            o = lay.norm.rfind("《", 0, q)
            quoted = normalise_title(lay.norm[o + 1 : q]) if o >= 0 else ""
            if quoted and not any(normalise_title(t).endswith(quoted) or quoted == normalise_title(t) for t in own_titles):
                continue
        number_raw = text[a : a + len(raw)]
        break
    notes = header_notes(lay)
    number_raw = number_raw or notes.number
    doc_number = normalise_doc_number(number_raw) if number_raw else None
    # Issuers.
    sig = lay.cover or (lay.signatures[0] if lay.signatures else None)
    names = [n for n, _a, _b in sig.names] if sig else []
    names = names or notes.issuers
    if not names:
        names = issuers_from_title(title_raw)
    lead_date = None
    if lay.lead_line is not None:
        lead = lay.lines[lay.lead_line]
        lead_s = lay.norm[lead.start : lead.end]
        m = _LEAD_ISSUER.match(lead_s)
        if m and not names:
            names = [text[lead.start + m.start("who") : lead.start + m.end("who")]]
        lead_date = parse_date(lead_s[:20], glued=False)
    issued_on = (sig.date if sig and sig.date else lead_date) or notes.date
    published_on = _published_on(lay, removed)
    if published_on == issued_on:
        published_on = None
    context = lay.norm[:body_start]
    juris = infer_jurisdiction(names, title, doc_number, context)
    issuers = [_resolve(n.strip(WS), juris) for n in names]
    pid = policy_id(doc_number, title)
    cites = find_citations(lay, own_titles, doc_number, skip_before=header_end)
    trad = sum(1 for x, y in zip(text, simp, strict=True) if x != y)
    script = "traditional" if trad > max(5, len(re.findall(r"[\u4e00-\u9fff]", text)) // 100) else "simplified"
    pol = Policy(
        id=pid, title=title, doc_number=doc_number, doc_number_raw=number_raw, issuers=issuers,
        issued_on=issued_on, published_on=published_on, jurisdiction=juris, cites=cites,
        language_script=script,  # type: ignore[arg-type]
        short_title=short, annexes=listed_annexes(lay, own_titles), annex_label=annex_label(lay, title),
    )
    return pol


def _published_on(lay: Layout, removed: list[Removed]) -> str | None:
    for r in removed:
        if r.kind in ("meta", "counter", "source"):
            ds = find_dates(normalise_forms(to_simplified(r.text)))
            if ds:
                return ds[0][2]
    return None
