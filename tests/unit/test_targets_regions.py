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
