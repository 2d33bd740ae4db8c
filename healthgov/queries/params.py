"""Typed parameters of the named queries: declared in each ``.cypher`` header, checked here.

A header line reads ``// @param NAME: TYPE [= DEFAULT] | description``. Types:

- ``str``, ``int``, ``float``, ``bool``; ``int[MIN..MAX]`` bounds an integer;
- ``zh``: Chinese text, converted to simplified (stored names are simplified; a researcher may
  type either script). The query also receives the text as written, as ``$NAME_raw``, because
  task text keeps its original script;
- ``enum(a,b,c)``: one of the listed values;
- ``concept(SCHEME)``: a concept of a vocabulary, given by id, Chinese or English label, passed
  to the query as its id;
- ``list[T]`` of any of the above: repeated or comma-separated values.

A ``zh`` parameter named ``jurisdiction`` is a place name: ``杭州`` becomes ``杭州市``, ``廣安``
``广安市`` (see ``resolve_jurisdiction``), and a name that is no place is an error that
suggests the nearest ones.

No default means required; ``= null`` means optional and absent; ``= []`` an empty list.
Validation errors are ``ParamError`` (a ``ValueError``) with a message meant for the user.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from healthgov.ids import to_simplified


class ParamError(ValueError):
    """A parameter value the user gave (or left out) that the query cannot take."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"parameter {param!r}: {message}")
        self.param = param
        self.message = message


_TRUE = {"true", "1", "yes", "y", "on"}
_FALSE = {"false", "0", "no", "n", "off"}
_NO_DEFAULT = object()


@dataclass(frozen=True)
class ParamType:
    base: str  # str|int|float|bool|zh|enum|concept
    is_list: bool = False
    choices: tuple[str, ...] = ()  # enum values
    scheme: str | None = None  # concept scheme
    minimum: int | None = None
    maximum: int | None = None

    @property
    def python_type(self) -> type:
        return {"int": int, "float": float, "bool": bool}.get(self.base, str)

    def describe(self) -> str:
        if self.base == "enum":
            inner = "enum(" + ",".join(self.choices) + ")"
        elif self.base == "concept":
            inner = f"concept({self.scheme})"
        elif self.base == "int" and (self.minimum is not None or self.maximum is not None):
            inner = f"int[{'' if self.minimum is None else self.minimum}..{'' if self.maximum is None else self.maximum}]"
        else:
            inner = self.base
        return f"list[{inner}]" if self.is_list else inner


_TYPE_RE = re.compile(
    r"^(?:(?P<list>list)\[(?P<inner>.+)\]|(?P<single>.+))$",
)
_INNER_RE = re.compile(
    r"^(?:(?P<plain>str|int|float|bool|zh)"
    r"|int\[(?P<min>-?\d*)\.\.(?P<max>-?\d*)\]"
    r"|enum\((?P<choices>[^)]+)\)"
    r"|concept\((?P<scheme>[a-z-]+)\))$"
)


def parse_type(text: str) -> ParamType:
    m = _TYPE_RE.match(text.strip())
    if not m:
        raise ValueError(f"bad parameter type {text!r}")
    inner = (m.group("inner") or m.group("single")).strip()
    im = _INNER_RE.match(inner)
    if not im:
        raise ValueError(f"bad parameter type {text!r}")
    is_list = bool(m.group("list"))
    if im.group("plain"):
        return ParamType(im.group("plain"), is_list)
    if im.group("choices"):
        return ParamType("enum", is_list, choices=tuple(c.strip() for c in im.group("choices").split(",")))
    if im.group("scheme"):
        return ParamType("concept", is_list, scheme=im.group("scheme"))
    lo, hi = im.group("min"), im.group("max")
    return ParamType("int", is_list, minimum=int(lo) if lo else None, maximum=int(hi) if hi else None)


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: ParamType
    description: str = ""
    default: Any = _NO_DEFAULT  # already coerced

    @property
    def required(self) -> bool:
        return self.default is _NO_DEFAULT

    def default_value(self) -> Any:
        if self.required:
            return None
        return list(self.default) if isinstance(self.default, list) else self.default

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "type": self.type.describe(), "required": self.required}
        if not self.required:
            d["default"] = self.default_value()
        if self.type.choices:
            d["choices"] = list(self.type.choices)
        if self.type.scheme:
            d["scheme"] = self.type.scheme
        d["description"] = self.description
        return d


_PARAM_LINE = re.compile(r"^(?P<name>[a-z_][a-z0-9_]*)\s*:\s*(?P<type>[^=|]+?)\s*(?:=\s*(?P<default>[^|]*?)\s*)?(?:\|\s*(?P<desc>.*))?$")


