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
