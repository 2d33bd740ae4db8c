"""The targets of one indicator as an SVG chart, drawn on the server (no JavaScript library).

Value by target year, one mark per target with a value: its place by colour, its nature by
shape (binding 约束性: a filled square; expected 预期性: a hollow circle; not stated: a hollow
diamond), a range (value … value_max) as a vertical bar, the target's words in its tooltip.
Targets without a year sit in a "no year" slot at the right of the axis; targets without a
numeric value cannot be placed and are returned apart (``Chart.unplaced``) for the page to list.
The SVG is standalone XML (the download) and also inlined in the page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT = 960, 440
LEFT, RIGHT, TOP, BOTTOM = 70, 250, 40, 56
# Twelve colours a reader tells apart (Tableau 10 and two more); places beyond share them, said in the legend.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#7f7f7f", "#1b3a5c", "#8cd17d")
NATURES = {"binding": "binding 约束性", "expected": "expected 预期性", None: "not stated 未说明"}
FONT = "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"


@dataclass
class Chart:
    svg: str
    marks: int
    unplaced: list[Mapping[str, Any]] = field(default_factory=list)
    places: list[str] = field(default_factory=list)


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Round tick values covering lo..hi."""
    span = hi - lo or abs(hi) or 1.0
    raw = span / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first, last = math.floor(lo / step), math.ceil(hi / step)
    return [round(i * step, 10) for i in range(first, max(last, first + 1) + 1)]


def _fmt(v: float) -> str:
    return f"{v:g}"


def _shape(nature: Any, x: float, y: float, colour: str) -> str:
    if nature == "binding":
        return f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{colour}" stroke="{colour}"/>'
    if nature == "expected":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5.5" fill="#fff" stroke="{colour}" stroke-width="2.2"/>'
    return (f'<polygon points="{x:.1f},{y - 6:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 6:.1f} {x - 6:.1f},{y:.1f}" '
            f'fill="#fff" stroke="{colour}" stroke-width="2"/>')


def _tooltip(t: Mapping[str, Any]) -> str:
    value = _fmt(float(t["value"]))
    if _number(t.get("value_max")) is not None:
        value += f"–{_fmt(float(t['value_max']))}"
    parts = [f"{t.get('jurisdiction') or '?'} {t.get('target_year') or 'no year'}: {t.get('comparator') or ''}{value}"
             f"{t.get('unit') or ''} ({NATURES.get(t.get('nature'), t.get('nature'))})",
             str(t.get("doc_number") or t.get("policy_title") or ""), str(t.get("text") or "")]
    return "\n".join(p for p in parts if p)


