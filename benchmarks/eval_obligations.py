"""Precision and recall of the extracted obligations (``Task.obligations``: the providers, schools,
enterprises … a task's text obliges, never agencies) against the hand-checked gold.

Gold: the per-task ``institutions`` lists of tests/gold/*.json (real documents; tests/gold/README.md:
"Providers and enterprises a text obliges … are listed per task under `institutions` (name,
role), never scored as agencies"). A gold task without the key obliges no institution: the gold
covers whole documents (``"coverage": "all"``). The made-up documents (tests/gold/madeup/) were
written for responsibilities and list no institutions: they are not read. Documents marked
``"held_out": true`` are left out unless ``--held-out`` asks for them alone.

Matching
  task   as benchmarks/eval_responsibilities.py matches tasks (number, then title prefix, then path).
  name   within a matched task, gold and extracted names are paired one to one on the name as
         written after NFKC with whitespace removed ("（" == "("); the gold's role is not scored
         (an obligation has none). Scripts are not converted: both sides keep the document's.
  extra  obligations of extracted tasks that match no gold task count as extracted, and wrong,
         in a document the gold covers whole; a gold task the extractor did not produce misses
         its institutions.

Measures (per document and overall): gold, extracted, correct (name pairs), precision = correct /
extracted, recall = correct / gold; and, over every document, the extracted obligations split by
whether the institution-type vocabulary typed them (``institution_type`` set or not).

Run:  .venv/bin/python benchmarks/eval_obligations.py [--markdown [--errors]] [--held-out] [GOLD.json ...]
"""
from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from benchmarks.eval_responsibilities import match_tasks  # noqa: E402
from benchmarks.gold_common import GOLD, load_gold  # noqa: E402
from benchmarks.gold_common import fmt as _f  # noqa: E402
from benchmarks.gold_common import gold_files as _gold_files  # noqa: E402
from benchmarks.gold_common import main as _main  # noqa: E402
from benchmarks.gold_common import ratio as _ratio  # noqa: E402


def name_key(s: str) -> str:
    """A name as written, NFKC, without whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def gold_files(held_out: bool = False) -> list[Path]:
    """The real documents' gold (no made-up documents: they list no institutions)."""
    return _gold_files(GOLD, madeup=False, held_out=held_out)


def _pair(gold_names: list[str], ext: list) -> tuple[list[str], list]:
    """(gold names not extracted, extracted obligations not in the gold), one-to-one on ``name_key``."""
    free = list(ext)
    missed = []
    for g in gold_names:
        hit = next((e for e in free if name_key(e.name) == name_key(g)), None)
        if hit is None:
            missed.append(g)
        else:
            free.remove(hit)
    return missed, free


def _counter() -> dict:
    return {"gold": 0, "extracted": 0, "correct": 0}


def evaluate_doc(gold: dict, record=None) -> dict:
    if record is None:
        from healthgov.extract.pipeline import extract_file
        record = extract_file(gold["_doc"])
    tasks = list(record.tasks)
    matched = match_tasks(gold["tasks"], tasks)
    total = _counter()
    typed = {"typed": _counter(), "untyped": _counter()}
    errors: list[dict] = []

    def count_extracted(label: str, ext: list, wrong: list) -> None:
        for e in ext:
            kind = typed["typed" if e.institution_type else "untyped"]
            kind["extracted"] += 1
            if any(w is e for w in wrong):
                errors.append({"task": label, "gold": None, "extracted": e.name})
            else:
                kind["correct"] += 1

    for gt, t in zip(gold["tasks"], matched, strict=True):
        label = f"{gt.get('number') or ''} {gt['title']}".strip()
        gnames = [i["name"] for i in gt.get("institutions") or []]
        ext = list(t.obligations) if t is not None else []
        missed, wrong = _pair(gnames, ext)
        total["gold"] += len(gnames)
        total["extracted"] += len(ext)
        total["correct"] += len(ext) - len(wrong)
        errors += [{"task": label, "gold": g, "extracted": None} for g in missed]
        count_extracted(label, ext, wrong)
    if gold.get("coverage") == "all":
        seen = {id(t) for t in matched if t is not None}
        for t in tasks:
            if id(t) not in seen and t.obligations:
                total["extracted"] += len(t.obligations)
                count_extracted(f"{t.number} {t.title[:12]} (no gold task)", list(t.obligations), list(t.obligations))
    return {"gold_file": gold["_file"], "document": gold["document"], **total, "typed": typed, "errors": errors}


def add_rates(d: dict) -> dict:
    d["precision"] = _ratio(d["correct"], d["extracted"])
    d["recall"] = _ratio(d["correct"], d["gold"])
    return d


def evaluate(paths: list[Path] | None = None) -> dict:
    docs = [add_rates(evaluate_doc(load_gold(Path(p).resolve()))) for p in paths or gold_files()]
    overall = add_rates({k: sum(d[k] for d in docs) for k in ("gold", "extracted", "correct")})
    by_kind = {k: {c: sum(d["typed"][k][c] for d in docs) for c in ("extracted", "correct")}
               for k in ("typed", "untyped")}
    for c in by_kind.values():
        c["precision"] = _ratio(c["correct"], c["extracted"])
    return {"documents": docs, "overall": overall, "by_kind": by_kind}


def markdown(res: dict) -> str:
    out = ["| gold document | gold | extracted | correct | precision | recall |", "|---|---|---|---|---|---|"]
    for d in [*res["documents"], dict(res["overall"], gold_file="**all**")]:
        name = d["gold_file"] if d["gold_file"] == "**all**" else Path(d["gold_file"]).stem
        out.append(f"| {name} | {d['gold']} | {d['extracted']} | {d['correct']} "
                   f"| {_f(d['precision'])} | {_f(d['recall'])} |")
    out += ["", "| extracted obligations | extracted | correct | precision |", "|---|---|---|---|"]
    for kind, words in (("typed", "typed (an institution type)"), ("untyped", "untyped (name only)")):
        c = res["by_kind"][kind]
        out.append(f"| {words} | {c['extracted']} | {c['correct']} | {_f(c['precision'])} |")
    return "\n".join(out)


def _errors(res: dict) -> list[str]:
    return [f"{Path(d['gold_file']).stem} · {e['task']}: {e['gold'] or '—'} → {e['extracted'] or '—'}"
            for d in res["documents"] for e in d["errors"]]


def main(argv: list[str] | None = None) -> int:
    return _main(__doc__, "tests/gold/*.json", "list every missed or wrong obligation (gold → extracted)",
                 evaluate, markdown, _errors, argv)


if __name__ == "__main__":
    sys.exit(main())
