"""Duties written in prose: who the subject of a duty sentence is, and with what role.

Every sentence here is made up; each covers one form (see prose_subjects' docstring) or one
case that must give nothing (a body named only as an object, a subject that is not a body).
"""

from __future__ import annotations

import pytest
from conftest import EXTRA

from healthgov.extract.facts.responsibilities.prose_subjects import find_duties
from healthgov.extract.pipeline import extract_file, extract_text


def duties(s: str) -> list[tuple[list[str], str, str]]:
    return [([u.name for u in d.units], d.role, d.basis) for d in find_duties(s)]


def test_probe_two_subjects_two_duties() -> None:
    assert duties("卫生健康部门要制定标准；财政部门要落实投入") == [
        (["卫生健康部门"], "lead", "prose"),
        (["财政部门"], "lead", "prose"),
    ]


@pytest.mark.parametrize(
    ("sentence", "names", "role", "basis"),
    [
        ("国家中医药局负责组织实施中医医院绩效考核工作。", ["国家中医药局"], "lead", "prose"),
        ("市医保局牵头制定支付办法。", ["市医保局"], "lead", "prose"),
        ("国家卫生健康委要会同相关部门加强指导和监督。", ["国家卫生健康委"], "lead", "prose"),
        ("省卫生健康委应当建立监测制度。", ["省卫生健康委"], "lead", "prose"),
        ("由各省级卫生健康行政部门制定具体办法。", ["各省级卫生健康行政部门"], "lead", "prose"),
        ("入围标准的具体指标由联合采购办公室负责拟定。", ["联合采购办公室"], "lead", "prose"),
        ("各级卫生健康部门负责对医疗机构进行指导和监督。", ["各级卫生健康部门"], "lead", "prose"),
        ("地方各级人民政府对本地区医疗卫生工作负领导责任。", ["地方各级人民政府"], "lead", "prose"),
        ("2019年3月底前，国家卫生健康委建立全国信息系统。", ["国家卫生健康委"], "lead", "prose"),
        ("国家卫生健康委于2019年12月底前完成分析。", ["国家卫生健康委"], "lead", "prose"),
        ("市民政局配合做好养老服务工作。", ["市民政局"], "support", "prose"),
        ("市教育局、市体育局要共同推进学生体质监测。", ["市教育局", "市体育局"], "support", "shared"),
        ("市卫生健康委和市医保局要加强监管。", ["市卫生健康委", "市医保局"], "support", "shared"),
        ("住房和城乡建设局要加强监管。", ["住房和城乡建设局"], "lead", "prose"),
        # Never a body named "本办法由市医疗保障局": the document speaking of itself, then 由.
        ("本办法由市医疗保障局负责解释。", ["市医疗保障局"], "lead", "prose"),
        ("本方案由市卫生健康委负责解释。", ["市卫生健康委"], "lead", "prose"),
    ],
)
def test_subject_forms(sentence: str, names: list[str], role: str, basis: str) -> None:
    assert duties(sentence) == [(names, role, basis)]


def test_department_list_names_each_generic_department() -> None:
    got = duties("要强化组织领导，财政、发展改革、卫生健康、医保、中医药等部门要建立协调推进机制。")
    assert got == [(["财政部门", "发展改革部门", "卫生健康部门", "医保部门", "中医药部门"], "support", "shared")]
    # The last item may carry the head itself ("…、中医药、组织部门").
    got = duties("财政、教育、组织部门研究建立结果应用机制。")
    assert got == [(["财政部门", "教育部门", "组织部门"], "support", "shared")]


def test_huitong_objects_support() -> None:
    (d,) = find_duties("国家卫生健康委要会同国家医保局、财政部制定办法。")
    assert [u.name for u in d.units] == ["国家卫生健康委"] and d.role == "lead"
    assert [u.name for u in d.supporters] == ["国家医保局", "财政部"]
    (d,) = find_duties("市卫生健康委会同市医保局等部门加强监管。")
    assert [u.name for u in d.supporters] == ["市医保局"]
    (d,) = find_duties("由市级医保部门会同级财政部门、税务部门提出分担意见。")  # 会同 + 同级财政部门
    assert [u.name for u in d.supporters] == ["同级财政部门", "税务部门"]