def parse_param_line(text: str) -> ParamSpec:
    m = _PARAM_LINE.match(text.strip())
    if not m:
        raise ValueError(f"bad @param line {text!r}")
    ptype = parse_type(m.group("type"))
    spec = ParamSpec(m.group("name"), ptype, (m.group("desc") or "").strip())
    raw_default = m.group("default")
    if raw_default is None:
        return spec
    raw_default = raw_default.strip()
    if raw_default == "null":
        default: Any = [] if ptype.is_list else None
    elif raw_default == "[]":
        default = []
    else:
        # Defaults are checked like user input, but concepts are not resolved (no vocab needed
        # to parse a header); a default concept is written as its id.
        default = _coerce(spec, raw_default, resolve_concepts=False)
    return ParamSpec(spec.name, ptype, spec.description, default)


def _split(values: Any) -> list[str]:
    """Repeated values and comma-separated values (ASCII or Chinese comma) both make a list."""
    if values is None:
        return []
    if isinstance(values, str | int | float | bool):
        values = [values]
    out: list[str] = []
    for v in values:
        if isinstance(v, str):
            out.extend(p.strip() for p in re.split(r"[,,、]", v) if p.strip())
        else:
            out.append(v)
    return out


def _coerce_one(spec: ParamSpec, value: Any, resolve_concepts: bool) -> Any:
    t = spec.type
    if t.base == "bool":
        if isinstance(value, bool):
            return value
        s = str(value).strip().lower()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
        raise ParamError(spec.name, f"expected true or false, got {value!r}")
    if t.base == "int":
        if isinstance(value, bool):
            raise ParamError(spec.name, f"expected a whole number, got {value!r}")
        try:
            n = int(str(value).strip())
        except ValueError:
            raise ParamError(spec.name, f"expected a whole number, got {value!r}") from None
        if not -(2**63) <= n < 2**63:  # Bolt integers are 64-bit; the driver would fail later
            raise ParamError(spec.name, f"{n} is out of range")
        if t.minimum is not None and n < t.minimum:
            raise ParamError(spec.name, f"must be at least {t.minimum}, got {n}")
        if t.maximum is not None and n > t.maximum:
            raise ParamError(spec.name, f"must be at most {t.maximum}, got {n}")
        return n
    if t.base == "float":
        try:
            x = float(str(value).strip())
        except ValueError:
            raise ParamError(spec.name, f"expected a number, got {value!r}") from None
        if x != x or x in (float("inf"), float("-inf")):
            raise ParamError(spec.name, f"expected a finite number, got {value!r}")
        return x
    s = str(value).strip()
    if "\x00" in s:
        raise ParamError(spec.name, "must not contain NUL characters")
    if t.base == "enum":
        if s not in t.choices:
            raise ParamError(spec.name, f"must be one of {', '.join(t.choices)}; got {s!r}")
        return s
    if t.base == "zh":
        if spec.name == JURISDICTION and resolve_concepts:
            return resolve_jurisdiction(spec.name, s)
        return to_simplified(s)
    if t.base == "concept" and resolve_concepts:
        return resolve_concept(spec, s)
    return s


def resolve_concept(spec: ParamSpec, text: str) -> str:
    """A concept id from its id, a Chinese label (either script) or its English label."""
    scheme_id = spec.type.scheme or ""
    try:
        from healthgov.ontology.vocab import load_vocabularies

        scheme = load_vocabularies().schemes.get(scheme_id)
    except Exception:  # noqa: BLE001 - without vocabularies, ids are passed through as given
        scheme = None
    if scheme is None or not len(scheme):
        return text
    if text in scheme.concepts:
        return text
    concept = scheme.lookup(text)
    if concept is None:
        low = text.lower()
        concept = next((c for c in scheme if c.pref_en.lower() == low or c.id.lower() == low), None)
    if concept is None:
        # Free text: a phrase inside one concept's label ("执业医师"), or a sentence that
        # contains a label. Only an unambiguous match is taken; several are reported.
        wanted = to_simplified(text)
        hits = [
            c for c in scheme
            if any(wanted in to_simplified(lab) or (len(lab) >= 4 and to_simplified(lab) in wanted)
                   for lab in c.all_labels())
            or (len(low) >= 4 and low in c.pref_en.lower())
        ]
        if len(hits) == 1:
            return hits[0].id
        if hits:
            names = ", ".join(f"{c.id} ({c.pref_zh})" for c in sorted(hits, key=lambda c: c.id)[:10])
            raise ParamError(spec.name, f"{text!r} matches several {scheme_id} concepts: {names}; give one")
    if concept is None:
        known = ", ".join(sorted(scheme.concepts)[:12])
        more = " ..." if len(scheme.concepts) > 12 else ""
        raise ParamError(
            spec.name,
            f"{text!r} is not a concept of the {scheme_id} scheme (give an id, a Chinese or English "
            f"label; ids: {known}{more}; see /vocab/{scheme_id})",
        )
    return concept.id


JURISDICTION = "jurisdiction"
_PLACE_SUFFIX = re.compile(r"(特别行政区|自治区|自治州|自治县|自治旗|省|市|州|盟|地区|县|区|旗)$")


