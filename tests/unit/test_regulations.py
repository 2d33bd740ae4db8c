"""Regulations are not plans (issue 15, part 3), and items that open with a date are items.

A 办法/条例/规定/细则 organised in 第X条 articles is a regulation: its articles are provisions
(``Task.kind == "provision"``), the clauses enumerated inside an article stay its text, duties in
articles are responsibilities, payment rules are not targets, and the basis clause in 第一条
("根据《X》…,制定本办法") records that the document implements X.
"""

from __future__ import annotations

from healthgov.extract.pipeline import extract_text

DATED_ITEMS = """某市卫生健康工作实施方案

为推进工作,制定本方案。

一、重点任务
(一)2025年底前,完成全市基层医疗卫生机构标准化建设。(市卫生健康委负责)
(二)2026年6月底前,建立紧密型县域医共体。(市医保局负责)
(三)加强人才队伍建设。实施人才培养计划。(市人社局负责)
二、保障措施
1. 2025年起,每年开展一次督导评估。
2. 加强经费保障。
"""


def test_items_opening_with_a_date_are_separate_tasks():
    rec = extract_text(DATED_ITEMS)
    paths = [t.path for t in rec.tasks]
    assert paths == [["一", "(一)"], ["一", "(二)"], ["一", "(三)"], ["二", "1"], ["二", "2"]]
    first = rec.tasks[0]
    assert first.title.startswith("2025年底前")
    assert [r.name for r in first.responsibilities] == ["市卫生健康委"]
    assert [r.name for r in rec.tasks[1].responsibilities] == ["市医保局"]
    assert all(t.kind == "task" for t in rec.tasks)


REGULATION = """某市城乡居民医疗保障试行办法

第一章 总则

第一条 为了保障城乡居民基本医疗需求,根据《某某省医疗保障条例》(某政发〔2020〕12号)等规定,结合本市实际,制定本办法。

第二条 本办法适用于本市行政区域内的城乡居民基本医疗保险。

第三条 市医疗保障行政部门主管本市城乡居民医疗保障工作。市卫生健康行政部门负责医疗机构的监督管理。

第四条 市卫生健康、市场监管、公安等部门在各自职责范围内负责有关的医疗保障基金监督管理工作。

第二章 基金管理

第五条 医疗保险基金由下列各项构成:
(一)个人缴费;
(二)政府补助;
(三)社会捐助;
(四)基金的利息。

第六条 市财政部门应当会同市医疗保障经办机构做好基金的财政补助工作。定点医药机构应当配合医疗保障行政部门的监督检查。

第七条 下列情形可以申请护理补助:
1. 褥疮Ⅱ期以上的;
2. 长期卧床的。

第三章 待遇支付

第十条 下列费用不纳入基金支付范围:
(一)在境外发生的医疗费用;
(二)应当由第三人负担的医疗费用。

第十二条 住院费用报销比例为70%,一个年度内最高支付限额不超过10万元。家庭病床费用按每日50元/日标准支付。

第四章 附则

第十三条 本办法自2025年1月1日起施行,有效期2年。
"""


def _regulation():
    return extract_text(REGULATION)


def test_articles_are_provisions_and_clauses_stay_their_text():
    rec = _regulation()
    assert [t.number for t in rec.tasks] == ["第一条", "第二条", "第三条", "第四条", "第五条", "第六条", "第七条",
                                             "第十条", "第十二条", "第十三条"]
    assert all(t.kind == "provision" for t in rec.tasks)
    # The enumerated clauses are neither tasks nor sections: they are the article's text.
    fund = next(t for t in rec.tasks if t.number == "第五条")
    assert "(四)基金的利息" in fund.text and "(一)个人缴费" in fund.text
    assert "褥疮Ⅱ期以上" in next(t for t in rec.tasks if t.number == "第七条").text
    assert [s.kind for s in rec.sections] == ["chapter"] * 4
    # An article's section is its chapter, 总则 and 附则 included.
    chapters = {s.id: s.title for s in rec.sections}
    assert chapters[rec.tasks[2].section] == "总则"
    assert chapters[rec.tasks[-1].section] == "附则"
    assert rec.tasks[2].path == ["第一章", "第三条"]
    out = rec.to_dict()
    assert all(t["kind"] == "provision" for t in out["tasks"])


