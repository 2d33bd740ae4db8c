"""Bytes → text: format and encoding detection, newline normalisation.

Every later offset indexes the string returned here, so this is the only place that decides how
a file is decoded. Formats: plain text, HTML (web pages as saved), DOCX and PDF with a text
layer. Encodings seen on Chinese government sites: UTF-8 (with or without BOM), UTF-16 with BOM,
GB18030 and its subsets GBK/GB2312, Big5.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from pathlib import Path

from healthgov.extract.errors import ExtractError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_HTML_HINT = re.compile(rb"<\s*(!doctype\s+html|html|head|body|meta|div|p|table)\b", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def read_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str, str]:
    """Return ``(text, format, encoding)`` for a policy document; raise ``ExtractError``.

    ``format`` is txt|html|docx|pdf; ``encoding`` is the codec of the raw bytes (for DOCX/PDF the
    container's, "utf-8"/"pdf"). Newlines are normalised to ``\\n``.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as e:
        raise ExtractError(str(path), _os_reason(e)) from e
    if size > max_bytes:
        raise ExtractError(str(path), f"too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:.1f} MB limit; "
                                      "raise it with --max-mb if the file really is one document)")
    try:
        with open(p, "rb") as fh:
            # Read one byte past the limit: a file that grew since stat() is still refused.
            raw = fh.read(max_bytes + 1)
    except OSError as e:
        raise ExtractError(str(path), _os_reason(e)) from e
    if len(raw) > max_bytes:
        raise ExtractError(str(path), f"too large (> {max_bytes / 1e6:.1f} MB limit)")
    return decode_bytes(raw, str(path))


def _os_reason(e: OSError) -> str:
    import errno

    if e.errno == errno.ELOOP:
        return "symlink loop (the link points back to itself)"
    if e.errno in (errno.EACCES, errno.EPERM):
        return "cannot read file (permission denied)"
    if e.errno == errno.ENOENT:
        return "no such file (or a broken symlink)"
    if e.errno == errno.EISDIR:
        return "is a directory"
    return f"cannot read file ({e.strerror or e})"


def decode_bytes(raw: bytes, name: str = "<bytes>") -> tuple[str, str, str]:
    if not raw.strip():
        raise ExtractError(name, "empty file")
    fmt = detect_format(raw, name)
    if fmt == "docx":
        text, enc = _read_docx(raw, name), "utf-8"
    elif fmt == "pdf":
        text, enc = _read_pdf(raw, name), "pdf"
    else:
        text, enc = decode_text(raw, name)
        if fmt == "html":
            text = html_to_text(text)
    text = normalise_newlines(text)
    _check_policy(text, name)
    return text, fmt, enc


def detect_format(raw: bytes, name: str = "") -> str:
    """txt|html|docx|pdf, by magic bytes first (extensions lie on downloaded files)."""
    ext = Path(name).suffix.lower()
    if raw.startswith(b"%PDF"):
        return "pdf"
    if raw.startswith(b"PK\x03\x04"):
        if ext == ".docx" or b"word/" in raw[:4000] or _zip_has(raw, "word/document.xml"):
            return "docx"
        raise ExtractError(name, "binary file (a zip archive that is not a .docx)")
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractError(name, "legacy binary Word/Excel file (.doc/.xls): convert it to .docx first")
    head = raw[:4096]
    if ext in (".html", ".htm", ".shtml", ".xhtml") or _HTML_HINT.search(head[:2048].lower()):
        # Text that merely mentions "<p>" deep inside is still text: HTML starts with markup.
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if ext in (".html", ".htm", ".shtml", ".xhtml") or stripped.startswith(b"<"):
            return "html"
    return "txt"


def _zip_has(raw: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            return member in z.namelist()
    except zipfile.BadZipFile:
        return False


def decode_text(raw: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode plain text: BOMs, strict UTF-8, strict GB18030, then charset-normalizer."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(enc), enc
            except UnicodeDecodeError as e:
                raise ExtractError(name, f"undecodable {enc} text at byte {e.start}") from e
    if b"\x00" in raw[:4096]:
        # UTF-16 without BOM is rare; NULs otherwise mean a binary file.
        raise ExtractError(name, "binary file (contains NUL bytes), not text")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        if _truncated_utf8(raw, e):
            raise ExtractError(name, f"truncated UTF-8: incomplete multibyte character at byte {e.start}") from e
    # Big5 bytes often decode without error as GB18030 (and the reverse): when both decode,
    # the one that yields the common characters of policy texts wins.
    cands = []
    for enc in ("gb18030", "big5"):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_chinese(text):
            cands.append((_common_score(text), enc == "gb18030", text, enc))
    if cands:
        _score, _pref, text, enc = max(cands)
        return text, enc
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None or best.encoding is None:
        raise ExtractError(name, "binary or undecodable file (no text encoding fits)")
    return str(best), best.encoding


def _truncated_utf8(raw: bytes, e: UnicodeDecodeError) -> bool:
    """True when the only UTF-8 error is a multibyte character cut off at the end of the file."""
    if e.reason != "unexpected end of data":
        return False
    try:
        raw[: e.start].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return len(raw) - e.start < 4 and len(raw) > 16


_COMMON = set("的一是在和了有人不国中发展卫生健康医务政府市省县区部门工作建设服务机构管理加强推进完善制度体系"
               "國發衛醫務縣區門作設們機構體係進組織實施關於為與對應")


def _common_score(text: str) -> float:
    sample = text[:20000]
    cjk = len(_CJK.findall(sample)) or 1
    return sum(1 for ch in sample if ch in _COMMON) / cjk


def _looks_chinese(text: str) -> bool:
    if not text:
        return False
    cjk = len(_CJK.findall(text))
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\r\n\f"))
    return cjk >= 2 and bad == 0


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")


def _check_policy(text: str, name: str) -> None:
    cjk = len(_CJK.findall(text))
    if cjk == 0:
        raise ExtractError(name, "not a policy document (no Chinese text)")
    if cjk < 20:
        raise ExtractError(name, f"not a policy document (only {cjk} Chinese characters, no structure)")
    ctrl = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\n\f")
    if ctrl > 20:
        raise ExtractError(name, "binary file (control characters in decoded text)")


# --- HTML --------------------------------------------------------------------------------------

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
        return len(_CJK.findall(el.text_content()))
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
    # A nested table inside a cell is flattened into the cell: its rows become one line.
    return c.text_content()


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


# --- DOCX / PDF --------------------------------------------------------------------------------


def _read_docx(raw: bytes, name: str) -> str:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as e:  # pragma: no cover - a declared dependency
        raise ExtractError(name, "python-docx is not installed") from e
    try:
        d = docx.Document(io.BytesIO(raw))
    except Exception as e:  # noqa: BLE001 - python-docx raises many kinds on broken files
        raise ExtractError(name, f"unreadable .docx ({type(e).__name__})") from e
    lines: list[str] = []
    body = d.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, d).text)
        elif tag == "tbl":
            for row in Table(child, d).rows:
                cells: list[str] = []
                prev = None
                for cell in row.cells:
                    # A horizontally merged cell repeats the same object across its span: its text
                    # once, then empty cells, as for an HTML colspan (rows keep their columns).
                    if prev is not None and cell._tc is prev:
                        cells.append("")
                        continue
                    prev = cell._tc
                    cells.append(re.sub(r"\s*\n\s*", " ", cell.text).strip())
                lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def _read_pdf(raw: bytes, name: str) -> str:
    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LTTextContainer, LTTextLine
    except ImportError as e:  # pragma: no cover
        raise ExtractError(name, "pdfminer.six is not installed") from e
    lines: list[tuple[str, float, float, float, float, float]] = []  # text, x0, x1, height, page left, page right
    try:
        for page in extract_pages(io.BytesIO(raw)):
            page_lines = []
            for box in page:
                if not isinstance(box, LTTextContainer):
                    continue
                for line in box:
                    if isinstance(line, LTTextLine):
                        text = line.get_text().rstrip("\n")
                        if text.strip():
                            page_lines.append((text, line.x0, line.x1, line.height))
            if page_lines:
                left = min(x0 for _t, x0, _x1, _h in page_lines)
                right = max(x1 for _t, _x0, x1, _h in page_lines)
                lines.extend((t, x0, x1, h, left, right) for t, x0, x1, h in page_lines)
    except Exception as e:  # noqa: BLE001 - pdfminer raises many kinds on broken files
        raise ExtractError(name, f"unreadable PDF ({type(e).__name__})") from e
    text = _reflow(lines)
    if len(_CJK.findall(text)) + len(re.findall(r"[A-Za-z]", text)) < 10:
        raise ExtractError(name, "no text layer (scanned PDF?): run OCR on it first, or find the text version")
    return text


def _reflow(lines: list[tuple[str, float, float, float, float, float]]) -> str:
    """PDF lines → paragraphs. A line that runs to the right margin continues on the next line
    unless that one is indented: the layout of Chinese official documents (each paragraph
    indented two characters). Without this, a task's text, a title or a "(责任单位:…)" note
    broken across lines would read as several lines and lose its structure."""
    out: list[str] = []
    for i, (text, _x0, x1, h, _left, right) in enumerate(lines):
        out.append(text.strip())
        full = x1 >= right - 1.5 * max(h, 1.0)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        cont = nxt is not None and full and nxt[1] <= nxt[4] + 0.5 * max(nxt[3], 1.0)
        if not cont:
            out.append("\n")
    return "".join(out).replace("\f", "\n")