@lru_cache(maxsize=1)
def _jurisdiction_index() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """The table's names, and every name or alias → the names it may stand for.

    Unlike the loader's table (which lets a province win an alias it shares with a city, as a
    document's issuer would mean), a researcher's "吉林" is ambiguous and is answered as such.
    """
    from healthgov.ids import JURISDICTIONS_TSV as _DATA

    names: set[str] = set()
    index: dict[str, set[str]] = {}
    for line in _DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t") + ["", "", ""]
        names.add(cols[0])
        for key in (cols[0], *filter(None, (a.strip() for a in cols[3].split(",")))):
            index.setdefault(key, set()).add(cols[0])
    return frozenset(names), {k: frozenset(v) for k, v in index.items()}


def _place_shaped(name: str) -> bool:
    """A full place name the table does not list (it lists counties only where documents needed
    them): the graph's own jurisdiction names are either table names or of this shape, as
    ``loaders.metadata.place_chain`` cuts them from issuers' names."""
    from healthgov.extract.metadata import _NOT_PLACE, _PLACE_TOKEN

    m = _PLACE_TOKEN.fullmatch(name)
    return bool(m) and len(name) >= 2 and not _NOT_PLACE.match(name) and _PLACE_SUFFIX.search(name) is not None


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def nearest_jurisdictions(text: str, n: int = 5) -> list[str]:
    """Known names closest to ``text`` by edit distance over names and aliases; none when even
    the closest differs in more than half its characters (a list of strangers helps nobody)."""
    _, index = _jurisdiction_index()
    wanted = to_simplified(text)
    best: dict[str, int] = {}
    for key, targets in index.items():
        d = _distance(wanted, key)
        if d > max(1, len(wanted) // 2):
            continue
        for name in targets:
            best[name] = min(d, best.get(name, d))
    return sorted(best, key=lambda k: (best[k], len(k), k))[:n]


def resolve_jurisdiction(param: str, text: str) -> str:
    """The canonical name of a jurisdiction given as a name, a short form or in either script.

    Exact table names and graph-shaped full names ("某某县") pass as written (a real place with
    no documents then simply matches nothing); an alias or a prefix standing for exactly one
    listed place becomes that place ("杭州" → "杭州市"); anything else is a ``ParamError`` that
    names the value and the nearest known jurisdictions.
    """
    s = to_simplified(text.strip())
    names, index = _jurisdiction_index()
    if s in names:
        return s
    hits = index.get(s) or frozenset()
    if not hits and not _place_shaped(s) and len(s) >= 2:
        hits = frozenset(n for n in names if n.startswith(s))
    if len(hits) == 1:
        return next(iter(hits))
    if hits:
        raise ParamError(param, f"{param} {text!r} may be any of {', '.join(sorted(hits))}; give the full name")
    if _place_shaped(s):
        return s
    if re.search(r"[A-Za-z]", s):
        raise ParamError(param, f"{param} {text!r} is not a jurisdiction name: names are Chinese, in either "
                                "script (e.g. 杭州市 or 杭州); see /jurisdictions for those in the graph")
    near = nearest_jurisdictions(s)
    hint = f"nearest known: {', '.join(near)}" if near else "no known jurisdiction is close to it"
    raise ParamError(param, f"{param} {text!r} is not a known jurisdiction ({hint}); "
                            "see /jurisdictions for those in the graph")


def _coerce(spec: ParamSpec, value: Any, resolve_concepts: bool = True) -> Any:
    if spec.type.is_list:
        items = _split(value)
        return [_coerce_one(spec, v, resolve_concepts) for v in items]
    if isinstance(value, list | tuple):
        if len(value) != 1:
            raise ParamError(spec.name, f"takes one value, got {len(value)}")
        value = value[0]
    return _coerce_one(spec, value, resolve_concepts)


@dataclass
class BoundParams:
    """Checked values for one run, ready to pass to the driver (plus ``_raw`` copies of ``zh``)."""

    values: dict[str, Any] = field(default_factory=dict)

    def cypher_params(self, specs: Iterable[ParamSpec], raw: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(self.values)
        for spec in specs:
            if spec.type.base == "zh" and not spec.type.is_list:
                given = raw.get(spec.name)
                if isinstance(given, list | tuple):
                    given = given[0] if given else None
                out[f"{spec.name}_raw"] = str(given).strip() if given is not None else out.get(spec.name)
        return out


def bind(specs: Iterable[ParamSpec], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Check raw values (strings from a CLI or URL, or JSON values) against the specs.

    Unknown names are an error rather than ignored: a misspelt filter would otherwise silently
    return everything.
    """
    specs = list(specs)
    known = {s.name for s in specs}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ParamError(unknown[0], f"unknown parameter; this query takes: {', '.join(sorted(known)) or 'none'}")
    bound = BoundParams()
    for spec in specs:
        value = raw.get(spec.name)
        empty = value is None or (isinstance(value, str) and not value.strip()) or value == []
        if empty:
            if spec.required:
                raise ParamError(spec.name, "is required")
            bound.values[spec.name] = spec.default_value()
            continue
        coerced = _coerce(spec, value)
        if spec.required and (coerced == "" or coerced == []):
            raise ParamError(spec.name, "is required")
        bound.values[spec.name] = coerced
    return bound.cypher_params(specs, raw)
