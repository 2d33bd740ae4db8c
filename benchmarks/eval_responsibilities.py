"""Precision and recall of the extracted responsibilities against hand-checked gold.

Gold lives in tests/gold/*.json (real documents, read from ../shared/extra/) and
tests/gold/madeup/*.json (short made-up documents kept next to their gold); tests/gold/README.md
describes the format and the annotation rules. Each gold document is extracted with the current
extractor (healthgov.extract.pipeline.extract_file) and compared.

Matching
  task   A gold task matches an extracted task when the numbers agree (NFKC, whitespace removed:
         "（三）" == "(三)"; a gold task without a number matches on its title alone) and the gold
         title (the first characters of its title or text, as printed) is a prefix of the extracted
         task's title or text, the leading number removed; when several tasks qualify, the one whose
         path ends with the gold path wins, else the first unused one.
  body   Within a matched task, gold and extracted bodies are paired one to one: first by exact
         name, then by generic name. Names are compared after NFKC, with whitespace and any
         parenthesised part removed ("海南省健康海南建设委员会（爱国卫生运动委员会）" ==
         "海南省健康海南建设委员会"). The generic step applies when the gold name is a generic
         department (it ends in 部门, e.g. 财政部门, 各级卫生健康部门, 卫生健康行政部门): the
         stems must be equal, the stem being the name without a leading level word (国家, 省, 市,
         县, 区, 各级, 省级, 本市 ...) and without a trailing 行政部门/主管部门/部门/委员会/委/局/厅/
         办, with a few aliases (发改 = 发展改革, 人社 = 人力资源社会保障, 医疗保障 = 医保,
         卫健 = 卫生健康, 市场监督管理 = 市场监管). So gold 财政部门 matches an extracted 财政部门,
         财政, 市财政局 or 省财政厅; gold 卫生健康部门 also matches 国家卫生健康委.
  box    A 专栏 box's paragraphs are tasks for the extractor; the gold counts their duties under the
         numbered item the box is printed in: an unmatched box task's bodies join the nearest
         matched task before it.
  role   An extracted responsibility's role is "shared" when its role is "shared" or its basis is
         "shared", else its role (lead / support). A body is correct when name and role match.

Measures (per document, per form, overall)
  gold, extracted     numbers of bodies; extracted bodies on extracted tasks that match no gold
                      task count as extracted (and wrong) when the gold covers the whole document
                      ("coverage": "all"), are ignored otherwise
  found               name matched (any role); correct: name and role
  precision, recall   correct / extracted, correct / gold (name-only: found / extracted, found / gold)
  lead accuracy       over gold tasks with at least one lead: the set of extracted leads equals
                      the set of gold leads
  wrong leads         extracted leads that are not gold leads (a gold body with another role, or
                      not a responsible body at all): listed one by one, a wrong lead is worse than
                      a missing one
  complete tasks      over gold tasks with at least one body: share whose every gold body is correct
  per form            a gold body counts under its form (explicit, convention, prose, table, article,
                      heading ...); an extracted body under the form of the gold body it matched, or
                      of its task's gold bodies when they share one form, else under its own basis

Run:  .venv/bin/python benchmarks/eval_responsibilities.py [--markdown] [GOLD.json ...]
"""
from __future__ import annotations

import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from benchmarks.gold_common import fmt as _f  # noqa: E402
from benchmarks.gold_common import gold_files as _gold_files  # noqa: E402
from benchmarks.gold_common import load_gold  # noqa: E402,F401 - the tests read gold through each evaluator
from benchmarks.gold_common import main as _main  # noqa: E402
from benchmarks.gold_common import ratio as _ratio  # noqa: E402

GOLD_DIR = ROOT / "tests" / "gold"

_PAREN = re.compile(r"[（(][^（）()]*[）)]")
_LEVEL = re.compile(r"^(?:(?:(?:县|市|省|设区的市)级以上(?:地方)?|地方各级|上级|下级|本级|同级)(?:人民政府)?|国家|国务院|各省级|各市级|各县级|各级|省级|市级|县级|区级|本省|本市|本县|本区|各|省|市(?!场)|县|区)+")
_SUFFIX = re.compile(r"(?:行政部门|主管部门|部门|委员会|委|局|厅|办)$")
_ALIASES = [("市场监督管理", "市场监管"), ("人力资源和社会保障", "人力资源社会保障"), ("人社", "人力资源社会保障"),
            ("发改", "发展改革"), ("医疗保障", "医保"), ("卫健", "卫生健康"), ("卫生计生", "卫生健康")]
