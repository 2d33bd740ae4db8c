"""The document half of extraction on the real documents: reading, cleaning, metadata, structure.

Every expected value below was read off the documents by eye (task counts counted by hand: see
the comment on each row of DOCS).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path

import pytest
import typer
from conftest import EXTRA, SEEDS
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from healthgov.extract import commands
from healthgov.extract.dates import parse_date, split_glued
from healthgov.extract.errors import ExtractError
from healthgov.extract.pipeline import extract_file, extract_paths
from healthgov.extract.read import decode_bytes, read_document
from healthgov.ids import normalise_doc_number, normalise_title, policy_id
from healthgov.records import DocumentRecord

assert EXTRA.is_dir(), f"the shared corpus is expected beside the repository at {EXTRA}"

S = {p.name[:3]: p for p in SEEDS.glob("*.txt")}
E = {p.name[:2]: p for p in EXTRA.glob("*.txt")}


def _path(key: str) -> Path:
    return S[key] if len(key) == 3 else E[key]


_CACHE: dict[str, DocumentRecord] = {}


def rec(key: str) -> DocumentRecord:
    if key not in _CACHE:
        _CACHE[key] = extract_file(_path(key))
    return _CACHE[key]


# key, title, doc number, raw number, issuers, issued, published, (jurisdiction, level, parent), tasks
DOCS = [
    ("000", "重庆市进一步完善医疗卫生服务体系实施方案", "渝府办发〔2023〕76号", "渝府办发〔2023〕76号",
     ["重庆市人民政府办公厅"], "2023-10-18", None, ("重庆市", "province", "全国"), 23),  # 1.-20. + 三(一)-(三)
    ("001", "关于全面推进紧密型县域医疗卫生共同体建设的指导意见", "国卫基层发〔2023〕41号", "國衛基層發〔2023〕41號",
     ["國家衛生健康委", "中央編辦", "國家發展改革委", "財政部", "人力資源社會保障部", "農業農村部", "國家醫保局",
      "國家中醫藥局", "國家疾控局", "國家藥監局"], "2023-12-29", "2024-01-24", ("全国", "nation", None), 20),  # (一)-(二十)
    ("002", "关于印发《健康郴州“十四五”建设规划》的通知", "郴政办发〔2021〕41号", "郴政办发〔2021〕41号",
     ["郴州市人民政府办公室"], "2021-12-30", "2022-01-01", ("郴州市", "city", "湖南省"), 88),
    # 002: 三(一)3+专栏1 5, (二)5+专栏2 6, (三)8+专栏3 2, (四)6+专栏4 5, (五)6+专栏5 4,
    #      (六)8+专栏6 3+专栏7 3, (七)6, (八)3, (九)1, (十)6+专栏8 4, 四(一)-(四) 4 = 88
    ("003", "杭州市人民政府办公厅关于印发杭州市推动公立医院高质量发展行动计划(2022—2025年)的通知", "杭政办函〔2022〕47号",
     "杭政办函〔2022〕47号", ["杭州市人民政府办公厅"], "2022-08-10", None, ("杭州市", "city", "浙江省"), 25),  # 4+4+3+3+3+3 + 三(一)-(五)
    ("004", "广安市广安区人民政府办公室关于印发《广安区“十四五”卫生健康发展规划》的通知", None, None,
     ["广安市广安区人民政府办公室"], "2023-06-30", "2023-07-03", ("广安区", "county", "广安市"), 25),  # 节 of 第三-十二章
    ("03", "江西省人民政府办公厅关于将健康融入所有政策的意见", "赣府厅发〔2025〕6号", "赣府厅发〔2025〕6号",
     ["江西省人民政府办公厅"], "2025-04-03", None, ("江西省", "province", "全国"), 16),  # (一)-(十六)
    ("04", "海南省健康海南建设委员会（爱国卫生运动委员会）关于印发《海南省将健康融入所有政策实施方案》的通知",
     "琼健爱卫〔2025〕7号", "琼健爱卫〔2025〕7号", ["海南省健康海南建设委员会（爱国卫生运动委员会）"], "2025-03-17", None,
     ("海南省", "province", "全国"), 8),  # (一)1-4, (二)1-3, 三、组织实施
    # 05 names no province; its 省… units and 海口海关 tell it (duty_list_jurisdiction).
    ("05", "省级相关部门“将健康融入所有政策”职责清单", None, None, [], None, None, ("海南省", "province", "全国"), 26),
    ("06", "海南省儿童青少年心理健康关爱行动计划", None, None, [], None, None, ("海南省", "province", "全国"), 5),
    ("07", "海南省儿童健康促进专项行动计划", None, None, [], None, None, ("海南省", "province", "全国"), 6),
    ("08", "关于印发句容市“将健康融入所有政策”工作实施方案的通知", None, None, ["句容市人民政府办公室"], "2022-08-16", None,
     ("句容市", "county", "镇江市"), 38),  # 三(一)3,(二)1,(三)5,(四)3, 四 1-3 = 15; annex duty rows 23
    ("09", "关于《阜新蒙古族自治县“将健康融入所有政策”工作指导方案》的通知", "阜蒙健促办发〔2020〕3号",
     "阜蒙健促办发[2020] 3 号", ["阜蒙县健康促进工作领导小组办公室"], "2020-06-04", "2020-06-18",
     ("阜新蒙古族自治县", "county", "阜新市"), 34),  # 二(一)-(四), 三, 四(一)-(三) = 8; annex 1 duty rows 26
    ("10", "国务院办公厅关于加强三级公立医院绩效考核工作的意见", "国办发〔2019〕4号", "国办发〔2019〕4号", ["国务院办公厅"],
     "2019-01-16", None, ("全国", "nation", None), 16),  # 二 4, 三 4, 四 3, 五 5
    ("11", "国务院办公厅关于印发国家组织药品集中采购和使用试点方案的通知", "国办发〔2019〕2号", "国办发〔2019〕2号",
     ["国务院办公厅"], "2019-01-01", None, ("全国", "nation", None), 17),  # 二 4, 三 4, 四 4, 五(一) + (二)1-3, 六
]


@pytest.mark.parametrize("key,title,number,raw,issuers,issued,published,juris,ntasks", DOCS, ids=[d[0] for d in DOCS])
def test_metadata_and_task_count(key, title, number, raw, issuers, issued, published, juris, ntasks) -> None:
    r = rec(key)
    p = r.policy
    assert p.title == title
    assert (p.doc_number, p.doc_number_raw) == (number, raw)
    assert [i.name for i in p.issuers] == issuers
    assert (p.issued_on, p.published_on) == (issued, published)
    got = (p.jurisdiction.name, p.jurisdiction.level, p.jurisdiction.parent) if p.jurisdiction else None
    assert got == juris
    assert len(r.tasks) == ntasks
    assert p.id == policy_id(number, title)
    # Bodies named in prose that the vocabulary does not know are kept and reported (test_prose_duties).
    assert [w for w in r.warnings if "not in the agency-type vocabulary" not in w] == []


@pytest.mark.parametrize("key", [d[0] for d in DOCS])
def test_spans_valid_and_clear_of_removed_text(key: str) -> None:
    r = rec(key)
    for t in r.tasks:
        assert r.text[t.span.start : t.span.end] == t.text and t.text.strip() == t.text
        for x in r.removed:
            assert t.span.end <= x.span.start or x.span.end <= t.span.start, (t.id, x)
    for x in r.removed:
        assert r.text[x.span.start : x.span.end] == x.text
    ids = [t.id for t in r.tasks]
    assert ids == [f"{r.policy.id}/t{n}" for n in range(1, len(ids) + 1)]
    assert [t.span.start for t in r.tasks] == sorted(t.span.start for t in r.tasks)
    for s in r.sections:
        parent = next((x for x in r.sections if x.id == s.parent), None)
        assert s.level == (parent.level + 1 if parent else 1)
        if parent:
            assert parent.span.start <= s.span.start and s.span.end <= parent.span.end


def test_short_titles() -> None:
    assert rec("002").policy.short_title == "健康郴州“十四五”建设规划"
    assert rec("003").policy.short_title == "杭州市推动公立医院高质量发展行动计划(2022—2025年)"
    assert rec("09").policy.short_title == "阜新蒙古族自治县“将健康融入所有政策”工作指导方案"
    assert rec("000").policy.short_title is None


def _cites(key: str) -> dict[str, tuple[str | None, str]]:
    return {c.title: (c.doc_number, c.relation) for c in rec(key).policy.cites}


def test_citations_and_implements() -> None:
    cq = _cites("000")
    assert cq == {"中共中央办公厅国务院办公厅关于进一步完善医疗卫生服务体系的意见": ("中办发〔2023〕10号", "implements")}
    hz = _cites("003")
    assert hz["浙江省人民政府办公厅关于印发浙江省推动公立医院高质量发展实施方案的通知"] == ("浙政办发〔2021〕74号", "implements")
    assert len(hz) == 1  # its own plan, quoted in the cover letter, is not a citation
    cz = _cites("002")
    assert cz["健康湖南“十四五”建设规划"] == (None, "implements")
    assert cz["郴州市国民经济和社会发展第十四个五年规划和二O三五年远景目标纲要"] == (None, "implements")  # shares 根据 ... 精神
    assert cz["“健康中国2030”规划纲要"] == (None, "cites")  # "党中央、国务院印发《...》": mentioned, not implemented
    assert "健康郴州“十四五”建设规划" not in cz
    ga = _cites("004")
    assert ga["广安市“十四五”卫生健康发展规划"] == (None, "implements")
    assert ga["中华人民共和国中医药法"][1] == "cites"
    assert _cites("09")["阜新蒙古族自治县创建国家级健康促进县工作实施方案"] == ("阜蒙政办发〔2019〕75号", "implements")
    assert _cites("001") == {}
    jx = _cites("03")
    assert jx["“健康江西2030”规划纲要"][1] == "implements"  # 认真落实《A》《B》
    assert jx["中共江西省委 江西省人民政府关于加快推进卫生健康现代化的若干意见"][1] == "implements"
    for key in ("000", "002", "003"):
        for c in rec(key).policy.cites:
            quoted = rec(key).text[c.span.start : c.span.end]
            assert quoted.startswith("《") and c.title.replace(" ", "") in quoted.replace(" ", "")


def _task(key: str, title_start: str):
    return next(t for t in rec(key).tasks if t.title.startswith(title_start))


def test_task_paths_titles_and_text() -> None:
    t = rec("003").tasks[0]
    assert (t.path, t.number, t.title) == (["二", "(一)", "1"], "1", "高标准推进“医学高峰”建设")
    assert t.text.endswith("列第一位的为牵头单位,下同)")
    cq = _task("000", "夯实城乡医疗卫生服务网底")
    assert cq.path == ["二", "(一)", "1"] and cq.text.endswith("(责任单位:市卫生健康委、市发展改革委)")
    last = rec("000").tasks[-1]
    assert (last.path, last.title) == (["三", "(三)"], "加强宣传引导")
    # A heading alone on its line is the task and takes the paragraph under it.
    yt = rec("06").tasks[0]
    assert yt.title == "加强学生心理健康教育和心理健康测试工作" and yt.path == ["二", "(一)"]
    assert yt.text.startswith("（一）") and yt.text.endswith("按职责分工负责）")
    poverty = _task("002", "注重健康扶贫成果拓展")
    assert poverty.path == ["三", "(九)"] and poverty.text.endswith("梯次减负功能。")
    # An inline item keeps the unnumbered paragraphs that continue it before its next sibling.
    hub = _task("002", "优化布局打造区域医疗“高地”")
    assert "“两主”:" in hub.text and "“+”:" in hub.text and hub.text.count("\n") == 8
    # ... but a closing remark after the last item belongs to no task.
    jx_last = rec("03").tasks[-1]
    assert jx_last.title == "打造功能完善宜居城市" and "各地、各部门要将推进" not in jx_last.text
    # Plan sections (第X节) of plain paragraphs are tasks; background and goal chapters are not.
    ga = rec("004")
    assert ga.tasks[0].path == ["第三章", "第一节"] and ga.tasks[0].title == "建立健全卫生健康党建体系"
    assert "[1]" not in ga.tasks[-1].text and ga.tasks[-1].title == "强化宣传工作"
    # Goal/background items are sections, not tasks.
    assert not any(t.title.startswith("“十四五”时期目标") for t in rec("002").tasks)
    # Lower numbered items under an inline heading: the items are the tasks.
    assert [t.path for t in rec("11").tasks if t.path[:2] == ["五", "(二)"]] == [["五", "(二)", "1"], ["五", "(二)", "2"], ["五", "(二)", "3"]]


def test_sections_at_the_right_levels() -> None:
    ga = {s.title: s for s in rec("004").sections}
    assert (ga["规划背景"].kind, ga["规划背景"].number, ga["规划背景"].level) == ("chapter", "第一章", 1)
    sec = ga["机遇与挑战"]
    assert (sec.kind, sec.number, sec.level) == ("section", "第二节", 2)
    assert (ga["重大机遇"].kind, ga["重大机遇"].number, ga["重大机遇"].level, ga["重大机遇"].parent) == ("h1", "一", 3, sec.id)
    assert sum(1 for s in rec("004").sections if s.kind == "chapter") == 12
    cz = rec("002")
    boxes = [s for s in cz.sections if s.kind == "box"]
    assert [b.number for b in boxes] == [f"专栏{n}" for n in range(1, 9)]
    assert all(cz.sections[[s.id for s in cz.sections].index(b.parent)].kind == "h2" for b in boxes)
    goal = next(s for s in cz.sections if s.title == "发展目标")
    assert goal.kind == "h2" and goal.number == "(三)" and goal.level == 2
    annex = next(s for s in rec("10").sections if s.kind == "annex")
    assert (annex.number, annex.title) == ("附件", "三级公立医院绩效考核指标")


def test_chrome_removed_and_recorded() -> None:
    r = rec("001")
    kinds = [(x.kind, x.text) for x in r.removed]
    assert kinds.count(("share", "分享到:")) == 2
    assert ("editor", "【責任編輯:李哲】") in kinds and ("footer", "返回頂部") in kinds
    assert any(k == "contact" and "@" in t for k, t in kinds)
    assert sum(1 for k, t in kinds if k == "duplicate" and t.startswith("關於全面推進")) == 2
    assert not any("分享到" in t.text or "返回頂部" in t.text for t in r.tasks)
    ga = rec("004")
    assert sum(1 for x in ga.removed if x.kind == "navigation") == 7
    assert any(x.kind == "meta" and "访问量" in x.text for x in ga.removed)
    assert any(x.kind == "footer" and "纠错" in x.text for x in ga.removed)
    assert any(x.kind == "counter" and x.text.startswith("访问量") for x in rec("08").removed)
    # Body text is never taken for chrome.
    for key in ("000", "003", "03", "10", "11"):
        assert rec(key).removed == []


def test_repeated_box_paragraphs_are_not_doubled() -> None:
    r = rec("002")
    dups = [x for x in r.removed if x.kind == "duplicate" and not x.text.startswith("关于印发")]
    assert len(dups) == 3
    box2 = [t for t in r.tasks if t.path[:3] == ["三", "(二)", "专栏2"]]
    assert [t.title for t in box2] == ["3岁以下婴幼儿照护服务能力提升工程", "妇幼健康服务体系建设", "危重孕产妇和危重新生儿救治中心建设",
                                        "儿童青少年近视防控行动", "老年健康服务能力提升行动", "医养结合机构服务质量提升行动"]
    titles = [t.title for t in r.tasks]
    assert len(titles) == len(set(titles))


def test_flattened_indicator_table() -> None:
    r = rec("002")
    from healthgov.extract.clean import find_chrome
    from healthgov.extract.structure import parse_structure
    from healthgov.ids import to_simplified

    simp = to_simplified(r.text)
    _s, tables, _t, _b = parse_structure(r.text, simp, find_chrome(r.text, simp), r.policy.id)
    (table,) = tables
    assert table.header == ["类别", "序号", "指标", "2020年", "2025年", "性质"]
    assert table.caption == "“十四五”健康郴州建设主要指标"
    assert len(table.rows) == 25
    assert [c.text for c in table.rows[1]] == ["2", "孕产妇死亡率(/10万)", "*18", "12", "预期性"]
    assert [c.text for c in table.rows[5]][:2] == ["健康生活", "6"]  # the category opens its row
    assert [c.text for c in table.rows[-1]][-1] == "预期性"
    assert [c.text for c in table.notes] == ["注:带“*”号数据为“十三五”规划目标值。"]
    for row in table.rows:
        for c in row:
            assert to_simplified(r.text[c.span.start : c.span.end]) == c.text
    assert any(t.comparator == "about" and t.value == 78.6 for t in r.targets)


def test_tab_tables_and_duty_rows() -> None:
    from healthgov.extract.document import DocView
    from healthgov.extract.structure import parse_structure
    from healthgov.ids import to_simplified

    r = rec("10")
    simp = to_simplified(r.text)
    _s, tables, _t, _b = parse_structure(r.text, simp, [], r.policy.id)
    (table,) = tables
    assert len(table.rows) == 55 and all(len(row) == 5 for row in table.rows)
    assert table.rows[1][0].text == "" and table.rows[1][2].text.startswith("2.下转患者人次数")  # rowspan padded
    assert len(table.notes) == 12 and table.notes[1].text.startswith("2.标记“▲”的26个指标")
    assert not any(t.title.startswith("三级公立综合医院考核") for t in r.tasks)  # the notes are not tasks
    duty = rec("05")
    assert duty.tasks[0].text.startswith("省委组织部\t") and duty.tasks[-1].text.startswith("海口海关\t")
    assert [x.name for x in duty.tasks[0].responsibilities] == ["省委组织部"]
    assert isinstance(DocView, type)
    jr = rec("08")
    annex_tasks = [t for t in jr.tasks if t.path[0] == "附件"]
    assert len(annex_tasks) == 23 and annex_tasks[0].text.startswith("市政府办\t")


def test_ids_stable_across_runs() -> None:
    for key in ("001", "002", "05"):
        a, b = extract_file(_path(key)), extract_file(_path(key))
        assert a.to_dict() == b.to_dict()
        assert [t.id for t in a.tasks] == [t.id for t in rec(key).tasks]


def _comparable(r: DocumentRecord) -> dict:
    d = r.to_dict(include_text=True)
    for k in ("source", "sha256", "encoding", "format"):
        d.pop(k)
    return d


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_reencoded_seed_gives_identical_records(tmp_path: Path, encoding: str) -> None:
    src = S["000"]
    out = tmp_path / "cq.txt"
    out.write_bytes(src.read_text(encoding="utf-8").encode(encoding))
    r = extract_file(out)
    assert r.encoding == encoding.replace("utf-16", "utf-16")
    assert _comparable(r) == _comparable(rec("000"))


def test_big5_traditional(tmp_path: Path) -> None:
    text = S["001"].read_text(encoding="utf-8")
    raw = text.encode("big5", errors="replace")
    out = tmp_path / "t.txt"
    out.write_bytes(raw)
    r = extract_file(out)
    assert r.encoding == "big5"
    assert r.policy.doc_number == "国卫基层发〔2023〕41号" and len(r.tasks) == 20


def test_traditional_matches_simplified_keeps_original() -> None:
    r = rec("001")
    assert r.policy.language_script == "traditional"
    t = r.tasks[0]
    assert t.title == "健全管理體制" and "縣域" in t.text  # evidence stays in the original script
    sec = next(s for s in r.sections if s.number == "二")
    assert sec.title == "堅持政府主導,科學構建縣域醫共體"  # titles are evidence: original script
    assert r.policy.doc_number_raw == "國衛基層發〔2023〕41號"


def test_html_and_docx_inputs(tmp_path: Path) -> None:
    lines = [ln for ln in S["003"].read_text(encoding="utf-8").split("\n") if ln.strip()]
    html = "<html><head><title>x</title><script>var a=1;</script><style>p{}</style></head><body>"
    html += "<nav><ul><li>首页</li><li>政策</li></ul></nav>"
    html += "".join(f"<p>{ln}</p>" for ln in lines) + "<div>返回顶部</div></body></html>"
    hp = tmp_path / "hz.html"
    hp.write_text(html, encoding="utf-8")
    rh = extract_file(hp)
    assert rh.format == "html" and len(rh.tasks) == 25 and rh.policy.doc_number == "杭政办函〔2022〕47号"
    assert "var a" not in rh.text and "首页" not in rh.text
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for ln in [ln for ln in E["05"].read_text(encoding="utf-8").split("\n") if ln.strip() and "\t" not in ln]:
        d.add_paragraph(ln)
    rows = [ln.split("\t") for ln in E["05"].read_text(encoding="utf-8").split("\n") if "\t" in ln]
    tbl = d.add_table(rows=len(rows), cols=2)
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            tbl.cell(i, j).text = cell
    dp = tmp_path / "duty.docx"
    d.save(dp)
    rd = extract_file(dp)
    assert rd.format == "docx" and len(rd.tasks) == 26


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (bytes(range(256)) * 40, "binary"),
        ("为全面推进健康郴州建设，服务全市经济社会发展大局，满足居民日益增长的需求。".encode() + "一、".encode()[:-1], "truncated UTF-8"),
        (b"Just some English text, no policy here.\n" * 5, "no Chinese text"),
        (b"PK\x03\x04garbage", "binary"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer<<>>\n%%EOF", "PDF"),
    ],
)
def test_bad_inputs_name_the_file(tmp_path: Path, content: bytes, reason: str) -> None:
    f = tmp_path / "bad_input.txt"
    f.write_bytes(content)
    with pytest.raises(ExtractError) as e:
        extract_file(f)
    assert e.value.path.endswith("bad_input.txt") and reason in str(e.value) and "\n" not in str(e.value)


def test_size_limit(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_bytes(S["000"].read_bytes())
    with pytest.raises(ExtractError, match="too large"):
        read_document(f, max_bytes=1000)


def test_directories_and_cli(tmp_path: Path) -> None:
    d = tmp_path / "docs"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "cq.txt").write_bytes(S["000"].read_bytes())
    (d / "a_empty.txt").write_bytes(b"")
    (d / ".hidden.txt").write_bytes(S["003"].read_bytes())
    (d / "NOTES.md").write_text("# notes", encoding="utf-8")
    results = list(extract_paths([d]))
    assert [type(x).__name__ for x in results] == ["ExtractError", "DocumentRecord"]
    app = typer.Typer()
    app.callback()(lambda: None)
    commands.register(app)
    res = CliRunner().invoke(app, ["extract", str(d), "--format", "json"])
    assert res.exit_code == 1
    out = res.stdout if hasattr(res, "stdout") else res.output
    body = out[out.index("[") :]
    data = json.loads(body)
    assert len(data) == 1 and data[0]["policy"]["doc_number"] == "渝府办发〔2023〕76号"
    assert data[0]["tasks"][0]["span"] == [rec("000").tasks[0].span.start, rec("000").tasks[0].span.end]
    assert re.search(r"error: .*a_empty\.txt: empty file", res.output)
    res = CliRunner().invoke(app, ["extract", str(S["003"]), "--format", "table"])
    assert res.exit_code == 0 and "杭政办函〔2022〕47号" in res.output


# --- properties -------------------------------------------------------------------------------

_CN_DIG = "〇一二三四五六七八九"


def _cn_year(y: int) -> str:
    return "".join(_CN_DIG[int(c)] for c in str(y))


def _cn_small(n: int) -> str:
    if n < 10:
        return _CN_DIG[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIG[tens]) + "十" + ("" if ones == 0 else _CN_DIG[ones])


@given(st.dates(min_value=__import__("datetime").date(1950, 1, 1), max_value=__import__("datetime").date(2099, 12, 31)))
def test_dates_roundtrip(d) -> None:
    iso = d.isoformat()
    assert parse_date(f"{d.year}年{d.month}月{d.day}日") == iso
    assert parse_date(f"{d.year}-{d.month:02d}-{d.day:02d}") == iso
    assert parse_date(f"{_cn_year(d.year)}年{_cn_small(d.month)}月{_cn_small(d.day)}日") == iso
    assert parse_date(f"{d.year}{d.month:02d}{d.day:02d}") == iso
    assert parse_date(iso) == iso  # idempotent on its own output
    glued = f"{d.year}{d.month}{d.day}"
    parts = split_glued(glued)
    assert parts is None or parts == (d.year, d.month, d.day) or len(glued) == 8


def test_glued_dates() -> None:
    assert parse_date("2023630") == "2023-06-30"
    assert parse_date("20231018") == "2023-10-18"
    assert split_glued("2023118") is None  # 1月18日 or 11月8日
    assert split_glued("2023230") is None  # 2月30日 is no date, 23月0日 neither
    assert parse_date("2023年2月30日") is None


_PREFIX = st.text(alphabet="国卫基层发渝府办郴政函杭浙琼健爱赣厅國衛層發號阜蒙促", min_size=2, max_size=8)


@given(_PREFIX, st.integers(1990, 2030), st.integers(1, 999), st.sampled_from(["〔〕", "[]", "()", "【】", "（）", "［］"]),
       st.sampled_from(["", " "]), st.sampled_from(["号", "號"]))
def test_doc_number_normalisation_idempotent(prefix, year, num, br, sp, hao) -> None:
    raw = f"{prefix}{br[0]}{sp}{year}{sp}{br[1]}{sp}{num}{sp}{hao}"
    norm = normalise_doc_number(raw)
    assert norm is not None and re.fullmatch(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号", norm)
    assert normalise_doc_number(norm) == norm
    assert norm.endswith(f"〔{year}〕{num}号")
    assert policy_id(raw, "x") == policy_id(norm, "y")


@given(st.text(alphabet="关于印发《》（）() 健康郴州“十四五”建设規劃的通知", max_size=30))
def test_title_normalisation_idempotent(t: str) -> None:
    assert normalise_title(normalise_title(t)) == normalise_title(t)


def test_decode_bytes_gb18030_and_asdict() -> None:
    text, fmt, enc = decode_bytes(S["002"].read_text(encoding="utf-8").encode("gb18030"), "x.txt")
    assert (fmt, enc) == ("txt", "gb18030") and "健康郴州" in text
    assert asdict(rec("000").policy)["issuers"][0]["name"] == "重庆市人民政府办公厅"


def test_records_cross_process_boundaries_unchanged() -> None:
    """``--jobs N`` sends records back from worker processes pickled (as constructor calls, for
    speed): every record of the seeds and the extra documents comes back equal, spans included."""
    import pickle

    recs = [r for r in extract_paths([SEEDS, EXTRA]) if isinstance(r, DocumentRecord)]
    assert len(recs) >= 14
    for r in recs:
        back = pickle.loads(pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL))
        assert back == r
        # Spans come back as Span objects, not tuples (a document may have no tasks: a short notice).
        assert all(type(b.span) is type(a.span) for a, b in zip(r.tasks, back.tasks, strict=True))
        assert back.to_dict(include_text=True) == r.to_dict(include_text=True)
