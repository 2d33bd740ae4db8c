"""PDF with a text layer: lines reflowed into paragraphs (a scanned PDF is refused)."""

from __future__ import annotations

import io
import re

from healthgov.extract.errors import ExtractError
from healthgov.extract.formats.text import CJK

NAME = "pdf"
EXTENSIONS = (".pdf",)


def detect(raw: bytes, ext: str, name: str) -> bool:
    return raw.startswith(b"%PDF")


def read(raw: bytes, name: str) -> tuple[str, str]:
    return _read_pdf(raw, name), "pdf"


def _read_pdf(raw: bytes, name: str) -> str:
    # Imported on first use (a declared dependency): reading text or HTML does not pay for it.
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer, LTTextLine

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
    if len(CJK.findall(text)) + len(re.findall(r"[A-Za-z]", text)) < 10:
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
