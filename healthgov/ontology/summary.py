"""What ``healthgov ontology`` reports: the ontology's size, the vocabularies, and the checks.

Each check is something a researcher extending a vocabulary can break: a concept without an
English label, an altLabel given to two concepts, an institution type without a tier, a shape
file that no longer parses, an axiom that makes the ontology inconsistent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH, SKOS

from healthgov.ontology.rdf import HG, ONTOLOGY_TTL, SHAPES_TTL
from healthgov.ontology.vocab import VOCAB_DIR

ONTOLOGY_IRI = URIRef("https://w3id.org/healthgov/ontology")


@dataclass
class Check:
    name: str
    ok: bool | None  # None: skipped
    detail: str = ""


@dataclass
class Summary:
    iri: str = ""
    version_iri: str = ""
    version: str = ""
    classes: int = 0
    object_properties: int = 0
    datatype_properties: int = 0
    schemes: dict[str, int] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok is not False for c in self.checks)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["ok"] = self.ok
        return d


def _hg_terms(g: Graph, rdf_type: URIRef) -> list[URIRef]:
    return sorted(s for s in g.subjects(RDF.type, rdf_type) if isinstance(s, URIRef) and str(s).startswith(str(HG)))


def _langs(g: Graph, s: URIRef, p: URIRef) -> set[str]:
    return {(o.language or "").lower() for o in g.objects(s, p) if isinstance(o, Literal)}


def _first(items: list[str], n: int = 5) -> str:
    return ", ".join(items[:n]) + (f" … (+{len(items) - n})" if len(items) > n else "")


def check_term_labels(onto: Graph) -> Check:
    missing = []
    for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for s in _hg_terms(onto, t):
            for p in (RDFS.label, RDFS.comment):
                lacking = {"zh", "en"} - _langs(onto, s, p)
                if lacking:
                    missing.append(f"{s.n3(onto.namespace_manager)} {p.n3(onto.namespace_manager)} @{'/'.join(sorted(lacking))}")
            if onto.value(s, HG.graphRole) is None:
                missing.append(f"{s.n3(onto.namespace_manager)} hg:graphRole")
    return Check("term labels", not missing, "every class and property has zh+en label and comment, and a graph role"
                 if not missing else "missing: " + _first(missing))


def check_concepts(vocab: Graph) -> list[Check]:
    no_label, bad_notation, dup, no_tier, ranks = [], [], [], [], defaultdict(list)
    from healthgov.ids import to_simplified

    for scheme in sorted(vocab.subjects(RDF.type, SKOS.ConceptScheme)):
        sid = str(scheme).rstrip("/").rsplit("/", 1)[-1]
        seen: dict[str, str] = {}
        for c in sorted(vocab.subjects(SKOS.inScheme, scheme)):
            cid = str(c).rsplit("/", 1)[-1]
            lacking = {"zh", "en"} - _langs(vocab, c, SKOS.prefLabel)
            if lacking:
                no_label.append(f"{sid}/{cid} @{'/'.join(sorted(lacking))}")
            if str(vocab.value(c, SKOS.notation)) != cid:
                bad_notation.append(f"{sid}/{cid}")
            labels = [o for o in vocab.objects(c, SKOS.prefLabel) if (o.language or "").lower().startswith("zh")]
            labels += list(vocab.objects(c, SKOS.altLabel))
            for lab in {to_simplified(str(o)) for o in labels}:
                other = seen.setdefault(lab, cid)
                if other != cid:
                    dup.append(f"{sid}: “{lab}” on {other} and {cid}")
            if sid == "institution-type":
                tier = vocab.value(c, HG.servesTier)
                if tier is None or (tier, SKOS.inScheme, URIRef("https://w3id.org/healthgov/vocab/tier")) not in vocab:
                    no_tier.append(cid)
            for key, prop in (("tier", HG.tierRank), ("admin-level", HG.levelRank)):
                if sid == key:
                    ranks[key].append(vocab.value(c, prop))
    rank_problems = [f"{k}: ranks {sorted(map(str, v))}" for k, v in ranks.items()
                     if None in v or sorted(int(r) for r in v if r is not None) != list(range(1, len(v) + 1))]
    return [
        Check("concept labels", not no_label and not bad_notation,
              "every concept has zh+en prefLabel and notation = id" if not (no_label or bad_notation)
              else "missing prefLabel: " + _first(no_label) + ("; bad notation: " + _first(bad_notation) if bad_notation else "")),
        Check("unique labels", not dup, "no pref/altLabel shared by two concepts of a scheme" if not dup else _first(dup)),
        Check("institution tiers", not no_tier, "every institution type serves a tier" if not no_tier
              else "no hg:servesTier to a tier: " + _first(no_tier)),
        Check("ranks", not rank_problems, "tiers and levels ranked 1..n without gaps" if not rank_problems
              else "; ".join(rank_problems)),
    ]


def check_former_bodies(vocab: Graph) -> Check:
    """Every hg:formerLabel of a concept is in exactly one of its hg:formerBody groups, and every
    name of a group is one of its former labels (agency-type.ttl, docs/DESIGN.md "Agency identity")."""
    from healthgov.ids import to_simplified

    problems = []
    for c in sorted({*vocab.subjects(HG.formerLabel, None), *vocab.subjects(HG.formerBody, None)}):
        cid = str(c).rsplit("/", 1)[-1]
        labels = {to_simplified(str(o)) for o in vocab.objects(c, HG.formerLabel)}
        names = [to_simplified(n) for o in vocab.objects(c, HG.formerBody) for n in str(o).split()]
        problems += [f"{cid}: “{n}” in two hg:formerBody" for n in sorted({n for n in names if names.count(n) > 1})]
        problems += [f"{cid}: “{n}” in no hg:formerBody" for n in sorted(labels - set(names))]
        problems += [f"{cid}: “{n}” of hg:formerBody is no hg:formerLabel" for n in sorted(set(names) - labels)]
    return Check("former bodies", not problems, "every former label names one predecessor body (hg:formerBody)"
                 if not problems else _first(problems))


def check_shapes(path: Path = SHAPES_TTL) -> Check:
    try:
        g = Graph().parse(path, format="turtle")
    except Exception as e:  # noqa: BLE001 - any parse error is the finding
        return Check("SHACL shapes", False, f"{path.name} does not parse: {e}")
    n = len(set(g.subjects(RDF.type, SH.NodeShape)))
    targets = {o for o in g.objects(None, SH.targetClass)}
    return Check("SHACL shapes", n > 0, f"{n} node shapes over {len(targets)} classes parse")


def summarize(reason: bool = True) -> Summary:
    out = Summary()
    parsed: list[str] = []
    errors: list[str] = []
    onto = Graph()
    vocab = Graph()
    for path, g in [(ONTOLOGY_TTL, onto)] + [(p, vocab) for p in sorted(VOCAB_DIR.glob("*.ttl"))]:
        try:
            g.parse(path, format="turtle")
            parsed.append(path.name)
        except Exception as e:  # noqa: BLE001 - any parse error is the finding
            errors.append(f"{path.name}: {e}")
    out.checks.append(Check("parses", not errors, f"{len(parsed)} files parse" if not errors else "; ".join(errors)))

    out.iri = str(ONTOLOGY_IRI) if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto else ""
    out.version_iri = str(onto.value(ONTOLOGY_IRI, OWL.versionIRI) or "")
    out.version = str(onto.value(ONTOLOGY_IRI, OWL.versionInfo) or "")
    out.classes = len(_hg_terms(onto, OWL.Class))
    out.object_properties = len(_hg_terms(onto, OWL.ObjectProperty))
    out.datatype_properties = len(_hg_terms(onto, OWL.DatatypeProperty))
    for scheme in sorted(vocab.subjects(RDF.type, SKOS.ConceptScheme)):
        out.schemes[str(scheme).rsplit("/", 1)[-1]] = len(set(vocab.subjects(SKOS.inScheme, scheme)))

    out.checks.append(check_term_labels(onto))
    out.checks.extend(check_concepts(vocab))
    out.checks.append(check_former_bodies(vocab))
    out.checks.append(check_shapes())
    if not reason:
        out.checks.append(Check("OWL consistency (HermiT)", None, "skipped: --no-reason"))
    elif errors:
        out.checks.append(Check("OWL consistency (HermiT)", None, "skipped: the files do not parse"))
    else:
        from healthgov.ontology.reasoner import run_hermit

        r = run_hermit(onto + vocab)
        if not r.ran and r.java is None:
            out.checks.append(Check("OWL consistency (HermiT)", None, f"skipped: {r.reason}"))
        elif not r.ran:
            out.checks.append(Check("OWL consistency (HermiT)", False, r.reason))
        else:
            detail = "consistent, every class satisfiable" if r.ok else (
                "INCONSISTENT" if not r.consistent else "unsatisfiable: " + _first(r.unsatisfiable))
            out.checks.append(Check("OWL consistency (HermiT)", r.ok, f"{detail} (ontology + vocabularies; {r.reason})"))
    return out


def render_text(s: Summary) -> str:
    lines = [
        f"ontology   {s.iri}",
        f"version    {s.version} ({s.version_iri})",
        f"terms      {s.classes} classes, {s.object_properties} object properties, "
        f"{s.datatype_properties} datatype properties",
        "concepts   " + ", ".join(f"{k} {v}" for k, v in s.schemes.items()) + f" (total {sum(s.schemes.values())})",
        "checks",
    ]
    mark = {True: "ok  ", False: "FAIL", None: "skip"}
    for c in s.checks:
        lines.append(f"  [{mark[c.ok]}] {c.name}: {c.detail}")
    lines.append("status     " + ("ok" if s.ok else "FAILED"))
    return "\n".join(lines)
