"""Value forms of the target grammar, on made-up sentences: measures of food and the body, a
written 一 as a quota or a limit, 十万元, a lower bound right before an upper bound (one range),
and what stays out (一次性, a classification, a condition under 当…时, a team's name 百人).
"""

from __future__ import annotations

import pytest

from healthgov.extract.facts.targets.comparators import find_comparator, find_values
from healthgov.extract.numbers import normalise_digits
from healthgov.extract.pipeline import extract_text


def _first(clause: str) -> tuple[str, float | None, str | None]:
    norm = normalise_digits(clause)
    hits = find_values(norm, 0, len(norm))
    assert hits, clause
    return find_comparator(norm, 0, hits[0]), hits[0].value, hits[0].unit


@pytest.mark.parametrize(
    "clause,want",
    [
        ("人均每日食盐摄入量不高于5g", ("<=", 5.0, "g")),
        ("成人男性腰围小于85cm", ("<", 85.0, "cm")),
        ("冬季空调温度不高于20摄氏度", ("<=", 20.0, "摄氏度")),
        ("小学每周4课时", ("=", 4.0, "课时/周")),  # the period written right before: a denominator
        ("小学每周 4 课时", ("=", 4.0, "课时/周")),
        ("每月至少开展一次灭蚊", (">=", 1.0, "次")),
        ("每周开展一次大扫除", ("=", 1.0, "次")),
        ("工单须在一个自然日内办结", ("<=", 1.0, "自然日")),
        ("可以并处十万元以下罚款", ("<=", 100000.0, "元")),
        ("单次不宜超过 15 分 钟", ("<=", 15.0, "分钟")),  # a unit broken by a line wrap
        ("孕 28 周前接受筛查", ("<=", 28.0, "周")),  # a time reached
    ],
)
def test_value_forms(clause: str, want: tuple) -> None:
    assert _first(clause) == want


@pytest.mark.parametrize("clause", ["发放一次性补助", "建立一个机制", "组建百人医疗队", "提高一次就诊率",
                                    "2030年人均"])  # a year, not 2030 人
def test_not_values(clause: str) -> None:
    norm = normalise_digits(clause)
    assert not find_values(norm, 0, len(norm))


def test_bounds_ranges_classes_and_conditions() -> None:
    rec = extract_text(
        "某市病媒防制工作方案\n某府发〔2024〕3号\n各区人民政府：\n现将方案印发给你们。\n某市人民政府\n2024年3月1日\n"
        "一、工作措施\n（一）加强处罚。违反规定的，处五万元以上五十万元以下罚款。\n"
        "（二）分类管理。可将住户分为三类。当密度下降率低于80%时，应加大处理频次。每周开展一次清理。\n"
    )
    got = [(t.comparator, t.value, t.value_max, t.unit) for t in rec.targets]
    assert got == [("range", 50000.0, 500000.0, "元"), ("=", 1.0, None, "次")]


def test_forming_and_sampling_verbs_set_a_quantity() -> None:
    # 组建 (as 建立 / 建成) and 采集 (a sample's prescribed amount) make the quantity a requirement.
    rec = extract_text(
        "某区灭蚊支援工作通知\n某卫发〔2024〕5号\n各镇街：\n现将有关事项通知如下。\n某区卫生健康局\n2024年7月1日\n"
        "一、工作要求\n（一）各镇街各组建 50 人的消杀队。\n（二）哨点医院对疑似病例采集 5ml 静脉血送检。\n"
    )
    got = [(t.value, t.unit) for t in rec.targets]
    assert got == [(50.0, "人"), (5.0, "ml")]


def test_frequencies_rates_and_strict_words() -> None:
    # A count right after its frequency is per its period ("每3天1次"; across a verb the unit stays
    # 次), the nearest one and only for values in its unit ("餐后2小时" is a measure's name); a
    # rate's unit broken by a line wrap ("18/10 万") is one unit; 小于 / 大于 set a target as 低于 /
    # 高于 do.
    rec = extract_text(
        "某市慢病防治行动方案\n某府发〔2024〕4号\n各区人民政府：\n现将方案印发给你们。\n某市人民政府\n2024年3月1日\n"
        "一、主要任务\n（一）高危人群每 6 个月检测 1 次空腹或餐后 2 小时血糖，以后每3 天 1 次。\n"
        "（二）每天睡眠 10 个小时、初中生 9 个小时。\n"
        "（三）到 2030 年，示范病死亡率下降到 18/10 万及以下。成人腰围小于 85cm。\n"
    )
    got = [(t.comparator, t.value, t.unit) for t in rec.targets]
    assert got == [("=", 1.0, "次"), ("=", 1.0, "次/3天"), ("=", 10.0, "小时"), ("=", 9.0, "小时"), ("<=", 18.0, "/10万"), ("<", 85.0, "cm")]


