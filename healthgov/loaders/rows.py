"""A ``DocumentRecord`` flattened into the parameter rows the loader's Cypher consumes.

Pure functions, no database: everything the graph holds about a document is decided here, so the
mapping can be read (and tested) apart from the Cypher that writes it. Property keys come from
the schema (``GraphSchema.key``), ``None`` values are dropped (a missing property, the same on
Neo4j and ArcadeDB) and values are Bolt primitives or lists of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from healthgov.extract.citations import cited_jurisdiction
from healthgov.graph.schema import GraphSchema
from healthgov.ids import (
    NATION,
    agency_identity,
    agency_name_rank,
    place_info,
    simplified,
    to_simplified,
)
from healthgov.ids import citation_title_key as title_key
from healthgov.ontology.vocab import former_body_key
from healthgov.records import DocumentRecord, Span

Row = dict[str, Any]


def _clean(props: dict[str, Any]) -> Row:
    return {k: v for k, v in props.items() if v is not None}


def section_path(path: list[str]) -> str | None:
    """``["三", "(二)", "5"]`` → ``"三/(二)/5"`` (hg:sectionPath is one string)."""
    return "/".join(path) or None


def _span(s: GraphSchema, span: Span | None) -> Row:
    if span is None:
        return {}
    return {s.key("spanStart"): span.start, s.key("spanEnd"): span.end}


@dataclass
class AgencyRow:
    id: str
    props: Row


def agency_row(s: GraphSchema, name: str, agency_type: str | None, level: str | None,
               jurisdiction: str | None, doc_jurisdiction: str | None, doc_level: str | None,
               collective: bool = False, name_form: str | None = None) -> AgencyRow:
    """One Agency: one node per real body per jurisdiction (``healthgov.ids.agency_key``).

    ``name`` is the best-ranked of the forms it is written in and ``aliases`` all of them
    (simplified; ``merge_agency``); ``name_rank`` is what the name was chosen by, so a later
    batch or build ranks the same way (the ``agencies`` statement). ``name_form`` (current,
    former, generic) is set on a node keyed by type.
    """
    aid, own, kind = agency_identity(name, level, jurisdiction, doc_jurisdiction, doc_level,
                                     agency_type=agency_type, name_form=name_form, collective=collective,
                                     former_body=former_body_key(agency_type, name_form))
    props = _clean({
        "id": aid,
        s.key("name"): simplified(name),
        "name_rank": agency_name_rank(name, own, name_form),
        "aliases": [simplified(name)],
        "agency_type": agency_type,
        "level": level,
        "jurisdiction": own,
        s.key("collective"): True if collective else None,
        s.key("nameForm"): kind,
    })
    return AgencyRow(props["id"], props)


def merge_agency(s: GraphSchema, known: Row, row: Row) -> None:
    """Fold another mention's row into ``known`` (same id): the better-ranked name, every alias
    (sorted), and the type, level, jurisdiction a later mention may add. The same rule as the
    ``agencies`` statement applies across batches, so the order of loading never matters."""
    name = s.key("name")
    if row.get("name_rank", "") < known.get("name_rank", ""):
        known[name], known["name_rank"] = row[name], row["name_rank"]
    known["aliases"] = sorted({*known.get("aliases", []), *row.get("aliases", [])})
    for k, v in row.items():
        known.setdefault(k, v)


def agency_names(aid: str, own: str | None, mentions: list[tuple[str, str | None]]) -> Row:
    """An agency's name, name_rank and aliases from its mentions (name as written, name_form):
    what ``agency_row`` and ``merge_agency`` make of them, recomputed from the mentions that remain
    after a document is replaced (a form only its old version wrote is dropped)."""
    ranks: dict[str, str] = {}
    for n, nf in mentions:
        rank = agency_name_rank(n, own, nf)
        ranks[simplified(n)] = min(rank, ranks.get(simplified(n), rank))
    best = min(ranks, key=lambda n: ranks[n])
    return {"id": aid, "name": best, "name_rank": ranks[best], "aliases": sorted(ranks)}


@dataclass
class DocumentRows:
    """Everything one document writes, as rows for ``UNWIND``."""

    policy_id: str
    policy: Row
    jurisdictions: list[Row] = field(default_factory=list)  # {id, name, level, parent}
    policy_jurisdiction: str | None = None
    sections: list[Row] = field(default_factory=list)  # {props, parent}
    tasks: list[Row] = field(default_factory=list)  # {props, section}
    agencies: list[Row] = field(default_factory=list)  # Agency node props
    issuers: list[Row] = field(default_factory=list)  # {agency, props}
    responsibilities: dict[str, list[Row]] = field(default_factory=dict)  # role → {task, agency, props}
    tags: dict[str, list[Row]] = field(default_factory=dict)  # scheme → {task, concept}
    targets: list[Row] = field(default_factory=list)  # {props, task, indicator}
    # {props, task, institution_type}: the providers, schools, enterprises … a task obliges
    # (``Task.obligations``): Obligation nodes, never agencies
    obligations: list[Row] = field(default_factory=list)
    # {relation, doc_number, title, title_key, jurisdiction, issuer_type, props}: jurisdiction and
    # issuer type are what a placeholder made from the citation gets (healthgov.extract.citations)
    citations: list[Row] = field(default_factory=list)
    annex_of: Row | None = None  # {policy, target}: the plan this annex file belongs to


def _jurisdiction_chain(name: str, level: str | None, parent: str | None) -> list[Row]:
    """The jurisdiction and its ancestors as far as the gazetteer knows them."""
    rows = [_clean({"id": name, "name": name, "level": level, "parent": parent})]
    seen = {name}
    while parent and parent not in seen:
        seen.add(parent)
        info = place_info(parent)
        if info is None:
            rows.append({"id": parent, "name": parent})
            break
        pname, plevel, pparent = info
        rows.append(_clean({"id": pname, "name": pname, "level": plevel, "parent": pparent}))
        parent = pparent
    return rows


def _check_unique_ids(rec: DocumentRecord) -> None:
    """Refuse a record with a repeated section/task/target id.

    The uniqueness constraints would normally refuse it, but ArcadeDB does not enforce them for a
    key deleted earlier in the same transaction, which is exactly how a document is replaced.
    """
    for what, ids in (("section", [x.id for x in rec.sections]), ("task", [x.id for x in rec.tasks]),
                      ("target", [x.id for x in rec.targets])):
        seen: set[str] = set()
        dups = sorted({i for i in ids if i in seen or seen.add(i)})
        if dups:
            raise ValueError(f"{rec.source}: repeated {what} id(s) {', '.join(dups[:5])}")


def document_rows(s: GraphSchema, rec: DocumentRecord) -> DocumentRows:
    _check_unique_ids(rec)
    pol = rec.policy
    out = DocumentRows(pol.id, _policy_row(s, rec))
    doc_j = pol.jurisdiction
    if doc_j is not None:
        out.policy_jurisdiction = doc_j.name
        out.jurisdictions.extend(_jurisdiction_chain(doc_j.name, doc_j.level, doc_j.parent))
    sections_by_id = {sec.id: sec for sec in rec.sections}
    out.sections = [_section_row(s, rec, sec, sections_by_id) for sec in rec.sections]
    agencies = _Agencies(s, doc_j.name if doc_j else None, doc_j.level if doc_j else None)
    for order, ref in enumerate(pol.issuers):
        aid = agencies.add(ref.name, ref.agency_type, ref.level, ref.jurisdiction, name_form=ref.name_form)
        out.issuers.append({"agency": aid, "props": _clean({s.key("name"): ref.name, s.key("order"): order,
                                                            s.key("nameForm"): ref.name_form})})
    for position, task in enumerate(rec.tasks, 1):
        _add_task(s, rec, out, task, position, sections_by_id, agencies)
    task_paths = {t.id: section_path(t.path) for t in rec.tasks}
    out.targets = [_target_row(s, rec, g, task_paths) for g in rec.targets]
    out.citations = [_citation_row(s, rec, c, out) for c in pol.cites]
    if pol.annex_of is not None and pol.annex_of != pol.id:
        out.annex_of = {"policy": pol.id, "target": pol.annex_of}
    out.agencies = list(agencies.rows.values())
    _responsibility_counts(s, out, agencies.rows)
    known = {j["id"] for j in out.jurisdictions}
    for a in out.agencies:  # every jurisdiction an agency points at exists as a node
        j = a.get("jurisdiction")
        if j and j not in known:
            info = place_info(j)
            if info is not None and info[0] == j:  # another place the name names: its level and parents
                chain = [r for r in _jurisdiction_chain(j, info[1], info[2]) if r["id"] not in known]
            else:
                chain = [{"id": j, "name": j, **({"level": "nation"} if j == NATION else {})}]
            known.update(r["id"] for r in chain)
            out.jurisdictions.extend(chain)
    return out


# Policy keys holding how many who-leads rows (task–agency relationships) the policy has, by role,
# all and named bodies only (no collective): the total of an unfiltered page is their sum, read
# from the policies alone (healthgov.queries.chunks). Written with the policy, so always in step.
RESPONSIBILITY_COUNTS = {("lead", True): "lead_rows", ("support", True): "support_rows",
                         ("lead", False): "named_lead_rows", ("support", False): "named_support_rows"}


def _responsibility_counts(s: GraphSchema, out: DocumentRows, agencies: dict[str, Row]) -> None:
    collective = s.key("collective")
    for (role, with_collective), key in RESPONSIBILITY_COUNTS.items():
        rows = out.responsibilities.get(role, [])
        out.policy[key] = len(rows) if with_collective else sum(
            1 for r in rows if not agencies.get(r["agency"], {}).get(collective))


def _citation_row(s: GraphSchema, rec: DocumentRecord, c: Any, out: DocumentRows) -> Row:
    """One citation; the jurisdiction it names is added to the document's jurisdiction rows."""
    j, issuer_type = cited_jurisdiction(c.doc_number, c.title)
    if j is not None and all(r["id"] != j.name for r in out.jurisdictions):
        out.jurisdictions.extend(_jurisdiction_chain(j.name, j.level, j.parent))
    return {
        "relation": c.relation,
        "doc_number": c.doc_number,
        "title": c.title,
        "title_key": title_key(c.title) if c.title else None,
        "jurisdiction": j.name if j is not None else None,
        "issuer_type": issuer_type,
        "props": _clean({s.key("sourcePath"): rec.source, **_span(s, c.span)}),
    }


