"""The records that flow from loaders to the graph: one ``DocumentRecord`` per source file.

These dataclasses are the contract between ``healthgov.extract`` (which produces them),
``healthgov.ontology.rdf`` (which maps them to RDF for SHACL validation and export) and
``healthgov.graph`` (which loads them into the property graph). ``to_dict`` gives the JSON
shape documented in the README for ``healthgov extract --format json``.

Provenance: every ``Span`` is a pair of character offsets ``[start, end)`` into
``DocumentRecord.text``, the decoded source text (line endings normalised to ``\\n``,
original script kept: traditional stays traditional). ``text[start:end]`` is the evidence.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from operator import attrgetter
from typing import Any, Literal

# A body's name as a researcher reads it: the line breaks, indents and layout spaces a text layer
# leaves inside a name ("人力资源社会保障 部门", "\n　　区民政部门") are not part of it. The span
# still points at the text as written.
_NAME_GAP = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")


def clean_name(name: str) -> str:
    # (most names hold no whitespace at all: they are returned as they are, without a regex)
    if not name or (name.isprintable() and " " not in name and "\u3000" not in name and "\xa0" not in name):
        return name
    return _NAME_GAP.sub("", name).strip()

Level = Literal["nation", "province", "city", "county", "township", "village"]
Role = Literal["lead", "support"]
# How the role of a responsible unit was established:
#   explicit   - the document states it ("列第一位的为牵头单位", "A牵头", "牵头单位" column)
#   convention - no rule stated; the first listed unit is taken as lead by convention
#   shared     - "(A、B按职责分工负责)": joint responsibility, no lead named
#   prose      - stated in running text ("由县级卫生健康行政部门承担")
#   scoped     - added by a scoped rule ("以下责任单位均包括各区、县(市)政府,不再列出")
#   annex      - from an annex task table mapped onto a body task
Basis = Literal["explicit", "convention", "shared", "prose", "scoped", "annex"]
Comparator = Literal[">=", "<=", ">", "<", "=", "about", "range", "text"]
Nature = Literal["binding", "expected"]
# A quantity a policy states: a goal to reach (到2027年…不低于35%) or a quantified norm, a standing
# rule (a rate, a cap, a time limit, a duration, a minimum count: "2小时内报告", "每次不低于30分钟",
# a regulation's contribution rate) that a researcher compares across places like a goal.
TargetKind = Literal["goal", "norm"]
# What a numbered item is: a task or measure of a plan, or a provision (an article 第X条) of a
# regulation (a 办法/条例/规定/细则 organised in articles), which states rules rather than tasks.
TaskKind = Literal["task", "provision"]


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(slots=True)
class AgencyRef:
    """A government body, party body or coordination office as named in the text."""

    name: str  # surface form, as written (e.g. "市卫生健康委", "國家衛生健康委")
    agency_type: str | None = None  # concept id from the agency-type scheme, e.g. "health-commission"
    level: Level | None = None  # administrative level of this unit, if it can be told
    jurisdiction: str | None = None  # e.g. "重庆市" when the name or context says so
    # "current:卫健委" / "former:卫生计生委" / "generic:卫生健康部门" when the name is exactly a
    # level/place prefix (or none) plus that agency-type label and names the one body of its type
    # in the document's own jurisdiction or the nation: such bodies are one node per (jurisdiction,
    # type, form) (``healthgov.ids.agency_key``). None otherwise; omitted from ``to_dict`` then.
    name_form: str | None = None

    def __post_init__(self) -> None:
        self.name = clean_name(self.name)


@dataclass(slots=True)
class Responsibility:
    name: str  # surface form, as written
    role: Role
    basis: Basis
    agency_type: str | None = None
    level: Level | None = None
    implicit: bool = False  # True when added by a scoped rule rather than written at the task
    order: int = 0  # position in the document's list (0 = first)
    span: Span | None = None
    # Internal divisions of this body named for the task ("基层处", "医政处": a commission's own
    # 委内牵头处室 / 配合处室 columns): parts of the body, never agencies of their own. Omitted
    # from ``to_dict`` when empty.
    divisions: list[str] = field(default_factory=list)
    # A class of bodies rather than one ("各地", "各省份", "相关部门"): the document delegates to
    # every body of the class. Omitted from ``to_dict`` when False.
    collective: bool = False
    # As on ``AgencyRef`` (the form of this name, when it names one body by type). Omitted from
    # ``to_dict`` when None.
    name_form: str | None = None
    # As on ``AgencyRef``: the place the name itself names ("广州市" for 广州市卫生健康委员会, in any
    # document), the document's own for a bare or own-tier name, 全国 for a national body; None
    # when the name does not tell (市卫健委 in a province's document). Omitted from ``to_dict``
    # when None.
    jurisdiction: str | None = None

    def __post_init__(self) -> None:
        self.name = clean_name(self.name)


@dataclass(slots=True)
class Target:
    id: str
    text: str  # the sentence or table row the target comes from
    indicator: str | None = None  # indicator concept id, when it matches the vocabulary
    indicator_text: str = ""  # the indicator as written ("甲级乡镇卫生院的比例")
    comparator: Comparator = "="
    value: float | None = None
    value_max: float | None = None  # for ranges ("60—80个")
    unit: str | None = None  # "%", "‰", "/10万", "人", "个", "张", "名", "岁", ...
    year: int | None = None  # target year ("到2027年")
    deadline: str | None = None  # finer deadline as written ("2024年6月底前")
    baseline: str | None = None  # baseline value as written, from indicator tables
    baseline_year: int | None = None
    nature: Nature | None = None  # 约束性 binding / 预期性 expected
    note: str | None = None  # footnotes such as "带*号数据为十三五规划目标值"
    task: str | None = None  # id of the task it belongs to, if any
    span: Span | None = None
    kind: TargetKind = "goal"


@dataclass(slots=True)
class Section:
    id: str
    kind: str  # part|chapter|section|article|h1|h2|h3|h4|box|annex|table
    number: str  # as written: "一", "(三)", "2", "第一章", "附件1"
    title: str
    level: int  # depth in the tree, 1 = top
    parent: str | None
    span: Span = field(default_factory=lambda: Span(0, 0))


@dataclass(slots=True)
class Obligation:
    """A provider, enterprise or other non-agency that a task's text obliges ("定点医药机构应当…",
    "各学校要…"): a duty-bearer of another kind than an agency, never counted among agencies."""

    name: str  # as written, without the sentence's distributive ("各学校要…" → 学校)
    institution_type: str | None = None  # institution-type concept id, when the vocabulary knows the kind
    span: Span | None = None  # the sentence that obliges it

    def __post_init__(self) -> None:
        self.name = clean_name(self.name)


@dataclass(slots=True)
class Task:
    id: str
    section: str | None  # id of the enclosing section
    path: list[str]  # numbers of the enclosing sections and the task itself, e.g. ["三", "(二)", "5"]
    number: str
    title: str  # first sentence or heading
    text: str  # full text of the task
    span: Span
    responsibilities: list[Responsibility] = field(default_factory=list)
    institutions: list[str] = field(default_factory=list)  # institution-type concept ids
    tiers: list[str] = field(default_factory=list)  # tier concept ids
    topics: list[str] = field(default_factory=list)  # topic concept ids
    kind: TaskKind = "task"  # omitted from ``to_dict`` when "task" (plans' output unchanged)
    obligations: list[Obligation] = field(default_factory=list)  # omitted from ``to_dict`` when empty


@dataclass(slots=True)
class Citation:
    title: str  # the cited title without 《》
    doc_number: str | None = None  # normalised, e.g. "中办发〔2023〕10号"
    relation: Literal["cites", "implements"] = "cites"
    span: Span | None = None
    # The Policy it points at, when read back from the graph (a title-only citation may have been
    # resolved to a loaded document); None when extracted: ``healthgov.ids.cited_policy_id`` then.
    target_id: str | None = None


@dataclass(slots=True)
class Jurisdiction:
    name: str  # e.g. "重庆市", "全国"
    level: Level
    parent: str | None = None


@dataclass(slots=True)
class Policy:
    id: str  # stable: derived from the normalised document number, else from the title
    title: str
    doc_number: str | None = None  # normalised: "国卫基层发〔2023〕41号"
    doc_number_raw: str | None = None  # as written: "國衛基層發〔2023〕41號"
    issuers: list[AgencyRef] = field(default_factory=list)
    issued_on: str | None = None  # YYYY-MM-DD (成文日期)
    published_on: str | None = None  # YYYY-MM-DD, when different from issued_on
    jurisdiction: Jurisdiction | None = None
    cites: list[Citation] = field(default_factory=list)
    language_script: Literal["simplified", "traditional"] = "simplified"
    # The title of the plan a notice issues ("关于印发《X》的通知" → "X"); None when the document
    # is the plan itself. Citations usually use this shorter title.
    short_title: str | None = None
    # The annexes the document lists ("附件：1.X 2.Y", "附件1：X.docx"), in number order: titles
    # without the 附件N prefix or a file extension, quotes as “”. Its own attached plan (a
    # notice's "附件：《the plan it issues》") is not one of them.
    annexes: list[str] = field(default_factory=list)
    # "附件1" when the document is itself an annex file (it opens with 附件N above its title).
    annex_label: str | None = None
    # The id of the plan this annex belongs to: set by a build that loads both (matched on the
    # plan's ``annexes``), never by extraction; the annex then takes the plan's jurisdiction.
    annex_of: str | None = None


@dataclass(slots=True)
class Removed:
    """Text that cleaning dropped (web chrome, footers ...), kept so nothing vanishes silently."""

    kind: str  # navigation|share|font|editor|source|contact|counter|footer|blank|duplicate
    text: str
    span: Span


@dataclass(slots=True)
class DocumentRecord:
    source: str  # path as given
    sha256: str  # of the raw bytes
    format: str  # txt|html|docx|pdf
    encoding: str  # detected encoding of the raw bytes
    text: str  # decoded source text; every Span points into it
    policy: Policy
    sections: list[Section] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        d = asdict(self)
        if not include_text:
            d.pop("text")
        for t in d["tasks"]:
            if t["kind"] == "task":
                del t["kind"]
            if not t["obligations"]:
                del t["obligations"]
            for r in t["responsibilities"]:  # (an issuer's ``jurisdiction`` is always written)
                if r["jurisdiction"] is None:
                    del r["jurisdiction"]
        return _spans_as_lists(d)


def _spans_as_lists(obj: Any) -> Any:
    if isinstance(obj, dict):
        if set(obj) == {"start", "end"}:
            return [obj["start"], obj["end"]]
        # A responsibility's ``divisions`` and ``collective`` and an agency's ``name_form`` are
        # written only when they say something (older output unchanged).
        return {k: _spans_as_lists(v) for k, v in obj.items()
                if not (k in ("divisions", "collective", "name_form") and not v)}
    if isinstance(obj, list):
        return [_spans_as_lists(v) for v in obj]
    return obj


def _pickle_as_constructor_call(cls: type) -> None:
    """Pickle instances of ``cls`` as ``cls(*field values)``.

    Records cross process boundaries in ``extract --jobs N`` / ``build --jobs N``, and the parent
    unpickles every one of them on its own core. A slotted dataclass otherwise pickles its state as
    a dict restored attribute by attribute in Python; the constructor call unpickles in half the
    time and pickles in half (measured in BENCHMARKS.md, "--jobs 2"). Every field is an
    ``__init__`` argument (no ``init=False`` fields here), so the copy is equal to the original.
    """
    names = [f.name for f in fields(cls)]
    get = attrgetter(*names)
    if len(names) == 1:
        cls.__reduce__ = lambda self: (type(self), (get(self),))  # type: ignore[method-assign]
    else:
        cls.__reduce__ = lambda self: (type(self), get(self))  # type: ignore[method-assign]


for _cls in (Span, AgencyRef, Responsibility, Obligation, Target, Section, Task, Citation, Jurisdiction, Policy,
             Removed, DocumentRecord):
    _pickle_as_constructor_call(_cls)
