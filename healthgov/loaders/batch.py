"""The one write path: a batch of documents planned, then written in one transaction.

Loading a document D sequentially does, beside writing D's own rows: (1) upgrade a placeholder
with D's id in place, (2) fold placeholders with another id that match D's number or title into
D, (3) resolve each citation against the Policies in the graph *at that moment* (those loaded
before D, and the placeholders they made), and (4) when D is in the graph already, replace it:
delete what it owns first, and at the end what it alone kept alive.

``BatchWriter.plan`` replays (1) and (3) in Python, document by document, over the Policies of
the graph that any of the batch's ids, doc numbers or title keys can reach (read inside the
transaction), plus those the batch itself makes. A document that needs (2) or (4) is written
alone: it ends a batch, or is the whole of the next one. ``BatchWriter.write`` then sends each
statement once, as an ``UNWIND`` over the rows of every document of the batch (500 rows at a
time). A single document is a batch of one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from healthgov.graph.schema import GraphSchema
from healthgov.ids import cited_policy_id
from healthgov.loaders.cypher import Statements
from healthgov.loaders.rows import DocumentRows, agency_names, merge_agency

# Rows per statement sent: a statement over more rows is sent in parts of this many.
ROWS_PER_STATEMENT = 500
# Statements per tagging scheme and per role (DocumentRows.tags, DocumentRows.responsibilities).
TAG_STATEMENTS = {"institution-type": "institution_type_tags", "tier": "tier_tags", "topic": "topic_tags"}
ROLE_STATEMENTS = {"lead": "lead_agencies", "support": "supporting_agencies"}
CITATION_RELATIONS = ("cites", "implements")
# What a replaced document owns, deleted in this order before it is written again.
DELETE_STATEMENTS = ("delete_task_targets", "delete_policy_targets", "delete_obligations", "delete_tasks",
                     "delete_sections", "delete_outgoing")


def run(tx: Any, cypher: str, **params: Any) -> list[dict[str, Any]]:
    return tx.run(cypher, params).data()


def unwind(tx: Any, cypher: str, rows: list[Any], **params: Any) -> None:
    """``cypher`` over ``rows`` (``$rows``), ``ROWS_PER_STATEMENT`` at a time; no rows, no statement."""
    for i in range(0, len(rows), ROWS_PER_STATEMENT):
        tx.run(cypher, {**params, "rows": rows[i : i + ROWS_PER_STATEMENT]}).consume()


@dataclass
class Known:
    """A Policy node as sequential loading would see it at some point of a batch."""

    loaded: Any
    doc_number: str | None
    title_key: str | None
    out: int = 0  # outgoing relationships but its jurisdiction (a placeholder has none)
    in_batch: bool = False
    jurisdiction: str | None = None


@dataclass
class Plan:
    """What the documents of a batch write, decided before the first statement that writes."""

    docs: list[DocumentRows] = field(default_factory=list)
    replaces: bool = False  # docs[0] (alone) is in the graph already: delete what it owns first
    folds: bool = False  # docs[0] (alone) takes over placeholders with another id
    placeholders: dict[str, dict[str, Any]] = field(default_factory=dict)
    citations: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {r: [] for r in CITATION_RELATIONS})
    # (title-only placeholder in the graph, numbered placeholder it is folded into)
    refolds: list[tuple[str, str]] = field(default_factory=list)


def key_match(c: Known, doc_number: str | None, title_key: str | None,
              jurisdiction: str | None = None) -> tuple[bool, bool]:
    """(matches, by_number) with Cypher's null semantics: ``null = x`` is never true.

    The same title key matches only when nothing tells the two apart: not two different numbers
    (one title reissued in another year), not two different jurisdictions (the same words issued
    by two provinces). docs/DESIGN.md, "Cited documents"."""
    by_number = doc_number is not None and c.doc_number is not None and c.doc_number == doc_number
    by_title = (title_key is not None and c.title_key is not None and c.title_key == title_key
                and (doc_number is None or c.doc_number is None)
                and (jurisdiction is None or c.jurisdiction is None or jurisdiction == c.jurisdiction))
    return by_number or by_title, by_number


class BatchWriter:
    """Plans and writes a batch of documents exactly as loading them one by one would."""

    def __init__(self, statements: Statements, schema: GraphSchema) -> None:
        self.q = statements
        self.s = schema

    def _keys(self, d: DocumentRows) -> tuple[str | None, str | None]:
        return d.policy.get(self.s.key("docNumber")), d.policy.get("title_key")

    def _match(self, node: Known, d: DocumentRows) -> bool:
        """Whether a placeholder is the document ``d`` (the rule of ``stale_placeholders``)."""
        dn, tk = self._keys(d)
        return key_match(node, dn, tk, d.policy_jurisdiction)[0]

    # --- planning ------------------------------------------------------------------------

    def known(self, tx: Any, docs: list[DocumentRows]) -> dict[str, Known]:
        """The Policies any id, document number or title key of the batch reaches."""
        ids: set[str] = set()
        numbers: set[str] = set()
        titles: set[str] = set()
        for d in docs:
            ids.add(d.policy_id)
            dn, tk = self._keys(d)
            numbers.update([dn] if dn else [])
            titles.update([tk] if tk else [])
            for c in d.citations:
                ids.add(cited_policy_id(c["doc_number"], c["title"]))
                numbers.update([c["doc_number"]] if c["doc_number"] is not None else [])
                titles.update([c["title_key"]] if c["title_key"] is not None else [])
        rows = run(tx, self.q.known_policies, ids=sorted(ids), doc_numbers=sorted(numbers), title_keys=sorted(titles))
        return {r["id"]: Known(r["loaded"], r["doc_number"], r["title_key"], r["out"] or 0,
                               jurisdiction=r["jurisdiction"]) for r in rows}

    def plan(self, tx: Any, docs: list[DocumentRows]) -> Plan:
        """The longest leading run of ``docs`` one transaction can write (at least the first)."""
        known = self.known(tx, docs)
        plan = Plan()
        for d in docs:
            pid = d.policy_id
            dn, tk = self._keys(d)
            own = known.get(pid)
            replaces = own is not None and bool(own.loaded is not False or own.out or own.in_batch)
            stale = [cid for cid, c in known.items() if c.loaded is False and cid != pid and self._match(c, d)]
            if plan.docs and (replaces or stale):
                break  # written alone, as the first of the next batch
            for cid in stale:
                del known[cid]  # folded into this document before its citations are resolved
            known[pid] = Known(d.policy.get(self.s.key("loaded")), dn, tk, in_batch=True,
                               jurisdiction=d.policy_jurisdiction)
            plan.docs.append(d)
            plan.replaces, plan.folds = replaces, bool(stale)
            self._resolve(d, known, plan)
            if replaces or stale:
                break
        return plan

    def _resolve(self, d: DocumentRows, known: dict[str, Known], plan: Plan) -> None:
        """Each citation of ``d`` to the Policy it points at, as the graph stands when ``d`` is written."""
        pid = d.policy_id
        edges: dict[str, dict[str, dict[str, Any]]] = {r: {} for r in CITATION_RELATIONS}
        for c in d.citations:
            target = self._target(c, known, plan)
            if target == pid:
                continue  # a document naming itself
            # One edge per cited document and relation: the first mention's span is its evidence.
            edges[c["relation"]].setdefault(target, {"policy": pid, "target": target, "props": c["props"]})
        for relation, rows in edges.items():
            plan.citations[relation].extend(rows.values())

    def _target(self, c: dict[str, Any], known: dict[str, Known], plan: Plan) -> str:
        """The Policy one citation points at: the best match among the known ones (by number, then a
        loaded document, then one with a number, then the smallest id), else a new placeholder.

        A numbered citation that only matches title-only placeholders makes the numbered placeholder
        and folds those into it: the node a document ends up on does not depend on which of its
        citations was loaded first."""
        num, tk, jur = c["doc_number"], c["title_key"], c.get("jurisdiction")
        hits = []
        for cid, node in known.items():
            hit, by_number = key_match(node, num, tk, jur)
            if hit:
                hits.append(((not by_number, node.loaded is not True, node.doc_number is None, cid), cid))
        folded = []
        if hits:
            best = min(hits)[1]
            node = known[best]
            if num is None or node.doc_number is not None or node.loaded is not False:
                return best
            folded = sorted(cid for _r, cid in hits if known[cid].loaded is False and known[cid].doc_number is None)
        target = cited_policy_id(num, c["title"])
        if target not in known:  # MERGE … ON CREATE: the first mention makes it
            plan.placeholders[target] = self._placeholder(target, c)
            known[target] = Known(False, num, tk, jurisdiction=jur)
        for old in folded:
            self._refold(old, target, known, plan)
        return target

    def _refold(self, old: str, new: str, known: dict[str, Known], plan: Plan) -> None:
        """The title-only placeholder ``old`` becomes ``new``: made in this batch, it is not written;
        in the graph, its edges move at write time. Edges planned to it point at ``new``."""
        del known[old]
        if plan.placeholders.pop(old, None) is None:
            plan.refolds.append((old, new))
        for relation, rows in plan.citations.items():
            seen: set[tuple[str, str]] = set()
            kept = []
            for r in rows:
                if r["target"] == old:
                    r["target"] = new
                if (r["policy"], r["target"]) not in seen:
                    seen.add((r["policy"], r["target"]))
                    kept.append(r)
            plan.citations[relation] = kept

    def _placeholder(self, target: str, c: dict[str, Any]) -> dict[str, Any]:
        s = self.s
        row = {"id": target, s.key("title"): c["title"], "title_key": c["title_key"],
               s.key("docNumber"): c["doc_number"], s.key("loaded"): False, "issuer_type": c.get("issuer_type"),
               "_jurisdiction": c.get("jurisdiction")}
        return {k: v for k, v in row.items() if v is not None}

    # --- writing -------------------------------------------------------------------------

    def write(self, tx: Any, plan: Plan) -> None:
        """Every statement of the plan, in one transaction (the caller's)."""
        q, docs = self.q, plan.docs
        places = {d.policy_jurisdiction for d in docs if d.policy_jurisdiction}
        if plan.replaces:
            places.update(r["name"] for r in run(tx, q.policy_place, id=docs[0].policy_id))
        named = sorted({r["id"] for d in docs for r in d.agencies})
        before = self._agency_state(tx, named) if named else {}
        chain = sorted({r["id"] for d in docs for r in d.jurisdictions})
        levels = self._place_state(tx, chain)
        old_agencies, old_cited = self._clear(tx, docs[0].policy_id) if plan.replaces else ([], [])
        if others := [a for a in old_agencies if a not in before]:
            before.update(self._agency_state(tx, others))  # names are recomputed only below
        # A placeholder loaded at last drops the jurisdiction guessed from its citations.
        unwind(tx, q.placeholder_unplace, [d.policy_id for d in docs])
        unwind(tx, q.policies, [{"id": d.policy_id, "props": d.policy} for d in docs])
        if plan.folds:
            self._fold(tx, docs[0])
        self._jurisdictions(tx, docs)
        unwind(tx, q.sections, [{**r, "policy": d.policy_id} for d in docs for r in d.sections])
        unwind(tx, q.subsections, [r for d in docs for r in d.sections if r["parent"] is not None])
        unwind(tx, q.tasks, [{**r, "policy": d.policy_id} for d in docs for r in d.tasks])
        unwind(tx, q.task_sections, [r for d in docs for r in d.tasks if r["section"] is not None])
        self._agencies(tx, docs)
        unwind(tx, q.issuers, [{**r, "policy": d.policy_id} for d in docs for r in d.issuers])
        self._tasks_facts(tx, docs)
        batch_ids = {d.policy_id for d in docs}
        made = [r for t, r in plan.placeholders.items() if t not in batch_ids]
        unwind(tx, q.placeholders, [{k: v for k, v in r.items() if k != "_jurisdiction"} for r in made])
        unwind(tx, q.placeholder_jurisdictions, [{"id": r["id"], "j": r["_jurisdiction"]} for r in made
                                                 if "_jurisdiction" in r])
        for old, new in plan.refolds:
            self._move(tx, old, new)
        for relation, rows in plan.citations.items():
            unwind(tx, q[relation], rows)
        unwind(tx, q.annex_of, [d.annex_of for d in docs if d.annex_of is not None])
        if old_agencies:
            tx.run(q.orphan_agencies, {"ids": old_agencies}).consume()
            self._rename(tx, old_agencies)
        if stale_cited := [c for c in old_cited if c != docs[0].policy_id]:
            tx.run(q.orphan_placeholders, {"ids": stale_cited}).consume()
        if relevelled := [j for j, state in self._place_state(tx, chain).items() if j in levels and levels[j] != state]:
            # A place's level is in every row of its documents' answers.
            places.update(levels[j][0] for j in relevelled)
        self._forget_kept(tx, places, before)

    def _agency_state(self, tx: Any, ids: list[str]) -> dict[str, tuple[Any, ...]]:
        out: dict[str, tuple[Any, ...]] = {}
        for i in range(0, len(ids), ROWS_PER_STATEMENT):
            for r in run(tx, self.q.agency_state, ids=ids[i : i + ROWS_PER_STATEMENT]):
                out[r["id"]] = (r["name"], r["agency_type"], r["collective"], r["level"])
        return out

    def _place_state(self, tx: Any, ids: list[str]) -> dict[str, tuple[Any, ...]]:
        out: dict[str, tuple[Any, ...]] = {}
        for i in range(0, len(ids), ROWS_PER_STATEMENT):
            for r in run(tx, self.q.place_state, ids=ids[i : i + ROWS_PER_STATEMENT]):
                out[r["id"]] = (r["name"], r["level"])
        return out

    def _forget_kept(self, tx: Any, places: set[str], before: dict[str, tuple[Any, ...]]) -> None:
        """Forget the kept answers (``healthgov.queries.kept``) this write may change: of the places
        of the documents written (and of the versions replaced), of the places whose documents name
        an agency whose name, type, class or level this write changed (an agency keeps the best of the
        names all documents give it, so a document of one place can rename a body in the answers
        of another)."""
        ids = sorted(before)
        after = self._agency_state(tx, ids) if ids else {}
        # New agencies are in no other place's answers; deleted ones were named nowhere else.
        changed = [i for i in ids if i in after and before[i] != after[i]]
        for i in range(0, len(changed), ROWS_PER_STATEMENT):
            places.update(r["name"] for r in run(tx, self.q.places_naming, ids=changed[i : i + ROWS_PER_STATEMENT]))
        parts = sorted(f"jurisdiction:{j}" for j in places)
        if parts:
            tx.run(self.q.forget_kept, {"parts": parts}).consume()

    def _clear(self, tx: Any, pid: str) -> tuple[list[str], list[str]]:
        """Delete what a document in the graph owns; return the agencies and policies it pointed at."""
        old_agencies = [r["id"] for r in run(tx, self.q.prior_agencies, id=pid)]
        old_cited = [r["id"] for r in run(tx, self.q.prior_cited, id=pid)]
        for name in DELETE_STATEMENTS:
            tx.run(self.q[name], {"id": pid}).consume()
        return old_agencies, old_cited

    def _rename(self, tx: Any, ids: list[str]) -> None:
        """The name and aliases of the agencies a replaced document named, recomputed from the
        mentions that remain (a form only its old version wrote is dropped; ``agency_names``).
        An agency nothing names any more was deleted just before (``orphan_agencies``)."""
        mentions: dict[str, list[tuple[str, str | None]]] = {}
        own: dict[str, str | None] = {}
        for i in range(0, len(ids), ROWS_PER_STATEMENT):
            for r in run(tx, self.q.agency_mentions, ids=ids[i : i + ROWS_PER_STATEMENT]):
                if r["name"]:
                    mentions.setdefault(r["id"], []).append((r["name"], r["name_form"]))
                    own[r["id"]] = r["jurisdiction"]
        unwind(tx, self.q.agency_names, [agency_names(aid, own[aid], m) for aid, m in sorted(mentions.items())])

    def _fold(self, tx: Any, d: DocumentRows) -> None:
        """Placeholders with another id that match the document's number or title become it."""
        dn, tk = self._keys(d)
        for r in run(tx, self.q.stale_placeholders, id=d.policy_id, doc_number=dn, title_key=tk,
                     jurisdiction=d.policy_jurisdiction):
            self._move(tx, r["id"], d.policy_id)

    def _move(self, tx: Any, old: str, new: str) -> None:
        """The citations of placeholder ``old`` point at ``new``; ``old`` is deleted."""
        for name in ("move_cites", "move_implements"):
            tx.run(self.q[name], {"old": old, "id": new}).consume()
        tx.run(self.q.drop_placeholder, {"old": old}).consume()

    def _jurisdictions(self, tx: Any, docs: list[DocumentRows]) -> None:
        """One row per node, as one document after the other leaves it (the last non-null level
        wins), and each distinct level and parent edge once."""
        jur: dict[str, dict[str, Any]] = {}
        levels: dict[tuple[str, str], None] = {}
        parents: dict[tuple[str, str], None] = {}
        for d in docs:
            for r in d.jurisdictions:
                prev = jur.get(r["id"])
                level = r.get("level") if r.get("level") is not None else (prev or {}).get("level")
                jur[r["id"]] = {"id": r["id"], "name": r.get("name"), "level": level}
                if r.get("level") is not None:
                    levels[(r["id"], r["level"])] = None
                if r.get("parent") is not None:
                    parents[(r["id"], r["parent"])] = None
        q = self.q
        unwind(tx, q.jurisdictions, [{k: v for k, v in r.items() if v is not None} for r in jur.values()])
        unwind(tx, q.jurisdiction_levels, [{"id": i, "level": v} for i, v in levels])
        unwind(tx, q.jurisdiction_parents, [{"id": i, "parent": v} for i, v in parents])
        unwind(tx, q.policy_jurisdictions,
               [{"policy": d.policy_id, "j": d.policy_jurisdiction} for d in docs if d.policy_jurisdiction])

    def _agencies(self, tx: Any, docs: list[DocumentRows]) -> None:
        """One row per node, every document's mentions folded in (``merge_agency``: the best
        name, all aliases, each coalesced key from the first row that has it), so the statement
        never sees an id twice (an engine may read a node once for all rows of an UNWIND); each
        distinct edge once; then predecessors linked to their successors."""
        agencies: dict[str, dict[str, Any]] = {}
        edges: dict[str, dict[tuple[str, Any], None]] = {"agency_type": {}, "level": {}, "jurisdiction": {}}
        for d in docs:
            for r in d.agencies:
                a = agencies.setdefault(r["id"], dict(r))
                merge_agency(self.s, a, r)
                for k, seen in edges.items():
                    if r.get(k) is not None:
                        seen[(r["id"], r[k])] = None
        unwind(tx, self.q.agencies, list(agencies.values()))
        for name, k in (("agency_types", "agency_type"), ("agency_levels", "level"),
                        ("agency_jurisdictions", "jurisdiction")):
            unwind(tx, self.q[name], [{"id": i, k: v} for i, v in edges[k]])
        form = self.s.key("nameForm")
        pairs = {(a["jurisdiction"], a["agency_type"]): None for a in agencies.values() if a.get(form) in ("current", "former")}
        unwind(tx, self.q.successors, [{"jurisdiction": j, "agency_type": t} for j, t in pairs])

    def _tasks_facts(self, tx: Any, docs: list[DocumentRows]) -> None:
        """Responsibilities, tags, targets and obligations of every task (and the policy's own targets)."""
        for d in docs:  # a role or scheme without a statement is refused, before anything is sent
            for role in d.responsibilities:
                ROLE_STATEMENTS[role]  # noqa: B018
            for scheme in d.tags:
                TAG_STATEMENTS[scheme]  # noqa: B018
        q = self.q
        for role, name in ROLE_STATEMENTS.items():
            unwind(tx, q[name], [r for d in docs for r in d.responsibilities.get(role, [])])
        for scheme, name in TAG_STATEMENTS.items():
            unwind(tx, q[name], [r for d in docs for r in d.tags.get(scheme, [])])
        unwind(tx, q.task_targets, [r for d in docs for r in d.targets if r["task"]])
        unwind(tx, q.policy_targets, [{**r, "policy": d.policy_id} for d in docs for r in d.targets if not r["task"]])
        unwind(tx, q.measures, [r for d in docs for r in d.targets if r.get("indicator") is not None])
        unwind(tx, q.obligations, [r for d in docs for r in d.obligations])
        unwind(tx, q.obligation_types, [r for d in docs for r in d.obligations if r["institution_type"] is not None])