def _policy_row(s: GraphSchema, rec: DocumentRecord) -> Row:
    pol = rec.policy
    return _clean({
        "id": pol.id,
        s.key("title"): pol.title,
        "title_key": title_key(pol.title) if pol.title else None,
        s.key("docNumber"): pol.doc_number,
        s.key("docNumberRaw"): pol.doc_number_raw,
        s.key("issuedOn"): pol.issued_on,
        s.key("publishedOn"): pol.published_on,
        s.key("annexTitle"): list(pol.annexes) or None,
        s.key("annexLabel"): pol.annex_label,
        s.key("sha256"): rec.sha256,
        s.key("sourcePath"): rec.source,
        s.key("loaded"): True,
        "language_script": pol.language_script,
        "format": rec.format,
        "encoding": rec.encoding,
        "warnings": list(rec.warnings) or None,
    })


def _section_row(s: GraphSchema, rec: DocumentRecord, sec: Any, sections_by_id: dict[str, Any]) -> Row:
    return {
        "props": _clean({
            "id": sec.id,
            "kind": sec.kind,
            s.key("number"): sec.number,
            s.key("title"): sec.title,
            "depth": sec.level,
            s.key("sourcePath"): rec.source,
            **_span(s, sec.span),
        }),
        "parent": sec.parent if sec.parent in sections_by_id else None,
    }


