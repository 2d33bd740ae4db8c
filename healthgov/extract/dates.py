"""Dates as policy documents write them, → ISO "YYYY-MM-DD".

Forms: "2023年10月18日", "2023-06-30" / "2023.6.30" / "2023/6/30", Chinese numerals
"二〇二三年六月三十日", and digits glued together where 年/月/日 were lost in conversion
("2023630" for 2023年6月30日).
"""

from __future__ import annotations

import re
from datetime import date

_CN = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
       "六": 6, "七": 7, "八": 8, "九": 9}
_FW = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})

CN_DIGIT = "〇零○Ｏ一二三四五六七八九"
# Patterns over text with full-width digits mapped to ASCII (length preserving).
DATE_CN = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
DATE_CN_NUM = re.compile(rf"([{CN_DIGIT}]{{4}})\s*年\s*([十{CN_DIGIT}]{{1,3}})\s*月\s*([十{CN_DIGIT}]{{1,3}})\s*日")
DATE_ISO = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*([-./／])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)")
DATE_GLUED = re.compile(r"(?<!\d)((?:19|20)\d{4,6})(?!\d)")


def _cn_small(s: str) -> int | None:
    """一 … 三十一 (month/day numerals)."""
    if not s:
        return None
    if "十" in s:
        a, _, b = s.partition("十")
        tens = _CN.get(a, None) if a else 1
        ones = _CN.get(b, None) if b else 0
        if tens is None or ones is None:
            return None
        return tens * 10 + ones
    if len(s) == 1:
        return _CN.get(s)
    return None


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def split_glued(digits: str) -> tuple[int, int, int] | None:
    """Repair "2023630" → (2023, 6, 30); None when no or more than one reading is a real date.

    Eight digits are read as YYYYMMDD (the usual compact form, "20231018"); six or seven digits
    lost their separators, so every split of the tail into a 1–2 digit month and day is tried and
    kept only if exactly one is a valid calendar date ("2023118" could be 1月18日 or 11月8日:
    ambiguous, so None).
    """
    if not digits.isdigit() or not 6 <= len(digits) <= 8:
        return None
    y, rest = int(digits[:4]), digits[4:]
    if not 1949 <= y <= 2100:
        return None
    if len(rest) == 4:
        m, d = int(rest[:2]), int(rest[2:])
        return (y, m, d) if _iso(y, m, d) else None
    found = set()
    for cut in (1, 2):
        mo, da = rest[:cut], rest[cut:]
        if not mo or not da or len(da) > 2 or mo.startswith("0") and len(mo) == 1:
            continue
        if da.startswith("0") and len(da) == 1:
            continue
        m, d = int(mo), int(da)
        if _iso(y, m, d):
            found.add((y, m, d))
    return found.pop() if len(found) == 1 else None


def parse_date(s: str, glued: bool = True) -> str | None:
    """The first date in ``s`` as "YYYY-MM-DD", or None. ``glued`` allows "2023630" forms."""
    if not s:
        return None
    t = s.translate(_FW)
    best: tuple[int, str] | None = None
    for pat in (DATE_CN, DATE_ISO):
        m = pat.search(t)
        if m:
            if pat is DATE_CN:
                iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            else:
                iso = _iso(int(m.group(1)), int(m.group(3)), int(m.group(4)))
            if iso and (best is None or m.start() < best[0]):
                best = (m.start(), iso)
    m = DATE_CN_NUM.search(t)
    if m:
        y = int("".join(str(_CN[c]) for c in m.group(1)))
        mo, d = _cn_small(m.group(2)), _cn_small(m.group(3))
        iso = _iso(y, mo, d) if mo and d else None
        if iso and (best is None or m.start() < best[0]):
            best = (m.start(), iso)
    if best:
        return best[1]
    if glued:
        for m in DATE_GLUED.finditer(t):
            parts = split_glued(m.group(1))
            if parts:
                return _iso(*parts)
    return None


def find_dates(s: str, glued: bool = False) -> list[tuple[int, int, str]]:
    """Every date in ``s``: (start, end, iso), in order; offsets index ``s``."""
    t = s.translate(_FW)
    out: list[tuple[int, int, str]] = []
    for m in DATE_CN.finditer(t):
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            out.append((m.start(), m.end(), iso))
    for m in DATE_ISO.finditer(t):
        iso = _iso(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        if iso:
            out.append((m.start(), m.end(), iso))
    for m in DATE_CN_NUM.finditer(t):
        y = int("".join(str(_CN[c]) for c in m.group(1)))
        mo, d = _cn_small(m.group(2)), _cn_small(m.group(3))
        iso = _iso(y, mo, d) if mo and d else None
        if iso:
            out.append((m.start(), m.end(), iso))
    if glued:
        for m in DATE_GLUED.finditer(t):
            parts = split_glued(m.group(1))
            if parts:
                out.append((m.start(), m.end(), _iso(*parts) or ""))
    out = [o for o in out if o[2]]
    out.sort()
    return out


def is_date_line(line: str) -> str | None:
    """A line that is only a date (a signature date, possibly glued "2023630"): its ISO form."""
    t = line.translate(_FW).strip(" \t\u3000\xa0\u2002\u2003")
    if not t or len(t) > 20:
        return None
    if re.fullmatch(r"\d{6,8}", t):
        parts = split_glued(t)
        return _iso(*parts) if parts else None
    for pat in (DATE_CN, DATE_CN_NUM, DATE_ISO):
        m = pat.fullmatch(t)
        if m:
            return parse_date(t, glued=False)
    return None
