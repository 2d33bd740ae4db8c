"""Bytes → text: format and encoding detection, newline normalisation.

Every later offset indexes the string returned here, so this is the only place that decides how
a file is decoded. Formats (plain text, HTML as saved, DOCX, PDF with a text layer) are the rows
of ``healthgov.extract.formats.READERS``. Encodings seen on Chinese government sites: UTF-8
(with or without BOM), UTF-16 with BOM, GB18030 and its subsets GBK/GB2312, Big5.
"""

from __future__ import annotations

from pathlib import Path

from healthgov.extract.errors import ExtractError
from healthgov.extract.formats import reader_for
from healthgov.extract.formats.text import CJK
from healthgov.extract.formats.wraps import unwrap

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def read_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str, str]:
    """Return ``(text, format, encoding)`` for a policy document; raise ``ExtractError``.

    ``format`` is txt|html|docx|pdf; ``encoding`` is the codec of the raw bytes (for DOCX/PDF the
    container's, "utf-8"/"pdf"). Newlines are normalised to ``\\n``; the hard line wraps of a text
    layer saved as plain text are rejoined (``formats.wraps``).
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
    reader = reader_for(raw, name)
    text, enc = reader.read(raw, name)
    text = normalise_newlines(text)
    if reader.name == "txt":
        text = unwrap(text)
    _check_policy(text, name)
    return text, reader.name, enc


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")


def _check_policy(text: str, name: str) -> None:
    cjk = len(CJK.findall(text))
    if cjk == 0:
        raise ExtractError(name, "not a policy document (no Chinese text)")
    if cjk < 20:
        raise ExtractError(name, f"not a policy document (only {cjk} Chinese characters, no structure)")
    ctrl = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\n\f")
    if ctrl > 20:
        raise ExtractError(name, "binary file (control characters in decoded text)")
