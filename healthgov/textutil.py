"""Script conversion shared by every part that matches Chinese text."""

from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


# Short strings (unit names, labels, table cells) are converted again and again: a bounded
# cache of their conversions (the conversion is deterministic, so the result is the same).
_SHORT = 64
_CACHE: dict[str, str] = {}
_CACHE_MAX = 1 << 16


def to_simplified(text: str) -> str:
    """Traditional → simplified, keeping the length so character offsets stay valid.

    OpenCC's phrase tables can change the length of a string in rare cases; offsets into the
    original text are our provenance, so when that happens we fall back to converting one
    character at a time (which is always length-preserving for single characters that map to
    single characters, and keeps a character as it is otherwise).
    """
    if not text or text.isascii():
        return text  # OpenCC maps no ASCII character
    if len(text) <= _SHORT:
        out = _CACHE.get(text)
        if out is None:
            out = _convert(text)
            if len(_CACHE) >= _CACHE_MAX:
                _CACHE.clear()
            _CACHE[text] = out
        return out
    return _convert(text)


def _convert(text: str) -> str:
    conv = _t2s().convert(text)
    if len(conv) == len(text):
        return conv
    out = []
    for ch in text:
        c = _t2s().convert(ch)
        out.append(c if len(c) == 1 else ch)
    return "".join(out)