class _Agencies:
    """The agencies a document names, one row each, in the order first named."""

    def __init__(self, s: GraphSchema, doc_jurisdiction: str | None, doc_level: str | None) -> None:
        self.s, self.doc_jurisdiction, self.doc_level = s, doc_jurisdiction, doc_level
        self.rows: dict[str, Row] = {}

    def add(self, name: str, agency_type: str | None, level: str | None, jurisdiction: str | None,
            collective: bool = False, name_form: str | None = None) -> str:
        row = agency_row(self.s, name, agency_type, level, jurisdiction, self.doc_jurisdiction, self.doc_level,
                         collective, name_form)
        known = self.rows.setdefault(row.id, dict(row.props))
        merge_agency(self.s, known, row.props)  # a later mention may know more (a type, a level)
        return row.id


def _add_task(s: GraphSchema, rec: DocumentRecord, out: DocumentRows, task: Any, position: int,
              sections_by_id: dict[str, Any], agencies: _Agencies) -> None:
    """A task's row, its responsibilities (naming its agencies), its obligations and its tags."""
    src = rec.source
    path = section_path(task.path)
    out.tasks.append({
        "props": _clean({
            "id": task.id,
            # A regulation's article is a Task with kind "provision" (hg:Provision, RDF-only);
            # a plan's task carries no kind, so plans' graphs are unchanged.
            "kind": task.kind if task.kind != "task" else None,
            s.key("number"): task.number,
            s.key("title"): task.title,
            s.key("text"): task.text,
            # Text keeps its script; a simplified twin lets one phrase search find both
            # scripts. ``order`` sorts tasks in document order (ids sort "t10" < "t2").
            "text_simplified": to_simplified(task.text),
            s.key("order"): position,
            s.key("sectionPath"): path,
            s.key("sourcePath"): src,
            **_span(s, task.span),
        }),
        "section": task.section if task.section in sections_by_id else None,
    })
    for r in task.responsibilities:
        aid = agencies.add(r.name, r.agency_type, r.level, r.jurisdiction, r.collective, r.name_form)
        out.responsibilities.setdefault(r.role, []).append({
            "task": task.id,
            "agency": aid,
            "props": _clean({
                s.key("name"): r.name,
                s.key("basis"): r.basis,
                s.key("implicit"): r.implicit,
                s.key("order"): r.order,
                s.key("divisions"): "、".join(r.divisions) or None,
                s.key("nameForm"): r.name_form,
                s.key("sectionPath"): path,
                s.key("sourcePath"): src,
                **_span(s, r.span),
            }),
        })
    for order, o in enumerate(task.obligations):
        out.obligations.append(_obligation_row(s, rec, task, order, o, path))
    for scheme, ids in (("institution-type", task.institutions), ("tier", task.tiers), ("topic", task.topics)):
        for cid in dict.fromkeys(ids):
            out.tags.setdefault(scheme, []).append({"task": task.id, "concept": cid})


