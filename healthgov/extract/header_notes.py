"""What a document's header says besides its title and signature: the promulgation note under a
law's or an outline's title, and the document number printed on a letterhead line of the first
page. Read by ``metadata.extract_policy`` when the signature block does not say it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from healthgov.extract.dates import find_dates, parse_date
from healthgov.extract.structure.layout import Layout
from healthgov.ids import DOC_NUMBER, WS, normalise_forms

# The promulgation note under a title: "（2016年10月25日 中共中央、国务院发布）", "（2019年12月28日
# 第十三届全国人民代表大会常务委员会第十五次会议通过）", a law's list of revisions (the last one counts).
_PROMULGATION = re.compile(r"^[(（].{0,600}(发布|印发|通过|修订|修正|公布)[)）]$")
_BY_MEETING = re.compile(r"第[一二三四五六七八九十百]+届(?P<who>[\u4e00-\u9fff]{4,30}?)第[一二三四五六七八九十百]+次(全体)?会议")
_BY_NAMES = re.compile(r"日\s*(?P<who>[\u4e00-\u9fff、，,\s]{2,60}?)(联合)?(发布|印发|公布)[)）]$")


def promulgation(lay: Layout) -> tuple[str | None, list[str]] | None:
    """(date, issuers) of the promulgation note in the header, or None."""
    end = min(len(lay.lines), lay.body_start_line + 3)
    for ln in lay.lines[:end]:
        if ln.removed or not _PROMULGATION.match(ln.s):
            continue
        dates = find_dates(ln.s)
        date = dates[-1][2] if dates else None
        tail = ln.s[dates[-1][0]:] if dates else ln.s
        m = _BY_MEETING.search(tail)
        if m:
            return date, [m.group("who")]
        m = _BY_NAMES.search(tail)
        names = [x for x in re.split(r"[、，,\s]+", m.group("who")) if x] if m else []
        return date, names
    return None


def first_page_number(lay: Layout) -> str | None:
    """The document number printed on a letterhead line of the first page, alone or beside the
    page's marks and the signer ("不公开 佛公卫办函〔2024〕37 号", "顺卫〔2025〕8 号 签发人：X"), where
    a text layer puts the letterhead after the first page's text."""
    seen_text = False
    for ln in lay.lines:
        if ln.kind == "page" and seen_text:
            break
        seen_text = seen_text or (bool(ln.s) and not ln.removed)
        if not ln.s or ln.kind not in (None, "letterhead", "title"):
            continue
        m = DOC_NUMBER.search(ln.s)
        if not m:
            continue
        rest = (ln.s[: m.start()] + ln.s[m.end():]).strip()
        rest = re.sub(r"签发人\s*[:：]\s*\S{2,4}|(依申请|主动|不予|免予)?公开|不公开|特\s*急|加\s*急", "", rest).strip(WS)
        if not rest:
            return lay.text[ln.start + m.start() : ln.start + m.end()]
    return None


@dataclass
class HeaderNotes:
    issuers: list[str] = field(default_factory=list)
    date: str | None = None
    number: str | None = None  # as printed


_ISSUER_FIELDS = ("发文机关", "颁布机关", "制定机关", "发布机关")
_DATE_FIELDS = ("发文日期", "成文日期", "颁布日期", "公布日期", "发布日期")


def header_notes(lay: Layout) -> HeaderNotes:
    """Issuers, date and number from a law database's fields, the promulgation note and the
    letterhead: what the header says where a signature block does not."""
    notes = HeaderNotes()
    f = lay.fields
    key = next((k for k in _ISSUER_FIELDS if k in f), None)
    if key:
        notes.issuers = [x for x in re.split(r"[、，,；;\s]+", f[key][0].strip(WS)) if x]
    key = next((k for k in _DATE_FIELDS if k in f), None)
    if key:
        notes.date = parse_date(normalise_forms(f[key][0]), glued=False)
    promulgated = promulgation(lay)
    if promulgated:
        notes.date = notes.date or promulgated[0]
        notes.issuers = notes.issuers or promulgated[1]
    notes.number = first_page_number(lay) or (f["发文字号"][0] if "发文字号" in f else None)
    return notes
