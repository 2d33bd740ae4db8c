"""Cited documents (issue 16, part 4): one title key however a document is cited, a placeholder's
id and jurisdiction, the loader's matching rule, and the citation finder's new forms. Made-up
titles and numbers, not copies of any document."""

from __future__ import annotations

import pytest

from healthgov.extract.citations import cited_jurisdiction, jurisdiction_of_number, prefix_table
from healthgov.extract.pipeline import extract_text
from healthgov.ids import citation_title_key, cited_policy_id, policy_id
from healthgov.loaders.batch import Known, key_match

X = "健康示范城市建设行动方案"


@pytest.mark.parametrize("title", [
    "健康示范城市建设行动方案",
    "《健康示范城市建设行动方案》",
    "关于印发健康示范城市建设行动方案的通知",
    "关于印发《健康示范城市建设行动方案》的通知",
    "国务院办公厅关于印发健康示范城市建设行动方案的通知",
    "國務院辦公廳關於印發健康示範城市建設行動方案的通知",
    "印发健康示范城市建设行动方案的通知",
    "关于《健康示范城市建设行动方案》的通知",
])
def test_every_form_of_one_title_has_one_key(title: str) -> None:
    assert citation_title_key(title) == X


@pytest.mark.parametrize(("a", "b"), [
    ("中共中央办公厅 国务院办公厅关于进一步完善示范服务体系的意见", "关于进一步完善示范服务体系的意见"),
    ("中共中央办公厅、国务院办公厅关于进一步完善示范服务体系的意见", "印发关于进一步完善示范服务体系的意见"),
    ("“健康示范2099”规划纲要", "健康示范2099规划纲要"),
    ("示范行动计划(2098—2099年)", "示范行动计划（2098-2099年）"),
    # a news-style title: the issuers, the verb, the document (issue 25)
    ("中共中央办公厅 国务院办公厅印发关于进一步完善示范服务体系的意见", "关于进一步完善示范服务体系的意见"),
    ("中共中央办公厅、国务院办公厅印发《关于进一步完善示范服务体系的意见》", "进一步完善示范服务体系的意见"),
    ("中共中央 国务院印发《“健康示范2099”规划纲要》", "“健康示范2099”规划纲要"),
])
def test_issuer_prefix_quotes_and_dashes_do_not_count(a: str, b: str) -> None:
    assert citation_title_key(a) == citation_title_key(b)


def test_distinct_documents_keep_distinct_keys() -> None:
    # A notice that forwards a document is a document of its own; 实施意见 is not 意见.
    assert citation_title_key("关于转发国务院办公厅关于示范工作的意见的通知") != citation_title_key("关于示范工作的意见")
    assert citation_title_key("关于示范工作的实施意见") != citation_title_key("关于示范工作的意见")
    assert citation_title_key("") is None


def test_placeholder_ids() -> None:
    # By number when the citation gives one: the id of the real document once it is loaded.
    assert cited_policy_id("国办发[2099] 1号", "《X》") == policy_id("国办发〔2099〕1号", "另一个标题")
    # Else by the title key: every title-only form makes the same node.
    assert cited_policy_id(None, "关于印发健康示范城市建设行动方案的通知") == cited_policy_id(None, X)
    assert cited_policy_id(None, X) != cited_policy_id("国办发〔2099〕1号", X)


@pytest.mark.parametrize(("number", "name", "level", "issuer_type"), [
    ("国办发〔2099〕1号", "全国", "nation", "government"),
    ("国发〔2099〕2号", "全国", "nation", "government"),
    ("国卫基层发〔2099〕3号", "全国", "nation", None),
    ("国医保发〔2099〕4号", "全国", "nation", None),
    ("医保发〔2099〕4号", "全国", "nation", None),
    ("中办发〔2099〕5号", "全国", "nation", "party"),
    ("中发〔2099〕6号", "全国", "nation", "party"),
    ("粤卫〔2099〕7号", "广东省", "province", None),
    ("渝府办发〔2099〕8号", "重庆市", "province", "government"),
    ("赣府厅发〔2099〕9号", "江西省", "province", "government"),
    ("琼健爱卫〔2099〕10号", "海南省", "province", None),
    ("穗卫规字〔2099〕11号", "广州市", "city", None),
    ("杭政办函〔2099〕12号", "杭州市", "city", "government"),
])
def test_jurisdiction_of_a_number_prefix(number: str, name: str, level: str, issuer_type: str | None) -> None:
    j, kind = jurisdiction_of_number(number)
    assert j is not None and (j.name, j.level, kind) == (name, level, issuer_type)


