"""The RDF form of a ``DocumentRecord``, and SHACL validation of it.

Instances live under ``https://w3id.org/healthgov/id/`` (``hgd:``) with the ids of
``healthgov.records`` (docs/DESIGN.md): ``hgd:policy/{policy_id}``, ``hgd:section/{section_id}``,
``hgd:task/{task_id}``, ``hgd:target/{target_id}``, ``hgd:obligation/{task_id}/o{n}``. Agencies and jurisdictions get the same ids
as their property-graph nodes (``healthgov.loaders.rows``), so an RDF export and the graph can be
joined. Every extracted fact points to its evidence with ``prov:wasDerivedFrom`` → an
``hg:TextSpan`` (start, end, section path) that ``dcterms:isPartOf`` the ``hg:SourceDocument``.

Every instance has an ``rdfs:label``. Chinese text is language-tagged: ``@zh-Hant`` for what a
traditional-script document writes, ``@zh`` otherwise (and always on agencies, jurisdictions and
placeholder policies, which several documents share); identifiers and codes (document numbers,
item numbers, units, section paths) stay plain strings. ``with_vocabulary`` adds the SKOS
concepts a graph refers to, so an export is readable (and valid) without the vocabulary files.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from healthgov.ids import NATION, agency_identity, cited_policy_id, simplified
from healthgov.ontology.vocab import former_body_key
from healthgov.records import DocumentRecord, Obligation, Responsibility, Span, Task

HERE = Path(__file__).parent
ONTOLOGY_TTL = HERE / "healthgov.ttl"
SHAPES_TTL = HERE / "shapes.ttl"

HG = Namespace("https://w3id.org/healthgov/ontology#")
HGD = Namespace("https://w3id.org/healthgov/id/")
HGV = Namespace("https://w3id.org/healthgov/vocab/")


def _seg(s: str) -> str:
    # Ids such as "p1a2b/t3" keep their slash; anything else unsafe in an IRI is %-escaped.
    return quote(s, safe="/-._~")


def iri(kind: str, ident: str) -> URIRef:
    return HGD[f"{kind}/{_seg(ident)}"]


def concept(scheme: str, cid: str) -> URIRef:
    return HGV[f"{scheme}/{_seg(cid)}"]


class _Builder:
    def __init__(self, rec: DocumentRecord) -> None:
        self.rec = rec
        self.g = Graph()
        bind_prefixes(self.g)
        self.source = iri("source", rec.sha256 or simplified(rec.source))
        j = rec.policy.jurisdiction
        self.doc_jname = j.name if j else None
        self.doc_level = j.level if j else None
        # (own jurisdiction, agency type) → form → node, of the agencies keyed by type
        self.forms: dict[tuple[str, str], dict[str, set[URIRef]]] = {}
        self.lang = "zh-Hant" if rec.policy.language_script == "traditional" else "zh"

    def text(self, value: str | None, lang: str | None = None) -> Literal | None:
        """Chinese text as written, tagged with the document's script (``lang`` overrides)."""
        return Literal(value, lang=lang or self.lang) if value else None

    def label(self, node: URIRef, *parts: object, lang: str | None = None) -> None:
        self.add(node, RDFS.label, self.text(" ".join(str(p) for p in parts if p not in (None, "")).strip(), lang))

    def add(self, s: URIRef | BNode, p: URIRef, o: object, datatype: URIRef | None = None) -> None:
        if o is None or o == "":
            return
        if isinstance(o, URIRef | BNode | Literal):
            self.g.add((s, p, o))
        else:
            self.g.add((s, p, Literal(o, datatype=datatype)))

    def span(self, span: Span | None, path: str | None = None) -> URIRef | None:
        if span is None:
            return None
        node = HGD[f"span/{self.rec.sha256 or 'nosha'}/{span.start}-{span.end}"]
        self.add(node, RDF.type, HG.TextSpan)
        self.add(node, RDFS.label, Literal(f"characters {span.start}–{span.end}", lang="en"))
        self.add(node, HG.spanStart, Literal(span.start, datatype=XSD.nonNegativeInteger))
        self.add(node, HG.spanEnd, Literal(span.end, datatype=XSD.nonNegativeInteger))
        self.add(node, DCTERMS.isPartOf, self.source)
        self.add(node, HG.sectionPath, path)
        return node

    def evidence(self, fact: URIRef, span: Span | None, path: str | None = None) -> None:
        node = self.span(span, path)
        if node is not None:
            self.add(fact, PROV.wasDerivedFrom, node)

    def jurisdiction(self, name: str, level: str | None, parent: str | None) -> URIRef:
        node = iri("jurisdiction", name)
        if (node, RDF.type, HG.Jurisdiction) in self.g:
            if level and self.g.value(node, HG.administrativeLevel) is None:
                self.add(node, HG.administrativeLevel, concept("admin-level", level))
            return node
        self.add(node, RDF.type, HG.Jurisdiction)
        self.add(node, HG.name, self.text(name, "zh"))
        self.label(node, name, lang="zh")
        if level:
            self.add(node, HG.administrativeLevel, concept("admin-level", level))
        if parent and parent != name:
            info = _place_info(parent)
            pname, plevel, pparent = info if info else (parent, None, None)
            self.add(node, HG.partOfJurisdiction, self.jurisdiction(pname, plevel, pparent))
        return node

    def agency(self, name: str, agency_type: str | None, level: str | None, jurisdiction: str | None,
               collective: bool = False, name_form: str | None = None) -> URIRef:
        """The agency (``healthgov.ids.agency_identity``: one node per real body per jurisdiction);
        each of its names in the document is an hg:name (a node several documents name has all)."""
        aid, own, kind = agency_identity(name, level, jurisdiction, self.doc_jname, self.doc_level,
                                         agency_type=agency_type, name_form=name_form, collective=collective,
                                         former_body=former_body_key(agency_type, name_form))
        node = iri("agency", aid)
        self.add(node, RDF.type, HG.Agency)
        if kind is not None and own and agency_type:
            self.add(node, HG.nameForm, kind)
            self.forms.setdefault((own, agency_type), {}).setdefault(kind, set()).add(node)
        self.add(node, HG.name, self.text(simplified(name), "zh"))
        self.label(node, simplified(name), lang="zh")
        if agency_type and self.g.value(node, HG.agencyType) is None:
            self.add(node, HG.agencyType, concept("agency-type", agency_type))
        if level and self.g.value(node, HG.administrativeLevel) is None:
            self.add(node, HG.administrativeLevel, concept("admin-level", level))
        if collective and self.g.value(node, HG.collective) is None:
            self.add(node, HG.collective, Literal(True))
        if own:
            jur = self.rec.policy.jurisdiction
            if jur is not None and own == jur.name:
                jnode = self.jurisdiction(jur.name, jur.level, jur.parent)
            elif (info := _place_info(own)) is not None and info[0] == own:
                jnode = self.jurisdiction(*info)  # another place the name names (its level, parent)
            else:
                jnode = self.jurisdiction(own, "nation" if own == NATION else None, None)
            self.add(node, HG.hasJurisdiction, jnode)
        return node

    def build(self) -> Graph:
        """The document's triples, in the record's order (first sightings win: an agency's type)."""
        self.source_document()
        p = self.policy()
        sections = self.sections(p)
        paths = self.tasks(p, sections)
        self.targets(p, paths)
        for forms in self.forms.values():  # a predecessor's name → the current body, when both are named
            for former in sorted(forms.get("former", ())):
                for current in forms.get("current", ()):
                    self.add(former, HG.succeededBy, current)
        return self.g

    def source_document(self) -> None:
        rec = self.rec
        self.add(self.source, RDF.type, HG.SourceDocument)
        self.add(self.source, HG.sha256, rec.sha256)
        self.add(self.source, HG.sourcePath, rec.source)
        self.add(self.source, RDFS.label, Path(rec.source).name or rec.sha256)
        self.add(self.source, DCTERMS["format"], rec.format)

    def policy(self) -> URIRef:
        """The policy, its jurisdiction and issuers, and the policies it cites."""
        pol = self.rec.policy
        p = iri("policy", pol.id)
        self.add(p, RDF.type, HG.Policy)
        self.add(p, HG.title, self.text(pol.title))
        self.label(p, pol.title or pol.doc_number)
        self.add(p, HG.docNumber, pol.doc_number)
        self.add(p, HG.docNumberRaw, pol.doc_number_raw)
        self.add(p, HG.issuedOn, pol.issued_on, XSD.date)
        self.add(p, HG.publishedOn, pol.published_on, XSD.date)
        for title in pol.annexes:
            self.add(p, HG.annexTitle, self.text(title))
        self.add(p, HG.annexLabel, pol.annex_label)
        if pol.annex_of is not None:
            self.add(p, HG.isAnnexOf, iri("policy", pol.annex_of))
        self.add(p, HG.loaded, True)
        self.add(p, DCTERMS.language, "zh-Hant" if pol.language_script == "traditional" else "zh-Hans")
        self.add(p, PROV.wasDerivedFrom, self.source)
        if pol.jurisdiction is not None:
            j = pol.jurisdiction
            self.add(p, HG.hasJurisdiction, self.jurisdiction(j.name, j.level, j.parent))
        for ref in pol.issuers:
            self.add(p, HG.issuedBy, self.agency(ref.name, ref.agency_type, ref.level, ref.jurisdiction,
                                                 name_form=ref.name_form))
        for c in pol.cites:
            cited = iri("policy", c.target_id or cited_policy_id(c.doc_number, c.title))
            if cited != p and (cited, HG.loaded, None) not in self.g:
                # A placeholder: known only from this citation until its own document is loaded.
                self.add(cited, RDF.type, HG.Policy)
                self.add(cited, HG.title, self.text(c.title, "zh"))
                self.label(cited, c.title or c.doc_number, lang="zh")
                self.add(cited, HG.docNumber, c.doc_number)
                self.add(cited, HG.loaded, False)
                self.evidence(cited, c.span)
            self.add(p, HG.implements if c.relation == "implements" else HG.cites, cited)
        return p

    def sections(self, p: URIRef) -> set[str]:
        """The section nodes; their ids."""
        sections = {s.id for s in self.rec.sections}
        for sec in self.rec.sections:
            s = iri("section", sec.id)
            self.add(s, RDF.type, HG.Section)
            self.add(p, HG.hasSection, s)
            self.add(s, HG.number, sec.number)
            self.add(s, HG.title, self.text(sec.title))
            self.label(s, sec.number, sec.title)
            self.add(s, DCTERMS.type, sec.kind)
            if sec.parent in sections:
                self.add(s, HG.subsectionOf, iri("section", sec.parent))
            self.evidence(s, sec.span)
        return sections

    def tasks(self, p: URIRef, sections: set[str]) -> dict[str, str | None]:
        """The tasks with their responsibilities and tags; each task id's section path."""
        paths: dict[str, str | None] = {}
        for task in self.rec.tasks:
            t = iri("task", task.id)
            path = "/".join(task.path) or None
            paths[task.id] = path
            self.add(t, RDF.type, HG.Task)
            if task.kind == "provision":  # an article of a regulation (hgsh:ProvisionShape checks it)
                self.add(t, RDF.type, HG.Provision)
            self.add(p, HG.hasTask, t)
            self.add(t, HG.number, task.number)
            self.add(t, HG.title, self.text(task.title))
            self.add(t, HG.text, self.text(task.text))
            self.label(t, task.number, task.title or task.text[:40])
            self.add(t, HG.sectionPath, path)
            if task.section in sections:
                self.add(t, HG.inSection, iri("section", task.section))
            self.evidence(t, task.span, path)
            for i, r in enumerate(task.responsibilities, start=1):
                self.responsibility(task, t, i, r, path)
            for i, o in enumerate(task.obligations):
                self.obligation(task, t, i, o, path)
            for cid in dict.fromkeys(task.institutions):
                self.add(t, HG.concernsInstitution, concept("institution-type", cid))
            for cid in dict.fromkeys(task.tiers):
                self.add(t, HG.atTier, concept("tier", cid))
            for cid in dict.fromkeys(task.topics):
                self.add(t, HG.hasTopic, concept("topic", cid))
        return paths

    def responsibility(self, task: Task, t: URIRef, i: int, r: Responsibility, path: str | None) -> None:
        """The direct lead/support link and its qualified form (``hg:Responsibility``, the ``i``-th)."""
        agency = self.agency(r.name, r.agency_type, r.level, r.jurisdiction, r.collective, r.name_form)
        self.add(t, HG.leadAgency if r.role == "lead" else HG.supportingAgency, agency)
        q = iri("responsibility", f"{task.id}/r{i}")
        self.add(q, RDF.type, HG.Responsibility)
        self.add(t, HG.hasResponsibility, q)
        self.add(q, HG.responsibleAgency, agency)
        self.add(q, HG.name, self.text(r.name))
        self.add(q, HG.nameForm, r.name_form)
        self.label(q, task.number, r.name, "（牵头）" if r.role == "lead" else "（配合）")
        self.add(q, HG.role, r.role)
        self.add(q, HG.basis, r.basis)
        self.add(q, HG.implicit, bool(r.implicit))
        self.add(q, HG.order, Literal(r.order, datatype=XSD.integer))
        for d in r.divisions:  # the body's own 处室 named for the task
            self.add(q, HG.divisions, self.text(d))
        # A unit list shared by many tasks (a scoped rule, a section note) lies outside
        # this task: its span gets no section path of this task's.
        inside = r.span is not None and task.span.start <= r.span.start and r.span.end <= task.span.end
        self.evidence(q, r.span, path if inside else None)

    def obligation(self, task: Task, t: URIRef, i: int, o: Obligation, path: str | None) -> None:
        """A provider, school, enterprise … the task obliges (``hg:Obligation``, the ``i``-th from 0):
        never an agency; typed by the institution-type vocabulary when it knows the kind."""
        node = iri("obligation", f"{task.id}/o{i + 1}")  # the graph node's id (healthgov.loaders.rows)
        self.add(node, RDF.type, HG.Obligation)
        self.add(t, HG.hasObligation, node)
        self.add(node, HG.name, self.text(o.name))
        self.label(node, task.number, o.name, "（义务）")
        if o.institution_type:
            self.add(node, HG.institutionType, concept("institution-type", o.institution_type))
        self.add(node, HG.order, Literal(i, datatype=XSD.integer))
        inside = o.span is not None and task.span.start <= o.span.start and o.span.end <= task.span.end
        self.evidence(node, o.span, path if inside else None)

    def targets(self, p: URIRef, paths: dict[str, str | None]) -> None:
        """The targets, each under its task (else the policy)."""
        tasks = {t.id: t for t in self.rec.tasks}
        for tg in self.rec.targets:
            g = iri("target", tg.id)
            self.add(g, RDF.type, HG.Target)
            owner = iri("task", tg.task) if tg.task in paths else p
            self.add(owner, HG.hasTarget, g)
            self.add(g, HG.text, self.text(tg.text))
            self.add(g, HG.indicatorText, self.text(tg.indicator_text))
            self.label(g, tg.indicator_text or tg.text[:40], tg.year)
            if tg.indicator:
                self.add(g, HG.measures, concept("indicator", tg.indicator))
            self.add(g, HG.comparator, tg.comparator)
            for prop, v in ((HG.value, tg.value), (HG.valueMax, tg.value_max)):
                if v is not None:
                    # Decimal from the shortest repr: 3.2, not 3.20000000000000017763568394002504646778106689453125.
                    self.add(g, prop, Literal(Decimal(repr(float(v))), datatype=XSD.decimal))
            self.add(g, HG.unit, tg.unit)
            self.add(g, HG.targetYear, None if tg.year is None else Literal(tg.year, datatype=XSD.integer))
            self.add(g, HG.deadline, self.text(tg.deadline))
            self.add(g, HG.baseline, tg.baseline)
            self.add(g, HG.baselineYear, None if tg.baseline_year is None else Literal(tg.baseline_year, datatype=XSD.integer))
            self.add(g, HG.nature, tg.nature)
            self.add(g, HG.targetKind, tg.kind)
            self.add(g, HG.note, self.text(tg.note))
            owner_task = tasks.get(tg.task) if tg.task else None
            inside = (owner_task is not None and tg.span is not None
                      and owner_task.span.start <= tg.span.start and tg.span.end <= owner_task.span.end)
            self.evidence(g, tg.span, paths.get(tg.task) if inside else None)


