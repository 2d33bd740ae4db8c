"""Regulations are not plans: what makes a document a regulation, and what follows from it.

A regulation is a document whose title ends in 办法 / 条例 / 规定 / 细则 / 规则 (实施细则, 试行办法,
暂行规定, "…办法(试行)" included) and whose body is organised in 第X条 articles (at least
``MIN_ARTICLES`` of them). Then:

- every article is a *provision* (``Task.kind == "provision"``), numbered 第X条, its 章/节 its
  section; whatever chapter it sits in (总则 and 附则 included: "第三条 市医疗保障行政部门主管…"
  assigns duties);
- the clauses enumerated inside an article ((一) / 1. / (1) / ①: "(六)基金的利息", "4. 褥疮Ⅱ期
  以上…") are not tasks nor sections: they stay the text of their article
  (``healthgov.extract.structure``);
- duties stated in articles ("X主管/负责/会同Y…") are responsibilities with basis ``prose``
  (``facts.responsibilities.prose``, which reads every task without a unit annotation);
- the numbers of a provision (payment standards, 元/日, reimbursement percentages, ceilings) are
  rules, not policy targets: no ``Target`` is emitted from a provision
  (``facts.targets.extract_targets``);
- the basis clause of 第一条 ("根据《X》…,结合本市实际,制定本办法") records that the document
  implements X (``metadata.find_citations``).

A notice that issues a regulation ("关于印发《X办法》的通知") is recognised by its short title.
"""

from __future__ import annotations

import re

from healthgov.ids import to_simplified

MIN_ARTICLES = 3

REGULATION_TITLE = re.compile(
    # a law (…法: 中华人民共和国传染病防治法, …促进法) is organised in articles like a regulation
    r"(办法|条例|规定|细则|规则|(?<![办方做写说算])法)\s*(?:[(（]\s*(?:试行|暂行|修订|修正|草案|征求意见稿|\d{4}年修[订正])\s*[)）])?$"
)


def is_regulation_title(*titles: str | None) -> bool:
    """True when one of the titles (the document's, the issued plan's) names a regulation."""
    for t in titles:
        if t and REGULATION_TITLE.search(re.sub(r"\s+", "", to_simplified(t))):
            return True
    return False


# --- duties in articles ----------------------------------------------------------------------------

# The article's own number before its text: "第三条　市医疗保障行政部门主管…".
_ARTICLE_NO = re.compile(r"\s*第[一二三四五六七八九十百零〇两\d]+条[\s\u3000]*")
# Bases the prose rules give; responsibilities with another basis (an annotation, a table) stay.
_PROSE_BASES = frozenset({"prose", "shared"})


def assign_provision_duties(doc, tasks: list) -> None:
    """Duties stated in a regulation's articles, read by the prose rules from the article's text.

    The prose rules (``facts.responsibilities.prose``) read a task from its start, where a plan's
    item opens with its number or title; an article opens with "第三条", which is not part of the
    subject ("市医疗保障行政部门主管…"). Each provision is read again from the end of its number and
    its prose responsibilities replaced by what that reading finds (units named by annotations
    or tables are kept as they are).
    """
    from healthgov.extract.facts.responsibilities.prose import apply_prose
    from healthgov.records import Span, Task

    shadows = []
    for t in tasks:
        if t.kind != "provision" or any(r.basis not in _PROSE_BASES for r in t.responsibilities):
            continue
        m = _ARTICLE_NO.match(doc.simp, t.span.start, t.span.end)
        off = m.end() - t.span.start if m else 0
        shadows.append((t, Task(t.id, t.section, t.path, t.number, t.title, t.text[off:],
                                Span(t.span.start + off, t.span.end), kind=t.kind)))
    apply_prose(doc, [sh for _t, sh in shadows], doc.policy.jurisdiction)
    for t, sh in shadows:
        found = sh.responsibilities + _remit_lists(doc, sh, sh.responsibilities)
        if found or not t.responsibilities:
            found.sort(key=lambda r: r.span.start if r.span else 0)
            for k, r in enumerate(found):
                r.order = k
            t.responsibilities = found


# "市卫生健康、市场监管、公安等部门在各自职责范围内负责…", "市民政局、市财政局按照各自职责做好…":
# bodies each responsible within its own remit (a regulation's usual wording for joint duties).
_REMIT_LIST = re.compile(
    r"(?:^|(?<=[。；;，,\n]))(?P<items>(?:[\u4e00-\u9fff]{2,12}、)+[\u4e00-\u9fff]{2,12}?)(?P<noun>等?(?:部门|单位))?"
    r"(?=(?:应当|应|要)?(?:在各自(?:的)?职责范围内|按照(?:各自的?)?职责(?:分工)?|按职责分工|依照各自职责|根据各自职责))"
)


def _remit_lists(doc, t, found: list) -> list:
    """Each body of a list "A、B、C等部门在各自职责范围内…" the prose rules did not read (no
    responsibility ``found`` there): ``support``, basis ``shared`` (joint responsibility, nobody
    named lead); a bare name takes the shared noun ("市场监管" → "市场监管部门"), its span the
    name as printed."""
    from healthgov.extract.facts.agencies import resolve_agency
    from healthgov.extract.facts.responsibilities.rules import Unit, resp

    juris = doc.policy.jurisdiction
    simp = doc.simp[t.span.start : t.span.end]
    out = []
    have = {r.name for r in found}
    for m in _REMIT_LIST.finditer(simp):
        a, b = t.span.start + m.start(), t.span.start + m.end()
        if any(r.span and r.span.start < b and a < r.span.end for r in found):
            continue
        noun = (m.group("noun") or "").lstrip("等")
        pos = m.start("items")
        for tok in m.group("items").split("、"):
            start, pos = t.span.start + pos, pos + len(tok) + 1
            written = doc.text[start : start + len(tok)]
            name = written if resolve_agency(tok, juris).agency_type or not noun else written + noun
            ref = resolve_agency(name, juris)
            if ref.agency_type is None or name in have:
                continue
            have.add(name)
            out.append(resp(Unit(name, start, start + len(tok), "support"), "support", "shared", 0, ref))
    return out
