"""Annexes: the titles a plan lists, the label of an annex file, and an annex taking its plan's
jurisdiction (``healthgov.extract.annexes``; the build's matching in ``healthgov.loaders.annexes``)."""

from __future__ import annotations

from conftest import EXTRA

from healthgov.extract.annexes import adopt_plan, annex_key, clean_annex_title, label_number
from healthgov.extract.pipeline import extract_file, extract_text
from healthgov.records import Jurisdiction

HAINAN_PLAN = EXTRA / "04_hainan_hiap_plan_2025.txt"
HAINAN_ANNEX1 = EXTRA / "05_hainan_hiap_annex1_duty_list_2025.txt"
DUTY_LIST = "省级相关部门“将健康融入所有政策”职责清单"


def test_a_plan_lists_its_annexes_without_prefix_extension_or_itself() -> None:
    pol = extract_file(HAINAN_PLAN).policy
    # "附件：1.… 2.… 3.… 4.…" at the end of the plan; the notice's "附件：海南省将健康融入所有政策实施方案"
    # is the plan the notice issues (the document itself), and the page's file list (with its
    # "附件5.《…》政策解读.doc") is read only when the body lists none.
    assert pol.annexes == [DUTY_LIST, "海南省儿童青少年心理健康关爱行动计划", "海南省儿童健康促进专项行动计划",
                           "海南省健康体重管理与健康食品产业发展行动"]
    assert pol.annex_label is None and pol.annex_of is None


def test_an_annex_file_has_its_label_and_title() -> None:
    pol = extract_file(HAINAN_ANNEX1).policy
    assert (pol.annex_label, pol.title, pol.annexes) == ("附件1", DUTY_LIST, [])
    # Alone, its jurisdiction still comes from its units (duty_list_jurisdiction).
    assert pol.jurisdiction == Jurisdiction("海南省", "province", "全国")
    assert extract_file(EXTRA / "06_hainan_youth_mental_health_action_plan_2025.txt").policy.annex_label == "附件2"


def test_other_documents_are_no_annex_and_list_theirs() -> None:
    assert extract_file(EXTRA / "09_fuxin_county_hiap_guidance_2020.txt").policy.annexes == [
        "各部门政策制定重点领域", "阜蒙县健康专家委员会组成人员"]
    jx = extract_file(EXTRA / "03_jiangxi_hiap_opinions_2025.txt").policy
    assert (jx.annexes, jx.annex_label) == ([], None)


def test_titles_are_normalised_and_keyed() -> None:
    assert clean_annex_title("附件1：省级相关部门\"将健康融入所有政策\"职责清单.docx") == DUTY_LIST
    assert clean_annex_title("2.海南省儿童青少年心理健康关爱行动计划") == "海南省儿童青少年心理健康关爱行动计划"
    assert clean_annex_title("附件三、「某某」清单.pdf") == "“某某”清单"
    assert annex_key(DUTY_LIST) == annex_key("省级相关部门 \"将健康融入所有政策\" 职责清单.doc")
    assert (label_number("附件1"), label_number("附件十二"), label_number("附件")) == (1, 12, None)


def test_a_one_line_label_and_an_inline_reference() -> None:
    annex = extract_text("附件2：某某市重点任务分工表\n\n序号\t任务\t牵头单位\n1\t建设医联体\t市卫生健康委\n")
    assert annex.policy.annex_label == "附件2"
    plan = extract_text("某某市人民政府关于印发某某方案的通知\n\n一、总体要求\n1.建立机制。"
                        "由市卫生健康委负责（附件1：某某市重点任务分工表；附件2：某某清单）。\n")
    assert plan.policy.annexes == ["某某市重点任务分工表", "某某清单"]


def test_adopting_a_plan_resolves_the_units_in_its_jurisdiction() -> None:
    rec = extract_file(HAINAN_ANNEX1)
    sichuan = Jurisdiction("四川省", "province", "全国")
    adopt_plan(rec, "pPLAN", sichuan)
    assert rec.policy.annex_of == "pPLAN" and rec.policy.jurisdiction == sichuan
    first = rec.tasks[0].responsibilities[0]
    assert (first.name, first.level, first.agency_type) == ("省委组织部", "province", "party-organisation")
    # A plan without a jurisdiction leaves the annex's own.
    rec = extract_file(HAINAN_ANNEX1)
    adopt_plan(rec, "pPLAN", None)
    assert rec.policy.annex_of == "pPLAN" and rec.policy.jurisdiction.name == "海南省"


def test_an_adopted_annex_in_rows_and_rdf() -> None:
    from rdflib import Namespace

    from healthgov.graph.schema import load_schema
    from healthgov.loaders.rows import document_rows
    from healthgov.ontology.rdf import record_to_graph, validate

    hg = Namespace("https://w3id.org/healthgov/ontology#")
    plan = extract_file(HAINAN_PLAN)
    annex = extract_file(HAINAN_ANNEX1)
    adopt_plan(annex, plan.policy.id, plan.policy.jurisdiction)
    s = load_schema()
    rows = document_rows(s, annex)
    assert rows.annex_of == {"policy": annex.policy.id, "target": plan.policy.id}
    assert rows.policy["annex_label"] == "附件1" and "annex_title" not in rows.policy
    assert document_rows(s, plan).policy["annex_title"][0] == DUTY_LIST
    assert {a["jurisdiction"] for a in rows.agencies} == {"海南省"}
    g = record_to_graph(annex)
    conforms, report = validate(g)
    assert conforms, report[:2000]
    assert [str(o).rsplit("/", 1)[-1] for o in g.objects(None, hg.isAnnexOf)] == [plan.policy.id]
    g = record_to_graph(plan)
    assert len(list(g.objects(None, hg.annexTitle))) == 4 and validate(g)[0]


def test_the_linker_matches_by_title_and_number_and_refuses_to_guess() -> None:
    from pathlib import Path

    from healthgov.loaders.annexes import AnnexLinker, AnnexRef, PlanRef

    hainan, sichuan = Jurisdiction("海南省", "province", "全国"), Jurisdiction("四川省", "province", "全国")
    linker = AnnexLinker()
    linker.add_plan(PlanRef("pHN", hainan, "a/plan.txt"), [DUTY_LIST, "其他"])
    ref = AnnexRef(Path("a/x.txt"), "a/x.txt", "pX", annex_key(DUTY_LIST), 1, None)
    assert linker.match(ref).policy_id == "pHN"
    ref.number = 2  # 附件2 with the title of 附件1: not that annex
    assert linker.match(ref) is None
    ref.number = 1
    linker.add_plan(PlanRef("pSC", sichuan, "b/plan.txt"), [DUTY_LIST])
    assert linker.match(ref).policy_id == "pHN"  # the same directory
    ref.name = "c/x.txt"
    assert linker.match(ref) is None and linker.ambiguous == ["c/x.txt"]  # two plans, nothing to tell them apart
    ref.jurisdiction = "四川省"
    assert linker.match(ref).policy_id == "pSC"  # its own province
