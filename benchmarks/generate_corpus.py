"""Write N synthetic but realistic health-policy documents, deterministic for a seed.

``python benchmarks/generate_corpus.py OUT_DIR --n 1000 [--seed 7]``

Documents recombine the structures the extractor handles (GB/T 9704 headings 一、/(一)/1./(1),
every responsibility format, scoped rules, targets and ranges, TAB indicator tables, citations to
other generated documents at higher levels with real-looking document numbers). Places come from
``healthgov/extract/data/jurisdictions.tsv`` and agency names from the agency-type vocabulary, so
nothing is duplicated here. The generator knows what it wrote: ``manifest.jsonl`` beside the
documents records, per document, the expected tasks and their lead and supporting units, which
``tests/test_benchmark_corpus.py`` checks against the extractor (the benchmark corpus is itself a
correctness check).
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from healthgov.ids import JURISDICTIONS_TSV, to_simplified
from healthgov.ontology.vocab import load_vocabularies

# Agency types a health-system plan assigns work to (ids of the agency-type scheme; their names
# come from the vocabulary).
AGENCY_TYPES = [
    "health-commission", "development-reform", "finance", "human-resources-social-security",
    "medical-security", "education", "science-technology", "civil-affairs", "public-security",
    "market-regulation", "drug-administration", "data-bureau", "agriculture-rural", "natural-resources",
    "housing-urban-rural", "sports", "ecology-environment", "emergency-management", "statistics",
    "disease-control-administration", "tcm-administration", "economy-information-technology",
]
# The core name a unit takes at each level, by the ending real documents use.
_ENDINGS = {"province": ("厅", "委", "局"), "city": ("局", "委"), "county": ("局", "委")}
_PREFIX = {"province": "省", "city": "市", "county": "县"}

TOPICS = [
    ("完善医疗卫生服务体系", "实施方案"), ("推动公立医院高质量发展", "行动计划"), ("加强基层医疗卫生服务能力建设", "实施意见"),
    ("深化医药卫生体制改革", "重点工作任务"), ("推进紧密型县域医疗卫生共同体建设", "实施方案"),
    ("促进中医药传承创新发展", "实施方案"), ("健康城市建设", "行动计划"), ("加强公共卫生体系建设", "工作方案"),
    ("推进医养结合发展", "实施意见"), ("加快卫生健康人才队伍建设", "行动方案"),
]
HEADINGS = [
    "优化医疗资源布局", "提升医疗服务能力", "加强公共卫生体系建设", "深化体制机制改革", "强化人才科技支撑",
    "推进数字健康建设", "促进中医药传承创新", "加强基层服务网底", "完善医疗保障制度", "健全综合监管体系",
]
VERBS = ["加强", "推进", "完善", "健全", "提升", "优化", "深化", "强化", "加快", "规范"]
OBJECTS = [
    "区域医疗中心建设", "家庭医生签约服务", "基层医疗卫生机构标准化建设", "医疗质量安全管理", "公立医院绩效考核",
    "医保支付方式改革", "药品供应保障", "疾病预防控制体系", "紧急医学救援能力", "精神卫生服务", "妇幼健康服务",
    "老年健康服务", "健康信息平台建设", "中医药服务能力", "卫生健康人才培养", "临床重点专科建设",
    "院前急救网络", "职业健康保护", "传染病监测预警", "医疗服务价格动态调整",
]
FILLERS = [
    "统筹推进资源配置,加强部门协同,形成工作合力。", "按照分级分类原则,因地制宜制定实施计划,强化督促落实。",
    "建立健全工作机制,明确职责分工,推动各项措施落地见效。", "鼓励有条件的地区先行先试,及时总结推广经验做法。",
    "加强监测评估,定期通报进展情况,确保任务按期完成。",
]
# (indicator phrase, unit, low, high) for targets in task text and indicator tables.
INDICATORS = [
    ("甲级乡镇卫生院的比例", "%", 20, 60), ("家庭医生签约服务重点人群覆盖率", "%", 70, 90),
    ("二级及以上综合医院设置老年医学科的比例", "%", 50, 90), ("每千人口执业(助理)医师数", "人", 3, 4),
    ("每千人口注册护士数", "人", 3, 5), ("居民健康素养水平", "%", 25, 40), ("孕产妇死亡率", "/10万", 6, 12),
]


@dataclass
class ExpectedTask:
    title: str
    leads: list[str]
    supports: list[str]


@dataclass
class Generated:
    file: str
    title: str
    doc_number: str
    jurisdiction: str
    level: str
    tasks: list[ExpectedTask] = field(default_factory=list)
    targets: int = 0  # target values written (task text and indicator table rows)
    cites: list[str] = field(default_factory=list)  # doc numbers of the generated documents cited


@lru_cache(maxsize=1)
def places() -> dict[str, list[tuple[str, str]]]:
    """level → [(name, doc-number abbreviation)] from the jurisdictions table."""
    out: dict[str, list[tuple[str, str]]] = {"province": [], "city": [], "county": []}
    for line in JURISDICTIONS_TSV.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t") + ["", "", ""]
        name, level, aliases = cols[0], cols[1], [a for a in cols[3].split(",") if a]
        if level in out and not name.endswith("特别行政区") and name != "台湾省":
            abbr = min(aliases, key=len) if aliases else name[0]
            out[level].append((name, abbr[0]))
    return out


@lru_cache(maxsize=1)
def agency_names() -> dict[str, list[tuple[str, str]]]:
    """level → [(unit name, agency-type id)]: one name per agency type, core from the vocabulary."""
    scheme = load_vocabularies()["agency-type"]
    out: dict[str, list[tuple[str, str]]] = {lvl: [] for lvl in ("nation", *_PREFIX)}
    for cid in AGENCY_TYPES:
        c = scheme[cid]
        # The longest everyday form (at most 7 characters) reads like a real unit name.
        labels = sorted({lab for lab in c.all_labels() if to_simplified(lab) == lab and len(lab) <= 7},
                        key=lambda s: (-len(s), s))
        for lvl, ends in _ENDINGS.items():
            core = next((lab for lab in labels if lab.endswith(ends) and not lab.startswith(("国家", "中")) and len(lab) >= 3), None)
            if core and scheme.lookup(core) is c:
                out[lvl].append((_PREFIX[lvl] + core, cid))
        nation = next((lab for lab in labels if lab.startswith("国家") and lab.endswith(("局", "委"))), None) or next(
            (lab for lab in labels if lab.endswith("部") and len(lab) <= 6), None)
        if nation and scheme.lookup(nation) is c:
            out["nation"].append((nation, cid))
    return out


def _units(rng: random.Random, level: str, k: int, first: str | None = None) -> list[str]:
    pool = [n for n, _ in agency_names()[level]]
    picked = rng.sample(pool, k)
    if first and first not in picked:
        picked[0] = first
    return picked


def _target(rng: random.Random, year: int) -> tuple[str, int]:
    ind, unit, lo, hi = rng.choice(INDICATORS)
    if unit == "%" and rng.random() < 0.3:
        a = rng.randint(lo, hi - 5)
        return f"到{year}年,全域{ind}提高到{a}%—{a + 5}%。", 1
    value = rng.randint(lo, hi) if unit != "人" else round(rng.uniform(lo, hi), 2)
    cue = rng.choice(["不低于", "达到", "力争达到"]) if unit != "/10万" else "控制在"
    tail = f"{unit}以下" if cue == "控制在" else unit
    return f"到{year}年,{ind}{cue}{value}{tail}。", 1


def _table(rng: random.Random, year: int, target_year: int) -> tuple[str, int]:
    rows = rng.sample(INDICATORS, rng.randint(3, 5))
    lines = [f"序号\t指标\t单位\t{year - 1}年基线值\t{target_year}年目标值\t指标性质"]
    for i, (ind, unit, lo, hi) in enumerate(rows, start=1):
        base = rng.randint(lo, hi)
        lines.append(f"{i}\t{ind}\t{unit}\t{base}\t{base + rng.randint(1, 5)}\t{rng.choice(['预期性', '约束性'])}")
    return "\n".join(lines), len(rows)


def generate_document(rng: random.Random, index: int, parents: list[Generated]) -> tuple[str, Generated]:
    """One document's text and what it holds. ``parents``: earlier documents it may cite."""
    roll = rng.random()
    level = "nation" if roll < 0.03 else "province" if roll < 0.2 else "county" if roll < 0.25 else "city"
    if index < 2:
        level = ("nation", "province")[index]  # every corpus has a national and a provincial document to cite
    year = rng.randint(2019, 2024)
    topic, kind = rng.choice(TOPICS)
    if level == "nation":
        juris, self_ref, office, prefix = "全国", "全国", "国务院办公厅", "国办发"
        addressees = "各省、自治区、直辖市人民政府,国务院各部委、各直属机构:"
    else:
        juris, abbr = rng.choice(places()[level])
        self_ref = {"province": "全省", "city": "全市", "county": "全县"}[level]
        office = f"{juris}人民政府办公{'厅' if level != 'county' else '室'}"
        prefix = f"{abbr}政办发"
        addressees = {"province": "各市、县(市、区)人民政府,省政府直属各单位:",
                      "city": "各区、县(市)人民政府,市政府各部门、各直属单位:",
                      "county": "各乡镇人民政府、街道办事处,县政府各部门:"}[level]
    plan = f"{'' if level == 'nation' else juris}关于{topic}的{kind}" if rng.random() < 0.3 else \
        f"{'' if level == 'nation' else juris}{topic}{kind}({year}—{year + 3}年)"
    title = f"{office}关于印发{plan}的通知"
    doc_number = f"{prefix}〔{year}〕{index + 1}号"
    g = Generated("", to_simplified(title), doc_number, juris, level)
    out: list[str] = [title, doc_number, addressees,
                      f"《{plan}》已经{'国务院' if level == 'nation' else '政府'}同意,现印发给你们,请认真组织实施。",
                      office, f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日", plan]

    cited = [p for p in parents if _LEVEL_RANK[p.level] < _LEVEL_RANK[level]]
    basis = ""
    if cited:
        picks = rng.sample(cited, min(len(cited), rng.randint(1, 2)))
        basis = "根据" + "和".join(f"《{p.title}》({p.doc_number})" for p in picks) + "等文件精神,"
        g.cites = [p.doc_number for p in picks]
    out.append(f"为{topic},{basis}结合{self_ref}实际,制定本{kind}。")
    target_year = year + rng.choice([3, 4, 5])

    out.append("一、总体要求")
    out.append("以习近平新时代中国特色社会主义思想为指导,坚持以人民健康为中心,坚持基本医疗卫生事业公益性。")
    goal, n = _target(rng, target_year)
    out.append(f"到{target_year}年,{self_ref}医疗卫生服务体系更加健全。" + goal)
    g.targets += n
    if rng.random() < 0.5:
        out.append("(二)主要指标")
        table, n = _table(rng, year, target_year)
        out.append(table)
        g.targets += n

    # How this document writes responsibilities (each is a format the extractor must handle).
    style = rng.choice(["convention", "first_lead", "lead_support", "bracket_scoped", "mixed"])
    unit_level = level
    pool_names = [n for n, _ in agency_names()[unit_level]]
    health = pool_names[0]  # health-commission comes first in AGENCY_TYPES
    scoped: str | None = None
    local_gov = {"nation": None, "province": "各市、县(市、区)人民政府", "city": "各区、县(市)政府",
                 "county": "各乡镇人民政府"}[level]
    first_rule_written = False
    n_parts = rng.randint(2, 4)
    numerals = "一二三四五六七八九十"
    for part in range(n_parts):
        out.append(f"{numerals[part + 1]}、{rng.choice(HEADINGS)}")
        for sub in range(rng.randint(1, 3)):
            out.append(f"({numerals[sub]}){rng.choice(HEADINGS)}。")
            for k in range(rng.randint(2, 5)):
                t_title = f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}"
                body = rng.choice(FILLERS)
                if rng.random() < 0.5:
                    sentence, n = _target(rng, target_year)
                    body += sentence
                    g.targets += n
                if rng.random() < 0.25:
                    lo = rng.randint(2, 20)
                    body += f"到{target_year}年,{self_ref}建成{rng.choice(['区域医疗中心', '医养结合机构', '智慧医院'])}{lo}—{lo + rng.randint(2, 8)}个。"
                    g.targets += 1
                units = _units(rng, unit_level, rng.randint(1, 4), first=health if rng.random() < 0.6 else None)
                fmt = style if style != "mixed" else rng.choice(["convention", "lead_support", "shared", "joint"])
                leads, supports, note = _annotation(fmt, units, first_rule_written, local_gov, scoped)
                if fmt == "first_lead" and not first_rule_written:
                    first_rule_written = True
                if fmt == "bracket_scoped" and scoped is None and local_gov:
                    scoped = local_gov  # the rule written now applies from the next task on
                out.append(f"{k + 1}.{t_title}。{body}{note}")
                g.tasks.append(ExpectedTask(t_title, leads, supports))
    out.append(f"{numerals[n_parts + 1]}、保障措施")
    out.append("(一)加强组织领导。各地各部门要高度重视,把各项任务纳入重要议事日程,细化工作措施。")
    out.append("(二)强化督导评估。建立任务台账,定期开展评估,确保各项任务落到实处。")
    g.tasks.append(ExpectedTask("加强组织领导", [], []))
    g.tasks.append(ExpectedTask("强化督导评估", [], []))
    return "\n".join(out) + "\n", g


