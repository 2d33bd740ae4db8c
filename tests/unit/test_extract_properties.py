"""Property tests for the unit splitter and number parsing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from healthgov.extract.facts.agencies import CLOSERS, OPENERS, is_level_prefix
from healthgov.extract.facts.unit_lists import split_units, unit_stem
from healthgov.extract.numbers import (
    normalise_digits,
    parse_number,
    parse_range,
    repair_glued_range,
)

_PIECES = [
    "市卫生健康委", "省教育厅", "各区", "县(市)", "政府", "住房", "城乡建设局", "团省委", "（", "）", "(", ")",
    "[", "]", "【", "】", "〔", "〕", "、", "，", ",", "；", ";", "和", "及", "以及", " ", "等", "X", "局",
]
_SEPARATORS = set("、，,；; \t\n") | set("和及以")

unit_lists = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)


def _depth_before(s: str) -> list[int]:
    depth, out = 0, []
    for ch in s:
        out.append(depth)
        if ch in OPENERS and ch not in CLOSERS:
            depth += 1
        elif ch in CLOSERS and ch not in OPENERS and depth > 0:
            depth -= 1
    out.append(depth)
    return out


@settings(max_examples=300, deadline=None)
@given(unit_lists)
def test_split_units_never_ends_inside_brackets(s: str) -> None:
    units = split_units(s)
    depth = _depth_before(s)
    last_end = len(s.rstrip())
    for unit, a, b in units:
        # a unit is its span as written, or a bare level sharing a later unit's stem ("市、区财政部门":
        # 市 + 财政部门)
        assert s[a:b] == unit or (is_level_prefix(s[a:b]) and unit.startswith(s[a:b]) and unit_stem(unit)) \
            or unit == "各" + s[a:b]  # the last level of a list 各 distributes over
        assert unit and unit == unit.strip()
        if b < last_end:
            assert depth[b] == 0, (s, unit)


@settings(max_examples=300, deadline=None)
@given(unit_lists)
def test_split_units_loses_only_separators(s: str) -> None:
    units = split_units(s)
    covered = [False] * len(s)
    prev_end = 0
    for _u, a, b in units:
        assert a >= prev_end  # in order, no overlap
        prev_end = b
        for i in range(a, b):
            covered[i] = True
    lost = {ch for ch, c in zip(s, covered, strict=True) if not c}
    assert lost <= _SEPARATORS, (s, lost)


@given(st.text(alphabet="０１２３４５６７８９0123456789．.％%～~－-万年人", max_size=30))
def test_normalise_digits_idempotent_and_length_preserving(s: str) -> None:
    once = normalise_digits(s)
    assert normalise_digits(once) == once
    assert len(once) == len(s)


@given(st.integers(min_value=0, max_value=10**9))
def test_parse_number_roundtrip(n: int) -> None:
    assert parse_number(str(n)) == n
    full = str(n).translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"})
    assert parse_number(full) == n


@given(st.integers(min_value=0, max_value=9999), st.integers(min_value=0, max_value=9999), st.sampled_from(["—", "-", "~", "至", "–"]))
def test_parse_range(a: int, b: int, sep: str) -> None:
    assert parse_range(f"{a}{sep}{b}") == (a, b)


@given(st.text(alphabet="0123456789", min_size=1, max_size=10), st.sampled_from(["年", "岁", "人"]))
def test_glued_repair_never_invents_digits(digits: str, unit: str) -> None:
    r = repair_glued_range(digits, unit)
    if r is not None:
        lo, hi = r
        assert f"{lo}{hi}" == digits and lo < hi
