"""One Agency per real body per jurisdiction (docs/DESIGN.md, "Agency identity").

Names resolve through the agency-type vocabulary and the document's jurisdiction
(``extract.facts.agencies.resolve_agency`` gives the ``name_form``), and ``healthgov.ids``
keys them: the short and full forms of one body meet, a predecessor's name, a generic
department, a class of bodies and the bodies of a several-bodies type stay apart.
Made-up documents, not copies of any text.
"""

from __future__ import annotations

from healthgov import ids
from healthgov.extract.facts.agencies import resolve_agency
from healthgov.extract.pipeline import extract_text
from healthgov.graph.schema import load_schema
from healthgov.loaders.rows import document_rows
from healthgov.ontology.vocab import former_body_key
from healthgov.records import Jurisdiction

GZ = Jurisdiction("广州市", "city", "广东省")
NATION = Jurisdiction("全国", "nation", None)


GD = Jurisdiction("广东省", "province", "全国")


def key(name: str, j: Jurisdiction, collective: bool = False) -> str:
    """The id an issuer or a responsibility gets (both carry the resolved jurisdiction)."""
    ref = resolve_agency(name, j)
    return ids.agency_key(name, ref.level, ref.jurisdiction, j.name, j.level,
                          agency_type=ref.agency_type, name_form=None if collective else ref.name_form,
                          collective=collective, former_body=former_body_key(ref.agency_type, ref.name_form))[0]


def test_short_and_full_forms_of_the_guangzhou_health_commission_meet() -> None:
    forms = ["市卫健委", "市卫生健康委", "市卫生健康委员会", "广州市卫生健康委员会", "卫生健康委"]
    assert {key(n, GZ) for n in forms} == {"广州市/health-commission"}


def test_national_whole_and_short_forms_meet() -> None:
    assert {key(n, NATION) for n in ("国家医保局", "国家医疗保障局", "医保局")} == {"全国/medical-security"}
    assert key("卫生健康委", NATION) == key("国家卫生健康委", NATION) == "全国/health-commission"


def test_a_predecessor_is_its_own_node() -> None:
    former = resolve_agency("国家卫生计生委", NATION)
    assert former.name_form == "former:卫生计生委"
    assert key("国家卫生计生委", NATION) == "全国/health-commission/former/卫生和计划生育委员会"
    assert key("国家卫生计生委", NATION) != key("国家卫生健康委", NATION)


def test_the_names_of_one_predecessor_are_one_node_and_two_predecessors_two() -> None:
    # The vocabulary groups each predecessor body's names (hg:formerBody), keyed by its full name.
    assert {key(n, NATION) for n in ("国家卫生计生委", "国家卫计委", "国家卫生和计划生育委员会")} == {
        "全国/health-commission/former/卫生和计划生育委员会"}
    assert {key(n, GZ) for n in ("市卫计局", "市卫生计生局", "市卫生和计划生育局")} == {
        "广州市/health-commission/former/卫生和计划生育局"}
    # Different predecessors of one type stay apart: 卫生局 is not 卫生和计划生育局; a 厅 is not a 局.
    assert key("市卫生局", GZ) == "广州市/health-commission/former/卫生局"
    assert key("环保局", GZ) == key("市环境保护局", GZ) == "广州市/ecology-environment/former/环境保护局"
    assert key("省环境保护厅", GD) == "广东省/ecology-environment/former/环境保护厅"
    assert {key(n, NATION) for n in ("国务院扶贫办", "扶贫办", "扶贫开发领导小组办公室")} == {
        "全国/rural-revitalisation/former/扶贫开发领导小组办公室"}
    assert key("食药监局", GZ) == key("市食品药品监督管理局", GZ) == "广州市/drug-administration/former/食品药品监督管理局"
    # The written form stays on the record and on the relationship.
    assert resolve_agency("国家卫计委", NATION).name_form == "former:卫计委"