_LEVEL_UNITS = {"各市、县(市、区)人民政府": ["各市人民政府", "各县(市、区)人民政府"],
                "各区、县(市)政府": ["各区政府", "各县(市)政府"]}
_LEVEL_RANK = {"nation": 1, "province": 2, "city": 3, "county": 4}


def _annotation(fmt: str, units: list[str], rule_written: bool, local_gov: str | None,
                scoped: str | None) -> tuple[list[str], list[str], str]:
    """The unit annotation for a task and the roles it should yield: (leads, supports, text)."""
    # A scoped level list names one body per level: "各区、县(市)政府" is 各区政府 and 县(市)政府.
    extra = _LEVEL_UNITS.get(scoped, [scoped]) if scoped else []
    if fmt == "first_lead":
        rule = "" if rule_written else "。列第一位的为牵头单位,下同"
        return units[:1], units[1:] + extra, f"(责任单位:{'、'.join(units)}{rule})"
    if fmt == "lead_support" and len(units) > 1:
        return units[:1], units[1:] + extra, f"({units[0]}牵头,{'、'.join(units[1:])}按职责分工负责)"
    if fmt == "shared" and len(units) > 1:
        return [], units + extra, f"({'、'.join(units)}按职责分工负责)"
    if fmt == "joint" and len(units) > 1:
        return units[:2], units[2:] + extra, f"({'、'.join(units[:2])}共同牵头,{'、'.join(units[2:]) + '参与' if units[2:] else ''})".replace(",)", ")")
    if fmt == "bracket_scoped" and local_gov:
        if scoped is None:
            # The rule itself, Hangzhou style: nested brackets inside square ones.
            return units[:1], units[1:] + _LEVEL_UNITS.get(local_gov, [local_gov]), (
                f"[责任单位:{'、'.join(units)},{local_gov}。以下责任单位均包括{local_gov},不再列出]")
        return units[:1], units[1:] + extra, f"[责任单位:{'、'.join(units)}]"
    return units[:1], units[1:] + extra, f"(责任单位:{'、'.join(units)})"