def obligation_id(task_id: str, order: int) -> str:
    """``p…/t3`` → ``p…/t3/o1`` for its first obligation: unique, since task ids are."""
    return f"{task_id}/o{order + 1}"


def _obligation_row(s: GraphSchema, rec: DocumentRecord, task: Any, order: int, o: Any, path: str | None) -> Row:
    """One Obligation node (owned by its task, like a target): the name as written, its position
    among the task's obligations, its institution type (also an INSTITUTION_TYPE relationship, as an
    agency's type) and its evidence."""
    return {
        "props": _clean({
            "id": obligation_id(task.id, order),
            s.key("name"): o.name,
            "institution_type": o.institution_type,
            s.key("order"): order,
            s.key("sectionPath"): path,
            s.key("sourcePath"): rec.source,
            **_span(s, o.span),
        }),
        "task": task.id,
        "institution_type": o.institution_type,
    }


def _target_row(s: GraphSchema, rec: DocumentRecord, g: Any, task_paths: dict[str, str | None]) -> Row:
    return {
        "props": _clean({
            "id": g.id,
            s.key("text"): g.text,
            s.key("indicatorText"): g.indicator_text or None,
            s.key("comparator"): g.comparator,
            s.key("value"): g.value,
            s.key("valueMax"): g.value_max,
            s.key("unit"): g.unit,
            s.key("targetYear"): g.year,
            s.key("deadline"): g.deadline,
            s.key("baseline"): g.baseline,
            s.key("baselineYear"): g.baseline_year,
            s.key("nature"): g.nature,
            s.key("targetKind"): g.kind,
            s.key("note"): g.note,
            s.key("sectionPath"): task_paths.get(g.task) if g.task else None,
            s.key("sourcePath"): rec.source,
            **_span(s, g.span),
        }),
        "task": g.task if g.task in task_paths else None,
        "indicator": g.indicator,
    }
