"""Signature and header blocks (issue 16): who issued a document, when, and for which place.

Made-up documents, one per form: several issuers on one line (ASCII spaces, tabs, U+3000), issuers
and the date on one line, a stray issuer line after the date, issuers in the title line only
(spaces, 、, 等N部门), a national document with no place name, a leftover of a body's name that
must not become a jurisdiction, and a real county missing from the jurisdiction table that must.
"""

from __future__ import annotations

import pytest

from healthgov.extract.facts.agencies import resolve_agency, split_on_gaps, unplaced_remainder
from healthgov.extract.metadata import issuers_from_title, place_warnings
from healthgov.extract.pipeline import extract_text
from healthgov.ids import is_place_name
from healthgov.records import AgencyRef, Jurisdiction

BODY = """一、工作目标
到2025年，各项工作全面落实。
二、工作要求
各单位要加强组织领导，按时报送工作进展。
"""


def _doc(title: str, signature: str, head: str = "各有关单位：\n现将有关事项通知如下。\n") -> str:
    return f"{title}\n{head}{BODY}\n{signature}\n"


def _issuers(rec) -> list[tuple[str, str | None, str | None]]:
    return [(a.name, a.agency_type, a.level) for a in rec.policy.issuers]


def _juris(rec) -> tuple[str, str] | None:
    j = rec.policy.jurisdiction
    return (j.name, j.level) if j else None


@pytest.mark.parametrize("gap", ["   ", "\t", "\t\t", "\u3000", "\u3000\u3000\u3000", " \u3000 "])
def test_several_issuers_on_one_line(gap: str) -> None:
    text = _doc("关于做好基层医疗卫生机构绩效考核工作的通知",
                f"湘潭市卫生健康委员会{gap}湘潭市财政局{gap}湘潭市医疗保障局\n2024年5月6日")
    rec = extract_text(text)
    assert _issuers(rec) == [("湘潭市卫生健康委员会", "health-commission", "city"),
                             ("湘潭市财政局", "finance", "city"),
                             ("湘潭市医疗保障局", "medical-security", "city")]
    assert rec.policy.issued_on == "2024-05-06"
    assert _juris(rec) == ("湘潭市", "city")


def test_national_issuers_on_one_line_are_split_and_typed_each() -> None:
    rec = extract_text(_doc("关于开展医养结合示范项目的通知", "国家卫生计生委 国家发展改革委 民政部\n2017年3月2日"))
    assert _issuers(rec) == [("国家卫生计生委", "health-commission", "nation"),
                             ("国家发展改革委", "development-reform", "nation"),
                             ("民政部", "civil-affairs", "nation")]
    assert _juris(rec) == ("全国", "nation")


def test_issuers_and_date_on_one_line_national_without_place() -> None:
    # No place anywhere in the text: the issuers tell the level and the jurisdiction.
    rec = extract_text(_doc("关于做好门诊费用跨省直接结算工作的通知", "国家医保局  财政部  2021年4月12日",
                            head="各省、自治区、直辖市医保局、财政厅：\n现将有关事项通知如下。\n"))
    assert _issuers(rec) == [("国家医保局", "medical-security", "nation"), ("财政部", "finance", "nation")]
    assert rec.policy.issued_on == "2021-04-12"
    assert _juris(rec) == ("全国", "nation")
    assert not [w for w in rec.warnings if "jurisdiction" in w]


def test_issuer_and_date_on_one_line_local() -> None:
    rec = extract_text(_doc("关于加强院前急救体系建设的通知", "株洲市卫生健康委员会\u30002022年11月3日"))
    assert _issuers(rec) == [("株洲市卫生健康委员会", "health-commission", "city")]
    assert rec.policy.issued_on == "2022-11-03"
    assert _juris(rec) == ("株洲市", "city")


def test_stray_issuer_after_the_date() -> None:
    sig = "江苏省卫生健康委员会\n江苏省财政厅\n2020年7月9日\n江苏省医疗保障局\n（此件公开发布）"
    rec = extract_text(_doc("关于做好家庭医生签约服务工作的通知", sig))
    assert [a.name for a in rec.policy.issuers] == ["江苏省卫生健康委员会", "江苏省财政厅", "江苏省医疗保障局"]
    assert {a.level for a in rec.policy.issuers} == {"province"}
    assert rec.policy.issued_on == "2020-07-09"
    assert _juris(rec) == ("江苏省", "province")


def test_a_plan_title_after_the_date_is_not_an_issuer() -> None:
    # A cover letter: the attached plan's title follows the date; it is no body.
    text = ("关于印发示范区建设方案的通知\n各区人民政府：\n现将方案印发给你们。\n"
            "宜昌市人民政府办公室\n2023年2月1日\n宜昌市健康示范区建设方案\n" + BODY)
    rec = extract_text(text)
    assert [a.name for a in rec.policy.issuers] == ["宜昌市人民政府办公室"]
    assert rec.policy.issued_on == "2023-02-01"


