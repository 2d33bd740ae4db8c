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

from healthgov.loaders.errors import ExtractError

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
        raise ExtractError(str(path), f"cannot read file ({e.strerror or e})") from e
    if size > max_bytes:
        raise ExtractError(str(path), f"too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB limit)")
    raw = p.read_bytes()
    return decode_bytes(raw, str(path))


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
_DROP = {"script", "style", "nav", "noscript", "iframe", "svg", "template", "head", "button", "select"}


def html_to_text(html: str) -> str:
    """Block elements → lines, table rows → TAB-joined cells; scripts, styles and <nav> dropped."""
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
    if title is not None and (title.text or "").strip():
        out.append(title.text.strip() + "\n")
    body = root.find("body")
    _walk(body if body is not None else root, out)
    text = "".join(out)
    text = re.sub(r"[ \t\u3000]*\n[ \t\u3000]*\n(\s*\n)+", "\n\n", text)
    return text.strip("\n") + "\n"


def _walk(el, out: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    tag = tag.lower()
    if tag in _DROP or not tag:  # dropped element or comment: only its tail is text
        if el.tail:
            out.append(el.tail)
        return
    if tag == "tr":
        cells = []
        for c in el:
            ctag = c.tag.lower() if isinstance(c.tag, str) else ""
            if ctag in ("td", "th"):
                cells.append(re.sub(r"\s+", " ", c.text_content()).strip())
        out.append("\n" + "\t".join(cells) + "\n")
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
                    # Merged cells repeat the same object across the span: keep one.
                    if prev is not None and cell._tc is prev:
                        continue
                    prev = cell._tc
                    cells.append(re.sub(r"\s*\n\s*", " ", cell.text).strip())
                lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def _read_pdf(raw: bytes, name: str) -> str:
    try:
        from pdfminer.high_level import extract_text
    except ImportError as e:  # pragma: no cover
        raise ExtractError(name, "pdfminer.six is not installed") from e
    try:
        text = extract_text(io.BytesIO(raw))
    except Exception as e:  # noqa: BLE001 - pdfminer raises many kinds on broken files
        raise ExtractError(name, f"unreadable PDF ({type(e).__name__})") from e
    text = text.replace("\f", "\n")
    if len(_CJK.findall(text)) + len(re.findall(r"[A-Za-z]", text)) < 10:
        raise ExtractError(name, "no text layer (scanned PDF?)")
    return text