def test_peihe_subject_supports_its_object_leads() -> None:
    (d,) = find_duties("省人力资源社会保障厅配合省卫生健康委完善人员薪酬激励制度。")
    assert [u.name for u in d.units] == ["省人力资源社会保障厅"] and d.role == "support"
    assert [u.name for u in d.supporters] == ["省卫生健康委"] and d.object_role == "lead"
    assert duties("由省医保局负责制定医疗费用保障政策，省财政厅予以配合。") == [
        (["省医保局"], "lead", "prose"), (["省财政厅"], "support", "prose")]
    (d,) = find_duties("探索由卫生健康部门联合生态环境部门建立协同评估机制。")
    assert [u.name for u in d.units] == ["卫生健康部门"] and [u.name for u in d.supporters] == ["生态环境部门"]


def test_heading_that_names_a_body() -> None:
    assert duties("1.监督组。负责对药品集中采购工作进行监督。") == [(["监督组"], "lead", "prose")]
    assert duties("3.集中采购小组。负责集中采购具体实施工作。") == [(["集中采购小组"], "lead", "prose")]
    assert duties("（三）建设区域医疗中心。要推进国家医学中心建设。") == []


def test_enumeration_inside_one_task() -> None:
    got = duties("国家医保局承担制定试点方案的职责；各级卫生健康部门负责指导公立医院改革；国家药监局负责质量认定，"
                 "各省级药监部门要强化监督检查。")
    assert got == [
        (["国家医保局"], "lead", "prose"),
        (["各级卫生健康部门"], "lead", "prose"),
        (["国家药监局"], "lead", "prose"),
        (["各省级药监部门"], "lead", "prose"),
    ]


def test_unknown_bodies_are_kept_but_marked() -> None:
    (a, b) = find_duties("省级药品采购机构负责组织采购；保监会要加强监管。")
    assert [(u.name, u.known) for u in a.units + b.units] == [("省级药品采购机构", False), ("保监会", False)]
    (d,) = find_duties("由上海市医药集中招标采购事务管理所承担日常工作。")
    assert [(u.name, u.known) for u in d.units] == [("上海市医药集中招标采购事务管理所", False)]


@pytest.mark.parametrize(
    "sentence",
    [
        "加强医保、公安等部门的协调。",  # bodies named only as objects
        "指导各地医保部门做好医保支付工作。",
        "三级公立医院要加强信息化建设。",  # an institution, not an agency
        "医疗机构应按合同规定与企业及时结算。",
        "国家建立公立医院满意度管理制度。",
        "由国务院办公厅、国家医保局组成试点工作小组。",  # composition, not a duty
        "超出支付标准的部分由患者自付。",
        "领导试点工作，研究重大事项，部署落实重点任务。",  # 部署 is a verb, not a 署
        "第二节深化部门协同  加强部门协调沟通。",
    ],
)
def test_no_duty(sentence: str) -> None:
    assert duties(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "units", "role"),
    [
        ("各地要加强组织领导。", ["各地"], "lead"),
        ("2019年6月底前各省份要出台具体实施方案。", ["各省份"], "lead"),
        ("市级有关部门要认真履行职责。", ["市级有关部门"], "lead"),
        ("各市县、各部门应建立健全内部机制。", ["各市县", "各部门"], "support"),
        ("各市县和相关部门明确专门工作机构。", ["各市县", "相关部门"], "support"),
        ("各乡镇（街道）要落实属地责任。", ["各乡镇（街道）"], "lead"),
    ],
)
def test_collective_subjects(sentence: str, units: list[str], role: str) -> None:
    """A class of bodies (各地, 各省份, 相关部门) is a subject too, marked collective."""
    (d,) = find_duties(sentence)
    assert [u.name for u in d.units] == units and d.role == role
    assert all(u.collective for u in d.units)