def test_every_former_label_is_in_exactly_one_former_body() -> None:
    from rdflib import Graph, Literal, URIRef

    from healthgov.ontology.summary import check_former_bodies
    from healthgov.ontology.vocab import HG, load_vocabularies, vocab_graph

    assert check_former_bodies(vocab_graph()).ok
    for c in load_vocabularies()["agency-type"]:
        names = [n for body in c.former_bodies for n in body]
        assert sorted(names) == sorted(ids.to_simplified(lab) for lab in c.former_labels), c.id
    bad = Graph()
    c = URIRef("https://w3id.org/healthgov/vocab/agency-type/x")
    bad.add((c, HG.formerLabel, Literal("甲局", lang="zh")))
    bad.add((c, HG.formerLabel, Literal("乙局", lang="zh")))
    bad.add((c, HG.formerBody, Literal("甲局 丙局", lang="zh")))
    check = check_former_bodies(bad)
    assert not check.ok and "乙局" in check.detail and "丙局" in check.detail


def test_a_generic_department_is_not_the_concrete_body() -> None:
    assert key("市卫生健康部门", GZ) == "广州市/health-commission/generic"
    assert key("卫生健康部门", GZ) != key("市卫生健康委", GZ)
    assert key("卫生健康部门", GZ) == "广州市/卫生健康部门"  # no level: its own jurisdiction is unknown


def test_a_class_of_bodies_is_never_merged() -> None:
    assert key("各区县政府", GZ, collective=True) == "广州市/各区县政府"
    assert resolve_agency("各级卫生健康行政部门", GZ).name_form is None


def test_bodies_of_a_several_bodies_type_keep_their_names() -> None:
    a, b = key("市疾控中心", GZ), key("市卫生监督所", GZ)
    assert a != b and a == "广州市/市疾控中心"
    assert resolve_agency("市疾控中心", GZ).name_form is None


def test_a_body_of_another_place_is_keyed_in_that_place() -> None:
    # The place the name names is the body's own (carried on the record): 深圳市's commission in a
    # Guangzhou text is 深圳市's node, never Guangzhou's; 广州市's in a province's text is Guangzhou's.
    ref = resolve_agency("深圳市卫生健康委", GZ)
    assert (ref.jurisdiction, ref.name_form) == ("深圳市", "current:卫生健康委")
    assert key("深圳市卫生健康委", GZ) == "深圳市/health-commission" != key("市卫生健康委", GZ)
    assert key("广州市卫生健康委员会", GD) == key("市卫健委", GZ) == "广州市/health-commission"
    assert resolve_agency("广州市卫生健康委员会", GD).jurisdiction == "广州市"  # not the alias 广州


def test_a_tier_word_alone_never_guesses_a_place() -> None:
    # 市卫健委 in a province's text: some city's commission, which one the name does not say.
    ref = resolve_agency("市卫健委", GD)
    assert (ref.level, ref.jurisdiction) == ("city", None)
    assert key("市卫健委", GD) == "广东省/市卫健委"
    # A class of bodies inside a named place (every district's bureau) is no one body either.
    assert resolve_agency("各市卫健委", GD).name_form is None
    assert key("广州市各区卫健局", GD).endswith("/广州市各区卫健局")


def test_the_name_rank_prefers_the_place_then_the_prefix_then_shorter() -> None:
    forms = {n: resolve_agency(n, GZ).name_form for n in ("卫生健康委", "市卫健委", "市卫生健康委", "广州市卫生健康委员会")}
    ranked = sorted(forms, key=lambda n: ids.agency_name_rank(n, "广州市", forms[n]))
    assert ranked == ["广州市卫生健康委员会", "市卫健委", "市卫生健康委", "卫生健康委"]


DOC = """广州市卫生健康委员会关于印发某某工作方案的通知
（本文为测试用虚构文本）
一、重点任务
（一）加强基层人才队伍建设。（牵头单位：市卫健委；配合单位：市财政局）
（二）完善家庭医生签约服务。（市卫生健康委牵头，市医保局、各区县政府按职责分工负责）
（三）推进医共体建设。（责任单位：市卫生健康委员会、市卫生健康部门）
（四）做好疾病防控。（牵头单位：市疾控中心；配合单位：市卫生监督所）
广州市卫生健康委员会
2024年3月1日
"""


