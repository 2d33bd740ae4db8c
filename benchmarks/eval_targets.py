"""Precision and recall of the extracted quantitative targets against hand-checked gold.

Gold lives in tests/gold/targets/*.json (real documents, read from ../shared/extra/ or corpus/) and
tests/gold/targets/madeup/*.json (made-up documents kept next to their gold); the README there
describes the format and the annotation rules. Each gold document is extracted with the current
extractor (healthgov.extract.pipeline.extract_file) and compared.

Matching
  A gold target names a fragment of the document (``find``, whitespace ignored; ``occurrence``
  picks the n-th when it repeats). An extracted target matches when its span overlaps the
  fragment; when several do, the one with the gold value wins, else the first. Each extracted
  target matches at most one gold target. With ``coverage: "all"`` every extracted target that
  matches no gold target is a false positive (listed, and named after a ``not_targets`` fragment
  it falls in, when it does).

Measures (per document and overall)
  gold, extracted, found   numbers of targets; found = gold targets matched
  precision, recall        found / extracted, found / gold
  comparator               share of found targets whose comparator equals the gold one
  value                    value and value_max equal (units of ten thousand folded: 100 万人 = 1000000 人)
  unit                     unit equal; "人" for a gold "人/千人" when the extracted indicator
                           states the denominator (每千人口…) counts as equal
  year                     target year equal (both may be null)
  indicator                the gold indicator and the extracted one, brackets and spaces removed,
                           share one containing the other; an indicator that is only a
                           comparator word ("不低于") is never right

Run:  .venv/bin/python benchmarks/eval_targets.py [--markdown] [--errors] [GOLD.json ...]
"""
from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from benchmarks.gold_common import fmt as _f  # noqa: E402
from benchmarks.gold_common import gold_files as _gold_files  # noqa: E402
from benchmarks.gold_common import load_gold  # noqa: E402,F401 - the tests read gold through each evaluator
from benchmarks.gold_common import main as _main  # noqa: E402
from benchmarks.gold_common import ratio as _ratio  # noqa: E402

GOLD_DIR = ROOT / "tests" / "gold" / "targets"
FIELDS = ("comparator", "value", "unit", "year", "indicator", "kind")
_CMP_WORDS = re.compile(r"^(不得|不)?(超过|低于|高于|少于|多于|大于|小于)$|^(至少|以上|以下|以内|左右|约|力争|达到|达|为)$")


def norm(s: str | None) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    return re.sub(r"\s+", "", s)


def _ind_key(s: str | None) -> str:
    return re.sub(r"[()（）]", "", norm(s))


def gold_files(held_out: bool = False) -> list[Path]:
    return _gold_files(GOLD_DIR, madeup=True, held_out=held_out)


def _compact(text: str) -> tuple[str, list[int]]:
    """The text without whitespace (NFKC) and, per kept character, its offset in the text."""
    chars, index = [], []
    for i, ch in enumerate(text):
        c = unicodedata.normalize("NFKC", ch)
        if c.strip():
            chars.append(c[0])
            index.append(i)
    return "".join(chars), index


def locate(text: str, find: str, occurrence: int = 1, compact: tuple[str, list[int]] | None = None) -> tuple[int, int] | None:
    flat, index = compact or _compact(text)
    key = norm(find)
    pos = -1
    for _ in range(occurrence):
        pos = flat.find(key, pos + 1)
        if pos < 0:
            return None
    return index[pos], index[pos + len(key) - 1] + 1


def _scaled(value: float | None, unit: str | None) -> tuple[float | None, str | None]:
    if value is not None and unit and unit.startswith("万") and len(unit) > 1:
        return round(value * 10_000, 6), unit[1:]
    return (round(value, 6) if value is not None else None), unit


def _value_ok(g: dict, e) -> bool:
    gv, gu = _scaled(g["value"], g["unit"])
    ev, eu = _scaled(e.value, e.unit)
    gm, _ = _scaled(g.get("value_max"), g["unit"])
    em, _ = _scaled(e.value_max, e.unit)
    return gv == ev and gm == em


def _unit_ok(g: dict, e) -> bool:
    gu, eu = _scaled(1.0, g["unit"])[1], _scaled(1.0, e.unit)[1]
    if gu == eu:
        return True
    # The measure stated once: in the unit ("3.39人/千人") or in the indicator ("每千人口…数达3.39人").
    if gu and eu and "/" in gu and gu.split("/")[0] == eu:
        return bool(re.search(r"每[千万百十]", e.indicator_text or ""))
    return False


def _indicator_ok(g: dict, e) -> bool:
    gi, ei = _ind_key(g["indicator"]), _ind_key(e.indicator_text)
    if not ei or _CMP_WORDS.match(ei):
        return False
    return gi in ei or ei in gi