def test_a_list_with_its_unit_written_once() -> None:
    # "10、9、8个小时": every number of the list is in the unit after the last, under the comparator
    # before the first, each to its subject of the list.
    rec = extract_text(
        "某市学生健康行动方案\n某府发〔2024〕6号\n各区人民政府：\n现将方案印发给你们。\n某市人民政府\n2024年3月1日\n"
        "一、主要任务\n（一）小学生、初中生、高中生每天睡眠时间分别不少于 10、9、8 个小时。\n"
    )
    got = [(t.indicator_text, t.comparator, t.value, t.unit) for t in rec.targets]
    assert got == [("小学生", ">=", 10.0, "小时"), ("初中生", ">=", 9.0, "小时"), ("高中生每天睡眠时间", ">=", 8.0, "小时")]


def test_a_law_s_penalties_and_time_limits() -> None:
    # Two bounds in two units are one range in the lower bound's ("六个月以上一年以下" = 6–12 个月);
    # a penalty's amount measures the noun after it (罚款, 执业活动); a time limit after a modal
    # measures the act after it.
    rec = extract_text(
        "某省示范条例\n某省人民代表大会常务委员会\n2024年3月1日\n"
        "第一条 发现示范病患者时，应当于两小时内进行网络直报。\n"
        "第二条 违反本条例规定的，可以并处十万元以下罚款；情节严重的，责令暂停六个月以上一年以下执业活动直至吊销执业证书。\n"
    )
    got = [(t.indicator_text, t.comparator, t.value, t.value_max, t.unit) for t in rec.targets]
    assert got == [("网络直报", "<=", 2.0, None, "小时"), ("罚款", "<=", 100000.0, None, "元"),
                   ("执业活动", "range", 6.0, 12.0, "个月")]


def test_qualifiers_of_a_rate_are_not_targets() -> None:
    # A number inside a rate's name ("提供6类以上…的比例", "5分钟内的出车率") and the criterion of a
    # share of units ("70%以上的县…患病率在1%以下") set nothing; the share itself does.
    rec = extract_text(
        "某省示范病防治方案\n某府发〔2024〕8号\n各市人民政府：\n现将方案印发给你们。\n某省人民政府\n2024年3月1日\n"
        "一、主要目标\n到2026年，卫生院提供6类以上中医非药物疗法的比例达到100%，提高救护车接报后5分钟内的出车率；"
        "70%以上的流行县人群示范病患病率在1%以下。\n"
    )
    got = [(t.comparator, t.value, t.unit, t.year) for t in rec.targets]
    assert got == [("=", 100.0, "%", 2026), (">=", 70.0, "%", 2026)]


@pytest.mark.parametrize(
    "clause,want",
    [
        ("每天进行中等强度运动至少半小时", (">=", 0.5, "小时")),
        ("每天半小时以上中等量运动", (">=", 0.5, "小时")),
    ],
)
def test_half_as_a_quantity(clause: str, want: tuple) -> None:
    assert _first(clause) == want


@pytest.mark.parametrize("clause", ["上半年完成督查", "半年工作总结", "每半年报告"])
def test_half_as_a_period(clause: str) -> None:
    norm = normalise_digits(clause)
    assert not find_values(norm, 0, len(norm))


def test_the_measure_of_an_act_without_a_target_word() -> None:
    # How many to pick or survey, how long to keep at an act, how often: a quantity of the
    # procedure ("选4个位置", "持续30分钟", "每隔1～2小时"), not in a dated one-off's schedule, and a
    # period a frequency applies to ("前3天每天至少一次": the quota is the target) is not one.
    rec = extract_text(
        "某市蚊媒监测工作方案\n某卫发〔2024〕9号\n各区卫生健康局：\n现将方案印发给你们。\n某市卫生健康局\n2024年3月1日\n"
        "一、监测方法\n（一）在疫点按不同方位选 4 个位置诱捕成蚊，持续 30分钟，调查核心区内 100 户居民。\n"
        "（二）核心区前 3 天每天至少开展一次灭杀。建议每隔 1～2 小时休息一段时间。\n"
        "（三）7 月 28 日至 30 日，连续 3 天开展灭蚊。\n"
    )
    got = [(t.comparator, t.value, t.value_max, t.unit) for t in rec.targets]
    assert got == [("=", 4.0, None, "个"), ("=", 30.0, None, "分钟"), ("=", 100.0, None, "户"),
                   (">=", 1.0, None, "次"), ("range", 1.0, 2.0, "小时")]