def test_duties_in_articles_are_responsibilities():
    rec = _regulation()
    by_number = {t.number: t for t in rec.tasks}
    # The subject right after the article's number is the subject, not "第三条 X".
    duty = [(r.name, r.role, r.basis) for r in by_number["第三条"].responsibilities]
    assert duty == [("市医疗保障行政部门", "lead", "prose"), ("市卫生健康行政部门", "lead", "prose")]
    assert by_number["第三条"].responsibilities[0].agency_type == "medical-security"
    # "A、B、C等部门在各自职责范围内负责": joint, each department named with the shared noun.
    joint = [(r.name, r.role, r.basis) for r in by_number["第四条"].responsibilities]
    assert joint == [("市卫生健康部门", "support", "shared"), ("市场监管部门", "support", "shared"),
                     ("公安部门", "support", "shared")]
    # The evidence of a prose duty is its sentence (the names are read in it).
    sp = by_number["第四条"].responsibilities[1].span
    assert "市场监管" in rec.text[sp.start : sp.end] and rec.text[sp.start : sp.end].endswith("工作。")
    six = [(r.name, r.role) for r in by_number["第六条"].responsibilities]
    assert six[:2] == [("市财政部门", "lead"), ("市医疗保障经办机构", "support")]
    assert [r.order for r in by_number["第六条"].responsibilities] == list(range(len(six)))
    for t in rec.tasks:
        for r in t.responsibilities:
            evidence = rec.text[r.span.start : r.span.end]
            # a list item named with its list's shared noun ("市卫生健康、…等部门" → 市卫生健康部门)
            named = r.name in evidence or evidence in r.name or r.name.removesuffix("部门") in evidence
            assert t.span.start <= r.span.start and named
    # Articles that assign nothing get nobody.
    assert by_number["第二条"].responsibilities == [] and by_number["第十二条"].responsibilities == []


def test_payment_rules_are_quantified_norms_not_goals():
    # Issue 25: a regulation's rates, caps and daily rates are kept as norms, comparable across
    # places; none of them is a goal.
    rec = _regulation()
    got = {(t.value, t.unit, t.comparator, t.kind) for t in rec.targets}
    assert {(70.0, "%", "=", "norm"), (100000.0, "元", "<=", "norm")} <= got
    assert all(t.kind == "norm" and t.year is None for t in rec.targets)
    assert all(not t.indicator_text.startswith("第") for t in rec.targets)  # never the article's number


def test_basis_clause_records_implements():
    rec = _regulation()
    cites = [(c.title, c.doc_number, c.relation) for c in rec.policy.cites]
    assert cites == [("某某省医疗保障条例", "某政发〔2020〕12号", "implements")]


def test_a_plan_with_articles_is_not_a_regulation():
    # A 方案 in 第X条 form keeps its plan reading; a 办法 without articles too.
    plan = REGULATION.replace("某市城乡居民医疗保障试行办法", "某市城乡居民医疗保障实施方案", 1)
    rec = extract_text(plan)
    assert all(t.kind == "task" for t in rec.tasks)
    # ("医疗保险基金由下列各项构成:" and its short items: an enumeration inside 第五条, issue 25)
    fifth = next(t for t in rec.tasks if t.number == "第五条")
    assert "(四)基金的利息" in fifth.text and "(一)" not in [t.number for t in rec.tasks]
    assert "kind" not in rec.to_dict()["tasks"][0]
    notice = REGULATION.replace("某市城乡居民医疗保障试行办法", "关于印发《某市城乡居民医疗保障办法(试行)》的通知", 1)
    assert all(t.kind == "provision" for t in extract_text(notice).tasks)


def test_regulation_titles():
    from healthgov.extract.facts.provisions import is_regulation_title

    for title in ("某市医疗保障基金使用监督管理办法", "某省医疗保障条例", "某市长期护理保险试行办法",
                  "某县家庭医生签约服务实施细则", "某市大病保险暂行规定", "某市门诊共济保障办法(试行)",
                  "某市门诊共济保障办法（暂行）"):
        assert is_regulation_title(title), title
    for title in ("某市健康城市建设实施方案", "关于进一步加强基层医疗卫生工作的意见", None, ""):
        assert not is_regulation_title(title), title


