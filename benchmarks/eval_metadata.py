"""Accuracy of the extracted policy metadata against hand-checked gold.

Gold lives in tests/gold/metadata/*.json (real documents, read by path from ../shared/extra/ and
corpus/) and tests/gold/metadata/madeup/*.json (short made-up documents kept next to their gold);
tests/gold/metadata/README.md describes the format. Each gold document is extracted with the
current extractor (healthgov.extract.pipeline.extract_file) and compared field by field.

Comparison (both sides simplified, NFKC, whitespace removed)
  title         equal
  doc_number    equal after normalise_doc_number (None == None)
  issuers       the exact set of issuer names ("exact issuer set right"), order ignored
  issuer_levels the exact set of (name, level)
  issued_on     equal ISO dates (None == None)
  jurisdiction  name and level equal (None == None)

Measures: per field, the share of documents where it is right; "metadata" is the share of all
(document, field) checks of title, doc_number, issuers, issued_on and jurisdiction that are right;
"all fields" the share of documents with every one of them right.

Run:  .venv/bin/python benchmarks/eval_metadata.py [--markdown] [--errors] [GOLD.json ...]
"""
from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from benchmarks.gold_common import gold_files as _gold_files  # noqa: E402
from benchmarks.gold_common import load_gold  # noqa: E402,F401 - the tests read gold through each evaluator
from benchmarks.gold_common import main as _main  # noqa: E402

GOLD_DIR = ROOT / "tests" / "gold" / "metadata"
FIELDS = ("title", "doc_number", "issuers", "issuer_levels", "issued_on", "jurisdiction")
# The fields the "metadata" figure averages (issuer levels are reported, not averaged: the issuer
# set already counts once).
CORE = ("title", "doc_number", "issuers", "issued_on", "jurisdiction")


def norm(s: str | None) -> str | None:
    if s is None:
        return None
    from healthgov.ids import to_simplified

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", to_simplified(s)))


def gold_files(held_out: bool = False) -> list[Path]:
    return _gold_files(GOLD_DIR, madeup=True, held_out=held_out)


def _number(s: str | None) -> str | None:
    from healthgov.ids import normalise_doc_number

    return normalise_doc_number(s) if s else None


def values(policy) -> dict:
    """The compared values of an extracted Policy (or a stand-in with the same attributes)."""
    j = policy.jurisdiction
    return {
        "title": norm(policy.title),
        "doc_number": _number(policy.doc_number),
        "issuers": sorted(norm(a.name) or "" for a in policy.issuers),
        "issuer_levels": sorted(f"{norm(a.name)}:{a.level}" for a in policy.issuers),
        "issued_on": policy.issued_on,
        "jurisdiction": f"{j.name}:{j.level}" if j else None,
    }


def gold_values(g: dict) -> dict:
    j = g.get("jurisdiction")
    return {
        "title": norm(g["title"]),
        "doc_number": _number(g.get("doc_number")),
        "issuers": sorted(norm(a["name"]) or "" for a in g["issuers"]),
        "issuer_levels": sorted(f"{norm(a['name'])}:{a['level']}" for a in g["issuers"]),
        "issued_on": g.get("issued_on"),
        "jurisdiction": f"{j['name']}:{j['level']}" if j else None,
    }


def evaluate_doc(gold: dict, policy=None) -> dict:
    if policy is None:
        from healthgov.extract.pipeline import extract_file

        policy = extract_file(gold["_doc"]).policy
    want, got = gold_values(gold), values(policy)
    right = {f: want[f] == got[f] for f in FIELDS}
    errors = [{"field": f, "gold": want[f], "extracted": got[f]} for f in FIELDS if not right[f]]
    return {"gold_file": gold["_file"], "document": gold["document"], "right": right, "errors": errors}


def evaluate(paths: list[Path] | None = None) -> dict:
    docs = [evaluate_doc(load_gold(Path(p).resolve())) for p in paths or gold_files()]
    n = len(docs)
    fields = {f: round(sum(d["right"][f] for d in docs) / n, 3) if n else None for f in FIELDS}
    checks = [d["right"][f] for d in docs for f in CORE]
    overall = {
        "documents": n,
        "exact_issuer_set": fields["issuers"],
        "metadata": round(sum(checks) / len(checks), 3) if checks else None,
        "all_fields": round(sum(all(d["right"][f] for f in CORE) for d in docs) / n, 3) if n else None,
    }
    return {"documents": docs, "fields": fields, "overall": overall}


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def markdown(res: dict) -> str:
    out = ["| gold document | " + " | ".join(FIELDS) + " |", "|---|" + "---|" * len(FIELDS)]
    for d in res["documents"]:
        out.append(f"| {Path(d['gold_file']).stem} | " + " | ".join(_mark(d["right"][f]) for f in FIELDS) + " |")
    n = res["overall"]["documents"]
    out.append(f"| **all ({n})** | " + " | ".join(f"{res['fields'][f]:.2f}" for f in FIELDS) + " |")
    o = res["overall"]
    out += ["", f"Exact issuer set right: {o['exact_issuer_set']:.2f}; metadata (title, number, issuers, date, "
            f"jurisdiction checks right): {o['metadata']:.2f}; documents with every field right: {o['all_fields']:.2f}."]
    return "\n".join(out)


def _errors(res: dict) -> list[str]:
    return [f"{Path(d['gold_file']).stem} · {e['field']}: {e['gold']} → {e['extracted']}"
            for d in res["documents"] for e in d["errors"]]


def main(argv: list[str] | None = None) -> int:
    return _main(__doc__, "tests/gold/metadata/**/*.json", "list every wrong field (gold → extracted)",
                 evaluate, markdown, _errors, argv)


if __name__ == "__main__":
    sys.exit(main())
