"""What the four gold evaluators (eval_responsibilities, eval_targets, eval_metadata,
eval_citations) share: finding and reading gold files, ratios, and the command line
(JSON by default, ``--markdown`` tables, ``--errors`` listing every wrong fact)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"


def gold_files(folder: Path, madeup: bool = True, held_out: bool = False) -> list[Path]:
    """The gold files of ``folder`` (and of its ``madeup/`` documents): the development gold, or
    with ``held_out`` only the documents kept out of development (``"held_out": true``), scored
    once at the end of a piece of work (``--held-out``)."""
    files = sorted(folder.glob("*.json")) + (sorted((folder / "madeup").glob("*.json")) if madeup else [])
    return [f for f in files if is_held_out(f) == held_out]


def is_held_out(path: Path) -> bool:
    return bool(json.loads(path.read_text(encoding="utf-8")).get("held_out"))


def held_out_files(default: str) -> list[Path]:
    """The held-out gold of the folder an evaluator reads by default (``default`` names it)."""
    folder = GOLD / default.split("tests/gold/", 1)[1].split("/")[0] if "tests/gold/" in default else GOLD
    folder = folder if folder.is_dir() else GOLD
    return gold_files(folder, madeup=False, held_out=True)


def load_gold(path: Path) -> dict:
    """A gold file, with ``_file`` (its path, relative to the repository) and ``_doc`` (the document's)."""
    g = json.loads(path.read_text(encoding="utf-8"))
    g["_file"] = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    g["_doc"] = (ROOT / g["document"]).resolve()
    return g


def ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def main(doc: str | None, default: str, errors_help: str, evaluate: Callable[[list[Path] | None], dict],
         markdown: Callable[[dict], str], error_lines: Callable[[dict], list[str]],
         argv: list[str] | None = None) -> int:
    """The evaluators' command line: ``error_lines(result)`` lists the wrong facts for ``--errors``."""
    ap = argparse.ArgumentParser(description=(doc or "").split("\n")[0])
    ap.add_argument("gold", nargs="*", type=Path, help=f"gold files (default: {default})")
    ap.add_argument("--markdown", action="store_true", help="markdown tables instead of JSON")
    ap.add_argument("--errors", action="store_true", help=f"with --markdown: {errors_help}")
    ap.add_argument("--held-out", action="store_true",
                    help="score the held-out documents (kept out of development) instead of the development gold")
    a = ap.parse_args(argv)
    res: Any = evaluate(a.gold or (held_out_files(default) if a.held_out else None))
    if a.markdown:
        print(markdown(res))
        if a.errors:
            lines = error_lines(res)
            print("\nErrors:" if lines else "\nErrors: none.")
            for line in lines:
                print(f"- {line}")
    else:
        json.dump(res, sys.stdout, ensure_ascii=False, indent=1)
        print()
    return 0
