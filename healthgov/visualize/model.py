"""What a view draws: plain nodes, edges, a legend and notes, independent of the graph store.

The builders turn query rows into a ``View``; ``render`` turns a ``View`` into one HTML file.
Keeping the two apart lets the drawing logic be tested on plain Python data.
"""

from __future__ import annotations

import colorsys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# A tooltip is a list of (heading, text) rows. The page builds the tooltip element from them
# with textContent, so document text can never inject markup, whatever it contains.
Tip = list[tuple[str, str]]

DEFAULT_MAX_NODES = 300

# Qualitative palette: Tableau 10, its lighter companions, then deterministic golden-angle hues.
# Greys are left out: grey is the colour of "unknown" and of the grouped "other" entry.
BASE_PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#a0cbe8", "#ffbe7d", "#8cd17d", "#b6992d", "#86bcb6", "#d37295", "#fabfd2",
    "#499894", "#f1ce63", "#d4a6c8", "#79706e",
)  # fmt: skip
PALETTE_SIZE = 32
UNKNOWN_COLOUR = "#c7c7c7"
OTHER_COLOUR = "#c7c7c7"  # the grouped legend entry: more categories than colours
OTHER_LABEL = "其他 other"
TIP_TEXT_LIMIT = 1200  # long task texts are cut in tooltips; the cut is marked with "…"


def clip(text: str | None, limit: int = TIP_TEXT_LIMIT) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def short(text: str | None, limit: int = 18) -> str:
    """A node label: long titles would cover their neighbours."""
    text = (text or "").strip().replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(slots=True)
class Node:
    id: str
    label: str
    tip: Tip
    color: str = UNKNOWN_COLOUR
    kind: str = ""  # agency|task|policy|tier|institution|aggregate: for tests and styling
    shape: str = "dot"
    size: int | None = None
    level: int | None = None  # rank in hierarchical layouts
    dashed_border: bool = False  # placeholders and aggregates
    group: str | None = None  # the legend entry it belongs to
    pinned: tuple[float, float] | None = None  # fixed (x, y): a frame the physics arranges around
    row: float | None = None  # fixed y only: a level of a layered drawing, x left to the physics

    def to_vis(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            "tip": [list(r) for r in self.tip],
            "color": {"background": self.color, "border": _darker(self.color),
                      "highlight": {"background": self.color, "border": "#222222"}},
            "shape": self.shape,
            "kind": self.kind,
        }  # fmt: skip
        if self.size is not None:
            d["size"] = self.size
        if self.level is not None:
            d["level"] = self.level
        if self.pinned is not None:
            d["x"], d["y"] = self.pinned
            d["fixed"] = True
        elif self.row is not None:
            d["y"] = self.row
            d["fixed"] = {"x": False, "y": True}
        if self.dashed_border:
            d["shapeProperties"] = {"borderDashes": [5, 4]}
            d["borderWidth"] = 2
        return d


@dataclass(slots=True)
class Edge:
    source: str
    target: str
    tip: Tip
    color: str = "#888888"
    kind: str = ""
    width: float = 1.0
    dashes: bool = False
    arrows: str | None = "to"
    label: str | None = None

    def to_vis(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "from": self.source,
            "to": self.target,
            "tip": [list(r) for r in self.tip],
            "color": {"color": self.color, "highlight": "#222222"},
            "width": self.width,
            "dashes": self.dashes,
            "kind": self.kind,
        }
        if self.arrows:
            d["arrows"] = self.arrows
        if self.label:
            d["label"] = self.label
        return d


@dataclass(slots=True)
class LegendItem:
    label: str
    color: str
    kind: str = "node"  # node|edge
    dashed: bool = False
    shape: str = "dot"


