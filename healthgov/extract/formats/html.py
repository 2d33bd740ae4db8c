"""HTML (web pages as saved): block elements → lines, tables → TAB-joined rows, page chrome dropped."""

from __future__ import annotations

import re

from healthgov.extract.formats.text import CJK, decode_text

NAME = "html"
EXTENSIONS = (".html", ".htm", ".shtml", ".xhtml")
_HTML_HINT = re.compile(rb"<\s*(!doctype\s+html|html|head|body|meta|div|p|table)\b", re.I)


def detect(raw: bytes, ext: str, name: str) -> bool:
    head = raw[:4096]
    if ext in EXTENSIONS or _HTML_HINT.search(head[:2048].lower()):
        # Text that merely mentions "<p>" deep inside is still text: HTML starts with markup.
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if ext in EXTENSIONS or stripped.startswith(b"<"):
            return True
    return False


def read(raw: bytes, name: str) -> tuple[str, str]:
    text, enc = decode_text(raw, name)
    return html_to_text(text), enc


_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
    "article", "header", "footer", "blockquote", "pre", "dd", "dt", "dl", "center", "title", "tbody",
    "thead", "form", "hr",
}
_DROP = {"script", "style", "nav", "noscript", "iframe", "svg", "template", "head", "button", "select",
         "aside", "input", "textarea", "object", "embed"}
_CHROME_TAGS = {"footer"}
# class/id words of page chrome on government portals (TRS, Hanweb, gov.cn templates).
_CHROME_ATTR = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|breadcrumb|crumbs?|position|location|share|bdshare|sharebar|toolbar|footer|foot|"
    r"topbar|top-bar|sidebar|side|aside|related|relate|links?|friendlink|copyright|print|login|search|"
    r"fontsize|font-size|qrcode|ewm|banner|pager|pagination)($|[\s_-])",
    re.I,
)


def html_to_text(html: str) -> str:
    """Block elements → lines, table rows → TAB-joined cells; page chrome dropped.

    Chrome is dropped by what it is (scripts, <nav>, <header>/<footer>, elements whose class
    or id names navigation, share bars, footers...; link lists), never by position, and an
    element holding most of the page's text is never dropped: a portal that wraps the article
    in ``<div class="main-head">`` keeps it. The article's own title, number and date usually sit
    in a meta table beside the body, so they are kept too. Tables expand rowspan/colspan into a
    grid, so every row carries its own lead and supporting units.
    """
    from lxml import etree
    from lxml import html as lhtml

    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    if not html.strip():
        return ""
    try:
        root = lhtml.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", "", html)
    out: list[str] = []
    title = root.find(".//title")
    body = root.find("body")
    body = body if body is not None else root
    total = _cjk_len(body)
    _drop_chrome(body, total)
    if title is not None and (title.text or "").strip():
        # A portal's <title> is "document title_column_site": keep only what the page repeats.
        t = re.split(r"\s*[_|｜]\s*|\s+-\s+", title.text.strip())[0].strip()
        if t and t not in body.text_content():
            out.append(t + "\n")
    _walk(body, out)
    text = "".join(out)
    text = re.sub(r"[ \t\u3000]*\n[ \t\u3000]*\n(\s*\n)+", "\n\n", text)
    return text.strip("\n") + "\n"


def _cjk_len(el) -> int:
    try:
        return len(CJK.findall(el.text_content()))
    except ValueError:
        return 0


def _drop_chrome(body, total: int) -> None:
    doomed = []
    for el in body.iter():
        if el is body or not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
        chrome = tag in _CHROME_TAGS or bool(_CHROME_ATTR.search(attrs))
        if tag == "header":  # the page's banner, but an <article>'s own header holds its title
            chrome = not any(isinstance(a.tag, str) and a.tag.lower() in ("article", "main") for a in el.iterancestors())
        if not chrome and tag in ("ul", "ol", "div", "p", "td", "dl"):
            chrome = _is_link_list(el)
        if chrome and _cjk_len(el) * 2 < max(total, 1):
            doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        # Keep the tail: it is text of the parent, not of the dropped element.
        if el.tail and el.tail.strip():
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)


def _is_link_list(el) -> bool:
    """Mostly links (≥3 of them, ≥70% of the text): a menu or a list of related pages."""
    links = el.findall(".//a")
    if len(links) < 3:
        return False
    text = re.sub(r"\s+", "", el.text_content())
    if not text:
        return False
    in_links = sum(len(re.sub(r"\s+", "", a.text_content())) for a in links)
    return in_links >= 0.7 * len(text)


def _table_grid(table) -> list[list[str]]:
    """Rows of cell texts with rowspan/colspan expanded (a spanned value repeats in each cell)."""
    grid: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column → (text, rows still covered)
    rows = [r for r in table.iter("tr") if _nearest_table(r) is table]
    for tr in rows:
        row: list[str] = []
        col = 0
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
        for c in cells:
            while col in pending:
                row.append(pending[col][0])
                col = _advance(pending, col)
            text = re.sub(r"\s+", " ", _cell_text(c)).strip()
            rs, cs = _span(c.get("rowspan")), _span(c.get("colspan"))
            for k in range(cs):
                # A colspan cell is written once: repeating a heading across columns would
                # read as several units or values.
                row.append(text if k == 0 else "")
                if rs > 1:
                    pending[col] = (text if k == 0 else "", rs - 1)
                col += 1
        while col in pending:
            row.append(pending[col][0])
            col = _advance(pending, col)
        # Empty cells stay: a row keeps its columns, so a full-width group heading ("一、…")
        # is still a row of the table and does not split it in two.
        grid.append(row)
    return grid


def _advance(pending: dict[int, tuple[str, int]], col: int) -> int:
    text, left = pending[col]
    if left <= 1:
        del pending[col]
    else:
        pending[col] = (text, left - 1)
    return col + 1


def _span(v: str | None) -> int:
    try:
        return max(1, min(int(str(v).strip()), 1000))
    except (TypeError, ValueError):
        return 1


def _nearest_table(el):
    p = el.getparent()
    while p is not None and not (isinstance(p.tag, str) and p.tag.lower() == "table"):
        p = p.getparent()
    return p


def _cell_text(c) -> str:
    """The cell's text on one line: a nested table is flattened into it, and paragraphs and line
    breaks inside it become spaces ("<p>市财政局</p><p>市医保局</p>" is two names, not one run;
    a name wrapped with <br> is joined back when its units are read)."""
    out: list[str] = []

    def walk(el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        block = tag in _BLOCK or tag in ("td", "th")
        if block:
            out.append(" ")
        if tag and tag not in _DROP and el.text:
            out.append(el.text)
        if tag and tag not in _DROP:
            for child in el:
                walk(child)
        if block:
            out.append(" ")
        if el.tail and el is not c:
            out.append(el.tail)

    walk(c)
    return "".join(out)


def _walk(el, out: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    tag = tag.lower()
    if tag in _DROP or not tag:  # dropped element or comment: only its tail is text
        if el.tail:
            out.append(el.tail)
        return
    if tag == "table":
        out.append("\n")
        for row in _table_grid(el):
            out.append("\t".join(row) + "\n")
        out.append("\n")
        if el.tail:
            out.append(el.tail)
        return
    block = tag in _BLOCK
    if block:
        out.append("\n")
    if el.text:
        out.append(el.text)
    for child in el:
        _walk(child, out)
    if block:
        out.append("\n")
    if el.tail:
        out.append(el.tail)