@pytest.mark.parametrize(("title", "names"), [
    ("国家卫生健康委 教育部 财政部关于印发儿童青少年近视防控方案的通知", ["国家卫生健康委", "教育部", "财政部"]),
    ("国家卫生健康委\u3000国家中医药局关于加强护理工作的通知", ["国家卫生健康委", "国家中医药局"]),
    ("省卫生健康委、省教育厅、省财政厅关于加强学校卫生工作的通知", ["省卫生健康委", "省教育厅", "省财政厅"]),
    ("无锡市卫生健康委等4部门关于推进医防融合的通知", ["无锡市卫生健康委"]),
    # a space inside one name (PDF text) is no separator
    ("国家卫生 健康委关于加强护理工作的通知", ["国家卫生健康委"]),
])
def test_issuers_from_title(title: str, names: list[str]) -> None:
    assert issuers_from_title(title) == names


def test_issuers_in_the_title_line_only() -> None:
    rec = extract_text(_doc("国家卫生健康委 教育部 财政部关于加强儿童口腔保健工作的通知", "2019年9月1日"))
    assert _issuers(rec) == [("国家卫生健康委", "health-commission", "nation"),
                             ("教育部", "education", "nation"), ("财政部", "finance", "nation")]
    assert rec.policy.issued_on == "2019-09-01"
    assert _juris(rec) == ("全国", "nation")


def test_space_inside_one_name_does_not_split() -> None:
    assert split_on_gaps("国家卫生 健康委") == [(0, 8)]
    assert split_on_gaps("政 府工作报告") == [(0, 7)]
    assert split_on_gaps("湘潭市卫生健康委员会 湘潭市财政局") == [(0, 10), (11, 17)]


def test_a_table_row_with_a_deadline_is_not_a_signature() -> None:
    text = ("关于做好健康乡村建设工作的通知\n各乡镇人民政府：\n现将有关事项通知如下。\n" + BODY
            + "重点任务\t牵头单位\t完成时限\n村卫生室标准化\t县卫生健康局\t2024年6月30日\n"
            + "县卫生健康局 2024年6月30日\n\n平江县卫生健康局\n2024年1月5日\n")
    rec = extract_text(text)
    assert [a.name for a in rec.policy.issuers] == ["平江县卫生健康局"]
    assert rec.policy.issued_on == "2024-01-05"


def test_real_county_not_in_the_table_is_a_jurisdiction() -> None:
    assert is_place_name("安化县") and is_place_name("双牌县") and is_place_name("阜蒙县")
    rec = extract_text(_doc("关于开展慢性病综合防控示范区建设的通知", "双牌县卫生健康局\t双牌县财政局\n2023年8月8日"))
    assert _issuers(rec) == [("双牌县卫生健康局", "health-commission", "county"), ("双牌县财政局", "finance", "county")]
    assert _juris(rec) == ("双牌县", "county")


@pytest.mark.parametrize("name", ["医保", "办公室", "国家中医药管理", "广州市医疗保障", "社区", "开发区", "城区", "各区"])
def test_fragments_are_not_places(name: str) -> None:
    assert not is_place_name(name)


@pytest.mark.parametrize(("name", "rest"), [("市卫生健康委医保局", "医保"), ("县卫生健康局办公室", "办公室")])
def test_leftover_is_not_a_jurisdiction(name: str, rest: str) -> None:
    ref = resolve_agency(name, Jurisdiction("岳阳市", "city", "湖南省"))
    assert ref.jurisdiction != rest and (ref.jurisdiction is None or is_place_name(ref.jurisdiction))
    assert unplaced_remainder(name) == rest
    warn = place_warnings([resolve_agency(name)], None)
    assert any(repr(rest) in w for w in warn) and any(w.startswith("policy: no jurisdiction") for w in warn)


def test_merged_leftover_in_a_document_warns_and_makes_no_jurisdiction() -> None:
    # A signature the splitter cannot cut (no space): the leftover "医保" is no place.
    rec = extract_text(_doc("关于做好医保结算工作的通知", "卫生健康委医保局\n2022年2月2日"))
    juris = [a.jurisdiction for a in rec.policy.issuers]
    assert "医保" not in juris and rec.policy.jurisdiction is None
    assert any("'医保' is not a place" in w for w in rec.warnings)
    assert any(w.startswith("policy: no jurisdiction") for w in rec.warnings)


def test_place_warnings_quiet_for_real_places() -> None:
    refs = [AgencyRef("湘潭市卫生健康委员会", "health-commission", "city", "湘潭市")]
    assert place_warnings(refs, Jurisdiction("湘潭市", "city", "湖南省")) == []
