"""Numbers as Chinese policy documents write them.

Everything here is pure and deterministic. ``normalise_digits`` maps character to character so
offsets computed on its output index the original text too (our provenance is offsets).
"""

from __future__ import annotations

import re

# Full-width forms seen in documents converted from Word/HTML, mapped one character to one
# character so that spans stay valid.
_FULLWIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "．": ".",
        "％": "%",
        "＋": "+",
        "＜": "<",
        "＞": ">",
        "＝": "=",
        "／": "/",
        "～": "~",
    }
)


def normalise_digits(text: str) -> str:
    """Full-width digits and signs → ASCII, length preserving (so idempotent and span-safe)."""
    return text.translate(_FULLWIDTH)


_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "O": 0, "o": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}

CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"
# A number as written: Arabic (with optional decimals and 万/亿) or Chinese numerals.
NUMBER = r"(?:\d+(?:\.\d+)?(?:万|亿)?|[零〇一二两三四五六七八九十百千]+(?:万|亿)?)"
# Range separators: dashes of every width, tildes, 至/到.
RANGE_SEP = r"(?:\s*(?:——|—|–|-|－|―|~|～|至|到)\s*)"


def parse_chinese_int(s: str) -> int | None:
    """Parse Chinese numerals: 十五 → 15, 两千 → 2000, 一百零五 → 105, 二〇三五 → 2035."""
    if not s:
        return None
    if all(ch in _CN_DIGITS for ch in s):
        # Digit-by-digit form used for years ("二〇三五").
        if len(s) == 1:
            return _CN_DIGITS[s]
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total = 0
    section = 0
    digit: int | None = None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (digit if digit is not None else 1) * _CN_UNITS[ch]
            digit = None
        elif ch in _CN_BIG:
            section += digit or 0
            total += (section or 1) * _CN_BIG[ch]
            section = 0
            digit = None
        else:
            return None
    return total + section + (digit or 0)


def parse_number(s: str) -> float | None:
    """Parse one number as written: "35", "1.5万", "3.39", "十五", "两千", "１２" (full width)."""
    s = normalise_digits(s.strip()).replace(",", "")
    if not s:
        return None
    mult = 1
    if s[-1] in _CN_BIG and len(s) > 1 and (s[-2].isdigit() or s[-2] in _CN_DIGITS or s[-2] in _CN_UNITS):
        if re.fullmatch(r"\d+(?:\.\d+)?[万亿]", s):
            mult = _CN_BIG[s[-1]]
            s = s[:-1]
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        v = float(s) * mult
        return v
    n = parse_chinese_int(s)
    return float(n) if n is not None else None


def parse_range(s: str) -> tuple[float, float] | None:
    """Parse "60—80", "2-3", "3万—10万", "0.8万~2万", "1至2", "60%—70%" → (low, high)."""
    s = normalise_digits(s.strip())
    m = re.fullmatch(rf"({NUMBER})\s*%?{RANGE_SEP}({NUMBER})\s*%?", s)
    if not m:
        return None
    lo, hi = parse_number(m.group(1)), parse_number(m.group(2))
    if lo is None or hi is None:
        return None
    # "3—10万": the magnitude written once applies to both ends.
    if m.group(2).endswith("万") and not m.group(1).endswith("万") and lo < hi / 10_000:
        lo *= 10_000
    return (lo, hi)


def _plausible_year(n: int) -> bool:
    return 1949 <= n <= 2100


def repair_glued_range(digits: str, unit: str = "") -> tuple[int, int] | None:
    """Split digits glued together where a dash was lost, only when both halves are plausible.

    "20212030" + "年" → (2021, 2030); "3070" + "岁" → (30, 70); "065" + "岁" → (0, 65)...
    Returns None when no split is plausible or more than one is (never invent).
    """
    if not digits.isdigit():
        return None
    candidates: list[tuple[int, int]] = []
    if unit.startswith("年"):
        if len(digits) == 8:
            lo, hi = int(digits[:4]), int(digits[4:])
            if _plausible_year(lo) and _plausible_year(hi) and lo < hi:
                candidates.append((lo, hi))
    elif unit.startswith("岁"):
        for cut in range(1, len(digits)):
            a, b = digits[:cut], digits[cut:]
            if (len(a) > 1 and a[0] == "0") or (len(b) > 1 and b[0] == "0"):
                continue
            lo, hi = int(a), int(b)
            if 0 <= lo < hi <= 120:
                candidates.append((lo, hi))
    return candidates[0] if len(candidates) == 1 else None


_FIVE_YEAR = re.compile(r"十([一二三四五六七八九])五")


def five_year_plan_end(text: str) -> int | None:
    """"十四五" → 2025 (the last year of the 14th five-year plan period); 十三五 → 2020."""
    m = _FIVE_YEAR.search(text)
    if not m:
        return None
    n = 10 + _CN_DIGITS[m.group(1)]
    return 1955 + 5 * n
