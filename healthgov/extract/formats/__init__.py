"""The reader table: every input format, how it is recognised and how it becomes text.

A format is one module (``NAME``, ``EXTENSIONS``, ``detect(raw, ext, name)``, ``read(raw, name)``
→ ``(text, encoding)``) and one row of ``READERS``. Rows are tried in order: magic bytes first
(extensions lie on downloaded files), plain text last (it claims whatever is left). A detector
may refuse a file outright (``ExtractError``: a zip that is not a .docx, a legacy .doc).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from healthgov.extract.formats import docx, html, pdf, text


@dataclass(frozen=True)
class Reader:
    name: str  # txt|html|docx|pdf: the record's ``format``
    extensions: tuple[str, ...]
    detect: Callable[[bytes, str, str], bool]  # (raw, lower-case extension, file name)
    read: Callable[[bytes, str], tuple[str, str]]  # (raw, file name) → (text, encoding)


READERS: tuple[Reader, ...] = tuple(
    Reader(m.NAME, m.EXTENSIONS, m.detect, m.read) for m in (pdf, docx, html, text)
)
BY_NAME = {r.name: r for r in READERS}


def reader_for(raw: bytes, name: str = "") -> Reader:
    """The first reader whose detector claims ``raw`` (plain text claims anything)."""
    ext = Path(name).suffix.lower()
    return next(r for r in READERS if r.detect(raw, ext, name))
