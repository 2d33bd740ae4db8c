"""Script conversion shared by every part that matches Chinese text."""

from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified, keeping the length so character offsets stay valid.

    OpenCC's phrase tables can change the length of a string in rare cases; offsets into the
    original text are our provenance, so when that happens we fall back to converting one
    character at a time (which is always length-preserving for single characters that map to
    single characters, and keeps a character as it is otherwise).
    """
    if not text:
        return text
    conv = _t2s().convert(text)
    if len(conv) == len(text):
        return conv
    out = []
    for ch in text:
        c = _t2s().convert(ch)
        out.append(c if len(c) == 1 else ch)
    return "".join(out)