@pytest.mark.parametrize(
    ("sentence", "units", "role"),
    [
        ("国家卫生健康委加强统筹规划，指导各地科学设置机构。", ["国家卫生健康委"], "lead"),  # no modal
        ("教育部推进订单定向医学生免费培养。", ["教育部"], "lead"),
        ("国家医保局将会同财政部加强工作指导。", ["国家医保局"], "lead"),  # 将: future, still a duty
        ("各有关部门要密切配合。", ["各有关部门"], "support"),
    ],
)
def test_action_verbs_and_adverbs(sentence: str, units: list[str], role: str) -> None:
    d = find_duties(sentence)[0]
    assert [u.name for u in d.units] == units and d.role == role


def test_clause_ending_in_a_body_is_no_subject() -> None:
    # The clause names a body at its end; a verb inside means it is not one name.
    assert duties("评估通过后提交海南省健康海南建设委员会推进工作机制审议。") == []


def test_collectives_typed_by_their_class() -> None:
    from healthgov.extract.facts.collectives import collective_ref

    assert (collective_ref("各省（区、市）").agency_type, collective_ref("各省（区、市）").level) == (
        "people-government", "province")
    assert collective_ref("各县（市、区）").level == "county"
    assert collective_ref("相关部门").agency_type is None
    for name in ("卫生健康部门", "各级", "部门", "市卫生健康委"):
        assert collective_ref(name) is None, name
    # A class prefix before a body's name: that body in every place of the class.
    for name, typ, level in (("各区县政府", "people-government", "county"), ("各级卫生健康部门", "health-commission", None),
                             ("各省（区、市）卫生健康委", "health-commission", "province")):
        ref = collective_ref(name)
        assert (ref.agency_type, ref.level) == (typ, level), name
    # Lists and clauses are not one collective name.
    for name in ("各级党委和政府是", "各级医保部门、税务部门", "各中心镇(街道)建设1个公办婴幼儿照护服务"):
        assert collective_ref(name) is None, name


def _doc(body: str) -> str:
    return "关于印发某市测试实施方案的通知\n某政办发〔2024〕3号\n一、重点任务\n" + body


def test_pipeline_prose_only_where_no_explicit_unit() -> None:
    rec = extract_text(_doc(
        "(一)提升能力。市卫生健康委要制定标准;市财政局要落实投入。\n"
        "(二)强化保障。市财政局要落实投入。(责任单位:市医保局)\n"
        "(三)加强监管。省级药品采购机构负责组织采购。\n"
    ))
    got = [[(r.name, r.role, r.basis, r.agency_type) for r in t.responsibilities] for t in rec.tasks]
    assert got[0] == [("市卫生健康委", "lead", "prose", "health-commission"), ("市财政局", "lead", "prose", "finance")]
    assert got[1] == [("市医保局", "lead", "explicit", "medical-security")]  # the annotation wins
    assert got[2] == [("省级药品采购机构", "lead", "prose", None)]
    assert rec.warnings == [f"task {rec.tasks[2].id}: unit not in the agency-type vocabulary: 省级药品采购机构"]
    # The evidence is the sentence.
    r = rec.tasks[0].responsibilities[1]
    assert rec.text[r.span.start : r.span.end] == "市财政局要落实投入。"


def test_national_documents() -> None:
    rec = extract_file(next(EXTRA.glob("10_*.txt")))
    by_title = {t.title: [(r.name, r.role, r.basis) for r in t.responsibilities] for t in rec.tasks}
    t13 = next(v for k, v in by_title.items() if "明确部门职责分工" in k)
    assert ("卫生健康行政部门", "lead", "prose") in t13 and ("国家中医药局", "lead", "prose") in t13
    assert ("组织部门", "support", "shared") in t13
    t16 = next(v for k, v in by_title.items() if "做好督导总结宣传" in k)
    assert t16 == [("国家卫生健康委", "lead", "prose"), ("相关部门", "support", "prose")]  # 会同相关部门
    rec = extract_file(next(EXTRA.glob("11_*.txt")))
    t12 = next(t for t in rec.tasks if "明确部门职责" in t.title)
    assert [r.name for r in t12.responsibilities if r.role == "lead"] == [
        "国家医保局", "各级卫生健康部门", "国家药监局", "各省级药监部门"]


