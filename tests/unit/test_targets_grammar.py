"""The comparator grammar of targets, on made-up sentences: negation and position, 至少 + verb,
ranges, time limits, units with their measure, the indicator an elliptical clause leaves unstated,
indicator-table cells with their own year and comparator, and quantities that are not targets.

The property test: for every direction word of the grammar, the negated word (不 / 不得 …) gives
the opposite direction, in any sentence around it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthgov.extract.facts.targets.comparators import find_comparator, find_values
from healthgov.extract.facts.targets.grammar import BASE_WORDS, NEGATE, NEGATIONS, POST_PHRASES, comparator_of
from healthgov.extract.numbers import normalise_digits
from healthgov.extract.pipeline import extract_file


def _value(clause: str) -> tuple[str, float | None, float | None, str | None]:
    """The comparator, value, upper value and unit of the first quantity in a clause."""
    norm = normalise_digits(clause)
    hits = find_values(norm, 0, len(norm))
    assert hits, clause
    h = hits[0]
    return find_comparator(norm, 0, h), h.value, h.value_max, h.unit


@pytest.mark.parametrize(
    "clause,want",
    [
        # negated upper bounds, and their positions
        ("办理时限不得超过30天", ("<=", 30.0, None, "天")),
        ("平均住院日不超过8天", ("<=", 8.0, None, "天")),
        ("次均费用增幅不高于5%", ("<=", 5.0, None, "%")),
        ("每个团队服务人数不多于2000人", ("<=", 2000.0, None, "人")),
        ("孕产妇死亡率控制在8/10万以内", ("<=", 8.0, None, "/10万")),
        ("贫血患病率控制在10%以下", ("<=", 10.0, None, "%")),
        ("婴儿死亡率低于4‰以下", ("<=", 4.0, None, "‰")),
        ("住院患者伙食费用不高于每人每天35元", ("<=", 35.0, None, "元/人/天")),
        # strict bounds only without 不
        ("婴儿死亡率低于4‰", ("<", 4.0, None, "‰")),
        ("流失率少于5%", ("<", 5.0, None, "%")),
        ("医学人才总量突破110名", (">", 110.0, None, "名")),
        ("签约居民超过100万人", (">", 1_000_000.0, None, "人")),
        ("床位使用率高于85%", (">", 85.0, None, "%")),
        # lower bounds
        ("每个机构配备人员不得低于500人", (">=", 500.0, None, "人")),
        ("每千人口注册护士数不低于4.2人", (">=", 4.2, None, "人")),
        ("每年引进医学人才不少于300人", (">=", 300.0, None, "人")),
        ("市、县至少1家", (">=", 1.0, None, "家")),
        ("每季度至少主动联系1次", (">=", 1.0, None, "次")),
        ("市、县至少建立1家危重儿童救治中心", (">=", 1.0, None, "家")),
        ("诊疗量占比达到65%以上", (">=", 65.0, None, "%")),
        ("按不低于采购金额的30%预付", (">=", 30.0, None, "%")),
        # aspiration, plain values, ranges
        ("开放率力争达到90%", ("about", 90.0, None, "%")),
        ("力争达到90%以上", (">=", 90.0, None, "%")),
        ("住院费用支付比例约70%", ("about", 70.0, None, "%")),
        ("支付比例稳定在70%左右", ("about", 70.0, None, "%")),
        ("签约服务覆盖率达到81%", ("=", 81.0, None, "%")),
        ("建成社区医院60—80个", ("range", 60.0, 80.0, "个")),
        ("自付比例60%至80%", ("range", 60.0, 80.0, "%")),
        ("培养骨干医生60-80人", ("range", 60.0, 80.0, "人")),
        # changes, time limits, units with their measure
        ("健康素养水平提高2个百分点", ("text", 2.0, None, "个百分点")),
        ("在5个工作日内完成审核", ("<=", 5.0, None, "工作日")),
        ("确保1年内完成合同用量", ("<=", 1.0, None, "年")),
        ("全科医生数达到每万人口4名", ("=", 4.0, None, "名/万人")),
        ("床位数达到每千人口6张", ("=", 6.0, None, "张/千人")),
        ("人均预期寿命达到79岁", ("=", 79.0, None, "岁")),
    ],
)
def test_comparator_forms(clause: str, want: tuple) -> None:
    assert _value(clause) == want


@pytest.mark.parametrize("clause", ["签约服务覆盖率达到80%", "约束性指标达到80%", "坚持节约办医达到80%"])
def test_yue_inside_a_word_is_not_about(clause: str) -> None:
    assert _value(clause)[0] == "="


@pytest.mark.parametrize("clause", ["到2025年建成", "2024年3月20日印发", "力争2025年建成", "实施三年行动"])
def test_dates_are_not_time_limits(clause: str) -> None:
    norm = normalise_digits(clause)
    assert not [h for h in find_values(norm, 0, len(norm)) if h.unit in ("年", "日")]


@pytest.mark.parametrize("clause", ["由两个或两个以上医疗机构组成", "入围企业3家或以上的"])
def test_definition_thresholds_are_not_values(clause: str) -> None:
    norm = normalise_digits(clause)
    assert not find_values(norm, 0, len(norm))


# --- the property: negation reverses the direction ----------------------------------------------

_OPPOSITE_POST = {"以上": "以下", "及以上": "及以下", "以下": "以上", "及以下": "及以上"}


@settings(max_examples=200, deadline=None)
@given(
    word=st.sampled_from(sorted(BASE_WORDS)),
    neg=st.sampled_from(NEGATIONS),
    subject=st.sampled_from(["孕产妇死亡率", "每千人口执业医师数", "平均住院日", "签约服务覆盖率", ""]),
    value=st.decimals(min_value=1, max_value=9999, places=1).map(str),
    unit=st.sampled_from(["%", "人", "天", "个", "元/人/天", "‰"]),
)
def test_negation_gives_the_opposite_direction(word: str, neg: str, subject: str, value: str, unit: str) -> None:
    u = {"元/人/天": "元"}.get(unit, unit)
    plain = _value(f"{subject}{word}{value}{u}")[0]
    negated = _value(f"{subject}{neg}{word}{value}{u}")[0]
    assert plain == BASE_WORDS[word]
    assert negated == NEGATE[plain]
    # and the bare phrases say the same
    assert comparator_of(neg + word) == NEGATE[comparator_of(word)]


@pytest.mark.parametrize("post", sorted(_OPPOSITE_POST))
def test_qualifiers_after_the_value_are_opposites(post: str) -> None:
    up, down = POST_PHRASES[post], POST_PHRASES[_OPPOSITE_POST[post]]
    assert {up, down} == {">=", "<="}
    assert _value(f"覆盖率达到90%{post}")[0] == up


# --- whole documents: ellipsis, tables, non-targets ---------------------------------------------

_PLAN = """某市人民政府办公室关于印发某市卫生人才发展行动方案的通知
某府办发〔2024〕9号
各区人民政府，市政府各部门：
现将《某市卫生人才发展行动方案》印发给你们，请认真贯彻执行。
某市人民政府办公室
2024年5月6日
某市卫生人才发展行动方案
一、主要目标
到2025年，每千人口执业（助理）医师数达到3.5人，到2027年不低于4.66人。
二、重点任务
（一）加强基层。每个乡镇至少建成1家中心卫生院。全面落实医保信息业务编码标准，统一维护15项业务编码。医共体是指由两个或两个以上医疗机构组成的联合体，目前已组建医共体12个。（责任单位：市卫生健康委）
附件
主要指标
序号\t指标名称\t指标说明\t目标值
1\t家庭医生签约率\t签约人数占常住人口的比例\t力争2026年达到60%
2\t基层诊疗量占比\t基层诊疗人次占总诊疗人次的比例\t≥50%
3\t抗菌药物使用率\t使用抗菌药物的处方比例\t≤10%
4\t电子健康档案建档率\t建档人数占常住人口的比例\t2027年达到80%以上
"""


@pytest.fixture(scope="module")
def plan_targets(tmp_path_factory: pytest.TempPathFactory) -> list:
    p: Path = tmp_path_factory.mktemp("plan") / "plan.txt"
    p.write_text(_PLAN, encoding="utf-8")
    return extract_file(p).targets


def test_elliptical_clause_keeps_the_previous_indicator(plan_targets: list) -> None:
    t = next(t for t in plan_targets if t.value == 4.66)
    assert (t.comparator, t.unit, t.year) == (">=", "人", 2027)
    assert t.indicator_text == next(x for x in plan_targets if x.value == 3.5).indicator_text
    assert "执业" in t.indicator_text and t.indicator_text != "不低于"


def test_table_cells_with_year_and_comparator(plan_targets: list) -> None:
    rows = {t.indicator_text: (t.comparator, t.value, t.year) for t in plan_targets if t.text and "|" in t.text}
    assert rows["家庭医生签约率"] == ("about", 60.0, 2026)
    assert rows["基层诊疗量占比"][:2] == (">=", 50.0)
    assert rows["抗菌药物使用率"][:2] == ("<=", 10.0)
    assert rows["电子健康档案建档率"] == (">=", 80.0, 2027)
    assert not [i for i in rows if "比例" in i]  # never the explanation column


def test_quantities_that_are_not_targets(plan_targets: list) -> None:
    assert [t.comparator for t in plan_targets if t.value == 1.0 and t.unit == "家"] == [">="]
    assert not [t for t in plan_targets if t.value in (15.0, 12.0, 2.0)]


def test_provisions_of_a_regulation_give_norms_not_goals(tmp_path: Path) -> None:
    p = tmp_path / "reg.txt"
    p.write_text(
        "某市医疗保障办法\n第一章　总则\n第一条　为了规范医疗保障管理，制定本办法。\n第二章　待遇\n"
        "第二条　住院伙食补助标准为每人每天20元，补助天数不得超过30天。\n"
        "第三条　个人缴费标准为每人每年380元，财政补助不低于每人每年640元。\n"
        "第四条　经办机构应当自受理之日起20个工作日内完成审核。\n",
        encoding="utf-8",
    )
    rec = extract_file(p)
    assert rec.tasks and all(t.kind == "provision" for t in rec.tasks)
    got = sorted((t.value, t.unit, t.comparator) for t in rec.targets)
    assert got == [(20.0, "元/人/天", "="), (20.0, "工作日", "<="), (30.0, "天", "<="), (380.0, "元/人/年", "="),
                   (640.0, "元/人/年", ">=")]
    assert {t.kind for t in rec.targets} == {"norm"}


def test_respective_values_under_two_years() -> None:
    # "到2022年和2030年，…分别不低于22%和30%": the first value is 2022's, the second 2030's, and the
    # comparator written once before the list belongs to both (issue 25).
    from healthgov.extract.pipeline import extract_text

    rec = extract_text("某市健康行动方案\n一、行动目标\n到 2022 年和 2030 年，全国居民健康素养水平分别不低于22%和 30%，"
                       "基本技能素养水平分别提高到 20%、25%及以上和 30%、35%及以上；人口献血率分别达到 15‰和 25‰。\n"
                       "二、主要任务\n（一）加强宣传。市卫生健康委负责。\n")
    got = [(t.value, t.comparator, t.year) for t in rec.targets]
    assert got == [(22.0, ">=", 2022), (30.0, ">=", 2030), (20.0, ">=", 2022), (25.0, ">=", 2022),
                   (30.0, ">=", 2030), (35.0, ">=", 2030), (15.0, "=", 2022), (25.0, "=", 2030)]


def test_labelled_indicator_rows() -> None:
    # An indicator table flattened into labelled rows (a page or a PDF copied as text), a year glued
    # to the value before it: one target per year after the plan's own, the earlier value its baseline.
    from healthgov.extract.pipeline import extract_text

    rec = extract_text("示范健康规划纲要\n（2016年10月25日 示范省人民政府发布）\n第一章 主要指标\n"
                       "领域：健康水平 指标：人均预期寿命(岁) 2015 年：76.342020 年：77.3 2030 年：79.0\n"
                       "领域：健康水平 指标：婴儿死亡率(‰) 2015 年：8.1\n2020 年：7.5 2030 年：≤5.0\n"
                       "领域：健康生活 指标：经常参加体育锻炼人数(亿人) 2014 年：3.6 2020 年：4.35 2030 年：5.3\n"
                       "第二章 重点任务\n第一节 加强健康教育。各级政府要加强健康教育。\n")
    got = sorted((t.indicator_text, t.value, t.unit, t.comparator, t.year, t.baseline, t.baseline_year) for t in rec.targets)
    assert got == [("人均预期寿命", 77.3, "岁", "=", 2020, "76.34", 2015),
                   ("人均预期寿命", 79.0, "岁", "=", 2030, "76.34", 2015),
                   ("婴儿死亡率", 5.0, "‰", "<=", 2030, "8.1", 2015),
                   ("婴儿死亡率", 7.5, "‰", "=", 2020, "8.1", 2015),
                   ("经常参加体育锻炼人数", 4.35, "亿人", "=", 2020, "3.6", 2014),
                   ("经常参加体育锻炼人数", 5.3, "亿人", "=", 2030, "3.6", 2014)]


def test_indicator_rows_of_a_text_layer() -> None:
    # A PDF's text layer prints the header down the page and each row on one line, cells separated by
    # spaces and closed by the nature column; a row whose cells do not match the header is left out.
    from healthgov.extract.pipeline import extract_text

    rec = extract_text("示范健康行动\n（2019—2030年）\n示范行动推进委员会\n2019年7月9日\n一、主要指标\n"
                       "领\n域\n序\n号 指标 基期水平\n2022\n年目\n标值\n2030\n年目\n标值\n指标\n性质\n结果性指标\n"
                       "1\n居民健康素养水平（%） 14.18 ≥22 ≥30 预期性\n说明：具备健康素养的人的比例。\n"
                       "2 个人定期记录身心健康状况 倡导性\n"
                       "3 孕妇贫血率（%） 2013 年为 17.2 <14 <10 预期性\n"
                       "4 中医医院设置治未病科室比例 （%） — 90 100 约束性\n"
                       "5 人均健康预期寿命（岁） 2016 年为 68.7 提高 显著 提高 预期性\n"
                       "二、重点任务\n（一）加强健康教育。各级政府要加强健康教育。\n")
    got = sorted((t.indicator_text, t.comparator, t.value, t.unit, t.year, t.nature) for t in rec.targets)
    assert got == [("中医医院设置治未病科室比例", "=", 90.0, "%", 2022, "binding"),
                   ("中医医院设置治未病科室比例", "=", 100.0, "%", 2030, "binding"),
                   ("孕妇贫血率", "<", 10.0, "%", 2030, "expected"), ("孕妇贫血率", "<", 14.0, "%", 2022, "expected"),
                   ("居民健康素养水平", ">=", 22.0, "%", 2022, "expected"),
                   ("居民健康素养水平", ">=", 30.0, "%", 2030, "expected")]
    assert {t.baseline for t in rec.targets if t.indicator_text == "孕妇贫血率"} == {"2013年为17.2"}


def test_text_layer_rows_with_cells_printed_apart() -> None:
    # An advocacy row (倡导性) with values is a row of targets, one written in words is not; a
    # qualifier printed apart from its number ("接近 100", "10 左右") is one cell; a qualitative cell
    # printed over two lines ("持续 保持") does not shift the columns; a row number glued to the end
    # of the line before ("预期性7") starts a row; "#为2020年目标值" gives a marked cell its year; a
    # row naming two indicators holds a value of each in every target column.
    from healthgov.extract.pipeline import extract_text

    rec = extract_text("示范健康行动\n（2019—2030年）\n示范行动推进委员会\n2019年7月9日\n一、主要指标\n"
                       "领\n域\n序\n号 指标 基期水平\n2022\n年目\n标值\n2030\n年目\n标值\n指标\n性质\n结果性指标\n"
                       "1 示范人群吸烟率（%） 10 左右 ≥30 ≥80 预期性\n"
                       "2 学校示范操普及率（%） 接近 100 100 约束性\n"
                       "3 示范知识知晓率（%） — ≥90 持续 保持 预期性\n"
                       "4 建设成示范机关 — 基本 实现 持续 保持 约束性\n"
                       "个人和社会倡导性指标\n"
                       "5\n人均每日示范盐摄入量（g） 2012 年为 10.5 ≤5 倡导性\n"
                       "6 示范核心信息知晓率（%） — 不断提高 倡导性7\n"
                       "示范病发病率（1/10 万） — <55# 有效 控制 预期性\n"
                       "8\n示范卫生院提供示范疗法的比例（%），示范卫生室提供示范疗法的比例（%）\n— 100 70 100 80 约束性\n"
                       "说明：#为 2020 年目标值。\n"
                       "二、重点任务\n（一）加强健康教育。各级政府要加强健康教育。\n")
    got = sorted((t.indicator_text, t.comparator, t.value, t.unit, t.year) for t in rec.targets)
    assert got == [("人均每日示范盐摄入量", "<=", 5.0, "g", 2022),
                   ("学校示范操普及率", "=", 100.0, "%", 2022),
                   ("示范人群吸烟率", ">=", 30.0, "%", 2022), ("示范人群吸烟率", ">=", 80.0, "%", 2030),
                   ("示范卫生室提供示范疗法的比例", "=", 70.0, "%", 2022),
                   ("示范卫生室提供示范疗法的比例", "=", 80.0, "%", 2030),
                   ("示范卫生院提供示范疗法的比例", "=", 100.0, "%", 2022),
                   ("示范卫生院提供示范疗法的比例", "=", 100.0, "%", 2030),
                   ("示范病发病率", "<", 55.0, "/10万", 2020),
                   ("示范知识知晓率", ">=", 90.0, "%", 2022)]
    row = next(t for t in rec.targets if t.indicator_text == "学校示范操普及率")
    assert rec.text[row.span.start:row.span.end] == "100" and rec.text[row.span.end:].startswith(" 约束性")


def test_indicator_table_cells_read_like_prose() -> None:
    # A cell with two dated values is two targets; a strict word in a cell is its comparator.
    from healthgov.extract.pipeline import extract_text

    rec = extract_text("某市健康城市建设方案\n某府发〔2022〕3号\n各区人民政府：\n现将方案印发给你们。\n某市人民政府\n2022年3月1日\n"
                       "一、主要指标\n序号\t指标\t目标值\t指标性质\n1\t示范筛查率\t2023年达到80%，力争2035年达到95%\t预期性\n"
                       "2\t示范服务种类\t大于3类\t预期性\n"
                       "二、重点任务\n（一）加强健康教育。各级政府要加强健康教育。\n")
    got = [(t.indicator_text, t.comparator, t.value, t.unit, t.year) for t in rec.targets]
    assert got == [("示范筛查率", "=", 80.0, "%", 2023), ("示范筛查率", "about", 95.0, "%", 2035),
                   ("示范服务种类", ">", 3.0, "类", None)]
