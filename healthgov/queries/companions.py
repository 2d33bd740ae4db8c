"""The statements that stand beside a named query, in a folder of files named like it:
``kept/`` (grouped forms), ``counts/`` (count statements), ``facets/`` (kept counts),
``estimates/`` (sampled totals). Read once per process: a request never touches the disk for them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

QUERY_DIR = Path(__file__).parent


@dataclass(frozen=True)
class Companion:
    text: str  # the whole file, header comments included
    statement: str  # the Cypher without its whole-line comments


@cache
def companion(folder: str, query_path: Path | None) -> Companion | None:
    """``<folder>/<the query's file name>`` beside the named query at ``query_path``, if there is one."""
    if query_path is None:
        return None
    path = QUERY_DIR / folder / query_path.name
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    return Companion(text, "\n".join(ln for ln in text.splitlines() if not ln.strip().startswith("//")).strip())
