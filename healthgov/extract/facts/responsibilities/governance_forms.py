"""Duties the text states through how it organises governance rather than through a clause's subject:
"由县级党委领导、政府主导…参与的…机制" (a chain of parts after one 由), "发挥卫生健康、财政等部门作用"
(the departments called on), "成立市健康专家委员会，负责…" / "…办公室设在Y，…具体负责…" (a body the
text sets up or houses leads the subjectless duty clause after it).
"""

from __future__ import annotations

import re

from healthgov.extract.facts.responsibilities.clauses import (
    BOUNDARY,
    MAX_SUBJECT,
    Duty,
    clause_starts,
    sentence_span,
)
from healthgov.extract.facts.responsibilities.predicates import ALIAS_NOTE
from healthgov.extract.facts.responsibilities.subjects import Named, parse_subject

_GOVERN = re.compile(r"(领导|主导|牵头|负责|统筹|参与|配合|协同|协作|支持)(?=[、，,和的]|$)")
_GOVERN_LEADS = frozenset({"领导", "主导", "牵头", "负责", "统筹"})


def by_chain(s: str, i: int) -> list[Duty]:
    """"由A领导、B主导、C参与的…": two or more parts after one 由, each subject with its verb."""
    end = i + 1
    while end < len(s) and s[end] not in "。；;\n" and end - i < 160:
        end += 1
    chain = s[i + 1 : end]
    parts: list[tuple[int, int, str]] = []  # (start, end, verb) of each subject
    a = i + 1
    for m in _GOVERN.finditer(chain):
        b = i + 1 + m.start()
        parts.append((a, b, m.group()))
        a = i + 1 + m.end()
        while a < len(s) and s[a] in "、，, ":
            a += 1
        if s.startswith("的", i + 1 + m.end()):
            break  # the chain ends where the mechanism it governs is named
    if len(parts) < 2:
        return []
    out: list[Duty] = []
    level: tuple[str, int] | None = None  # the first part's level, given to a bare 政府 after it
    for a, b, verb in parts:
        name = s[a:b]
        units = parse_subject(s, a, b)
        if name in ("政府", "党委", "人民政府") and level is not None:
            units = [Named(level[0] + name, a, b, known=True, collective=True, prefix=level[0], prefix_at=level[1])]
        if not units:
            return out
        lv = re.match(r"(?:省|市|县|区|乡镇|镇|乡)级", name)
        if level is None and lv is not None:
            level = (lv.group(), a)
        role = "lead" if verb in _GOVERN_LEADS else "support"
        out.append(Duty(units, role, "prose", sentence_span(s, a), [], leads_by_word=role == "lead"))
    return out


# "进一步发挥卫生健康、发展改革…等部门作用": the bodies whose part the text calls on act together.
_PLAY_PART = re.compile(r"发挥(?P<units>[^，,。；;]{2,80}?)(?:的)?(?P<kind>牵头|统筹|主导|协调|监督|职能|积极|重要|主体|带头)?作用")


def given_roles(s: str) -> list[Duty]:
    out: list[Duty] = []
    for m in _PLAY_PART.finditer(s):
        units = parse_subject(s, m.start("units"), m.end("units"))
        if not units or any(u.name in ("政府", "党委", "人民政府") for u in units):
            continue  # "更好发挥政府作用": government in general, a principle
        if m.group("kind") == "牵头" and len(units) == 1:
            out.append(Duty(units, "lead", "prose", sentence_span(s, m.start()), [], leads_by_word=True))
        else:
            out.append(Duty(units, "lead" if len(units) == 1 else "support",
                            "prose" if len(units) == 1 else "shared", sentence_span(s, m.start()), []))
    return out


# A body the text sets up or houses, then the duties of the clause that follows it without a
# subject: "成立市健康促进委员会，具体负责…", "由A、B组成…试点工作小组（以下简称试点工作小组），领导试点
# 工作", "试点工作小组办公室设在国家医保局，由…选派人员参加，具体负责组织开展试点".
_SET_UP = re.compile(r"成立|组成|组建|设立")
_HOUSED = re.compile(r"设在|设于")
_ELIDED_DUTY = re.compile(r"(?:并|具体|主要|统一)?(?:负责|领导|承担|统筹|牵头|代表)")


def established(s: str) -> list[Duty]:
    out: list[Duty] = []
    for m in _SET_UP.finditer(s):
        end = m.end()
        while end < len(s) and s[end] not in BOUNDARY + "（(":
            end += 1
        note = re.compile(ALIAS_NOTE).match(s, end)
        if note is not None:  # the document's own short name for the body it sets up
            units = [Named(note.group("alias"), note.start("alias"), note.end("alias"), known=False)]
            d = _elided_duty(s, units, note.end())
            if d is not None:
                out.append(d)
            continue
        for a in range(m.end(), end - 1):  # the longest name that ends where the clause does
            units = parse_subject(s, a, end)
            if units and len(units) == 1:
                d = _elided_duty(s, units, end)
                if d is not None:
                    out.append(d)
                break
    for p in clause_starts(s):
        h = _HOUSED.search(s, p, min(len(s), p + MAX_SUBJECT))
        if h is not None and not any(ch in BOUNDARY for ch in s[p : h.start()]):
            units = parse_subject(s, p, h.start())
            if units and len(units) == 1:
                d = _elided_duty(s, units, h.end())
                if d is not None:
                    out.append(d)
    return out


def _elided_duty(s: str, units: list[Named], q: int) -> Duty | None:
    """The body leads the first clause of its sentence after q that opens with a duty verb and no
    subject of its own."""
    a, b = sentence_span(s, q)
    for p in clause_starts(s):
        if q <= p < b and _ELIDED_DUTY.match(s, p) and s[p - 1] in "，,":
            return Duty(units, "lead", "prose", (a, b), [])
    return None


