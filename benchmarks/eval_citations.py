"""Precision and recall of the extracted citations against hand-checked gold.

Gold lives in tests/gold/citations/*.json (real documents, read from ../shared/extra/);
tests/gold/citations/README.md describes the format. Each gold document is extracted with the
current extractor (healthgov.extract.pipeline.extract_file) and compared.

Matching
  A gold citation and an extracted one are paired one to one, in gold order: first when both
  give a document number and the numbers are equal, then when the title keys are equal
  (healthgov.ids.citation_title_key: quotes, the issuer prefix, 关于 and the 印发…的通知 wrapper do
  not count, so 《X》 matches 《关于印发X的通知》).

Measures (per document and overall)
  gold, extracted, found   numbers of citations; found: paired
  precision, recall        found / extracted, found / gold
  number accuracy          over found citations whose gold gives a number: the extracted number equals it
  relation accuracy        over found citations: implements (true / false) equals the gold's
  not_citations extracted  gold non-citations (own title, own annex, a document to be drafted)
                           that were extracted: each is also one wrong extracted citation

Run:  .venv/bin/python benchmarks/eval_citations.py [--markdown] [--errors] [GOLD.json ...]
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from benchmarks.gold_common import fmt as _f  # noqa: E402
from benchmarks.gold_common import gold_files as _gold_files  # noqa: E402
from benchmarks.gold_common import load_gold  # noqa: E402,F401 - the tests read gold through each evaluator
from benchmarks.gold_common import main as _main  # noqa: E402
from benchmarks.gold_common import ratio as _ratio  # noqa: E402

GOLD_DIR = ROOT / "tests" / "gold" / "citations"

from healthgov.ids import citation_title_key, normalise_doc_number  # noqa: E402


def gold_files() -> list[Path]:
    return _gold_files(GOLD_DIR, madeup=False)


def _num(n: str | None) -> str | None:
    return normalise_doc_number(n) if n else None


def pair(gold: list[dict], ext: list[Any]) -> list[tuple[dict | None, Any]]:
    """(gold, extracted) pairs; unpaired on either side with None."""
    pairs: dict[int, int] = {}
    free = set(range(len(ext)))
    for by_number in (True, False):
        for gi, g in enumerate(gold):
            if gi in pairs:
                continue
            for ei in sorted(free):
                e = ext[ei]
                if by_number:
                    hit = _num(g["doc_number"]) is not None and _num(g["doc_number"]) == _num(e.doc_number)
                else:
                    hit = citation_title_key(g["title"]) == citation_title_key(e.title)
                if hit:
                    pairs[gi] = ei
                    free.discard(ei)
                    break
    out: list[tuple[dict | None, Any]] = [(g, ext[pairs[gi]] if gi in pairs else None) for gi, g in enumerate(gold)]
    return out + [(None, ext[ei]) for ei in sorted(free)]


def evaluate_doc(gold: dict, record: Any = None) -> dict:
    if record is None:
        from healthgov.extract.pipeline import extract_file
        record = extract_file(gold["_doc"])
    ext = list(record.policy.cites)
    d: dict[str, Any] = {"gold_file": gold["_file"], "document": gold["document"], "gold": len(gold["citations"]),
                         "extracted": len(ext), "found": 0, "numbered": 0, "number_right": 0, "relation_right": 0,
                         "errors": []}
    for g, e in pair(gold["citations"], ext):
        if g is not None and e is not None:
            d["found"] += 1
            if g["doc_number"]:
                d["numbered"] += 1
                ok = _num(g["doc_number"]) == _num(e.doc_number)
                d["number_right"] += ok
                if not ok:
                    d["errors"].append(f"{g['title']}: number {e.doc_number} (gold {g['doc_number']})")
            if (e.relation == "implements") == g["implements"]:
                d["relation_right"] += 1
            else:
                d["errors"].append(f"{g['title']}: {e.relation} (gold implements={g['implements']})")
        elif g is not None:
            d["errors"].append(f"missed: {g['title']} {g['doc_number'] or ''}".strip())
        else:
            d["errors"].append(f"extra: {e.title} {e.doc_number or ''}".strip())
    not_keys = {citation_title_key(n["title"]) for n in gold.get("not_citations", [])}
    d["not_citations_extracted"] = sum(1 for e in ext if citation_title_key(e.title) in not_keys)
    return d


def add_rates(d: dict) -> dict:
    d["precision"] = _ratio(d["found"], d["extracted"])
    d["recall"] = _ratio(d["found"], d["gold"])
    d["number_accuracy"] = _ratio(d["number_right"], d["numbered"])
    d["relation_accuracy"] = _ratio(d["relation_right"], d["found"])
    return d


def evaluate(paths: list[Path] | None = None) -> dict:
    docs = [add_rates(evaluate_doc(load_gold(Path(p).resolve()))) for p in paths or gold_files()]
    keys = ["gold", "extracted", "found", "numbered", "number_right", "relation_right", "not_citations_extracted"]
    return {"documents": docs, "overall": add_rates({k: sum(d[k] for d in docs) for k in keys})}


def markdown(res: dict) -> str:
    out = ["| gold document | gold | extracted | found | precision | recall | numbers | implements | "
           "non-citations extracted |", "|---|---|---|---|---|---|---|---|---|"]
    for d in res["documents"] + [dict(res["overall"], gold_file="**all**")]:
        name = d["gold_file"] if d["gold_file"] == "**all**" else Path(d["gold_file"]).stem
        out.append(f"| {name} | {d['gold']} | {d['extracted']} | {d['found']} | {_f(d['precision'])} "
                   f"| {_f(d['recall'])} | {_f(d['number_accuracy'])} | {_f(d['relation_accuracy'])} "
                   f"| {d['not_citations_extracted']} |")
    return "\n".join(out)


def _errors(res: dict) -> list[str]:
    return [f"{Path(d['gold_file']).stem} · {e}" for d in res["documents"] for e in d["errors"]]


def main(argv: list[str] | None = None) -> int:
    return _main(__doc__, "tests/gold/citations/*.json", "list every miss, extra and wrong field",
                 evaluate, markdown, _errors, argv)


if __name__ == "__main__":
    sys.exit(main())
