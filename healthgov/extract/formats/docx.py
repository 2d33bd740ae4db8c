"""DOCX: paragraphs and table rows (TAB-joined cells, merged cells written once) in body order."""

from __future__ import annotations

import io
import re
import zipfile

from healthgov.extract.errors import ExtractError

NAME = "docx"
EXTENSIONS = (".docx",)


def detect(raw: bytes, ext: str, name: str) -> bool:
    """A zip holding a Word document; refuses other zips and legacy binary Word/Excel files."""
    if raw.startswith(b"PK\x03\x04"):
        if ext in EXTENSIONS or b"word/" in raw[:4000] or _zip_has(raw, "word/document.xml"):
            return True
        raise ExtractError(name, "binary file (a zip archive that is not a .docx)")
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractError(name, "legacy binary Word/Excel file (.doc/.xls): convert it to .docx first")
    return False


def read(raw: bytes, name: str) -> tuple[str, str]:
    return _read_docx(raw, name), "utf-8"


def _zip_has(raw: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            return member in z.namelist()
    except zipfile.BadZipFile:
        return False


def _read_docx(raw: bytes, name: str) -> str:
    # Imported on first use (a declared dependency): reading text or HTML does not pay for it.
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

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