def _place_info(name: str) -> tuple[str, str, str | None] | None:
    from healthgov.ids import place_info

    return place_info(name)


def record_to_graph(rec: DocumentRecord) -> Graph:
    """The RDF graph of one document record (instances only; see ``ontology_graph``)."""
    return _Builder(rec).build()


@lru_cache(maxsize=1)
def _ontology_nt() -> str:
    return Graph().parse(ONTOLOGY_TTL, format="turtle").serialize(format="nt")


def ontology_graph(with_vocabularies: bool = False) -> Graph:
    """A fresh copy of the OWL ontology, optionally with every concept scheme."""
    g = Graph().parse(data=_ontology_nt(), format="nt")
    if with_vocabularies:
        from healthgov.ontology.vocab import vocab_graph

        g += vocab_graph()
    g.bind("hg", HG)
    return g


@lru_cache(maxsize=1)
def _shapes_nt() -> str:
    return Graph().parse(SHAPES_TTL, format="turtle").serialize(format="nt")


def shapes_graph() -> Graph:
    return Graph().parse(data=_shapes_nt(), format="nt")


def validate(graph: Graph, inference: str = "none") -> tuple[bool, str]:
    """SHACL-validate an instance graph against ``shapes.ttl``.

    The concepts the graph refers to are added from the vocabularies (``with_vocabulary``, a
    no-op on an export, which has them), and the ontology is the ``ont_graph``: a task tagged
    with a topic id that no scheme defines is reported, not silently accepted. The shapes check
    scheme membership (``skos:inScheme``), which no RDFS inference can make up, so
    ``inference="rdfs"`` does not turn a bad concept IRI into a conforming one.
    """
    from pyshacl import validate as shacl_validate

    data = Graph()
    data += graph
    with_vocabulary(data)
    conforms, _report_graph, text = shacl_validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference=inference,
        abort_on_first=False,
        allow_warnings=True,
        meta_shacl=False,
        advanced=True,
    )
    return bool(conforms), str(text)