def generate(out_dir: Path, n: int, seed: int = 7) -> list[Generated]:
    """Write ``n`` documents and ``manifest.jsonl`` into ``out_dir``; returns what was written."""
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    made: list[Generated] = []
    higher: list[Generated] = []  # national and provincial documents, the ones others cite
    with open(out_dir / "manifest.jsonl", "w", encoding="utf-8") as manifest:
        for i in range(n):
            # Cite among a bounded window of recent higher-level documents: realistic and O(1).
            text, g = generate_document(rng, i, higher[-50:])
            g.file = f"doc{i:06d}.txt"
            (out_dir / g.file).write_text(text, encoding="utf-8")
            manifest.write(json.dumps(asdict(g), ensure_ascii=False) + "\n")
            made.append(g)
            if g.level in ("nation", "province", "city"):
                higher.append(g)
    return made


def read_manifest(out_dir: Path) -> list[Generated]:
    out = []
    for line in (out_dir / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        d["tasks"] = [ExpectedTask(**t) for t in d["tasks"]]
        out.append(Generated(**d))
    return out


def check(out_dir: Path, jobs: int = 1, limit: int | None = None) -> list[str]:
    """Extract the generated documents and compare them with the manifest: the problems found."""
    from healthgov.extract.errors import ExtractError
    from healthgov.extract.pipeline import extract_files

    made = read_manifest(out_dir)[:limit]
    problems: list[str] = []
    for g, r in zip(made, extract_files([out_dir / g.file for g in made], jobs=jobs), strict=True):
        if isinstance(r, ExtractError):
            problems.append(f"{g.file}: {r.reason}")
            continue
        if r.policy.doc_number != g.doc_number:
            problems.append(f"{g.file}: doc number {r.policy.doc_number} != {g.doc_number}")
        if r.policy.jurisdiction is None or r.policy.jurisdiction.name != g.jurisdiction:
            problems.append(f"{g.file}: jurisdiction {r.policy.jurisdiction} != {g.jurisdiction}")
        if missing := set(g.cites) - {c.doc_number for c in r.policy.cites}:
            problems.append(f"{g.file}: citations missing {missing}")
        if len(r.targets) != g.targets:
            problems.append(f"{g.file}: {len(r.targets)} targets != {g.targets}")
        if [t.title for t in r.tasks] != [t.title for t in g.tasks]:
            problems.append(f"{g.file}: tasks {[t.title for t in r.tasks]} != {[t.title for t in g.tasks]}")
            continue
        for t, e in zip(r.tasks, g.tasks, strict=True):
            leads = [x.name for x in t.responsibilities if x.role == "lead"]
            supports = [x.name for x in t.responsibilities if x.role == "support"]
            if (leads, supports) != (e.leads, e.supports):
                problems.append(f"{g.file} {t.title}: {leads}/{supports} != {e.leads}/{e.supports}")
    return problems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--check", action="store_true", help="then extract every document and compare with the manifest")
    ap.add_argument("--jobs", type=int, default=2, help="extraction processes for --check")
    a = ap.parse_args()
    made = generate(a.out, a.n, a.seed)
    size = sum((a.out / g.file).stat().st_size for g in made)
    print(f"wrote {len(made)} documents ({size / 1e6:.1f} MB) to {a.out}")
    if a.check:
        problems = check(a.out, jobs=a.jobs)
        print("\n".join(problems[:50]) or f"all {len(made)} documents extract as written")
        raise SystemExit(1 if problems else 0)


if __name__ == "__main__":
    main()