_NUM_HEAD = re.compile(r"^(?:第[一二三四五六七八九十百零〇\d]+[章节条]|[(（][一二三四五六七八九十\d]+[)）]|"
                       r"[一二三四五六七八九十]+[、.．]|\d+[、.．)）]?)\s*")


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    return re.sub(r"\s+", "", s)


def _num(s: str) -> str:
    # "2." and "2", "一、" and "一": the number, not its punctuation.
    return norm(s).rstrip("、.．")


def name_key(s: str) -> str:
    return _PAREN.sub("", norm(s))


def stem(s: str) -> str:
    k = name_key(s)
    k = _LEVEL.sub("", k) or k
    k = _SUFFIX.sub("", k) or k
    for a, b in _ALIASES:
        if k.startswith(a):
            k = b + k[len(a):]
    return k


def is_generic(name: str) -> bool:
    return name_key(name).endswith("部门")


def ext_role(r, task=None) -> str:
    if r.role == "shared" or r.basis == "shared":
        return "shared"
    # A scoped unit joining a list that names no lead is one more co-responsible body: the
    # extractor keeps its basis ("scoped") and says "support", which in a lead-less task is shared.
    if r.basis == "scoped" and task is not None and not any(x.role == "lead" for x in task.responsibilities):
        return "shared"
    return r.role


_BASIS_FORM = {"explicit": "explicit", "shared": "explicit", "convention": "convention", "scoped": "scoped",
               "prose": "prose", "annex": "table"}


def _basis_key(g: dict | None, e, task) -> str:
    """The basis a body is counted under: the extractor's (annex → table; a scoped unit joining a
    lead-less list is scoped still), or, for a gold body not extracted, the basis its gold form
    and role imply (a shared explicit or prose list → shared)."""
    if e is not None:
        return "table" if e.basis == "annex" else e.basis
    if g["role"] == "shared" and g["form"] in ("explicit", "prose"):
        return "shared"
    return {"article": "prose", "heading": "prose"}.get(g["form"], g["form"])


def gold_files(held_out: bool = False) -> list[Path]:
    return _gold_files(GOLD_DIR, madeup=True, held_out=held_out)


def _strip_num(s: str) -> str:
    return _NUM_HEAD.sub("", norm(s), count=1)


def _title_ok(gold_title: str, task) -> bool:
    g = _strip_num(gold_title)
    for s in (task.title, task.text):
        s = _strip_num(s)
        if s.startswith(g) or (len(s) >= 4 and g.startswith(s)):
            return True
    return False


def match_tasks(gold_tasks: list[dict], tasks: list) -> list:
    used: set[int] = set()
    out = []
    for gt in gold_tasks:
        num = _num(gt.get("number", ""))
        cands = [i for i, t in enumerate(tasks)
                 if i not in used and (not num or _num(t.number) == num) and _title_ok(gt["title"], t)]
        path = [norm(p) for p in gt.get("path", [])]
        if len(cands) > 1 and path:
            best = [i for i in cands if [norm(p) for p in tasks[i].path][-len(path):] == path]
            cands = best or cands
        if cands:
            used.add(cands[0])
            out.append(tasks[cands[0]])
        else:
            out.append(None)
    return out


def match_bodies(gold_bodies: list[dict], ext: list) -> list[tuple[dict | None, object | None]]:
    """Pairs (gold, extracted); unpaired on either side with None."""
    pairs: dict[int, int] = {}
    free = set(range(len(ext)))
    for gi, g in enumerate(gold_bodies):
        for ei in sorted(free):
            if name_key(ext[ei].name) == name_key(g["name"]):
                pairs[gi] = ei
                free.discard(ei)
                break
    for gi, g in enumerate(gold_bodies):
        if gi in pairs or not is_generic(g["name"]):
            continue
        for ei in sorted(free):
            if stem(ext[ei].name) == stem(g["name"]):
                pairs[gi] = ei
                free.discard(ei)
                break
    out = [(g, ext[pairs[gi]] if gi in pairs else None) for gi, g in enumerate(gold_bodies)]
    out += [(None, ext[ei]) for ei in sorted(free)]
    return out