def test_provisions_in_the_graph_rows_and_the_ontology():
    from rdflib import RDFS, Graph, Namespace

    from healthgov.graph.schema import ONTOLOGY, load_schema
    from healthgov.loaders.rows import document_rows

    schema = load_schema()
    rows = document_rows(schema, _regulation())
    assert {t["props"].get("kind") for t in rows.tasks} == {"provision"}
    plan = document_rows(schema, extract_text(DATED_ITEMS))
    assert all("kind" not in t["props"] for t in plan.tasks)  # plans' graphs unchanged
    hg = Namespace("https://w3id.org/healthgov/ontology#")
    onto = Graph().parse(ONTOLOGY)
    assert (hg.Provision, RDFS.subClassOf, hg.Task) in onto
    assert str(onto.value(hg.Provision, hg.graphRole)) == "rdf-only"
    assert "Provision" not in schema.node_labels()


def test_provisions_in_rdf_are_typed_and_conform():
    from rdflib import RDF, Namespace

    from healthgov.ontology.rdf import record_to_graph, validate, with_vocabulary

    hg = Namespace("https://w3id.org/healthgov/ontology#")
    g = record_to_graph(_regulation())
    provisions = set(g.subjects(RDF.type, hg.Provision))
    assert provisions and provisions == set(g.subjects(RDF.type, hg.Task))
    conforms, report = validate(with_vocabulary(g))
    assert conforms, report
    # The shape bites: a provision numbered like a plan's item does not conform.
    bad = next(iter(provisions))
    g.set((bad, hg.number, g.value(bad, hg.number).__class__("(一)")))
    assert not validate(with_vocabulary(g))[0]


NOTICE = """某市人民政府办公室关于印发《某市长期护理保险暂行办法》的通知

各区县人民政府,市政府各部门:
现将《某市长期护理保险暂行办法》印发给你们,请认真贯彻执行。

某市人民政府办公室
2024年3月1日

某市长期护理保险暂行办法

第一章　总则
第一条　为了积极应对人口老龄化,根据《国务院关于加快发展养老服务业的若干意见》(国发〔2013〕35号)和《某省长期护理保险试点方案》,结合本市实际,制定本办法。
第二条　市医疗保障局负责长期护理保险的组织实施。市民政局、市财政局按照各自职责做好相关工作。
第二章　待遇
第三条　长期护理保险基金按下列标准支付:机构护理每人每日60元;居家护理每人每日40元。基金支付比例为70%。
参保人员在定点护理机构发生的费用,按规定结算。
不符合规定的费用,基金不予支付。
第四条　有下列情形之一的,不予支付:
(一)应当由工伤保险基金支付的;
(二)在境外发生的。
第三章　附则
第五条　本办法自2024年4月1日起施行。
"""


def test_a_notice_issuing_a_regulation():
    rec = extract_text(NOTICE)
    assert rec.policy.short_title == "某市长期护理保险暂行办法"
    assert [t.number for t in rec.tasks] == ["第一条", "第二条", "第三条", "第四条", "第五条"]
    assert all(t.kind == "provision" for t in rec.tasks)
    # An article's later paragraphs (款) are its text; its amounts are quantified norms, never goals.
    assert rec.tasks[2].text.endswith("不符合规定的费用,基金不予支付。")
    assert [(t.value, t.unit, t.kind) for t in rec.targets] == [(60.0, "元/人/天", "norm"), (40.0, "元/人/天", "norm"),
                                                               (70.0, "%", "norm")]
    assert [(c.title, c.relation) for c in rec.policy.cites] == [
        ("国务院关于加快发展养老服务业的若干意见", "implements"), ("某省长期护理保险试点方案", "implements")]
    duty = [(r.name, r.role, r.basis) for r in rec.tasks[1].responsibilities]
    assert duty == [("市医疗保障局", "lead", "prose"), ("市民政局", "support", "shared"),
                    ("市财政局", "support", "shared")]
