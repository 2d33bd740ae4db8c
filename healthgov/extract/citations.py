"""Where a document known only from a citation comes from: its jurisdiction and issuer type.

A placeholder (a Policy another document cites, not loaded itself) gets the jurisdiction its
document number or its title names, so that lineage reads "city → nation" rather than "city → ?":

- the document-number prefix (``data/doc_number_prefixes.tsv``, longest prefix first): 国办发 /
  国发 / 国卫… / 国医保… → 全国; 中办发 / 中发 → 全国, issued by the party; a city abbreviation
  (穗卫… → 广州市); else a province abbreviation, the single-character aliases of the province
  rows of ``data/jurisdictions.tsv`` (粤卫… → 广东省, 渝府办发 → 重庆市);
- else the issuer named before 关于 in the title ("国务院办公厅关于…" → 全国, "广东省人民政府关于…"
  → 广东省), through the same place rules as a loaded document's issuers.

Only places of the gazetteer become jurisdictions: an unknown prefix gives none.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from healthgov.extract.metadata import infer_jurisdiction
from healthgov.ids import WS, normalise_doc_number, place_info, places, to_simplified
from healthgov.records import Jurisdiction

PREFIXES_TSV = Path(__file__).parent / "data" / "doc_number_prefixes.tsv"
# Who issues, before 关于 in a title: the part a place or 国务院/国家… is read from.
_TITLE_ISSUER = re.compile(r"^(?P<who>[^《》]{2,80}?)关于")


@lru_cache(maxsize=1)
def prefix_table() -> list[tuple[str, str, str | None]]:
    """(prefix, jurisdiction, issuer type), longest prefix first: the data file, then the
    single-character province abbreviations of the gazetteer."""
    rows: list[tuple[str, str, str | None]] = []
    for line in PREFIXES_TSV.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t") + [""]
        rows.append((cols[0], cols[1], cols[2] or None))
    table, _keys = places()
    listed = {p for p, _j, _t in rows}
    for alias, (name, level, _parent) in table.items():
        if len(alias) == 1 and level == "province" and alias not in listed:
            rows.append((alias, name, None))
    return sorted(rows, key=lambda r: (-len(r[0]), r[0]))


def _issuer_type(prefix_rest: str, listed: str | None) -> str | None:
    """Party or government from what follows the place abbreviation: 渝府办发 → government,
    渝委发 → party (the provincial party committee); a department (粤卫…) is left unknown."""
    if listed:
        return listed
    if prefix_rest.startswith(("府", "政")):
        return "government"
    if prefix_rest.startswith(("委发", "委办", "办发")) and not prefix_rest.startswith("办发"):
        return "party"
    return None


def _place(name: str) -> Jurisdiction | None:
    info = place_info(name)
    if info is None:
        return None
    canonical, level, parent = info
    return Jurisdiction(canonical, level, parent)  # type: ignore[arg-type]


def jurisdiction_of_number(doc_number: str | None) -> tuple[Jurisdiction | None, str | None]:
    """(jurisdiction, issuer type) read from a document number's prefix; (None, None) when the
    prefix is not in the table."""
    num = normalise_doc_number(doc_number) if doc_number else None
    if not num:
        return None, None
    prefix = num.split("〔", 1)[0]
    for p, name, kind in prefix_table():
        if prefix.startswith(p):
            place = _place(name)
            if place is None:
                return None, None
            return place, _issuer_type(prefix[len(p) :], kind)
    return None, None


def jurisdiction_of_title(title: str | None) -> tuple[Jurisdiction | None, str | None]:
    """(jurisdiction, issuer type) of the issuer named before 关于 in a title."""
    t = to_simplified(title or "").strip(WS + "《》")  # whitespace kept: it separates bodies
    if t.startswith("中华人民共和国"):  # a national law or regulation: 《中华人民共和国…法》
        return Jurisdiction("全国", "nation"), None
    m = _TITLE_ISSUER.match(t)
    if not m or re.search(r"印发|转发|颁布|《", m.group("who")):
        return None, None
    who = m.group("who")
    # "中共江西省委 江西省人民政府": each body on its own, the party prefix dropped.
    bodies = [re.sub(r"^中共(?!中央)", "", b) for b in re.split(r"[\s、]+", who) if b]
    j = infer_jurisdiction([b for b in bodies if b])
    if j is None or (j.name != "全国" and place_info(j.name) is None):
        return None, None  # a well-formed but unknown place name is no evidence for a placeholder
    party = who.startswith(("中共", "中央")) or re.search(r"(省委|市委|县委|区委|党委)", who) is not None
    government = re.search(r"(国务院|人民政府|政府办公)", who) is not None
    return j, "party" if party else "government" if government else None


def cited_jurisdiction(doc_number: str | None, title: str | None) -> tuple[Jurisdiction | None, str | None]:
    """The jurisdiction and issuer type of a cited document: from its number, else its title."""
    j, kind = jurisdiction_of_number(doc_number)
    if j is not None:
        if kind is None:
            kind = jurisdiction_of_title(title)[1]
        return j, kind
    return jurisdiction_of_title(title)