def test_one_document_writes_one_node_with_every_alias() -> None:
    rec = extract_text(DOC, source="gz.txt")
    rows = document_rows(load_schema(), rec)
    by_id = {a["id"]: a for a in rows.agencies}
    hc = by_id["广州市/health-commission"]
    assert hc["aliases"] == sorted({"市卫健委", "市卫生健康委", "市卫生健康委员会", "广州市卫生健康委员会"})
    assert hc["name"] == "广州市卫生健康委员会" and hc["name_form"] == "current"
    assert "广州市/health-commission/generic" in by_id
    assert {"广州市/市疾控中心", "广州市/市卫生监督所"} <= set(by_id)
    assert by_id["广州市/各区县政府"].get("collective") is True
    # Every mention keeps its name as written and its form on the relationship (the evidence).
    names = {r["props"]["name"] for role in rows.responsibilities.values() for r in role
             if r["agency"] == "广州市/health-commission"}
    assert names == {"市卫健委", "市卫生健康委", "市卫生健康委员会"}
    assert [i["agency"] for i in rows.issuers] == ["广州市/health-commission"]


PROVINCE_DOC = """广东省卫生健康委员会关于印发区域医疗中心建设方案的通知
（本文为测试用虚构文本）
一、重点任务
（一）建设区域医疗中心。（牵头单位：广州市卫生健康委员会；配合单位：深圳市卫健委、市卫健委）
广东省卫生健康委员会
2024年3月1日
"""


def test_a_responsibility_carries_its_place_and_graph_and_rdf_key_it_alike() -> None:
    from healthgov.ontology.rdf import HG, iri, record_to_graph

    rec = extract_text(PROVINCE_DOC, source="gd.txt")
    resps = {r.name: r for r in rec.tasks[0].responsibilities}
    assert resps["广州市卫生健康委员会"].jurisdiction == "广州市"
    assert resps["深圳市卫健委"].jurisdiction == "深圳市"
    assert resps["市卫健委"].jurisdiction is None and resps["市卫健委"].level == "city"
    # Written only when known (as name_form).
    dumped = rec.to_dict()["tasks"][0]["responsibilities"]
    assert [("jurisdiction" in r) for r in dumped] == [True, True, False]
    rows = document_rows(load_schema(), rec)
    keyed = {r["props"]["name"]: r["agency"] for role in rows.responsibilities.values() for r in role}
    assert keyed == {"广州市卫生健康委员会": "广州市/health-commission",
                     "深圳市卫健委": "深圳市/health-commission", "市卫健委": "广东省/市卫健委"}
    g = record_to_graph(rec)
    agencies = set(g.objects(iri("task", rec.tasks[0].id), HG.leadAgency)) | set(
        g.objects(iri("task", rec.tasks[0].id), HG.supportingAgency))
    assert agencies == {iri("agency", a) for a in keyed.values()}


def test_names_recomputed_from_the_mentions_are_what_loading_them_made() -> None:
    # After a replaced document (healthgov.loaders.batch._rename): the same name, rank and aliases
    # as folding the remaining mentions' rows one by one, whatever their order.
    from healthgov.loaders.rows import agency_names, agency_row, merge_agency

    s = load_schema()
    mentions = [(n, resolve_agency(n, GZ).name_form) for n in ("市卫生健康委", "廣州市衛生健康委員會", "市卫健委", "市卫健委")]
    for order in (mentions, mentions[::-1]):
        rows = [agency_row(s, n, "health-commission", "city", "广州市", "广州市", "city", name_form=nf).props
                for n, nf in order]
        known = dict(rows[0])
        for r in rows[1:]:
            merge_agency(s, known, r)
        got = agency_names(known["id"], "广州市", order)
        assert {k: known[k] for k in ("name", "name_rank", "aliases")} == {k: got[k] for k in ("name", "name_rank", "aliases")}
    assert got["name"] == "广州市卫生健康委员会" and got["aliases"] == ["市卫健委", "市卫生健康委", "广州市卫生健康委员会"]
