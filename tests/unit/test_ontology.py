"""The ontology, its vocabularies, shapes, RDF mapping and the ``healthgov ontology`` command."""

from __future__ import annotations

import copy
import re
import typing
from pathlib import Path

import pytest
from rdflib import OWL, RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS
from typer.testing import CliRunner

from healthgov.ids import to_simplified
from healthgov.ontology.rdf import (
    HG,
    HGD,
    ONTOLOGY_TTL,
    SHAPES_TTL,
    ontology_graph,
    record_to_graph,
    validate,
)
from healthgov.ontology.reasoner import bundled_java, find_java, run_hermit
from healthgov.ontology.vocab import load_vocabularies
from healthgov.records import (
    AgencyRef,
    Citation,
    DocumentRecord,
    Jurisdiction,
    Level,
    Policy,
    Responsibility,
    Section,
    Span,
    Target,
    Task,
)

ROOT = Path(__file__).resolve().parents[2]
DESIGN = ROOT / "docs" / "DESIGN.md"
SEEDS = ROOT.parent / "shared" / "seeds"
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_TTL, format="turtle")


def _hg(g: Graph, t: URIRef) -> set[str]:
    return {str(s)[len(str(HG)):] for s in g.subjects(RDF.type, t) if isinstance(s, URIRef) and str(s).startswith(str(HG))}


# --- the ontology itself ----------------------------------------------------------------------


def test_ontology_parses_with_version_iri(onto: Graph) -> None:
    o = URIRef("https://w3id.org/healthgov/ontology")
    assert (o, RDF.type, OWL.Ontology) in onto
    assert onto.value(o, OWL.versionIRI) == URIRef("https://w3id.org/healthgov/ontology/0.1.0")
    # Self-contained: nothing to fetch over the network.
    assert list(onto.objects(None, OWL.imports)) == []


def _design_core() -> tuple[set[str], set[str], set[str]]:
    """Class, object property and datatype property local names listed in DESIGN.md."""
    text = DESIGN.read_text(encoding="utf-8")
    core = text.split("## Core terms", 1)[1].split("\n## ", 1)[0]
    cls_part = core.split("Classes:", 1)[1].split("Object properties", 1)[0]
    obj_part = core.split("Object properties", 1)[1].split("Datatype properties", 1)[0]
    dt_part = core.split("Datatype properties", 1)[1].split("\n\n", 1)[0]
    ticks = lambda s: set(re.findall(r"`([A-Za-z][A-Za-z0-9]*)`", s))  # noqa: E731 - unprefixed names only
    classes = {t for t in ticks(cls_part) if t[0].isupper()}
    objs = {t for t in ticks(obj_part) if t[0].islower()} - {"wasDerivedFrom"}  # prov's own term
    dts = {t for t in ticks(dt_part) if t[0].islower()}
    return classes, objs, dts


def test_exactly_the_core_terms_of_design(onto: Graph) -> None:
    classes, objs, dts = _design_core()
    assert len(classes) >= 15 and len(objs) >= 20 and len(dts) >= 30  # the parse found the lists
    assert _hg(onto, OWL.Class) == classes
    assert _hg(onto, OWL.ObjectProperty) == objs
    assert _hg(onto, OWL.DatatypeProperty) == dts
    assert (PROV.wasDerivedFrom, RDF.type, OWL.ObjectProperty) in onto


def test_every_term_has_bilingual_label_comment_and_graph_role(onto: Graph) -> None:
    roles = {"node", "relationship", "property", "rdf-only"}
    for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for local in _hg(onto, t):
            s = HG[local]
            for p in (URIRef("http://www.w3.org/2000/01/rdf-schema#label"), URIRef("http://www.w3.org/2000/01/rdf-schema#comment")):
                langs = {o.language for o in onto.objects(s, p)}
                assert {"zh", "en"} <= langs, (local, p)
            assert str(onto.value(s, HG.graphRole)) in roles, local
    # The qualified relation and the evidence are RDF-only; their facts become graph properties.
    for local in ("Responsibility", "TextSpan", "hasResponsibility", "responsibleAgency", "role"):
        assert str(onto.value(HG[local], HG.graphRole)) == "rdf-only"


