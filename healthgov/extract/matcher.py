"""Find every occurrence of many vocabulary labels in a text with one scan.

The extractors used to run one ``str.find`` per label (hundreds per scheme) for every task,
table cell or unit name. ``LabelMatcher`` compiles the labels into one regular expression shaped
like a trie (``乡(?:镇(?:卫生院)?)?|…``): at each position the regex engine (C code) returns the
longest label starting there, and the shorter labels that also start there are exactly the
labels that are prefixes of it (precomputed). So one ``search`` per matching position finds all
occurrences of all labels, overlapping ones included.

Callers keep their own rule for resolving overlaps (longest label first, first taken wins ...):
``occurrences`` returns (rank, start) sorted by rank then start, the order in which the old
per-label loops visited them, so those rules apply unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_END = ""  # trie key marking that a label ends at this node


def _trie_pattern(node: dict) -> str:
    alts = [re.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch != _END]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    # Greedy: the longer continuation is tried first, so the match is the longest label.
    return f"(?:{body})?" if _END in node else body


class LabelMatcher:
    """All occurrences of ``labels`` (ranked: index 0 = highest priority) in a text."""

    __slots__ = ("labels", "_rank", "_prefixes", "_regex")

    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self._rank: dict[str, int] = {}
        for i, lab in enumerate(self.labels):
            if not lab:
                raise ValueError("empty label")
            self._rank.setdefault(lab, i)
        # For each distinct label: the ranks of every label equal to it or a prefix of it.
        self._prefixes: dict[str, tuple[int, ...]] = {}
        for lab in self._rank:
            ranks = [i for i, other in enumerate(self.labels) if lab.startswith(other)]
            self._prefixes[lab] = tuple(ranks)
        trie: dict = {}
        for lab in self._rank:
            node = trie
            for ch in lab:
                node = node.setdefault(ch, {})
            node[_END] = True
        self._regex = re.compile(_trie_pattern(trie)) if trie else None

    def occurrences(self, text: str) -> list[tuple[int, int]]:
        """(rank, start) of every occurrence of every label, overlapping ones included,
        sorted by rank, then start."""
        regex = self._regex
        if regex is None or not text:
            return []
        out: list[tuple[int, int]] = []
        search = regex.search
        prefixes = self._prefixes
        m = search(text)
        while m is not None:
            start = m.start()
            for rank in prefixes[m.group()]:
                out.append((rank, start))
            m = search(text, start + 1)
        out.sort()
        return out

    def first(self, text: str) -> tuple[int, int] | None:
        """(rank, start) of the highest-ranked label occurring in text, at its leftmost position."""
        occ = self.occurrences(text)
        return occ[0] if occ else None