def evaluate_doc(gold: dict, record=None) -> dict:
    if record is None:
        from healthgov.extract.pipeline import extract_file
        record = extract_file(gold["_doc"])
    text = record.text
    compact = _compact(text)
    ext = [t for t in record.targets if t.span is not None]
    used: set[int] = set()
    counts = {"gold": len(gold["targets"]), "extracted": len(ext), "found": 0, **{f: 0 for f in FIELDS}}
    errors: list[dict] = []
    for g in gold["targets"]:
        where = locate(text, g["find"], g.get("occurrence", 1), compact)
        if where is None:
            raise ValueError(f"{gold['_file']}: fragment not in the document: {g['find']!r}")
        a, b = where
        cands = [i for i, e in enumerate(ext) if i not in used and e.span.start < b and a < e.span.end]
        best = next((i for i in cands if _value_ok(g, ext[i])), cands[0] if cands else None)
        if best is None:
            errors.append({"gold": _show_gold(g), "extracted": None, "wrong": ["missing"]})
            continue
        used.add(best)
        e = ext[best]
        counts["found"] += 1
        checks = {"comparator": e.comparator == g["comparator"], "value": _value_ok(g, e), "unit": _unit_ok(g, e),
                  "year": e.year == g["year"], "indicator": _indicator_ok(g, e),
                  # a goal to reach or a quantified norm (a standing rule): gold without a kind is a goal
                  "kind": getattr(e, "kind", "goal") == g.get("kind", "goal")}
        for f, ok in checks.items():
            counts[f] += ok
        wrong = [f for f, ok in checks.items() if not ok]
        if wrong:
            errors.append({"gold": _show_gold(g), "extracted": _show_ext(e), "wrong": wrong})
    if gold.get("coverage") == "all":
        traps = [(n, locate(text, n["find"], 1, compact)) for n in gold.get("not_targets", [])]
        for i, e in enumerate(ext):
            if i in used:
                continue
            trap = next((n["why"] for n, w in traps if w and e.span.start < w[1] and w[0] < e.span.end), None)
            errors.append({"gold": None, "extracted": _show_ext(e), "wrong": ["not a target" + (f" ({trap})" if trap else "")]})
    else:
        counts["extracted"] = counts["found"]
    return {"gold_file": gold["_file"], "document": gold["document"], **counts, "errors": errors}


def _show_gold(g: dict) -> str:
    v = g["value"] if g.get("value_max") is None else f"{g['value']}–{g['value_max']}"
    return f"{g['indicator']} {g['comparator']} {v} {g['unit'] or ''} ({g['year']}) «{g['find']}»"


def _show_ext(e) -> str:
    v = e.value if e.value_max is None else f"{e.value}–{e.value_max}"
    return f"{e.indicator_text} {e.comparator} {v} {e.unit or ''} ({e.year}) «{(e.text or '')[:40]}»"


def add_rates(d: dict) -> dict:
    d["precision"] = _ratio(d["found"], d["extracted"])
    d["recall"] = _ratio(d["found"], d["gold"])
    for f in FIELDS:
        d[f"{f}_accuracy"] = _ratio(d[f], d["found"])
    return d


def evaluate(paths: list[Path] | None = None) -> dict:
    docs = [add_rates(evaluate_doc(load_gold(Path(p).resolve()))) for p in (paths or gold_files())]
    keys = ("gold", "extracted", "found", *FIELDS)
    overall = add_rates({k: sum(d[k] for d in docs) for k in keys})
    return {"documents": docs, "overall": overall}


def markdown(res: dict) -> str:
    out = ["| gold document | gold | extracted | found | precision | recall | comparator | value | unit | year | indicator | kind |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for d in res["documents"] + [dict(res["overall"], gold_file="**all**")]:
        name = d["gold_file"] if d["gold_file"] == "**all**" else Path(d["gold_file"]).stem
        if "/madeup/" in d["gold_file"]:
            name = "madeup/" + name
        out.append(f"| {name} | {d['gold']} | {d['extracted']} | {d['found']} | {_f(d['precision'])} | {_f(d['recall'])} | "
                   + " | ".join(f"{_f(d[f + '_accuracy'])}" for f in FIELDS) + " |")
    return "\n".join(out)


def _errors(res: dict) -> list[str]:
    return [f"{Path(d['gold_file']).stem}: {e['gold'] or '—'} → {e['extracted'] or '—'}: {', '.join(e['wrong'])}"
            for d in res["documents"] for e in d["errors"]]


def main(argv: list[str] | None = None) -> int:
    return _main(__doc__, "tests/gold/targets/**/*.json", "list every missed, wrong or extra target "
                 "(gold → extracted: what is wrong)", evaluate, markdown, _errors, argv)


if __name__ == "__main__":
    sys.exit(main())
