"""Lists of responsible units: "省卫生健康委、省财政厅", "住房和城乡建设局及有关部门", "市、区财政
部门" (a list of levels sharing one stem: one body per level), split into units with their spans."""

from __future__ import annotations

import re
from functools import lru_cache

from healthgov.extract.facts.agencies import (
    CACHE_SIZE,
    CLOSERS,
    CONNECTIVES,
    GENERIC_CORE,
    LIST_SEPARATORS,
    OPENERS,
    clean_core,
    ends_unit,
    is_level_prefix,
    prefix_tokens,
    resolves,
    resolves_any,
)


def _depths(s: str) -> list[int]:
    """Bracket depth before each character (tolerates unbalanced closers)."""
    depth = 0
    stack: list[str] = []
    out = []
    for ch in s:
        out.append(depth)
        if ch in OPENERS and ch not in CLOSERS:
            stack.append(ch)
            depth += 1
        elif ch in CLOSERS and ch not in OPENERS:
            if stack:
                stack.pop()
                depth -= 1
        elif ch in "“”":
            pass
    return out


def _strip_span(s: str, start: int, end: int) -> tuple[int, int]:
    while start < end and s[start].isspace():
        start += 1
    while end > start and s[end - 1].isspace():
        end -= 1
    return start, end


def split_units(s: str) -> list[tuple[str, int, int]]:
    """Split a list of responsible units; offsets are relative to s (see ``_split_units``)."""
    return list(_split_units(s))


@lru_cache(maxsize=CACHE_SIZE)
def _split_units(s: str) -> tuple[tuple[str, int, int], ...]:
    """Split a list of responsible units; offsets are relative to s.

    Separators are 、，,；; everywhere outside brackets, and 和/及/以及 only where both sides are
    agencies or a level prefix follows ("住房和城乡建设局" stays whole). A piece that is only a
    level prefix ("各区" in "各区、县(市)政府") is joined to the next piece: one unit.
    """
    depth = _depths(s)
    pieces: list[tuple[int, int]] = []
    start = 0
    for i, ch in enumerate(s):
        if depth[i] == 0 and ch in LIST_SEPARATORS:
            pieces.append((start, i))
            start = i + 1
    pieces.append((start, len(s)))

    # A bare level prefix shares the stem of the unit after it: "市、区财政部门" is 市财政部门 and
    # 区财政部门, "各区、县(市)政府" 各区政府 and 各县(市)政府. The prefix's unit is named with the stem
    # added (its span is the prefix as written); without a stem to share the pieces stay one unit.
    merged: list[tuple[int, int, str]] = []  # (start, end, stem added to s[start:end])
    i = 0
    while i < len(pieces):
        a, b = pieces[i]
        chain = [(a, b)]
        while i + 1 < len(pieces) and _bare_level(s[chain[-1][0]:chain[-1][1]].strip()) and s[chain[-1][1]] in "、":
            i += 1
            chain.append(pieces[i])
        if len(chain) > 1:
            last = s[chain[-1][0]:chain[-1][1]].strip()
            stem = unit_stem(last)
            if stem is None:
                merged.append((chain[0][0], chain[-1][1], ""))
            else:
                merged.extend((x, y, stem) for x, y in chain[:-1])
                # "各区、县(市)政府": 各 distributes over the list, the last level is 各县(市)政府 too
                each = "各" if s[chain[0][0]:chain[0][1]].strip().startswith("各") and not last.startswith("各") else ""
                merged.append((*chain[-1], "^" + each) if each else (*chain[-1], ""))
        else:
            merged.append((a, b, ""))
        i += 1

    out: list[tuple[str, int, int]] = []
    for a, b, stem in merged:
        if stem.startswith("^"):  # a prefix the list distributes ("各")
            x, y = _strip_span(s, a, b)
            out.append((stem[1:] + s[x:y], x, y))
            continue
        if stem:
            x, y = _strip_span(s, a, b)
            out.append((s[x:y] + stem, x, y))
            continue
        for x, y in _split_connectives(s, a, b, depth):
            x, y = _strip_span(s, x, y)
            if x < y:
                out.append((s[x:y], x, y))
    return tuple(out)


def _bare_level(piece: str) -> bool:
    """A piece that is only a level prefix, its brackets balanced ("县(市)", not a stray "）各区")."""
    return is_level_prefix(piece) and sum(ch in OPENERS for ch in piece) == sum(ch in CLOSERS for ch in piece)


@lru_cache(maxsize=CACHE_SIZE)
def unit_stem(name: str) -> str | None:
    """A unit's name without its level or place prefix ("区财政部门" → "财政部门", "县(市)政府" →
    "政府"), when the rest is a body's name; else None."""
    c = clean_core(name)
    for i in range(1, len(c) - 1):
        head = c[:i]
        balanced = sum(ch in OPENERS for ch in head) == sum(ch in CLOSERS for ch in head)
        if balanced and c[i] not in OPENERS and c[i] not in CLOSERS and is_level_prefix(head) and (resolves(c[i:]) or GENERIC_CORE.search(c[i:]) and ends_unit(c[i:])):
            return c[i:]
    return None


def _split_connectives(s: str, a: int, b: int, depth: list[int]) -> list[tuple[int, int]]:
    """Split s[a:b] on 和/及/以及 where both sides are units (see split_units)."""
    piece = s[a:b]
    for conn in CONNECTIVES:
        for m in re.finditer(conn, piece):
            i = a + m.start()
            if depth[i] != 0:
                continue
            left, right = s[a:i], s[i + len(conn) : b]
            if not left.strip() or not right.strip():
                continue
            if not (resolves(left) or ends_unit(left)):
                continue
            prefixed = _starts_with_prefix(right) and (resolves_any(right) or ends_unit(right))
            if resolves(right) or prefixed or _is_others(right):
                return [(a, i), *_split_connectives(s, i + len(conn), b, depth)]
    return [(a, b)]


@lru_cache(maxsize=CACHE_SIZE)
def _is_others(s: str) -> bool:
    # "……和相关部门" / "及有关单位": the other units concerned.
    return bool(re.fullmatch(r"\s*(相关|有关|其他|其它)\S{0,6}(部门|单位|方面|机构)\s*", s))


@lru_cache(maxsize=CACHE_SIZE)
def _starts_with_prefix(s: str) -> bool:
    c = clean_core(s)
    return any(prefix_tokens(c[:i]) is not None for i in range(1, min(len(c), 12)))