def render(indicator: str, title: str, targets: Sequence[Mapping[str, Any]]) -> Chart:
    """The chart of ``targets`` (rows of the compare-targets query) for ``indicator``."""
    placed = [t for t in targets if _number(t.get("value")) is not None]
    unplaced = [t for t in targets if _number(t.get("value")) is None]
    places = sorted({str(t.get("jurisdiction") or "?") for t in placed})
    colour = {p: PALETTE[i % len(PALETTE)] for i, p in enumerate(places)}
    years = sorted({int(t["target_year"]) for t in placed if _number(t.get("target_year")) is not None})
    slots: list[int | None] = list(range(years[0] - 1, years[-1] + 2)) if years else []
    if any(_number(t.get("target_year")) is None for t in placed) or not slots:
        slots.append(None)
    values = [float(v) for t in placed for v in (t["value"], t.get("value_max")) if _number(v) is not None]
    vmin, vmax = (min(values), max(values)) if values else (0.0, 1.0)
    # From 0, unless every value is far from it (life expectancy near 80): then the ticks say where it starts.
    lo = vmin - (vmax - vmin) * 0.15 - abs(vmin) * 0.02 if vmin > 0.5 * vmax > 0 else min(0.0, vmin)
    hi = vmax + (vmax - lo) * 0.08 if vmax > 0 else (vmax or 1.0)
    ticks = _ticks(lo, hi)
    lo, hi = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot_w = plot_w / max(len(slots), 1)

    def sx(year: int | None, place: str) -> float:
        i = slots.index(year)
        k, n = places.index(place), len(places)
        spread = min(slot_w * 0.6, 14 * n)
        return LEFT + slot_w * (i + 0.5) + (spread * ((k + 0.5) / n - 0.5) if n > 1 else 0)

    def sy(v: float) -> float:
        return TOP + plot_h - (v - lo) / ((hi - lo) or 1.0) * plot_h

    units = sorted({str(t["unit"]) for t in placed if t.get("unit")})
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title" font-family={quoteattr(FONT)} '
           f'font-size="12" id="targets-chart">',
           f'<title id="chart-title">{escape(title)}: targets by year ({len(placed)} with a value)</title>',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
           f'<text x="{LEFT}" y="22" font-size="15" font-weight="bold">{escape(title)}</text>']
    out += _axes(ticks, slots, sy, slot_w, units)
    for t in placed:
        place = str(t.get("jurisdiction") or "?")
        year = int(t["target_year"]) if _number(t.get("target_year")) is not None else None
        x, y = sx(year, place), sy(float(t["value"]))
        c = colour[place]
        bar = ""
        if _number(t.get("value_max")) is not None:
            bar = f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y:.1f}" y2="{sy(float(t["value_max"])):.1f}" stroke="{c}" stroke-width="3"/>'
        out.append(f'<g class="mark" data-target={quoteattr(str(t.get("target_id") or ""))} '
                   f'data-nature={quoteattr(str(t.get("nature") or ""))} data-place={quoteattr(place)}>'
                   f'<title>{escape(_tooltip(t))}</title>{bar}{_shape(t.get("nature"), x, y, c)}</g>')
    out += _legend(places, colour)
    if not placed:
        out.append(f'<text x="{LEFT + plot_w / 2:.0f}" y="{TOP + plot_h / 2:.0f}" text-anchor="middle" fill="#555">'
                   f'{escape("no target with a value" if indicator else "choose an indicator")}</text>')
    out.append("</svg>")
    return Chart("\n".join(out), len(placed), unplaced, places)


def _axes(ticks: list[float], slots: list[int | None], sy: Any, slot_w: float, units: list[str]) -> list[str]:
    x0, x1, y0 = LEFT, WIDTH - RIGHT, HEIGHT - BOTTOM
    out = [f'<g class="axes" stroke="#999"><line x1="{x0}" x2="{x1}" y1="{y0}" y2="{y0}"/>'
           f'<line x1="{x0}" x2="{x0}" y1="{TOP}" y2="{y0}"/></g>']
    for v in ticks:
        y = sy(v)
        out.append(f'<line x1="{x0}" x2="{x1}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>'
                   f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">{_fmt(v)}</text>')
    for i, year in enumerate(slots):
        x = x0 + slot_w * (i + 0.5)
        out.append(f'<text x="{x:.1f}" y="{y0 + 18}" text-anchor="middle" fill="#333">'
                   f'{year if year is not None else "no year"}</text>')
    out.append(f'<text x="{(x0 + x1) / 2:.0f}" y="{HEIGHT - 12}" text-anchor="middle" fill="#333">'
               'target year 目标年份</text>')
    label = "value 目标值" + (f" ({escape(', '.join(units))})" if units else "")
    out.append(f'<text transform="translate(16 {(TOP + y0) / 2:.0f}) rotate(-90)" text-anchor="middle" '
               f'fill="#333">{label}</text>')
    return out


def _legend(places: list[str], colour: Mapping[str, str]) -> list[str]:
    x = WIDTH - RIGHT + 24
    out = [f'<g class="legend"><text x="{x}" y="{TOP}" font-weight="bold">place 地区</text>']
    y = TOP + 18
    for p in places[:16]:
        out.append(f'<rect x="{x}" y="{y - 9}" width="12" height="12" fill="{colour[p]}"/>'
                   f'<text x="{x + 18}" y="{y + 1}">{escape(p)}</text>')
        y += 18
    if len(places) > 16:
        out.append(f'<text x="{x}" y="{y + 1}" fill="#555">… {len(places) - 16} more (colours repeat)</text>')
        y += 18
    y += 10
    out.append(f'<text x="{x}" y="{y}" font-weight="bold">nature 性质</text>')
    for nature, label in NATURES.items():
        y += 20
        out.append(f'{_shape(nature, x + 6, y - 4, "#333")}<text x="{x + 18}" y="{y}">{escape(label)}</text>')
    out.append("</g>")
    return out
