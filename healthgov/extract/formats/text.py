"""Plain text: BOMs, strict UTF-8, strict GB18030 or Big5 (the one that reads as policy text),
then charset-normalizer. The fallback format: any file no other format claims."""

from __future__ import annotations

import codecs
import re

from healthgov.extract.errors import ExtractError

NAME = "txt"
EXTENSIONS = (".txt",)
CJK = re.compile(r"[\u4e00-\u9fff]")


def detect(raw: bytes, ext: str, name: str) -> bool:
    return True


def read(raw: bytes, name: str) -> tuple[str, str]:
    return decode_text(raw, name)


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
    cjk = len(CJK.findall(sample)) or 1
    return sum(1 for ch in sample if ch in _COMMON) / cjk


def _looks_chinese(text: str) -> bool:
    if not text:
        return False
    cjk = len(CJK.findall(text))
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\r\n\f"))
    return cjk >= 2 and bad == 0


