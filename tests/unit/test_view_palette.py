"""The views' palette: distinct colours, deterministic, grouped as "other" when categories outnumber them."""

from __future__ import annotations

from healthgov.visualize.model import (
    OTHER_COLOUR,
    PALETTE,
    LegendItem,
    Palette,
    merge_legend,
    qualitative_palette,
)


def test_palette_has_many_distinct_colours_and_is_deterministic() -> None:
    assert len(PALETTE) >= 20 and len(set(PALETTE)) == len(PALETTE)
    assert qualitative_palette(48) == qualitative_palette(48)
    big = qualitative_palette(60)
    assert len(set(big)) == 60 and OTHER_COLOUR not in big
    assert big[: len(PALETTE)] == PALETTE  # a longer palette starts with the same colours


def test_no_two_categories_share_a_colour_and_the_rest_are_other() -> None:
    p = Palette(qualitative_palette(10))
    colours = [p(f"type-{i}") for i in range(28)]
    assert len(set(colours[:10])) == 10
    assert colours[10:] == [OTHER_COLOUR] * 18 and p.others == [f"type-{i}" for i in range(10, 28)]
    assert p("type-3") == colours[3] and p("type-20") == OTHER_COLOUR  # stable on a second call


def test_legend_never_repeats_a_colour() -> None:
    items = [LegendItem("卫生健康委员会 health commission", "#4e79a7"), LegendItem("数据管理部门 data", "#f28e2b"),
             LegendItem("a", OTHER_COLOUR), LegendItem("b", OTHER_COLOUR), LegendItem("c", OTHER_COLOUR),
             LegendItem("lead", "#4e79a7", kind="edge")]  # fmt: skip
    merged = merge_legend(items)
    nodes = [i for i in merged if i.kind == "node"]
    assert len({i.color for i in nodes}) == len(nodes) == 3
    other = next(i for i in nodes if i.color == OTHER_COLOUR)
    assert other.label.startswith("其他 other") and all(x in other.label for x in "abc")
    assert [i.label for i in merged if i.kind == "edge"] == ["lead"]