def test_a_look_back_window_is_a_condition() -> None:
    # "近14天内的发热病例" names the cases, "发病前14天内是否有" the exposure to ask about: no time
    # limit; the count of the act done to them is one ("进行1次检测").
    rec = extract_text(
        "某区登革热防控提醒函\n某卫函〔2024〕9号\n各医疗机构：\n现将有关事项函告如下。\n某区卫生健康局\n2024年8月1日\n"
        "一、工作要求\n（一）对辖区医疗机构近 14 天内的发热病例进行 1 次抗原检测。\n"
        "（二）及时询问发病前 14 天内是否有旅居史。\n（三）前 3 天内完成首次灭蚊全覆盖。\n"
    )
    got = [(t.comparator, t.value, t.unit) for t in rec.targets]
    assert got == [("=", 1.0, "次"), ("<=", 3.0, "天")]


@pytest.mark.parametrize("clause", ["每 1 万人配备", "打造“15分钟健身圈”", "为 6 个月以上婴儿添加辅食",
                                    "600 名学生以上的学校", "倡导 0～6个月婴儿纯母乳喂养", "检测餐后 2 小时血糖"])
def test_denominators_names_people_and_classes(clause: str) -> None:
    norm = normalise_digits(clause)
    assert not find_values(norm, 0, len(norm))


def test_a_reported_finding_is_no_target() -> None:
    # A study's finding or the country's state, with no aim in the sentence, sets nothing.
    rec = extract_text(
        "某市健康行动方案\n某府发〔2024〕10号\n各区人民政府：\n现将方案印发给你们。\n某市人民政府\n2024年3月1日\n"
        "一、主要任务\n（一）研究发现，示范因素对健康的影响占到 60%。我国示范病患病率为 13.6%。"
        "居民示范知识知晓率要达到 80%。\n"
    )
    assert [(t.comparator, t.value) for t in rec.targets] == [("=", 80.0)]


def test_present_counts_cut_off_dates_and_a_table_of_contents() -> None:
    # "目前…共有…，其中…" is what exists whatever the year; 截至 a past year is a cut-off of
    # what is reported, not a deadline; a contents line's summary is an overview.
    rec = extract_text(
        "某区登革热防控工作方案\n某卫发〔2025〕3号\n各镇街：\n现将方案印发给你们。\n某区卫生健康局\n2025年3月1日\n"
        "一、工作目标\n（一）示范行动……………………12示范人口达 2 亿，占总人口的 17.9%。\n"
        "到2025年，目前我区共有消杀队伍 263 支，其中专业队共 228 支。"
        "截至 2018 年底，示范人口达 2.49 亿，占总人口的 17.9%。到 2025 年底，消杀覆盖率达到 90%。\n"
    )
    assert [(t.value, t.year) for t in rec.targets] == [(90.0, 2025)]


def test_advice_is_a_norm_of_conduct() -> None:
    # 建议 / 提倡 / 倡导 / 尽量 make a quantity a (standing) requirement of conduct.
    rec = extract_text(
        "某市健康行动方案\n某府发〔2024〕11号\n各区人民政府：\n现将方案印发给你们。\n某市人民政府\n2024年3月1日\n"
        "一、主要任务\n（一）学习 30 分钟后，建议休息远眺放松 10 分钟。尽量纯母乳喂养 6 个月，6 个月后添加辅食。\n"
    )
    # (学习30分钟后: the study time the advice sets, as the gold reads it)
    assert [(t.value, t.unit, t.kind) for t in rec.targets] == [(30.0, "分钟", "norm"), (10.0, "分钟", "norm"),
                                                                (6.0, "个月", "norm")]


def test_a_change_on_the_present_level_is_no_present_fact() -> None:
    # "在现有基础上提高30%" measures a change from today's level: a target, not a statement of it.
    rec = extract_text(
        "某市心理健康行动方案\n某府发〔2024〕12号\n各区人民政府：\n现将方案印发给你们。\n某市人民政府\n2024年3月1日\n"
        "一、主要目标\n到 2026 年，示范治疗率在现有基础上提高 30%。\n"
    )
    assert [(t.comparator, t.value, t.year) for t in rec.targets] == [("text", 30.0, 2026)]


