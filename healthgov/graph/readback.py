"""The records rebuilt from the store: the ``DocumentRecord`` of every loaded policy as the graph
holds it, so what ``healthgov.graph.export`` writes as RDF (and SHACL-validates) is what the graph
holds, not what the files say today.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from healthgov.graph.schema import GraphSchema, load_schema
from healthgov.records import (
    AgencyRef,
    Citation,
    DocumentRecord,
    Jurisdiction,
    Obligation,
    Policy,
    Responsibility,
    Section,
    Span,
    Target,
    Task,
)


def _span(props: dict[str, Any], s: GraphSchema) -> Span | None:
    a, b = props.get(s.key("spanStart")), props.get(s.key("spanEnd"))
    return Span(int(a), int(b)) if a is not None and b is not None else None


def _path(value: Any) -> list[str]:
    return [p for p in str(value).split("/") if p] if value else []


def records_from_store(store: Any, schema: GraphSchema | None = None) -> Iterator[DocumentRecord]:
    """The ``DocumentRecord`` of every loaded policy, as the graph holds it (no source text)."""
    s = schema or load_schema()
    k = s.key
    rows = _rows_by_policy(store, s)
    for row in store.read(f"MATCH (p:{s.label('Policy')}) WHERE p.{k('loaded')} = true "
                          "RETURN properties(p) AS p ORDER BY p.id"):
        p = row["p"]
        pid = p["id"]
        secs = [Section(id=x["x"]["id"], kind=x["x"].get("kind", ""), number=x["x"].get(k("number"), ""),
                        title=x["x"].get(k("title"), ""), level=int(x["x"].get("depth", 1)), parent=x["parent"],
                        span=_span(x["x"], s) or Span(0, 0))
                for x in rows["sections"].get(pid, [])]
        tasks = _tasks(pid, rows, s)
        tgs = [_target(r, s) for r in rows["targets"].get(pid, [])]
        yield DocumentRecord(
            source=p.get(k("sourcePath"), ""), sha256=p.get(k("sha256"), ""), format=p.get("format", ""),
            encoding=p.get("encoding", ""), text="", policy=_policy(p, rows, s),
            sections=sorted(secs, key=lambda x: (x.span.start, x.id)),
            tasks=sorted(tasks, key=lambda t: (t.span.start, t.id)),
            targets=sorted(tgs, key=lambda g: (g.span.start if g.span else -1, g.id)),
            warnings=list(p.get("warnings") or []),
        )


def _tag_rels(s: GraphSchema) -> dict[str, str]:
    """Relationship type of each task tag → the ``Task`` field it fills."""
    return {s.rel("concernsInstitution"): "institutions", s.rel("atTier"): "tiers", s.rel("hasTopic"): "topics"}


def _rows_by_policy(store: Any, s: GraphSchema) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """What each part of a record is made of, read once for the whole graph: part → policy id → rows."""
    P, T, SEC, TG = s.label("Policy"), s.label("Task"), s.label("Section"), s.label("Target")
    HT, HS, HG = s.rel("hasTask"), s.rel("hasSection"), s.rel("hasTarget")
    k = s.key

    def group(cypher: str) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in store.read(cypher):
            out[r["pid"]].append(r)
        return out

    measures = s.rel("measures")
    return {
        "issuers": group(f"MATCH (p:{P})-[r:{s.rel('issuedBy')}]->(a) "
                         "RETURN p.id AS pid, properties(r) AS r, properties(a) AS a"),
        "jurisdiction": group(
            f"MATCH (p:{P})-[:{s.rel('hasJurisdiction')}]->(j) "
            f"OPTIONAL MATCH (j)-[:{s.rel('partOfJurisdiction')}]->(q) RETURN p.id AS pid, j.name AS name, "
            f"j.level AS level, q.name AS parent"
        ),
        "cites": group(
            f"MATCH (p:{P})-[r:{s.rel('cites')}|{s.rel('implements')}]->(c:{P}) RETURN p.id AS pid, type(r) AS type, "
            f"properties(r) AS r, c.{k('title')} AS title, c.{k('docNumber')} AS doc_number, c.id AS target"
        ),
        "annex_of": group(f"MATCH (p:{P})-[:{s.rel('isAnnexOf')}]->(q:{P}) RETURN p.id AS pid, q.id AS plan"),
        "sections": group(
            f"MATCH (p:{P})-[:{HS}]->(x:{SEC}) OPTIONAL MATCH (x)-[:{s.rel('subsectionOf')}]->(q:{SEC}) "
            f"RETURN p.id AS pid, properties(x) AS x, q.id AS parent"
        ),
        "tasks": group(
            f"MATCH (p:{P})-[:{HT}]->(t:{T}) OPTIONAL MATCH (t)-[:{s.rel('inSection')}]->(x:{SEC}) "
            f"RETURN p.id AS pid, properties(t) AS t, x.id AS section"
        ),
        "responsibilities": group(
            f"MATCH (p:{P})-[:{HT}]->(t:{T})-[r:{s.rel('leadAgency')}|{s.rel('supportingAgency')}]->(a) "
            f"RETURN p.id AS pid, t.id AS task, type(r) AS type, properties(r) AS r, properties(a) AS a"
        ),
        "tags": group(
            f"MATCH (p:{P})-[:{HT}]->(t:{T})-[r:{'|'.join(_tag_rels(s))}]->(c) "
            f"RETURN p.id AS pid, t.id AS task, type(r) AS type, c.id AS concept"
        ),
        "obligations": group(
            f"MATCH (p:{P})-[:{HT}]->(t:{T})-[:{s.rel('hasObligation')}]->(o:{s.label('Obligation')}) "
            f"OPTIONAL MATCH (o)-[:{s.rel('institutionType')}]->(c) "
            f"RETURN p.id AS pid, t.id AS task, properties(o) AS o, c.id AS concept"
        ),
        "targets": group(
            f"MATCH (p:{P})-[:{HT}]->(t:{T})-[:{HG}]->(g:{TG}) OPTIONAL MATCH (g)-[:{measures}]->(i) "
            f"RETURN p.id AS pid, t.id AS task, properties(g) AS g, i.id AS indicator "
            f"UNION MATCH (p:{P})-[:{HG}]->(g:{TG}) OPTIONAL MATCH (g)-[:{measures}]->(i) "
            f"RETURN p.id AS pid, null AS task, properties(g) AS g, i.id AS indicator"
        ),
    }


def _policy(p: dict[str, Any], rows: dict[str, dict[str, list[dict[str, Any]]]], s: GraphSchema) -> Policy:
    k = s.key
    pid = p["id"]
    j = rows["jurisdiction"].get(pid, [None])[0]
    return Policy(
        id=pid,
        title=p.get(k("title"), ""),
        doc_number=p.get(k("docNumber")),
        doc_number_raw=p.get(k("docNumberRaw")),
        issuers=[AgencyRef(name=r["r"].get(k("name")) or r["a"].get(k("name")), agency_type=r["a"].get("agency_type"),
                           level=r["a"].get("level"), jurisdiction=r["a"].get("jurisdiction"),
                           name_form=r["r"].get(k("nameForm")))
                 for r in sorted(rows["issuers"].get(pid, []), key=lambda r: r["r"].get(k("order"), 0))],
        issued_on=p.get(k("issuedOn")),
        published_on=p.get(k("publishedOn")),
        jurisdiction=Jurisdiction(j["name"], j["level"], j["parent"]) if j else None,
        cites=[Citation(title=c["title"] or "", doc_number=c["doc_number"],
                        relation="implements" if c["type"] == s.rel("implements") else "cites",
                        span=_span(c["r"], s), target_id=c["target"])
               for c in sorted(rows["cites"].get(pid, []),
                               key=lambda c: (c["r"].get(k("spanStart")) or 0, c["title"] or ""))],
        language_script=p.get("language_script", "simplified"),
        annexes=list(p.get(k("annexTitle")) or []),
        annex_label=p.get(k("annexLabel")),
        annex_of=next((r["plan"] for r in rows["annex_of"].get(pid, [])), None),
    )


def _tasks(pid: str, rows: dict[str, dict[str, list[dict[str, Any]]]], s: GraphSchema) -> list[Task]:
    """The policy's tasks with their responsibilities and obligations (in document order) and tags (sorted)."""
    k = s.key
    tasks: dict[str, Task] = {}
    for t in rows["tasks"].get(pid, []):
        tp = t["t"]
        tasks[tp["id"]] = Task(id=tp["id"], section=t["section"], path=_path(tp.get(k("sectionPath"))),
                               number=tp.get(k("number"), ""), title=tp.get(k("title"), ""),
                               text=tp.get(k("text"), ""), span=_span(tp, s) or Span(0, 0),
                               kind=tp.get("kind") or "task")
    lead = s.rel("leadAgency")
    for r in rows["responsibilities"].get(pid, []):
        rp, ap = r["r"], r["a"]
        tasks[r["task"]].responsibilities.append(Responsibility(
            name=rp.get(k("name")) or ap.get(k("name"), ""), role="lead" if r["type"] == lead else "support",
            basis=rp.get(k("basis"), "explicit"), agency_type=ap.get("agency_type"), level=ap.get("level"),
            implicit=bool(rp.get(k("implicit"), False)), order=int(rp.get(k("order"), 0)), span=_span(rp, s),
            divisions=[d for d in (rp.get(k("divisions")) or "").split("、") if d],
            collective=bool(ap.get(k("collective"), False)), name_form=rp.get(k("nameForm")),
            # The node's own jurisdiction keys it as the record's did (healthgov.ids.agency_identity).
            jurisdiction=ap.get("jurisdiction")))
    for r in sorted(rows["obligations"].get(pid, []), key=lambda r: int(r["o"].get(k("order"), 0))):
        op = r["o"]
        tasks[r["task"]].obligations.append(Obligation(name=op.get(k("name"), ""), institution_type=r["concept"],
                                                       span=_span(op, s)))
    tag_rels = _tag_rels(s)
    for r in rows["tags"].get(pid, []):
        getattr(tasks[r["task"]], tag_rels[r["type"]]).append(r["concept"])
    for t in tasks.values():
        t.responsibilities.sort(key=lambda r: r.order)
        t.institutions.sort()
        t.tiers.sort()
        t.topics.sort()
    return list(tasks.values())


def _target(r: dict[str, Any], s: GraphSchema) -> Target:
    g, k = r["g"], s.key
    return Target(
        id=g["id"], text=g.get(k("text"), ""), indicator=r["indicator"], indicator_text=g.get(k("indicatorText"), ""),
        comparator=g.get(k("comparator"), "="), value=g.get(k("value")), value_max=g.get(k("valueMax")),
        unit=g.get(k("unit")), year=g.get(k("targetYear")), deadline=g.get(k("deadline")),
        baseline=g.get(k("baseline")), baseline_year=g.get(k("baselineYear")), nature=g.get(k("nature")),
        note=g.get(k("note")), task=r["task"], span=_span(g, s), kind=g.get(k("targetKind"), "goal"))