PREFIXES = {"hg": HG, "hgd": HGD, "hgv": HGV, "prov": PROV, "dcterms": DCTERMS, "skos": SKOS,
            "rdfs": RDFS, "xsd": XSD}


def bind_prefixes(g: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


@lru_cache(maxsize=1)
def _vocab_nt() -> str:
    from healthgov.ontology.vocab import vocab_graph

    return vocab_graph().serialize(format="nt")


def with_vocabulary(g: Graph) -> Graph:
    """Add to ``g`` (in place) every vocabulary concept it refers to, and their schemes.

    Concepts come whole (labels, notation, ranks, ``skos:inScheme``), with what they point to in
    turn (``skos:broader``, ``hg:servesTier``), and each gets an ``rdfs:label`` per
    ``skos:prefLabel``; a scheme's ``skos:hasTopConcept`` is kept only for concepts included. A
    concept IRI that no scheme defines brings nothing: SHACL then reports it.
    """
    vocab = Graph().parse(data=_vocab_nt(), format="nt")
    prefix = str(HGV)
    todo = {o for o in g.objects() if isinstance(o, URIRef) and str(o).startswith(prefix)}
    todo |= {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(prefix)}
    seen: set[URIRef] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for _, p, o in vocab.triples((node, None, None)):
            if p == SKOS.hasTopConcept:
                continue
            g.add((node, p, o))
            if isinstance(o, URIRef) and str(o).startswith(prefix) and o not in seen:
                todo.add(o)
    for node in seen:
        for label in vocab.objects(node, SKOS.prefLabel):
            g.add((node, RDFS.label, label))
        for top in vocab.objects(node, SKOS.hasTopConcept):
            if top in seen:
                g.add((node, SKOS.hasTopConcept, top))
    return g