def test_a_bracket_after_a_target_breaks_it_down() -> None:
    # The values of a bracket opened right after a target are its parts or its restatement.
    rec = extract_text(
        "某市妇幼健康行动方案\n某府发〔2024〕13号\n各区人民政府：\n现将方案印发给你们。\n某市人民政府\n2024年3月1日\n"
        "一、主要任务\n（一）孕期至少接受 5 次产前检查（孕早期 1 次，孕中期 2 次）。经常锻炼（每周 3 次）的人增多。\n"
        "（二）筛查率达到 90%（现为 85%）。\n"
    )
    assert [(t.comparator, t.value, t.unit) for t in rec.targets] == [(">=", 5.0, "次"), ("=", 1.0, "次"), ("=", 2.0, "次"),
                                                                     ("=", 90.0, "%")]  # a baseline beside it is none


def test_a_list_of_quotas_and_a_rule_s_rate() -> None:
    # "设立A20个，B20个": the second clause is one more item under the same verb; "按照…总用量的
    # 60%—70%估算" is a rate a rule applies to a base.
    rec = extract_text(
        "某市医疗卫生发展方案\n某府发〔2024〕15号\n各区人民政府：\n现将方案印发给你们。\n某市人民政府\n2024年3月1日\n"
        "一、主要任务\n（一）到2025年，全市设立市级医学中心20个，市级区域医学中心20个。\n"
        "（二）按照示范机构年度药品总用量的60%—70%估算采购总量。\n"
    )
    assert [(t.comparator, t.value, t.value_max, t.unit, t.year) for t in rec.targets] == [
        ("=", 20.0, None, "个", 2025), ("=", 20.0, None, "个", 2025), ("range", 60.0, 70.0, "%", None)]


def test_an_aspiration_and_a_list_of_changes() -> None:
    # "力争到2030年，…" makes the sentence's plain values aspirations; "提高30%和80%" are both changes.
    rec = extract_text(
        "某市卫生城市创建方案\n某府发〔2024〕16号\n各区人民政府：\n现将方案印发给你们。\n某市人民政府\n2024年3月1日\n"
        "一、主要目标\n力争到 2030 年，示范城市数量提高到城市总数的 50%。到 2026 年和 2030 年，示范治疗率提高 30%和 80%。\n"
    )
    assert [(t.comparator, t.value) for t in rec.targets] == [("about", 50.0), ("text", 30.0), ("text", 80.0)]


def test_fractions_spacings_postures_and_symptoms() -> None:
    # A share written as a fraction, a spacing ("每25-30米距离"), a posture's rule-of-thumb distance
    # ("离桌子一拳") are quantities; a symptom's duration after 出现 is a condition.
    rec = extract_text(
        "某市健康行动方案\n某府发〔2024〕17号\n各区人民政府：\n现将方案印发给你们。\n某市人民政府\n2024年3月1日\n"
        "一、主要任务\n（一）全谷物占主食摄入量的三分之一。一般每 25-30米距离布放一个诱蚊器。胸部离桌子一拳。"
        "出现咳嗽 2 周以上时要及时就诊。\n"
    )
    assert [(t.value, t.value_max, t.unit) for t in rec.targets] == [(0.333333, None, None), (25.0, 30.0, "米"),
                                                                    (1.0, None, "拳")]


def test_alternatives_directives_after_the_value_and_histories() -> None:
    # A value with a modal after it in its clause is a requirement; a value after 或 beside a target
    # in the same unit is its alternative (a range is no list's comparator); the window of a
    # history ("14天内国外旅居史") is a condition.
    rec = extract_text(
        "某市健康行动方案\n某府发〔2024〕18号\n各区人民政府：\n现将方案印发给你们。\n某市人民政府\n2024年3月1日\n"
        "一、主要任务\n（一）产后 3～7 天和 42 天主动接受社区医生访视。或者累计 150 分钟中等强度或 75 分钟高强度身体活动。"
        "警惕有临床表现或 14 天内国外旅居史患者。重点做好高血压、糖尿病四种主要慢性病患者的管理。\n"
    )  # (主要 is no 要: a count of listed kinds is no target)
    got = [(t.comparator, t.value, t.value_max, t.unit) for t in rec.targets]
    assert got == [("range", 3.0, 7.0, "天"), ("=", 42.0, None, "天"), ("=", 150.0, None, "分钟"), ("=", 75.0, None, "分钟")]


def test_words_that_only_look_like_cues() -> None:
    # 离 of 离退休 is no distance; 不出现 is an aim, not a symptom.
    rec = extract_text(
        "某市健康行动方案\n某府发〔2024〕19号\n各区人民政府：\n现将方案印发给你们。\n某市人民政府\n2024年3月1日\n"
        "一、主要任务\n（一）慰问离退休人员 20 名。确保不出现重大疫情，处置率达到 95%。\n"
    )
    assert [(t.comparator, t.value) for t in rec.targets] == [("=", 95.0)]