def test_alignments(onto: Graph) -> None:
    sub = URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    subp = URIRef("http://www.w3.org/2000/01/rdf-schema#subPropertyOf")
    assert (HG.Policy, sub, ELI.LegalResource) in onto and (HG.Policy, sub, PROV.Entity) in onto
    assert (HG.Agency, sub, ORG.Organization) in onto
    assert (HG.Jurisdiction, sub, DCTERMS.Jurisdiction) in onto
    assert (HG.TextSpan, sub, PROV.Entity) in onto
    assert (HG.issuedBy, subp, DCTERMS.creator) in onto
    assert (HG.implements, subp, HG.cites) in onto and (HG.cites, subp, ELI.cites) in onto
    # ELI deprecates eli:implements ("Use applies instead"): align to the current term.
    assert (HG.implements, subp, ELI.applies) in onto and (HG.implements, subp, ELI.implements) not in onto
    assert not any(onto.triples((None, None, ELI.implements))) and not any(onto.triples((ELI.implements, None, None)))
    assert (HG.hasTopic, subp, DCTERMS.subject) in onto
    assert (HG.partOfJurisdiction, RDF.type, OWL.TransitiveProperty) in onto
    for c in ("Tier", "InstitutionType", "Topic", "Indicator", "AdministrativeLevel"):
        assert (HG[c], sub, SKOS.Concept) in onto


# --- reasoning ----------------------------------------------------------------------------------


def test_java_is_found() -> None:
    java, origin = find_java()
    assert java is not None, f"HermiT needs Java: {origin}"


def test_hermit_ontology_and_vocabularies_consistent_and_classify() -> None:
    r = run_hermit(ontology_graph(with_vocabularies=True))
    assert r.ran, r.reason
    assert r.consistent and r.unsatisfiable == []


def test_hermit_catches_a_task_that_is_also_an_agency_and_a_role_outside_the_list() -> None:
    # The reasoner must really run: two axioms of the ontology make these inconsistent.
    g = ontology_graph()
    x = HGD["task/pX/t1"]
    g.add((x, RDF.type, HG.Task))
    g.add((x, RDF.type, HG.Agency))
    r = run_hermit(g)
    assert r.ran and r.consistent is False
    g = ontology_graph()
    q = HGD["responsibility/pX/t1/r1"]
    g.add((q, RDF.type, HG.Responsibility))
    g.add((q, HG.role, Literal("boss")))
    r = run_hermit(g)
    assert r.ran and r.consistent is False


def test_bundled_jre_runs_hermit(monkeypatch: pytest.MonkeyPatch) -> None:
    java = bundled_java()
    assert java is not None, "arcadedb_embedded ships a JRE; it is a dependency of healthgov"
    monkeypatch.setenv("HEALTHGOV_JAVA", java)
    r = run_hermit(ontology_graph())
    assert r.ran and r.java == java and r.consistent


# --- vocabularies -----------------------------------------------------------------------------

SCHEMES = ("agency-type", "institution-type", "tier", "topic", "indicator", "admin-level")


def test_all_schemes_present_and_bilingual() -> None:
    vocab = load_vocabularies()
    assert set(SCHEMES) <= set(vocab.schemes)
    for sid in SCHEMES:
        scheme = vocab[sid]
        assert len(scheme) >= 6
        for c in scheme:
            assert c.pref_zh and c.pref_en, (sid, c.id)
            assert c.iri == f"https://w3id.org/healthgov/vocab/{sid}/{c.id}"


def test_no_label_shared_by_two_concepts_of_a_scheme() -> None:
    for scheme in load_vocabularies():
        owner: dict[str, str] = {}
        for c in scheme:
            for label in {to_simplified(lab) for lab in c.all_labels()}:
                assert owner.setdefault(label, c.id) == c.id, (scheme.id, label, owner[label], c.id)


def test_notation_is_the_id() -> None:
    from healthgov.ontology.vocab import vocab_graph

    g = vocab_graph()
    concepts = set(g.subjects(SKOS.inScheme, None))
    assert len(concepts) == sum(len(s) for s in load_vocabularies())
    for c in concepts:
        assert str(g.value(c, SKOS.notation)) == str(c).rsplit("/", 1)[-1]


