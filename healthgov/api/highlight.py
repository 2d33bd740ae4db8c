"""Facts drawn on their document's text: spans as nested HTML elements.

Every mark covers exactly ``text[start:end]``. Spans nest (a task holds its units and targets),
so the text is cut at every span boundary and each piece is wrapped in the marks covering it,
outermost first (earlier start, then longer, then by kind: task, unit, target). A span that
crosses another's end (rare: they should nest) is drawn in several pieces with the same
``data-fact``, so the elements always nest properly and the pieces' text still adds up to the slice.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Mark:
    """One fact to draw: its span in the document, how it looks and what its tooltip says."""

    fact: str  # unique on the page: data-fact of every piece
    start: int
    end: int
    rank: int  # 0 task, 1 unit, 2 target: the outer one when spans are equal
    classes: str
    title: str
    tag: str = "mark"
    anchor: str | None = None  # id of the first piece
    link: tuple[str, str, str] | None = None  # (href, aria-label, shown text) placed before the first piece

    @property
    def key(self) -> tuple[int, int, int, str]:
        return (self.start, -self.end, self.rank, self.fact)


def _open(m: Mark, first: bool) -> str:
    attrs = [f'class="{escape(m.classes)}"', f'data-fact="{escape(m.fact)}"', f'title="{escape(m.title)}"']
    if first and m.anchor:
        attrs.insert(0, f'id="{escape(m.anchor)}"')
    if not first:
        attrs.append('data-cont="1"')
    before = ""
    if first and m.link:
        href, label, shown = m.link
        # The link shows its text through CSS (data-num), so it adds nothing to the facts' text.
        before = f'<a class="num" href="{escape(href)}" aria-label="{escape(label)}" data-num="{escape(shown)}"></a>'
    return f"{before}<{m.tag} {' '.join(attrs)}>"


def placed(marks: list[Mark], start: int, end: int) -> tuple[list[Mark], list[Mark]]:
    """The marks that can be drawn on ``[start, end)`` (non-empty and inside), and the others."""
    inside = [m for m in marks if start <= m.start < m.end <= end]
    ids = {m.fact for m in inside}
    return inside, [m for m in marks if m.fact not in ids]


def highlight(text: str, marks: list[Mark], offset: int = 0) -> Markup:
    """``text`` (which starts at ``offset`` of the document) as HTML with ``marks`` drawn on it;
    marks outside the text are left out (``placed`` tells which)."""
    end = offset + len(text)
    inside, _ = placed(marks, offset, end)
    starts: dict[int, list[Mark]] = {}
    ends: dict[int, list[Mark]] = {}
    for m in inside:
        starts.setdefault(m.start, []).append(m)
        ends.setdefault(m.end, []).append(m)
    bounds = sorted({offset, end, *starts, *ends})
    active: set[Mark] = set()
    stack: list[Mark] = []
    opened: set[str] = set()
    out: list[str] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        active.difference_update(ends.get(a, ()))
        active.update(starts.get(a, ()))
        cover = sorted(active, key=lambda m: m.key)
        keep = 0
        while keep < min(len(stack), len(cover)) and stack[keep] is cover[keep]:
            keep += 1
        for m in reversed(stack[keep:]):
            out.append(f"</{m.tag}>")
        for m in cover[keep:]:
            out.append(_open(m, m.fact not in opened))
            opened.add(m.fact)
        stack = cover
        out.append(str(escape(text[a - offset: b - offset])))
    out.extend(f"</{m.tag}>" for m in reversed(stack))
    return Markup("".join(out))