def _box_bodies(tasks: list, matched: list) -> dict:
    """A 专栏 box's paragraphs are tasks of their own for the extractor ("专栏5/2"), while the gold
    counts a box's duties under the numbered item the box is printed in (tests/gold/README.md):
    the bodies of a box task no gold task matches go to the nearest matched task before it.
    Returns {id(task): [responsibilities]} and, under "boxes", the ids of the box tasks so placed."""
    hit = {id(t) for t in matched if t is not None}
    out: dict = {"boxes": []}
    ordered = list(tasks)  # (a record's tasks are in document order)
    for i, t in enumerate(ordered):
        if id(t) in hit or not any(str(p).startswith("专栏") for p in t.path):
            continue
        host = next((x for x in reversed(ordered[:i]) if id(x) in hit), None)
        if host is not None:
            out.setdefault(id(host), []).extend(t.responsibilities)
            out["boxes"].append(id(t))
    return out


def _counter() -> dict:
    return {"gold": 0, "extracted": 0, "found": 0, "correct": 0}


def evaluate_doc(gold: dict, record=None) -> dict:
    if record is None:
        from healthgov.extract.pipeline import extract_file
        record = extract_file(gold["_doc"])
    tasks = list(record.tasks)
    matched = match_tasks(gold["tasks"], tasks)
    boxed = _box_bodies(tasks, matched)
    total = _counter()
    forms: dict[str, dict] = defaultdict(_counter)
    bases: dict[str, dict] = defaultdict(_counter)
    wrong_leads, missing_tasks, misses = [], [], []
    lead_tasks = lead_right = body_tasks = complete = 0
    for gt, t in zip(gold["tasks"], matched, strict=True):
        label = f"{gt.get('number') or ''} {gt['title']}".strip()
        gbodies = gt["bodies"]
        ext = list(t.responsibilities) + boxed.get(id(t), []) if t is not None else []
        if t is None:
            missing_tasks.append(label)
        task_forms = {b["form"] for b in gbodies}
        pairs = match_bodies(gbodies, ext)
        all_correct = True
        for g, e in pairs:
            form = g["form"] if g else (next(iter(task_forms)) if len(task_forms) == 1 else _BASIS_FORM.get(e.basis, e.basis))
            cs = (total, forms[form], bases[_basis_key(g, e, t)])
            for k, on in (("gold", bool(g)), ("extracted", e is not None), ("found", bool(g) and e is not None)):
                for c in cs:
                    c[k] += on
            if g and e is not None:
                if ext_role(e, t) == g["role"]:
                    for c in cs:
                        c["correct"] += 1
                    continue
            if g:
                all_correct = False
                misses.append({"task": label, "gold": f"{g['name']} ({g['role']})",
                               "extracted": f"{e.name} ({ext_role(e, t)})" if e is not None else None})
            if e is not None and ext_role(e, t) == "lead" and not (g and g["role"] == "lead"):
                wrong_leads.append({"task": label, "extracted": e.name,
                                    "gold": f"{g['name']} ({g['role']})" if g else "not responsible"})
            elif e is not None and not g:
                misses.append({"task": label, "gold": None, "extracted": f"{e.name} ({ext_role(e, t)})"})
        gold_leads = {name_key(b["name"]) for b in gbodies if b["role"] == "lead"}
        if gold_leads:
            lead_tasks += 1
            ext_leads = {name_key(g["name"]) if g else "?" + name_key(e.name)
                         for g, e in pairs if e is not None and ext_role(e, t) == "lead"}
            lead_right += ext_leads == gold_leads
        if gbodies:
            body_tasks += 1
            complete += all_correct
    if gold.get("coverage") == "all":
        seen = {id(t) for t in matched if t is not None} | set(boxed.get("boxes", []))
        for t in tasks:
            if id(t) in seen:
                continue
            for e in t.responsibilities:
                label = f"{t.number} {t.title[:12]} (no gold task)"
                total["extracted"] += 1
                forms[_BASIS_FORM.get(e.basis, e.basis)]["extracted"] += 1
                bases[_basis_key(None, e, t)]["extracted"] += 1
                misses.append({"task": label, "gold": None, "extracted": f"{e.name} ({ext_role(e, t)})"})
                if ext_role(e, t) == "lead":
                    wrong_leads.append({"task": label, "extracted": e.name, "gold": "not responsible"})
    return {"gold_file": gold["_file"], "document": gold["document"], "tasks": len(gold["tasks"]),
            "tasks_found": len(gold["tasks"]) - len(missing_tasks), "missing_tasks": missing_tasks,
            **total, "lead_tasks": lead_tasks, "lead_right": lead_right,
            "body_tasks": body_tasks, "complete_tasks": complete,
            "forms": {k: dict(v) for k, v in sorted(forms.items())},
            "bases": {k: dict(v) for k, v in sorted(bases.items())},
            "wrong_leads": wrong_leads, "errors": misses}