def test_every_institution_type_serves_a_tier() -> None:
    vocab = load_vocabularies()
    tiers = vocab["tier"].concepts
    for c in vocab["institution-type"]:
        assert c.props.get("serves_tier") in tiers, c.id


def test_tiers_and_levels_strictly_ordered() -> None:
    vocab = load_vocabularies()
    tier_ranks = {c.id: c.props["tier_rank"] for c in vocab["tier"]}
    order = ["village", "township", "county", "city", "province", "national"]
    assert [tier_ranks[t] for t in order] == sorted(set(tier_ranks.values()))
    assert len(set(tier_ranks.values())) == len(tier_ranks)
    levels = {c.id: c.props["level_rank"] for c in vocab["admin-level"]}
    assert set(levels) == set(typing.get_args(Level))  # notations are the records' Level strings
    assert sorted(levels, key=levels.get) == ["nation", "province", "city", "county", "township", "village"]


def test_indicators_have_units_and_real_phrasings_resolve() -> None:
    ind = load_vocabularies()["indicator"]
    with_unit = [c for c in ind if c.props.get("default_unit")]
    assert len(with_unit) >= 0.9 * len(ind)
    # Phrasings from the Chenzhou indicator table and the national plan, as written.
    phrasings = ["每千常住人口拥有执业(助理)医师数", "每千人口执业（助理）医师数", "每万常住人口全科医生数",
                 "人均预期寿命", "孕产妇死亡率", "个人卫生支出占卫生总费用的比重", "县域就诊率", "基层就诊率",
                 "居民健康素养水平", "15岁以上人群吸烟率", "严重精神障碍患者规范管理率", "每千常住人口医疗卫生机构床位数"]
    found = {p: ind.lookup(p) for p in phrasings}
    assert all(found.values()), [p for p, c in found.items() if c is None]
    assert found["每千常住人口拥有执业(助理)医师数"] is found["每千人口执业（助理）医师数"]
    assert found["孕产妇死亡率"].props["default_unit"] == "/10万"


def test_topics_nest_and_tiers_have_keywords() -> None:
    vocab = load_vocabularies()
    topics = vocab["topic"]
    nested = [c for c in topics if c.broader]
    assert nested and all(b in topics.concepts for c in nested for b in c.broader)
    assert all(c.hidden_labels for c in topics)


# The agency-type vocabulary, checked against names as documents write them. The prefix
# (国家/省/市/县/各区、县(市)...) is stripped by hand here; the extractor does it by grammar.
AGENCY_FORMS = [
    ("市卫生健康委", "市", "health-commission"), ("市卫生健康委员会", "市", "health-commission"),
    ("市卫健委", "市", "health-commission"), ("国家卫生健康委", "国家", "health-commission"),
    ("國家衛生健康委", "國家", "health-commission"), ("县卫生健康局", "县", "health-commission"),
    ("县级卫生健康行政部门", "县级", "health-commission"), ("市健委", "市", "health-commission"),
    ("市发展改革委", "市", "development-reform"), ("市发改委", "市", "development-reform"),
    ("市人力社保局", "市", "human-resources-social-security"), ("人力資源社會保障部", "", "human-resources-social-security"),
    ("市医保局", "市", "medical-security"), ("国家医保局", "", "medical-security"), ("市医疗保障局", "市", "medical-security"),
    ("市委编办", "市", "establishment-office"), ("中央编办", "", "establishment-office"),
    ("市规划自然资源局", "市", "natural-resources"), ("市住房城乡建委", "市", "housing-urban-rural"),
    ("市大数据发展局", "市", "data-bureau"), ("省数据局", "省", "data-bureau"),
    ("市经济信息委", "市", "economy-information-technology"), ("省工业与信息化厅", "省", "economy-information-technology"),
    ("国家金融监督管理总局", "", "financial-regulation"), ("国家中医药局", "", "tcm-administration"),
    ("国家疾控局", "", "disease-control-administration"), ("省药监局", "省", "drug-administration"),
    ("市市场监管局", "市", "market-regulation"), ("团省委", "", "youth-league"), ("省妇联", "省", "womens-federation"),
    ("省计生协", "省", "family-planning-association"), ("省委网信办", "省", "cyberspace"),
    ("省委组织部", "省委", "party-organisation"), ("省委宣传部", "省委", "party-propaganda"),
    ("各区、县(市)政府", "各区、县(市)", "people-government"), ("各乡镇人民政府", "各乡镇", "people-government"),
    ("国务院办公厅", "国务院", "general-office"), ("国务院", "", "state-council"),
    ("市深化医药卫生体制改革联席会议办公室", "市", "health-reform-office"),
    ("省爱国卫生运动委员会", "省", "patriotic-health-committee"), ("省残联", "省", "disabled-persons-federation"),
    ("县健康促进工作领导小组办公室", "县", "health-promotion-office"), ("省科协", "省", "science-association"),
    ("省总工会", "省", "trade-union"), ("省红十字会", "省", "red-cross"), ("省委党校", "省委", "party-school"),
    ("省直机关工委", "省直", "party-organs-work-committee"), ("县审计局", "县", "audit"),
    ("省旅游和文化广电体育厅", "省", "culture-tourism"), ("省应急管理厅", "省", "emergency-management"),
]


