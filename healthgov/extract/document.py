"""The in-memory view of one decoded document that the fact extractors work on.

The pipeline (``healthgov.extract.pipeline``) builds a ``DocView`` (decode → clean → structure),
then hands it to the fact extractors (responsibilities, targets, tagging). Every offset here
indexes ``text`` (the decoded original) and ``simp`` (its simplified twin of the same length).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from healthgov.extract.clean import PAGE_KINDS, without_page_layer
from healthgov.records import Policy, Removed, Section, Span


@dataclass(slots=True)
class Cell:
    text: str  # simplified text of the cell, stripped
    span: Span


@dataclass(slots=True)
class Table:
    """A table recovered from the text: TAB-separated rows, or a flattened one-cell-per-line table."""

    span: Span
    header: list[str]  # simplified header cells ("序号", "指标", "2020年基线", "2025年目标", "属性" ...)
    rows: list[list[Cell]]  # body rows, cells aligned with header where it could be told
    section: str | None = None  # id of the enclosing section
    caption: str = ""  # the line before the table, if it names it ("主要发展指标", "附件1 ...")
    notes: list[Cell] = field(default_factory=list)  # footnotes right after it ("注:带*号数据为...")


@dataclass(slots=True)
class DocView:
    path: str
    text: str  # decoded original; spans index here
    simp: str  # simplified twin, same length as text
    policy: Policy  # metadata (jurisdiction already inferred) - the extractors may read it
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    body_start: int = 0  # where the policy text proper starts (after header, chrome, cover letter)
    _page: list[tuple[int, int]] | None = field(default=None, repr=False)  # the page layer, sorted

    def section(self, section_id: str | None) -> Section | None:
        for s in self.sections:
            if s.id == section_id:
                return s
        return None

    def written(self, start: int, end: int) -> str:
        """``text[start:end]`` without the page layer inside it (a page number printed in the middle
        of a name broken by the page): a name as the reader reads it (``clean.without_page_layer``)."""
        if self._page is None:
            self._page = sorted((r.span.start, r.span.end) for r in self.removed if r.kind in PAGE_KINDS)
        return without_page_layer(self.text, start, end, self._page)

    def is_removed(self, pos: int) -> bool:
        return any(r.span.start <= pos < r.span.end for r in self.removed)