def add_rates(d: dict) -> dict:
    d["precision"] = _ratio(d["correct"], d["extracted"])
    d["recall"] = _ratio(d["correct"], d["gold"])
    d["name_precision"] = _ratio(d["found"], d["extracted"])
    d["name_recall"] = _ratio(d["found"], d["gold"])
    if "lead_tasks" in d:
        d["lead_accuracy"] = _ratio(d["lead_right"], d["lead_tasks"])
        d["complete_share"] = _ratio(d["complete_tasks"], d["body_tasks"])
    return d


def evaluate(paths: list[Path] | None = None) -> dict:
    docs = []
    for p in paths or gold_files():
        docs.append(add_rates(evaluate_doc(load_gold(Path(p).resolve()))))
    keys = ["gold", "extracted", "found", "correct", "lead_tasks", "lead_right", "body_tasks", "complete_tasks",
            "tasks", "tasks_found"]
    overall = add_rates({k: sum(d[k] for d in docs) for k in keys})
    tallies: dict[str, dict[str, dict]] = {"forms": defaultdict(_counter), "bases": defaultdict(_counter)}
    for d in docs:
        for kind, agg in tallies.items():
            for f, c in d[kind].items():
                for k, v in c.items():
                    agg[f][k] += v
            d[kind] = {f: add_rates(dict(c)) for f, c in d[kind].items()}
    overall["wrong_leads"] = sum(len(d["wrong_leads"]) for d in docs)
    return {"documents": docs, **{kind: {f: add_rates(dict(c)) for f, c in sorted(agg.items())}
                                  for kind, agg in tallies.items()}, "overall": overall}


def markdown(res: dict) -> str:
    out = ["| gold document | tasks found | gold | extracted | correct | precision | recall | "
           "names P / R | lead accuracy | wrong leads | complete tasks |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    rows = res["documents"] + [dict(res["overall"], gold_file="**all**")]
    for d in rows:
        wl = d["wrong_leads"] if isinstance(d["wrong_leads"], int) else len(d["wrong_leads"])
        out.append(f"| {Path(d['gold_file']).stem if d['gold_file'] != '**all**' else '**all**'} "
                   f"| {d['tasks_found']}/{d['tasks']} | {d['gold']} | {d['extracted']} | {d['correct']} "
                   f"| {_f(d['precision'])} | {_f(d['recall'])} | {_f(d['name_precision'])} / {_f(d['name_recall'])} "
                   f"| {_f(d['lead_accuracy'])} ({d['lead_right']}/{d['lead_tasks']}) | {wl} "
                   f"| {_f(d['complete_share'])} ({d['complete_tasks']}/{d['body_tasks']}) |")
    for kind, head in (("bases", "basis (extractor's)"), ("forms", "form (gold's)")):
        out += ["", f"| {head} | gold | extracted | correct | precision | recall | names P / R |",
                "|---|---|---|---|---|---|---|"]
        for f, c in res[kind].items():
            out.append(f"| {f} | {c['gold']} | {c['extracted']} | {c['correct']} | {_f(c['precision'])} "
                       f"| {_f(c['recall'])} | {_f(c['name_precision'])} / {_f(c['name_recall'])} |")
    wl = [(Path(d["gold_file"]).stem, w) for d in res["documents"] for w in d["wrong_leads"]]
    out += ["", f"Wrong leads ({len(wl)}):" if wl else "Wrong leads: none."]
    out += [f"- {doc} · {w['task']}: extracted lead {w['extracted']}; gold: {w['gold']}" for doc, w in wl]
    miss = [(Path(d["gold_file"]).stem, m) for d in res["documents"] for m in d["missing_tasks"]]
    if miss:
        out += ["", f"Gold tasks the extractor did not produce ({len(miss)}):"]
        out += [f"- {doc} · {m}" for doc, m in miss]
    return "\n".join(out)


def _errors(res: dict) -> list[str]:
    return [f"{Path(d['gold_file']).stem} · {e['task']}: {e['gold'] or '—'} → {e['extracted'] or '—'}"
            for d in res["documents"] for e in d["errors"]]


def main(argv: list[str] | None = None) -> int:
    return _main(__doc__, "tests/gold/**/*.json", "list every missed or wrong body (gold → extracted)",
                 evaluate, markdown, _errors, argv)


if __name__ == "__main__":
    sys.exit(main())
