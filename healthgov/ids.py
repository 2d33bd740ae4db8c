"""Every identity rule of the project, in one place: the bottom floor (imports nothing of healthgov).

- script: ``to_simplified`` (traditional → simplified, length preserving: offsets stay valid) and
  ``simplified`` (the same without whitespace: the form names are keyed on);
- document numbers: ``DOC_NUMBER`` and ``normalise_doc_number`` ("國衛基層發〔2023〕41號" →
  "国卫基层发〔2023〕41号");
- titles: ``normalise_title`` (the key an exact-title citation is matched on);
- policies: ``policy_id`` (docs/DESIGN.md: by document number, else by title);
- jurisdictions and agencies: ``NATION``, ``jurisdiction_key`` (the jurisdiction an agency
  belongs to), ``agency_key`` (one node per real body per jurisdiction: ``{own}/{agency type}``
  for a body named exactly, else ``{scope}/{simplified name}``; the same id in the property
  graph and the RDF export) and ``agency_name_rank`` (which of its names a node shows);
- files: ``sha256_file`` / ``sha256_bytes`` / ``sha256_text`` (what a Policy's ``sha256`` holds).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

import opencc

# --- script ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


# Short strings (unit names, labels, table cells) are converted again and again: a bounded
# cache of their conversions (the conversion is deterministic, so the result is the same).
_SHORT = 64
_CACHE: dict[str, str] = {}
_CACHE_MAX = 1 << 16


def to_simplified(text: str) -> str:
    """Traditional → simplified, keeping the length so character offsets stay valid.

    OpenCC's phrase tables can change the length of a string in rare cases; offsets into the
    original text are our provenance, so when that happens we fall back to converting one
    character at a time (which is always length-preserving for single characters that map to
    single characters, and keeps a character as it is otherwise).
    """
    if not text or text.isascii():
        return text  # OpenCC maps no ASCII character
    if len(text) <= _SHORT:
        out = _CACHE.get(text)
        if out is None:
            out = _convert(text)
            if len(_CACHE) >= _CACHE_MAX:
                _CACHE.clear()
            _CACHE[text] = out
        return out
    return _convert(text)


def _convert(text: str) -> str:
    conv = _t2s().convert(text)
    if len(conv) == len(text):
        return conv
    out = []
    for ch in text:
        c = _t2s().convert(ch)
        out.append(c if len(c) == 1 else ch)
    return "".join(out)


def simplified(name: str) -> str:
    """Simplified script, no whitespace: the form a name (an agency's, a source path) is keyed on."""
    return re.sub(r"\s+", "", to_simplified(name))


# Whitespace a line or a number may be padded with (ideographic space, NBSP, en/em space,
# zero-width space, BOM).
WS = " \t\u3000\xa0\u2002\u2003\u200b\ufeff"
_HALF = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)},
     "（": "(", "）": ")", "［": "[", "］": "]", "：": ":", "；": ";", "，": ",", "．": ".", "！": "!",
     "？": "?", "　": " ", "＋": "+", "－": "-", "％": "%", "／": "/", "＜": "<", "＞": ">", "＝": "="}
)


def normalise_forms(simp: str) -> str:
    """Full-width ASCII forms → half-width, length preserving."""
    return simp.translate(_HALF)


# --- document numbers, titles, policies ---------------------------------------------------------

DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,14}?)\s*[〔\[(【（［]\s*(?P<year>(?:19|20)\d{2})\s*[〕\])】）］]\s*第?\s*"
    r"(?P<num>\d{1,5})\s*(?P<hao>[号號])"
)


def normalise_doc_number(raw: str) -> str | None:
    """"國衛基層發〔2023〕41號", "阜蒙健促办发[2020] 3 号", "X(2023)第5号" → "X〔YYYY〕N号" (simplified).

    Idempotent: a normalised number normalises to itself.
    """
    if not raw:
        return None
    s = normalise_forms(to_simplified(raw.strip(WS)))
    m = DOC_NUMBER.search(s)
    if not m:
        return None
    prefix = re.sub(r"\s+", "", m.group("prefix"))
    return f"{prefix}〔{m.group('year')}〕{int(m.group('num'))}号"


def normalise_title(title: str) -> str:
    """Simplified, no whitespace, half-width brackets, outer 《》 and quotes dropped: the id key."""
    s = normalise_forms(to_simplified(title or ""))
    s = re.sub(r"[\s\u00a0\u2002\u2003]+", "", s)
    s = s.replace("〈", "《").replace("〉", "》")
    s = s.strip("《》")
    return s


def policy_id(doc_number: str | None, title: str | None) -> str:
    """``p`` + 12 hex of SHA-1 of ``doc:{normalised number}`` or ``title:{normalised title}``."""
    num = normalise_doc_number(doc_number) if doc_number else None
    key = f"doc:{num}" if num else f"title:{normalise_title(title or '')}"
    return "p" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


# --- jurisdictions and agencies -------------------------------------------------------------------

NATION = "全国"  # the jurisdiction (name and id) of national bodies
# The gazetteer: name, level, parent, aliases (a data file of the extractor, read here by path).
JURISDICTIONS_TSV = Path(__file__).parent / "extract" / "data" / "jurisdictions.tsv"
Place = tuple[str, str, str | None]  # (canonical name, level, parent)