@pytest.mark.parametrize("surface,prefix,expected", AGENCY_FORMS)
def test_agency_type_resolves_real_surface_forms(surface: str, prefix: str, expected: str) -> None:
    scheme = load_vocabularies()["agency-type"]
    assert surface.startswith(prefix)
    core = surface[len(prefix):]
    c = scheme.lookup(core)
    assert c is not None, f"{core!r} (from {surface!r}) is not an agency-type label"
    assert c.id == expected


def test_agency_type_covers_the_required_kinds() -> None:
    ids = set(load_vocabularies()["agency-type"].concepts)
    required = {"health-commission", "development-reform", "finance", "human-resources-social-security",
                "medical-security", "education", "science-technology", "natural-resources", "housing-urban-rural",
                "civil-affairs", "public-security", "market-regulation", "drug-administration", "data-bureau",
                "economy-information-technology", "establishment-office", "financial-regulation", "tcm-administration",
                "disease-control-administration", "agriculture-rural", "people-government", "state-council",
                "general-office", "sports", "culture-tourism", "ecology-environment", "transport",
                "emergency-management", "statistics", "justice", "veterans-affairs", "womens-federation", "youth-league",
                "disabled-persons-federation", "audit", "taxation", "radio-television", "communications-administration",
                "patriotic-health-committee", "health-promotion-office", "health-reform-office", "cyberspace",
                "party-organisation", "party-propaganda", "cppcc"}
    assert required <= ids, required - ids


# --- records → RDF → SHACL -------------------------------------------------------------------

TEXT = (
    "重庆市进一步完善医疗卫生服务体系实施方案\n"
    "按照《关于进一步完善医疗卫生服务体系的意见》(中办发〔2023〕10号)要求,制定本方案。\n"
    "一、主要任务\n"
    "(一)建设县域医共体。到2027年,每千人口执业(助理)医师数达到3.2人。"
    "(责任单位:市卫生健康委、市医保局)\n"
)


def _span(s: str) -> Span:
    start = TEXT.index(s)
    return Span(start, start + len(s))


def valid_record() -> DocumentRecord:
    pid = "p0123456789ab"
    task_text = TEXT[TEXT.index("(一)"):].rstrip("\n")
    sec = Section(f"{pid}/s1", "h1", "一", "主要任务", 1, None, _span("一、主要任务"))
    task = Task(
        f"{pid}/t1", sec.id, ["一", "(一)"], "(一)", "建设县域医共体。", task_text, _span(task_text),
        responsibilities=[
            Responsibility("市卫生健康委", "lead", "convention", "health-commission", "province", False, 0, _span("市卫生健康委")),
            Responsibility("市医保局", "support", "convention", "medical-security", "province", False, 1, _span("市医保局")),
        ],
        institutions=["county-medical-community"], tiers=["county"], topics=["integrated-delivery"],
    )
    target = Target(
        f"{pid}/g1", "到2027年,每千人口执业(助理)医师数达到3.2人。", indicator="physicians-per-1000",
        indicator_text="每千人口执业(助理)医师数", comparator=">=", value=3.2, unit="人", year=2027,
        task=task.id, span=_span("每千人口执业(助理)医师数达到3.2人"),
    )
    policy = Policy(
        pid, "重庆市进一步完善医疗卫生服务体系实施方案", doc_number="渝府办发〔2023〕76号",
        doc_number_raw="渝府办发〔2023〕76号",
        issuers=[AgencyRef("重庆市人民政府办公厅", "general-office", "province", "重庆市")],
        issued_on="2023-10-18", jurisdiction=Jurisdiction("重庆市", "province"),
        cites=[Citation("关于进一步完善医疗卫生服务体系的意见", "中办发〔2023〕10号", "implements",
                        _span("《关于进一步完善医疗卫生服务体系的意见》"))],
    )
    return DocumentRecord("corpus/cq.txt", "a" * 64, "txt", "utf-8", TEXT, policy, [sec], [task], [target])


