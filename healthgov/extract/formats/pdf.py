"""PDF with a text layer: lines reflowed into paragraphs, task tables as TAB rows (a scanned PDF
is refused). Spaces that only come from layout between Chinese characters are not written: the
text returned is the record's text, so spans index it directly."""

from __future__ import annotations

import io
import re
from typing import NamedTuple

from healthgov.extract.errors import ExtractError
from healthgov.extract.formats.pdf_tables import Carry, Glyph, find_tables
from healthgov.extract.formats.text import CJK

NAME = "pdf"
EXTENSIONS = (".pdf",)
# Characters set one em wide in Chinese text: ideographs, CJK and full-width punctuation,
# Chinese quotes and dashes. Chinese puts no space between words, so a narrow gap between two
# of them is layout (justification, letter spacing, a run split into several text objects).
_WIDE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3001-\u303f\uff01-\uff5e“”‘’—…·]")
# A gap narrower than this (in font sizes) between two wide glyphs is layout; a wider one (an
# issuer set apart from the next in a signature block, usually an em or more) keeps its space.
LAYOUT_GAP = 0.5


class Line(NamedTuple):
    text: str
    x0: float
    x1: float
    height: float
    left: float  # the page's text left and right edges
    right: float
    row: bool = False  # a table row (TAB-separated cells): a line of its own, never reflowed


def detect(raw: bytes, ext: str, name: str) -> bool:
    return raw.startswith(b"%PDF")


def read(raw: bytes, name: str) -> tuple[str, str]:
    return _read_pdf(raw, name), "pdf"


def _read_pdf(raw: bytes, name: str) -> str:
    # Imported on first use (a declared dependency): reading text or HTML does not pay for it.
    from pdfminer.high_level import extract_pages

    lines: list[Line] = []
    carry: Carry | None = None  # a task table running on to the next page
    try:
        for page in extract_pages(io.BytesIO(raw)):
            page_lines, carry = _page_lines(page, carry)
            lines += page_lines
    except Exception as e:  # noqa: BLE001 - pdfminer raises many kinds on broken files
        raise ExtractError(name, f"unreadable PDF ({type(e).__name__})") from e
    text = _reflow(lines)
    if len(CJK.findall(text)) + len(re.findall(r"[A-Za-z]", text)) < 10:
        raise ExtractError(name, "no text layer (scanned PDF?): run OCR on it first, or find the text version")
    return text


def _page_lines(page, carry: Carry | None) -> tuple[list[Line], Carry | None]:  # noqa: ANN001 - a pdfminer LTPage
    """A page's text lines in pdfminer's order; the lines of a task table give way to its rows,
    written where the table's first line was. Also the table left open at the page's bottom."""
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    found: list[tuple[str, float, float, float]] = []
    glyphs: list[Glyph] = []
    for box in page:
        if not isinstance(box, LTTextContainer):
            continue
        for line in box:
            if isinstance(line, LTTextLine):
                text = line_text(line).rstrip("\n")
                if text.strip():
                    k = len(found)
                    found.append((text, line.x0, line.x1, line.height))
                    glyphs += [Glyph(c.get_text(), c.x0, c.x1, c.y0, c.y1, c.size, k) for c in line if isinstance(c, LTChar)]
    if not found:
        return [], None
    left = min(x0 for _t, x0, _x1, _h in found)
    right = max(x1 for _t, _x0, x1, _h in found)
    tables, carry = find_tables(glyphs, _rules(page), carry)
    first = {min(t.lines): t for t in tables}
    taken = set().union(*(t.lines for t in tables))
    out: list[Line] = []
    for k, (t, x0, x1, h) in enumerate(found):
        if k in first:
            out += [Line(row, left, right, h, left, right, True) for row in first[k].rows]
        elif k not in taken:
            out.append(Line(t, x0, x1, h, left, right))
    return out, carry


def line_text(line) -> str:  # noqa: ANN001 - a pdfminer LTTextLine
    """A pdfminer text line's text without the spaces pdfminer inserted between two wide glyphs
    set closer than ``LAYOUT_GAP`` ("跨省 联网" from a run drawn in two pieces, "政 府 工 作" from
    letter spacing). pdfminer writes a space for any gap over a tenth of a glyph: right between
    words, wrong inside Chinese ones, where the space then ends up in names and titles. Space
    characters the PDF itself holds are text and kept, as in TXT or DOCX; so are inserted
    spaces beside Latin letters or digits (a word break there may be real)."""
    from pdfminer.layout import LTAnno, LTChar, LTTextLineHorizontal

    items = list(line)
    if not isinstance(line, LTTextLineHorizontal):
        return "".join(i.get_text() for i in items)
    out: list[str] = []
    for k, item in enumerate(items):
        if isinstance(item, LTAnno) and item.get_text() == " " and 0 < k < len(items) - 1:
            prev, nxt = items[k - 1], items[k + 1]
            if (isinstance(prev, LTChar) and isinstance(nxt, LTChar) and _WIDE.fullmatch(prev.get_text())
                    and _WIDE.fullmatch(nxt.get_text())
                    and nxt.x0 - prev.x1 < LAYOUT_GAP * max(prev.size, nxt.size, 1.0)):
                continue
        out.append(item.get_text())
    return "".join(out)


def _rules(page) -> list[tuple[float, float, float]]:  # noqa: ANN001 - a pdfminer LTPage
    """Horizontal ruled lines (y, x0, x1): thin lines and rectangles, and the top and bottom
    edges of cell rectangles (a table drawn as boxes)."""
    from pdfminer.layout import LTCurve, LTRect

    out: list[tuple[float, float, float]] = []
    for obj in page:
        if not isinstance(obj, LTCurve) or obj.width < 10:
            continue
        if obj.height < 2:
            out.append(((obj.y0 + obj.y1) / 2, obj.x0, obj.x1))
        elif isinstance(obj, LTRect):
            out += [(obj.y0, obj.x0, obj.x1), (obj.y1, obj.x0, obj.x1)]
    return out


def _reflow(lines: list[Line]) -> str:
    """PDF lines → paragraphs. A line that runs to the right margin continues on the next line
    unless that one is indented: the layout of Chinese official documents (each paragraph
    indented two characters). Without this, a task's text, a title or a "(责任单位:…)" note
    broken across lines would read as several lines and lose its structure. A table row is a
    line of its own: joined to prose, its TABs would be lost to the table reader."""
    out: list[str] = []
    for i, (text, _x0, x1, h, _left, right, row) in enumerate(lines):
        if row:
            if out and out[-1] != "\n":
                out.append("\n")
            out += [text, "\n"]
            continue
        out.append(text.strip())
        full = x1 >= right - 1.5 * max(h, 1.0)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        cont = nxt is not None and not nxt.row and full and nxt.x0 <= nxt.left + 0.5 * max(nxt.height, 1.0)
        if not cont:
            out.append("\n")
    return "".join(out).replace("\f", "\n")