@dataclass
class View:
    name: str
    title: str  # Chinese and English, shown as the page heading
    description: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was filtered, aggregated or left out
    params: dict[str, str] = field(default_factory=dict)
    hierarchical: bool = False  # vis-network's levelled layout rather than force-directed
    layout: dict[str, Any] = field(default_factory=dict)  # overrides of the hierarchical layout's options
    still: bool = False  # no physics: the layout (levels, spacing, pinned places) is the drawing
    physics: dict[str, Any] = field(default_factory=dict)  # forceAtlas2Based settings for this view
    # Values offered by the page's filter form: param -> [(value, label)], filled from the store.
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # What the form marks as chosen: the values actually drawn (the busiest place when none was asked).
    selected: dict[str, list[str]] = field(default_factory=dict)
    default_max_nodes: int = DEFAULT_MAX_NODES
    # A form value the view could not take: (field, message), shown next to the field.
    error: tuple[str | None, str] | None = None

    def check(self) -> None:
        """Every edge must join drawn nodes: vis-network silently drops dangling edges,
        which would make the drawn counts disagree with the view's own."""
        ids = [n.id for n in self.nodes]
        if len(ids) != len(set(ids)):
            raise ValueError(f"view {self.name}: duplicate node ids")
        known = set(ids)
        for e in self.edges:
            if e.source not in known or e.target not in known:
                raise ValueError(f"view {self.name}: edge {e.source}→{e.target} joins a node not drawn")


def _hsl(hue: float, sat: float, light: float) -> str:
    r, g, b = colorsys.hls_to_rgb(hue / 360, light, sat)
    return "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in (r, g, b)))


def qualitative_palette(n: int = PALETTE_SIZE) -> tuple[str, ...]:
    """``n`` distinct colours, the same on every call: the base palette, then hues spaced by the
    golden angle at alternating lightness, skipping any colour already taken."""
    out = list(dict.fromkeys(BASE_PALETTE))[:n]
    i = 0
    while len(out) < n:
        hue = (i * 137.508 + 17) % 360
        light = (0.42, 0.58, 0.72)[i % 3]
        colour = _hsl(hue, 0.55, light)
        if colour not in out and colour != UNKNOWN_COLOUR:
            out.append(colour)
        i += 1
    return tuple(out)


PALETTE = qualitative_palette()


class Palette:
    """Assigns colours to categories in first-seen order, remembering them for the legend.

    No two categories share a colour: once the colours run out, the rest are grouped under one
    grey "other" colour (``others`` lists them, and the legend shows them as one entry).
    """

    def __init__(self, colours: Iterable[str] = PALETTE) -> None:
        self._colours = tuple(dict.fromkeys(c for c in colours if c != OTHER_COLOUR))
        self._assigned: dict[str, str] = {}
        self.others: list[str] = []

    def __call__(self, category: str | None) -> str:
        if category is None:
            return UNKNOWN_COLOUR
        if category in self.others:
            return OTHER_COLOUR
        if category not in self._assigned:
            if len(self._assigned) >= len(self._colours):
                self.others.append(category)
                return OTHER_COLOUR
            self._assigned[category] = self._colours[len(self._assigned)]
        return self._assigned[category]

    def items(self) -> list[tuple[str, str]]:
        return list(self._assigned.items())


def merge_legend(items: list[LegendItem]) -> list[LegendItem]:
    """One entry per colour among node entries (and among edge entries): entries that share a
    colour are grouped into one, named "其他 other" when it is the grouped grey."""
    out: list[LegendItem] = []
    seen: dict[tuple[str, str], LegendItem] = {}
    for item in items:
        key = (item.kind, item.color.lower())
        first = seen.get(key)
        if first is None:
            seen[key] = item
            out.append(item)
            continue
        if item.label in first.label:
            continue
        if item.color.lower() == OTHER_COLOUR and not first.label.startswith(OTHER_LABEL):
            first.label = f"{OTHER_LABEL}: {first.label}"
        first.label = f"{first.label}; {item.label}"
    return out


def _darker(hex_colour: str, factor: float = 0.7) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (r, g, b)))
