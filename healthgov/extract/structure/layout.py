"""The page layout of a policy document: lines, header, signature blocks, where the body starts.

Shared by ``metadata`` (title, issuers, dates come from the header and signature blocks) and
``structure`` (headings are looked for in the body only). Everything works on ``norm``: the
simplified twin with full-width ASCII forms mapped to half-width, one character to one
character, so every offset still indexes the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from healthgov.extract.clean import PAGE_KINDS, TITLE_END, line_spans, strip_span, without_page_layer
from healthgov.extract.dates import find_dates, is_date_line
from healthgov.extract.facts.agencies import ends_unit, is_body_name, split_on_gaps
from healthgov.ids import DOC_NUMBER, WS, normalise_forms
from healthgov.records import Removed, Span

CN_NUM = "一二三四五六七八九十百零〇两"
# A structural heading at the start of a line (on the normalised text).
HEADING_START = re.compile(
    rf"^(第[{CN_NUM}\d]+[章节条部篇]|[{CN_NUM}]+\s*[、.]|\(\s*[{CN_NUM}]+\s*\)|\d{{1,2}}\s*[.、](?!\d)|"
    r"\(\s*\d{1,2}\s*\)|[①-⑳]|专栏\s*\d*)"
)
_ADDRESSEE = re.compile(r"^[^。]{2,160}[:]$")
_OPEN_NOTE = re.compile(r"^\(?\s*(此件|本件)?[^()]{0,12}(公开|发布|删减)[^()]{0,8}\)?$")
_SEAL = re.compile(r"\((代章|印章|章|盖章|签章)\)")


@dataclass
class Line:
    i: int
    start: int  # stripped line start (into text)
    end: int  # stripped line end
    s: str  # stripped normalised line
    removed: bool = False
    # The kind of a removed line ("page", "letterhead", "contents", ...): page-layer lines are
    # stepped over by a task's text, web chrome ends it.
    kind: str | None = None

    @property
    def blank(self) -> bool:
        return not self.s


@dataclass
class Signature:
    names: list[tuple[str, int, int]]  # (name as written, start, end); continuation lines joined
    date: str | None
    date_line: int | None  # index into Layout.lines
    first: int  # first line index of the block
    last: int  # last line index (incl. the "(此件公开发布)" note)


@dataclass
class Layout:
    text: str
    simp: str
    norm: str
    lines: list[Line]
    signatures: list[Signature] = field(default_factory=list)
    cover: Signature | None = None  # the signature closing a cover letter (notice + attached plan)
    header_end: int = 0  # line index where the header (title, number, addressee) ends
    body_start_line: int = 0
    title_groups: list[tuple[int, int]] = field(default_factory=list)  # (first, last) line indexes
    plan_title: tuple[int, int] | None = None  # the attached plan's own title lines after the cover letter
    lead_line: int | None = None  # a news-style lead sentence above the title
    # A law database's header block ("发文机关 全国人大常委会", "发文字号 主席令第38号"): field →
    # (value, start, end) into text.
    fields: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    # (first, last) line of a letterhead and title block printed after the first page's text.
    displaced: tuple[int, int] | None = None
    _page_lines: list[tuple[int, int]] | None = field(default=None, repr=False)

    @property
    def body_start(self) -> int:
        if self.body_start_line >= len(self.lines):
            return len(self.text)
        return self.lines[self.body_start_line].start

    def joined(self, first: int, last: int) -> str:
        return "".join(ln.s for ln in self.lines[first : last + 1] if not ln.removed)

    def text_between(self, start: int, end: int) -> str:
        """``text[start:end]`` without the page layer inside it (``clean.without_page_layer``)."""
        if self._page_lines is None:  # once per document: the page layer is known by now
            self._page_lines = [(ln.start, ln.end) for ln in self.lines if ln.kind in PAGE_KINDS]
        return without_page_layer(self.text, start, end, self._page_lines)

    def content(self, i: int) -> bool:
        return 0 <= i < len(self.lines) and not self.lines[i].blank and not self.lines[i].removed

    def next_content(self, i: int) -> int:
        while i < len(self.lines) and not self.content(i):
            i += 1
        return i

    def prev_content(self, i: int) -> int:
        while i >= 0 and not self.content(i):
            i -= 1
        return i


def is_heading(s: str) -> bool:
    return bool(HEADING_START.match(s))


def is_title_like(s: str) -> bool:
    """A short line without sentence punctuation that is not a heading or a date."""
    return (
        0 < len(s) <= 60
        and "\t" not in s
        and not re.search(r"[。;!?]", s)
        and not (s.count(",") and not TITLE_END.search(s))
        and not is_heading(s)
        and not is_date_line(s)
        and not DOC_NUMBER.fullmatch(s)
        and not s.endswith(":")
    )


def is_name_like(s: str) -> bool:
    """A signature line: an issuing body (or a bracketed continuation of one)."""
    s2 = _SEAL.sub("", s).strip()
    return (
        0 < len(s2) <= 40
        and not re.search(r"[。,;:!?、]", s2)
        and not TITLE_END.search(s2)
        and not is_heading(s2)
        and not re.match(r"附件", s2)
        and not _OPEN_NOTE.match(s2)
        and bool(re.search(r"[\u4e00-\u9fff]{2}", s2))
    )


def is_open_note(s: str) -> bool:
    return bool(_OPEN_NOTE.match(s)) and len(s) <= 24




def build_layout(text: str, simp: str, removed: list[Removed]) -> Layout:
    """The layout; page-layer lines it finds (letterheads, a table of contents, a title block
    printed after the first page's text) are appended to ``removed``."""
    norm = normalise_forms(simp)
    rem = sorted((r.span.start, r.span.end, r.kind) for r in removed)
    lines: list[Line] = []
    for i, (a, b) in enumerate(line_spans(text)):
        sa, sb = strip_span(text, a, b)
        kind = next((k for ra, rb, k in rem if ra <= sa < rb), None) if sa < sb else None
        lines.append(Line(i, sa, sb, norm[sa:sb], kind is not None, kind))
    lay = Layout(text, simp, norm, lines)
    # The page layer's finders read the layout's line predicates: imported here, not at the top.
    from healthgov.extract.structure.page_layer import find_contents, find_letterheads

    find_letterheads(lay, removed)
    find_contents(lay, removed)
    _find_fields(lay)
    _find_signatures(lay)
    _find_header(lay)
    if not lay.title_groups and lay.plan_title is None:
        _find_displaced_title(lay, removed)
    return lay


def remove_line(lay: Layout, removed: list[Removed], i: int, kind: str) -> None:
    ln = lay.lines[i]
    ln.removed, ln.kind = True, kind
    removed.append(Removed(kind, lay.text[ln.start : ln.end], Span(ln.start, ln.end)))


# A law database's header fields ("发文机关 全国人大常委会", "发文字号：主席令第38号").
_FIELD = re.compile(
    r"^(发文机关|颁布机关|制定机关|发布机关|发文字号|文号|发文日期|颁布日期|发布日期|成文日期|公布日期|施行日期|实施日期|"
    r"效力级别|时效性|法规类别|效力状态)(?:\s*[:：]\s*|\s+)(\S.*)?$"
)


def _find_fields(lay: Layout) -> None:
    for ln in lay.lines[:40]:
        m = _FIELD.match(ln.s) if not ln.removed else None
        if m and m.group(2):
            a = ln.start + m.start(2)
            lay.fields.setdefault(m.group(1), (lay.text[a : ln.end].strip(WS), a, ln.end))


def _find_signatures(lay: Layout) -> None:
    lines = lay.lines
    for i, ln in enumerate(lines):
        if ln.removed or ln.blank:
            continue
        iso = is_date_line(ln.s)
        inline: list[tuple[str, int, int]] = []
        if not iso:
            hit = _names_and_date(lay, ln)
            if hit is None:
                continue
            inline, iso = hit
        names: list[tuple[str, int, int]] = []
        j = lay.prev_content(i - 1)
        first = i
        while j >= 0 and is_name_like(lines[j].s) and not _table_row(lines[j].s) and not _ends_in_date(lines[j].s) \
                and len(names) < 20:
            first = j
            names[:0] = _line_names(lay, lines[j])
            j = lay.prev_content(j - 1)
        # A title right above the date (a web page "title / date" pair) is not a signature.
        if j >= 0 and TITLE_END.search(lines[j].s) and not names and not inline and i < 12:
            continue
        last = i
        k = lay.next_content(i + 1)
        # A body's line right after the date: one more issuer, where the page put it out of order.
        while k < len(lines) and len(names) < 20 and _stray_issuer(lines[k].s):
            names += _line_names(lay, lines[k])
            last = k
            k = lay.next_content(k + 1)
        if k < len(lines) and is_open_note(lines[k].s):
            last = k
        lay.signatures.append(Signature(_join_names(names + inline), iso, i, first, last))


def _line_names(lay: Layout, ln: Line) -> list[tuple[str, int, int]]:
    """The names on a signature line (several when spaces separate bodies), with their offsets."""
    return [(lay.text[ln.start + a : ln.start + b], ln.start + a, ln.start + b) for a, b in split_on_gaps(ln.s)]


def _table_row(s: str) -> bool:
    """A TAB-separated row whose cells are not all bodies: a table's, not a signature's."""
    return "\t" in s and not all(is_body_name(s[a:b]) for a, b in split_on_gaps(s))


def _stray_issuer(s: str) -> bool:
    return is_name_like(s) and not is_open_note(s) and all(is_body_name(s[a:b]) for a, b in split_on_gaps(s))


def _in_table(lay: Layout, i: int) -> bool:
    """A line next to a table row, or in a column of lines ending in dates (deadlines)."""
    near = [lay.lines[k].s for k in (lay.prev_content(i - 1), lay.next_content(i + 1)) if lay.content(k)]
    return any("\t" in s or _ends_in_date(s) for s in near)


def _ends_in_date(s: str) -> bool:
    d = find_dates(s)
    return bool(d) and d[-1][1] == len(s)


def _names_and_date(lay: Layout, ln: Line) -> tuple[list[tuple[str, int, int]], str] | None:
    """A signature on one line: bodies, then the date ("国家医保局 财政部 2021年4月12日").

    Only where every name before the date is a body and a space separates it from the date; a
    TAB-separated row is a table's (a unit and its deadline), not a signature."""
    s = ln.s
    if "\t" in s or len(s) > 120 or _in_table(lay, ln.i):
        return None
    dates = find_dates(s)
    if not dates or dates[-1][1] != len(s) or dates[-1][0] == 0 or not s[dates[-1][0] - 1].isspace():
        return None
    a = dates[-1][0]
    head = s[:a].rstrip()
    spans = split_on_gaps(head)
    if not spans or not is_name_like(head) or not all(is_body_name(head[x:y]) for x, y in spans):
        return None
    names = [(lay.text[ln.start + x : ln.start + y], ln.start + x, ln.start + y) for x, y in spans]
    return names, dates[-1][2]


def _join_names(names: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Join the lines of one name broken over two ("佛山市顺德区公共卫生与重大疾病防治" /
    "工作领导小组办公室（代章）"; a bracketed continuation "（爱国卫生运动委员会）") and drop seals."""
    out: list[tuple[str, int, int]] = []
    for name, a, b in names:
        bare = re.sub(r"[（(](代章|印章|章|盖章|签章)[)）]", "", name).strip(WS)
        if not bare:
            continue
        if out and (bare[0] in "(（" or _unfinished(out[-1][0]) and out[-1][2] < a):
            prev, pa, _pb = out.pop()
            out.extend(_resplit(prev, pa, bare, b))
        else:
            out.append((bare, a, b))
    return out


def _unfinished(name: str) -> bool:
    """The first line of a name broken at the line's end: it does not end like a body."""
    return not ends_unit(name) and not is_body_name(name)


def _resplit(first: str, a: int, rest: str, b: int) -> list[tuple[str, int, int]]:
    """``first`` + ``rest`` (a name continued on the next line), split again where spaces separate
    whole bodies ("佛山市顺德区卫生健康局 佛山市顺德区住房城乡" + "建设和水利局")."""
    joined = first + rest
    parts = split_on_gaps(joined)
    if len(parts) <= 1:
        return [(joined.strip(WS), a, b)]
    return [(joined[x:y], a + x, a + y if y <= len(first) else b) for x, y in parts]


def _find_header(lay: Layout) -> None:
    lines = lay.lines
    n = len(lines)
    first_heading = next((i for i, ln in enumerate(lines) if not ln.removed and is_heading(ln.s)), n)
    # A cover letter: a notice whose signature comes before the first heading of the plan it
    # attaches (or before the body of an attached plan without headings).
    cover = None
    for sig in lay.signatures:
        if sig.date_line is not None and sig.date_line < first_heading and lay.next_content(sig.last + 1) < n:
            cover = sig
    lay.cover = cover
    # The header: title lines, document number, letterhead, addressee, a lead sentence.
    i = lay.next_content(0)
    top = lines[i].s if i < n else ""
    if i < n and re.match(r"^((19|20)\d{2}年\d{1,2}月\d{1,2}日|近日|日前)[,，]?.{0,60}(印发|发布|出台|公布)", top):
        lay.lead_line = i
        i = lay.next_content(i + 1)
    header_end = i
    groups: list[tuple[int, int]] = []
    while i < n:
        s = lines[i].s
        if is_heading(s) or len(s) > 160 or "\t" in s:
            break
        if re.fullmatch(r"附件\s*\d*", s) or DOC_NUMBER.search(s) and len(s) < 40 or _ADDRESSEE.match(s) \
                or _FIELD.match(s) or re.fullmatch(r"法条正文|正文", s):
            header_end = i + 1
            i = lay.next_content(i + 1)
            continue
        if is_title_like(s) or TITLE_END.search(_strip_number(s)):
            g0 = i
            j = i
            while j < n and lay.content(j) and is_title_like(lines[j].s) and not TITLE_END.search(_strip_number(lines[j].s)):
                j += 1
            if j < n and lay.content(j) and (is_title_like(lines[j].s) or TITLE_END.search(_strip_number(lines[j].s))) \
                    and TITLE_END.search(_strip_number(lines[j].s)):
                j = _balanced(lay, g0, j)
                while g0 < j and _letterhead_name(lay, g0):
                    g0 += 1
                groups.append((g0, j))
                header_end = j + 1
                i = lay.next_content(j + 1)
                continue
            if j == i:
                break
            # Title-like lines that never end a title: a letterhead, or a title without a
            # known last word (a plan title); accept the group when a blank line follows it.
            if cover is None and not groups and all(len(lines[k].s) <= 40 for k in range(i, j)):
                groups.append((g0, j - 1))
            header_end = j
            i = lay.next_content(j)
            continue
        break
    lay.title_groups = groups
    lay.header_end = header_end
    if cover is not None:
        k = lay.next_content(cover.last + 1)
        j = k
        while j < n and lay.content(j) and is_title_like(lines[j].s) and j - k < 3:
            j += 1
        if j > k:
            lay.plan_title = (k, j - 1)
        lay.body_start_line = lay.next_content(j)
    else:
        lay.body_start_line = lay.next_content(header_end)


# The first page of a printed notice whose text layer puts the body first and the letterhead,
# marks, number and title last, before the page break ("各镇（街道）…：\n…\n佛山市…局\n依申请公开\n
# 佛山市…关于…\n…的通报\n—2 —"): looked for within this many lines of the top.
_FIRST_PAGE = 80


def _find_displaced_title(lay: Layout, removed: list[Removed]) -> None:
    """The title block at the end of the first page, when the top of the text has none: its
    title lines become the title group, the block (letterhead, marks, number, title) is removed
    from the body so that no task runs into it."""
    lines = lay.lines
    n = len(lines)
    brk = next((i for i in range(min(n, _FIRST_PAGE)) if lines[i].kind == "page" and i > lay.next_content(0)), None)
    if brk is None:
        return
    last = lay.prev_content(brk - 1)
    if last < 0 or not TITLE_END.search(_strip_number(lines[last].s)):
        return
    first = last
    while first - 1 >= 0 and lay.content(first - 1) and is_title_like(lines[first - 1].s) \
            and not DOC_NUMBER.search(lines[first - 1].s) and not _letterhead_name(lay, first - 1) and last - first < 5:
        first -= 1
    # The block above the title: letterhead names, marks, the document number.
    top = first
    k = first - 1
    while k >= 0 and (lines[k].blank or lines[k].kind in ("mark", "letterhead")
                      or (lay.content(k) and (DOC_NUMBER.search(lines[k].s) and len(lines[k].s) < 60
                                              or _letterhead_name(lay, k)))):
        if not lines[k].blank:
            top = k
        k -= 1
    if top == first:
        return  # a title-like line at a page's end with nothing of a letterhead above it
    for i in range(top, last + 1):
        if lay.content(i):
            remove_line(lay, removed, i, "title" if i >= first else "letterhead")
    lay.title_groups = [(first, last)]
    lay.displaced = (top, last)


def _balanced(lay: Layout, first: int, last: int) -> int:
    """The last line of a title whose brackets or quotes are still open at ``last`` ("…印发《“健康
    中国2030”规划" / "纲要》"): the title goes on over the following title-like lines."""
    def open_(k: int) -> bool:
        t = lay.joined(first, k)
        return t.count("《") > t.count("》") or t.count("“") > t.count("”") or t.count("(") > t.count(")")
    k = last
    nxt = lay.next_content(k + 1)
    # A title's period printed on a line of its own: "健康中国行动" / "（2019—2030年）".
    if nxt < len(lay.lines) and nxt - k <= 2 and re.fullmatch(r"[(（]\s*\d{4}\s*[-—–～~至]\s*\d{4}\s*年?\s*[)）]", lay.lines[nxt].s):
        return nxt
    while open_(k):
        nxt = lay.next_content(k + 1)
        if nxt >= len(lay.lines) or nxt - k > 2 or not is_title_like(lay.lines[nxt].s) and not re.match(r"^[^。]{1,30}[》”)]", lay.lines[nxt].s):
            break
        k = nxt
    return k if not open_(k) else last


def _letterhead_name(lay: Layout, i: int) -> bool:
    """A line that is one body's name alone above a mark, a number or another such line: the
    letterhead, not the first line of a title that starts with the issuer's name."""
    s = lay.lines[i].s
    if not (is_name_like(s) and is_body_name(re.sub(r"\s+", "", s))):
        return False
    k = i + 1
    while k < len(lay.lines) and lay.lines[k].blank:
        k += 1
    if k >= len(lay.lines):
        return False
    nxt = lay.lines[k]
    # The letterhead above a title that starts with the same name.
    return nxt.s.startswith(re.sub(r"\s+", "", s)) or nxt.kind in ("mark", "letterhead") or bool(DOC_NUMBER.search(nxt.s)) or (
        is_name_like(nxt.s) and is_body_name(re.sub(r"\s+", "", nxt.s)))


def _strip_number(s: str) -> str:
    """A title line with a document number glued on ("...的通知-杭政办函〔2022〕47号")."""
    return re.sub(r"\s*[-—–_|]?\s*" + DOC_NUMBER.pattern + r"\s*$", "", s)


def title_text(lay: Layout, group: tuple[int, int]) -> tuple[str, int, int]:
    """The joined title of a group of lines (original script), start and end offsets."""
    first, last = group
    parts = [lay.text[ln.start : ln.end] for ln in lay.lines[first : last + 1]
             if ln.s and (not ln.removed or ln.kind == "title")]
    raw = "".join(parts)
    raw = _strip_number_raw(raw)
    return raw, lay.lines[first].start, lay.lines[last].end


def _strip_number_raw(raw: str) -> str:
    m = re.search(r"\s*[-—–_|]?\s*" + DOC_NUMBER.pattern + r"\s*$", normalise_forms(raw))
    return raw[: m.start()] if m and m.start() > 0 else raw
