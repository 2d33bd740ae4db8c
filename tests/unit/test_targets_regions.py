"""Where the target reader looks, on made-up documents: a goal paragraph opened by a label line
(not a heading), the text of an item that reads on after its first lines, and the background of a
section, which stays unread.
"""

from __future__ import annotations

from healthgov.extract.pipeline import extract_text

_HEAD = "某市健康促进行动方案\n某府发〔2024〕3号\n各区人民政府：\n现将方案印发给你们。\n某市人民政府\n2024年3月1日\n"


def test_goal_paragraph_under_a_label_line() -> None:
    # "行动目标：" is a label, not a heading: the paragraph under it is a goal section all the same;
    # the background paragraph before it (a present rate, no year) is not read.
    rec = extract_text(
        _HEAD + "一、重大行动\n（一）健康知识普及行动\n"
        "调查显示，我市居民健康素养水平为12.5%，仍然偏低。\n"
        "行动目标：\n到2025年，居民健康素养水平不低于25%；人口献血率达到15‰。\n"
        "——个人和家庭：\n1.学习健康知识。每个家庭至少掌握一项急救技能。\n"
    )
    got = sorted((t.value, t.unit, t.comparator, t.year) for t in rec.targets)
    assert got == [(15.0, "‰", "=", 2025), (25.0, "%", ">=", 2025)]


def test_an_item_reads_on_to_the_next_heading() -> None:
    # The second item's last sentence stands after a blank line (an item broken by the page): it
    # is still the item's requirement, up to the next heading.
    rec = extract_text(
        _HEAD + "一、防控措施\n（一）入户调查\n1.组建队伍。各镇街组建入户队伍。\n2.分片包干。入户小组划分网格。\n\n"
        "所有入户工作要在接报后3天内完成。\n（二）健康教育\n各镇街开展宣传。\n"
    )
    got = [(t.value, t.unit, t.comparator) for t in rec.targets]
    assert got == [(3.0, "天", "<=")]


def test_values_under_a_pair_of_years() -> None:
    # Under "到2022年和2030年": a list of two values takes the years in order (a comparator written
    # once serves both), a value written once is the first year's, a list broken over a line after
    # "；" keeps the anchor, and "在2023年基础上" is a baseline, not the year of the target.
    rec = extract_text(
        _HEAD + "一、行动目标\n到 2025 年和 2030 年，40 岁及以上居民血压知晓率分别不低于 50%和 60%；"
        "签约服务覆盖率在 2023 年基础上提高 10%；\n体检率达到 80%及以上；床位使用率超过 85%和 90%。\n"
        "二、主要任务\n（一）加强宣传。市卫生健康委负责。\n"
    )
    got = [(t.value, t.comparator, t.year) for t in rec.targets]
    assert got == [(50.0, ">=", 2025), (60.0, ">=", 2030), (10.0, "text", 2025), (80.0, ">=", 2025),
                   (85.0, ">", 2025), (90.0, ">", 2030)]
    assert all("40" in t.indicator_text for t in rec.targets[:2])


def test_text_layer_rows_glued_merged_and_noted() -> None:
    # A text layer whose reader joined wrapped lines: a row glued to the next one ("预期性2 …") and
    # to its note ("预期性说明：…"); one value printed across both target columns (a merged cell) is
    # the first target year's; the numbers of a note ("是指每周3次以上") are a definition, not a target.
    rec = extract_text(
        "示范健康行动\n（2019—2030年）\n示范行动推进委员会\n2019年7月9日\n一、主要指标\n"
        "领\n域\n序\n号 指标 基期水平\n2022\n年目\n标值\n2030\n年目\n标值\n指标\n性质\n结果性指标\n"
        "1 吸烟率（%） 26.6 <24 <20 预期性2 献血率（‰） 9 ≥15 ≥25 预期性说明：锻炼是指每周锻炼3次以上，\n"
        "每次持续30分钟以上。\n3 每万人营养指导员（名） — 1 约束性\n"
        "二、重点任务\n（一）加强健康教育。各级政府要加强健康教育。\n"
    )
    got = sorted((t.indicator_text, t.comparator, t.value, t.year) for t in rec.targets)
    assert got == [("吸烟率", "<", 20.0, 2030), ("吸烟率", "<", 24.0, 2022), ("每万人营养指导员", "=", 1.0, 2022),
                   ("献血率", ">=", 15.0, 2022), ("献血率", ">=", 25.0, 2030)]


def test_a_year_inside_a_clause_stays_in_it() -> None:
    # "…，并于2030年实现全覆盖" dates its own clause; the next sentences keep the paragraph's opening
    # pair of years; subjects sharing one measure ("A和B覆盖率") under a pair of years are one
    # indicator with a value a year.
    from healthgov.extract.pipeline import extract_text

    rec = extract_text(
        "某市职业健康行动方案\n某府发〔2019〕14号\n各区人民政府：\n现将方案印发给你们。\n某市人民政府\n2019年7月1日\n"
        "一、行动目标\n到 2022 年和 2030 年，工伤保险参保人数稳步提升，并于 2030 年实现全覆盖；"
        "示范检查和示范诊断服务覆盖率分别达到 80%及以上和 90%及以上；示范申报率达到 95%及以上。\n"
    )
    got = [(t.indicator_text, t.value, t.year) for t in rec.targets]
    assert got == [("示范检查和示范诊断服务覆盖率", 80.0, 2022), ("示范检查和示范诊断服务覆盖率", 90.0, 2030),
                   ("示范申报率", 95.0, 2022)]  # a value written once is the first year's