# Issue 25: forms of duty sentences without a modal, and what must still give nothing.
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a body and an action verb, no modal
        ("省疾病预防控制部门拟订全省应急预案，报省人民政府批准。", [(["省疾病预防控制部门"], "lead", "prose")]),
        ("各区每月至少开展一轮环境卫生整治。", [(["各区"], "lead", "prose")]),
        ("市疾控中心根据监测结果及时发布预警。", [(["市疾控中心"], "lead", "prose")]),
        ("县人民政府将防治工作纳入本地发展规划。", [(["县人民政府"], "lead", "prose")]),
        ("安平县率先推进家庭医生签约试点。", [(["安平县"], "lead", "prose")]),
        # a list whose class or level distributes
        ("各镇、街道要落实消杀经费。", [(["各镇", "各街道"], "support", "shared")]),
        ("所有市（地）、县依托现有资源建设胸痛中心。", [(["所有市（地）", "所有县"], "support", "shared")]),
        ("市、县两级政府要加强组织领导。", [(["市政府", "县政府"], "support", "shared")]),
        ("各级党委、政府要把健康放在优先位置。", [(["各级党委", "各级政府"], "support", "shared")]),
        ("各有关单位和部门根据职责分工加强协作。", [(["各有关单位", "各有关部门"], "support", "shared")]),
        ("由本级人民政府或者上级人民政府有关部门责令改正。", [(["本级人民政府", "上级人民政府有关部门"], "support", "shared")]),
        # joint acts and help
        ("县疾病预防控制部门与同级教育、公安等部门建立通报机制。",
         [(["县疾病预防控制部门", "同级教育部门", "公安部门"], "support", "shared")]),
        ("由公安机关协助疾病预防控制机构采取强制措施。", [(["公安机关"], "support", "prose")]),
        ("镇（街道）应于24小时内完成组建，区疾控中心提供技术支持。",
         [(["镇（街道）"], "lead", "prose"), (["区疾控中心"], "support", "prose")]),
        # bodies named by the text: set up, housed, aliased, described by their work
        ("成立市健康专家委员会，负责为健康工作提供技术支持。", [(["市健康专家委员会"], "lead", "prose")]),
        ("省爱国卫生运动委员会（以下简称省爱卫会）负责统筹实施。", [(["省爱国卫生运动委员会"], "lead", "prose")]),
        ("由中央军事委员会负责卫生工作的部门实施监督管理。", [(["中央军事委员会负责卫生工作的部门"], "lead", "prose")]),
    ],
)
def test_duties_without_a_modal(sentence: str, expected: list) -> None:
    assert duties(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "2024年，各镇街也相继开展疫情防控总结复盘。",  # a report of what was done
        "区疾控中心开展了流行病学调查。",
        "省级人民政府可以根据情况决定增加疫苗种类。",  # a permission
        "省卫生健康委在执行规划时，可以增加项目。",
        "以区人民医院为主体，区疾控中心为补充的防治网络。",  # a noun phrase
        "各镇（街道）教育办和学校要开展自查。",  # a school is no agency: the list is not all bodies
        "理顺党委与行政领导班子议事决策程序。",  # a verb, not a body
        "由A局、B局选派人员参加。",  # staff lent, the duty is another's
    ],
)
def test_no_duty_in(sentence: str) -> None:
    assert duties(sentence) == []


def test_governance_chain_and_parts_played() -> None:
    """"由A领导、B主导…参与": each part with its verb; "发挥X等部门作用": the departments called on."""
    assert duties("建立由县级党委领导、政府主导的推进机制。") == [
        (["县级党委"], "lead", "prose"), (["县级政府"], "lead", "prose")]
    assert duties("进一步发挥卫生健康、财政、民政等部门作用，协同推进工作。") == [
        (["卫生健康部门", "财政部门", "民政部门"], "support", "shared")]
    assert duties("更好发挥政府作用。") == []  # government in general: a principle