def test_valid_record_maps_and_conforms() -> None:
    rec = valid_record()
    g = record_to_graph(rec)
    p = HGD[f"policy/{rec.policy.id}"]
    t = HGD[f"task/{rec.tasks[0].id}"]
    assert (p, RDF.type, HG.Policy) in g and (p, HG.hasTask, t) in g
    assert (t, HG.hasTarget, HGD[f"target/{rec.targets[0].id}"]) in g
    assert len(list(g.objects(t, HG.hasResponsibility))) == 2
    assert len(list(g.objects(t, HG.leadAgency))) == 1 and len(list(g.objects(t, HG.supportingAgency))) == 1
    # Provenance: the task's evidence is a span of the source document with its offsets.
    span = next(o for o in g.objects(t, PROV.wasDerivedFrom))
    start, end = int(g.value(span, HG.spanStart)), int(g.value(span, HG.spanEnd))
    assert TEXT[start:end] == rec.tasks[0].text
    assert (g.value(span, DCTERMS.isPartOf), HG.sha256, Literal("a" * 64)) in g
    # The citation makes a placeholder policy, with the id a loaded document would get.
    cited = next(g.objects(p, HG.implements))
    assert g.value(cited, HG.loaded) == Literal(False)
    conforms, report = validate(g)
    assert conforms, report
    # Every instance is labelled; Chinese text carries its language.
    from rdflib import RDFS

    typed = set(g.subjects(RDF.type, None))
    assert typed and all(g.value(s, RDFS.label) is not None for s in typed)
    assert g.value(p, HG.title) == Literal(rec.policy.title, lang="zh")
    assert g.value(t, HG.text).language == "zh"


def _violations(report: str) -> list[str]:
    return re.findall(r"Message: (.*)", report)


def test_target_without_value_is_rejected_with_a_readable_message() -> None:
    rec = valid_record()
    rec.targets[0].value = None  # comparator ">=" but nothing to compare
    conforms, report = validate(record_to_graph(rec))
    assert not conforms
    assert any("needs a numeric value" in m for m in _violations(report)), report
    # A worded target without a number is fine.
    rec.targets[0].comparator = "text"
    conforms, report = validate(record_to_graph(rec))
    assert conforms, report


def test_bad_role_basis_and_unknown_concepts_are_rejected() -> None:
    rec = valid_record()
    rec.tasks[0].responsibilities[0].role = "boss"  # type: ignore[assignment]
    bad = copy.deepcopy(rec)
    conforms, report = validate(record_to_graph(bad))
    msgs = _violations(report)
    assert not conforms
    assert any('must be "lead"' in m for m in msgs), msgs
    rec = valid_record()
    rec.tasks[0].responsibilities[1].basis = "gut-feeling"  # type: ignore[assignment]
    rec.tasks[0].topics = ["astrology"]
    rec.targets[0].indicator = "no-such-indicator"
    msgs = _violations(validate(record_to_graph(rec))[1])
    assert any("basis of a role" in m for m in msgs)
    assert any("topic vocabulary" in m for m in msgs)
    assert any("indicator vocabulary" in m for m in msgs)