def test_the_prefix_table_knows_every_province_abbreviation() -> None:
    single = {p: name for p, name, _t in prefix_table() if len(p) == 1}
    for abbr in "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼港澳台":
        assert abbr in single, abbr
    assert single["粤"] == "广东省" and single["贵"] == "贵州省" and single["渝"] == "重庆市"
    assert jurisdiction_of_number("某某发〔2099〕1号") == (None, None)  # unknown: no jurisdiction


@pytest.mark.parametrize(("title", "name", "issuer_type"), [
    ("国务院办公厅关于示范工作的意见", "全国", "government"),
    ("中共中央 国务院关于示范工作的意见", "全国", "party"),
    ("广东省人民政府关于示范工作的意见", "广东省", "government"),
    ("中共江西省委 江西省人民政府关于示范工作的若干意见", "江西省", "party"),
    ("中华人民共和国示范法", "全国", None),
])
def test_jurisdiction_of_the_issuer_named_in_a_title(title: str, name: str, issuer_type: str | None) -> None:
    j, kind = cited_jurisdiction(None, title)
    assert j is not None and (j.name, kind) == (name, issuer_type)
    assert cited_jurisdiction(None, "示范行动方案") == (None, None)


def test_title_matches_need_compatible_numbers_and_jurisdictions() -> None:
    placeholder = Known(False, None, X, jurisdiction="全国")
    assert key_match(placeholder, "国办发〔2099〕1号", X, "全国") == (True, False)
    assert key_match(placeholder, None, X, None) == (True, False)
    assert key_match(placeholder, None, X, "广东省") == (False, False)  # the same words, another issuer
    numbered = Known(True, "国办发〔2098〕1号", X)
    assert key_match(numbered, "国办发〔2099〕1号", X) == (False, False)  # reissued in another year
    assert key_match(numbered, "国办发〔2098〕1号", "别的标题") == (True, True)


TEXT = """示范市卫生健康委员会关于印发示范市健康示范城市建设工作方案的通知
穗卫〔2099〕5号
各区卫生健康局：
为贯彻落实中共中央办公厅、国务院办公厅印发关于进一步完善示范服务体系的意见精神，结合我市实际，制定本方案。
一、工作目标
（一）制定《示范市健康积分管理指南》，编制《示范评价手册》。国家制定《示范考核指标》（见附件）。
（二）发布《示范市健康服务目录》。党中央、国务院印发《健康示范2099规划纲要》以来成效明显。
"""


def test_citation_forms_found_and_not_found() -> None:
    cites = {c.title: c.relation for c in extract_text(TEXT).policy.cites}
    # Unquoted, in the preamble: implemented; a past 印发 with its subject: cited.
    assert cites == {"关于进一步完善示范服务体系的意见": "implements", "健康示范2099规划纲要": "cites"}


def test_forms_standards_and_guidelines_are_not_cited_documents() -> None:
    # "按照《…条例》《…技术指南（2019年版）》《…核定表》…要求": the law is a citation, the guideline, the
    # form and the standard are not policy documents (issue 25).
    rec = extract_text(
        "某市卫生健康委关于印发示范防控工作方案的通知\n某卫发〔2099〕1号\n各区卫生健康局：\n"
        "按照《示范省爱国卫生工作条例》《示范省登革热防控专业技术指南（2019年版）》《诊疗科目核定表》"
        "《国民体质测定标准》等要求，结合实际，制定本方案。\n一、工作任务\n（一）加强监测。市疾控中心负责。\n"
        "某市卫生健康委\n2099年1月1日\n")
    assert [c.title for c in rec.policy.cites] == ["示范省爱国卫生工作条例"]