@lru_cache(maxsize=1)
def places() -> tuple[dict[str, Place], list[str]]:
    """name or alias → (canonical name, level, parent); and the keys longest first."""
    table: dict[str, Place] = {}
    aliases: dict[str, Place] = {}
    for line in JURISDICTIONS_TSV.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t") + ["", "", ""]
        name, level, parent, al = cols[0], cols[1], cols[2] or None, cols[3]
        rec = (name, level, parent)
        table[name] = rec
        for a in filter(None, al.split(",")):
            aliases.setdefault(a, rec)  # provinces come first: they win
    for a, rec in aliases.items():
        table.setdefault(a, rec)
    return table, sorted(table, key=len, reverse=True)


def place_info(name: str) -> Place | None:
    """The jurisdiction key of a place name or alias: (canonical name, level, parent), or None."""
    table, _ = places()
    return table.get(name)


def jurisdiction_key(level: str | None, jurisdiction: str | None,
                     doc_jurisdiction: str | None, doc_level: str | None) -> str | None:
    """The jurisdiction an agency belongs to: the extractor's when it gives one; 全国 for a
    national unit; the document's for a unit at the document's own level; else none."""
    own = jurisdiction
    if own is None and level == "nation":
        own = NATION
    if own is None and level is not None and level == doc_level:
        own = doc_jurisdiction
    return own


NAME_FORMS = ("current", "former", "generic")


def split_name_form(name_form: str | None) -> tuple[str, str] | None:
    """``"current:卫健委"`` → ``("current", "卫健委")``; None for None or a malformed value."""
    form, sep, label = (name_form or "").partition(":")
    return (form, label) if sep and form in NAME_FORMS and label else None


def agency_key(name: str, level: str | None, jurisdiction: str | None,
               doc_jurisdiction: str | None, doc_level: str | None, *,
               agency_type: str | None = None, name_form: str | None = None,
               collective: bool = False) -> tuple[str, str | None]:
    """(id, own jurisdiction) of an agency.

    One node per real body per jurisdiction (docs/DESIGN.md, "Agency identity"): a concrete body
    (``name_form`` given by the extractor: the name is exactly a prefix plus a label of a type
    with one body per jurisdiction), not a class of bodies, whose own jurisdiction is known, is
    keyed by what it is rather than how it is written:

    - a current name (市卫健委, 广州市卫生健康委员会) → ``{own}/{agency_type}``;
    - a generic name (市卫生健康部门) → ``{own}/{agency_type}/generic``: a department named by
      its field, kept apart from the concrete body;
    - a predecessor's name (国家卫生计生委) → ``{own}/{agency_type}/former/{label}``: kept apart
      from its successor (and linked to it in the graph), one node per former label.

    Anything else keeps the surface key ``{scope}/{simplified name}``: the scope is its own
    jurisdiction (``jurisdiction_key``) when known, else the document's (generic units below the
    document's level, "各区县卫生健康局", have none of their own, but the same words in two
    cities are two sets of bodies). Agency types are ASCII ids and names are Chinese, so the two
    kinds of key never meet.
    """
    aid, own, _kind = agency_identity(name, level, jurisdiction, doc_jurisdiction, doc_level,
                                      agency_type=agency_type, name_form=name_form, collective=collective)
    return aid, own


def agency_identity(name: str, level: str | None, jurisdiction: str | None,
                    doc_jurisdiction: str | None, doc_level: str | None, *,
                    agency_type: str | None = None, name_form: str | None = None,
                    collective: bool = False) -> tuple[str, str | None, str | None]:
    """``agency_key`` and the form the id was made from: (id, own jurisdiction, "current" /
    "former" / "generic" for an agency keyed by type, None for one keyed by its name)."""
    own = jurisdiction_key(level, jurisdiction, doc_jurisdiction, doc_level)
    form = split_name_form(name_form)
    if form is not None and agency_type and own and not collective:
        kind, label = form
        suffix = {"current": "", "generic": "/generic"}.get(kind, f"/former/{simplified(label)}")
        return f"{own}/{agency_type}{suffix}", own, kind
    scope = own or doc_jurisdiction or ""
    return f"{scope}/{simplified(name)}", own, None


def agency_name_rank(name: str, own: str | None, name_form: str | None) -> str:
    """The key the node's ``name`` is chosen by among the forms one agency is written in (the
    smallest wins, whatever order documents are loaded in): a form naming its own place
    (广州市卫生健康委员会, 国家医保局) first, then one with a level prefix (市卫健委), then a bare
    label (卫健委); then the shorter; then the lexically first."""
    s = simplified(name)
    form = split_name_form(name_form)
    prefix = s[: len(s) - len(simplified(form[1]))] if form and s.endswith(simplified(form[1])) else ""
    if own and (s.startswith(own) or (own == NATION and s.startswith("国家"))):
        rank = 0
    elif prefix:
        rank = 1
    else:
        rank = 2
    return f"{rank}{len(s):03d}{s}"


# --- files -------------------------------------------------------------------------------------


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_text(text: str) -> str:
    """Of the UTF-8 encoding (a record extracted from text rather than a file)."""
    return sha256_bytes(text.encode("utf-8"))


def sha256_file(path: str | Path) -> str:
    """Of a file's raw bytes, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