def test_range_and_span_order_are_checked() -> None:
    rec = valid_record()
    rec.targets[0].comparator = "range"  # no upper bound
    msgs = _violations(validate(record_to_graph(rec))[1])
    assert any("range target" in m for m in msgs)
    rec.targets[0].value_max = 1.0  # below the lower bound 3.2
    msgs = _violations(validate(record_to_graph(rec))[1])
    assert any("larger than its upper bound" in m for m in msgs)
    g = record_to_graph(valid_record())
    span = BNode()
    g.add((span, RDF.type, HG.TextSpan))
    g.add((span, HG.spanStart, Literal(9, datatype=URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger"))))
    g.add((span, HG.spanEnd, Literal(3, datatype=URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger"))))
    msgs = _violations(validate(g)[1])
    assert any("ends before it starts" in m for m in msgs)
    assert any("which source document" in m for m in msgs)


def test_shapes_parse() -> None:
    g = Graph().parse(SHAPES_TTL, format="turtle")
    sh = Namespace("http://www.w3.org/ns/shacl#")
    targets = set(g.objects(None, sh.targetClass))
    for cls in ("Policy", "Section", "Task", "Responsibility", "Target", "TextSpan", "SourceDocument"):
        assert HG[cls] in targets
    for shape in g.subjects(RDF.type, sh.NodeShape):
        for prop in g.objects(shape, sh.property):
            assert g.value(prop, sh.message) is not None  # every constraint explains itself


def test_a_real_document_conforms_and_is_consistent() -> None:
    from rdflib.namespace import XSD

    from healthgov.extract.pipeline import extract_file

    rec = extract_file(SEEDS / "003_e5f6dd014c1e0675.txt")
    g = record_to_graph(rec)
    conforms, report = validate(g)
    assert conforms, report[:3000]
    full = ontology_graph(with_vocabularies=True)
    full += g
    r = run_hermit(full, ignore_unsupported_datatypes=True)  # xsd:date is outside OWL 2's datatypes
    assert r.ran and r.consistent, r.reason
    assert any(True for _ in g.subjects(HG.spanStart, None))
    assert all(o.datatype == XSD.date for o in g.objects(None, HG.issuedOn))


def test_agency_ids_match_the_property_graph() -> None:
    from healthgov.graph import schema
    from healthgov.ids import agency_key
    from healthgov.loaders import rows

    s = schema.load_schema()
    for name, level, juris in (("市卫生健康委", "province", None), ("国家医保局", "nation", None),
                               ("各区县政府", "county", None), ("重庆市人民政府办公厅", "province", "重庆市")):
        expected = rows.agency_row(s, name, None, level, juris, "重庆市", "province").id
        assert agency_key(name, level, juris, "重庆市", "province")[0] == expected


# --- the command ----------------------------------------------------------------------------


def test_ontology_command_prints_counts_and_passes() -> None:
    from healthgov.cli import app

    result = CliRunner().invoke(app, ["ontology"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "https://w3id.org/healthgov/ontology" in out and "0.1.0" in out
    vocab = load_vocabularies()
    for sid in SCHEMES:
        assert f"{sid} {len(vocab[sid])}" in out
    onto = Graph().parse(ONTOLOGY_TTL, format="turtle")
    assert f"{len(_hg(onto, OWL.Class))} classes" in out
    assert "consistent" in out and "FAIL" not in out


def test_ontology_command_json_without_reasoner() -> None:
    import json

    from healthgov.cli import app

    result = CliRunner().invoke(app, ["ontology", "--no-reason", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["ok"] is True
    assert data["schemes"]["agency-type"] == len(load_vocabularies()["agency-type"])
    hermit = next(c for c in data["checks"] if "HermiT" in c["name"])
    assert hermit["ok"] is None and "no-reason" in hermit["detail"]


def test_ontology_command_fails_on_a_broken_vocabulary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from healthgov.ontology import summary

    src = (ROOT / "healthgov" / "ontology" / "vocab" / "tier.ttl").read_text(encoding="utf-8")
    (tmp_path / "tier.ttl").write_text(src.replace('"Village"@en', '"Village"@de'), encoding="utf-8")
    monkeypatch.setattr(summary, "VOCAB_DIR", tmp_path)
    s = summary.summarize(reason=False)
    assert not s.ok
    bad = next(c for c in s.checks if c.name == "concept labels")
    assert bad.ok is False and "tier/village" in bad.detail
