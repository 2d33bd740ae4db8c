"""Annex files and the plans that list them, matched during a build (``healthgov.loaders.build``).

An annex file (``Policy.annex_label`` "附件N") belongs to the plan whose ``Policy.annexes`` holds
its title (``annex_key``: the title key without quotes) at number N (any number when the label
has none). It then takes the plan's jurisdiction and level, its units resolved again in it
(``healthgov.extract.annexes.adopt_plan``), and an ``isAnnexOf`` link to the plan. An annex that
no plan lists keeps its own jurisdiction (issuers, else ``duty_list_jurisdiction``).

The build streams: only a few strings per plan and per annex file are kept, never records.

- A plan read earlier in the run: the annex is adopted before it is loaded (``see``).
- A plan read later in the run, or loaded by an earlier build: the annex was loaded as it was;
  at the end of the run it is extracted again, adopted and loaded again (``late``), replacing
  the first version.
- An annex file of the run left unchanged (skipped) and loaded by an earlier build without this
  plan: the same, so building a plan with its annexes gives one graph whatever was built before.
  Rebuilding changes nothing: unchanged files are skipped, and a forced rebuild ends in the
  same graph.

Several plans listing the same title ("省级相关部门…职责清单" in two provinces) are told apart by
the annex's own jurisdiction, then by the directory of its file; still several: no plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from healthgov.extract.annexes import adopt_plan, annex_key, label_number
from healthgov.records import DocumentRecord, Jurisdiction


@dataclass(frozen=True)
class PlanRef:
    policy_id: str
    jurisdiction: Jurisdiction | None
    source: str


@dataclass
class AnnexRef:
    """An annex file of this run: what matching needs, and the plan it was loaded with."""

    path: Path  # the file, to extract again
    name: str  # its source name in the graph
    policy_id: str
    title_key: str
    number: int | None
    jurisdiction: str | None  # its own, before any plan's
    plan: str | None = None  # the plan it was adopted by when it was loaded


@dataclass
class AnnexLinker:
    """The plans and annex files of one build (see the module)."""

    plans: dict[str, list[tuple[int, PlanRef]]] = field(default_factory=dict)  # title key → (number, plan)
    annexes: list[AnnexRef] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)  # sources of annexes several plans list
    run_plans: int = 0  # plans with annexes read in this run

    def add_plan(self, plan: PlanRef, titles: list[str]) -> None:
        for n, title in enumerate(titles, start=1):
            entries = self.plans.setdefault(annex_key(title), [])
            if all(p.policy_id != plan.policy_id for _n, p in entries):
                entries.append((n, plan))

    def see(self, path: Path, rec: DocumentRecord) -> None:
        """A record of the run, before it is loaded: a plan is remembered, an annex file whose
        plan is known is adopted by it."""
        pol = rec.policy
        if pol.annexes:
            self.run_plans += 1
            self.add_plan(PlanRef(pol.id, pol.jurisdiction, rec.source), pol.annexes)
        if pol.annex_label is None:
            return
        ref = AnnexRef(path, rec.source, pol.id, annex_key(pol.title), label_number(pol.annex_label),
                       pol.jurisdiction.name if pol.jurisdiction else None)
        plan = self.match(ref)
        if plan is not None:
            adopt_plan(rec, plan.policy_id, plan.jurisdiction)
            ref.plan = plan.policy_id
        self.annexes.append(ref)

    def match(self, ref: AnnexRef) -> PlanRef | None:
        """The one plan listing the annex (see the module), or None."""
        found = {p.policy_id: p for n, p in self.plans.get(ref.title_key, [])
                 if p.policy_id != ref.policy_id and (ref.number is None or n == ref.number)}
        plans = list(found.values())
        if len(plans) > 1 and ref.jurisdiction is not None:
            same = [p for p in plans if p.jurisdiction is not None and p.jurisdiction.name == ref.jurisdiction]
            plans = same or plans
        if len(plans) > 1:
            folder = PurePosixPath(ref.name).parent
            plans = [p for p in plans if PurePosixPath(p.source).parent == folder] or plans
        if len(plans) > 1:
            if ref.name not in self.ambiguous:
                self.ambiguous.append(ref.name)
            return None
        return plans[0] if plans else None

    def unmatched(self) -> bool:
        return any(a.plan is None for a in self.annexes)

    def add_stored_plans(self, rows: list[dict[str, Any]]) -> None:
        """Plans loaded by earlier builds (``plans_with_annexes``), for annexes no plan of the run lists."""
        for r in rows:
            juris = Jurisdiction(r["jurisdiction"], r["level"], r["parent"]) if r.get("jurisdiction") else None
            self.add_plan(PlanRef(r["id"], juris, r.get("source") or ""), list(r.get("annexes") or []))

    def add_stored_annexes(self, rows: list[dict[str, Any]], skipped: dict[str, Path]) -> None:
        """Annex files in the graph (``stored_annexes``) whose file this run skipped as unchanged."""
        known = {a.policy_id for a in self.annexes}
        for r in rows:
            path = skipped.get(r.get("source") or "")
            if path is None or r["id"] in known:
                continue
            self.annexes.append(AnnexRef(path, r["source"], r["id"], annex_key(r.get("title") or ""),
                                         label_number(r.get("label")), r.get("jurisdiction"), r.get("plan")))

    def late(self) -> list[tuple[AnnexRef, PlanRef]]:
        """Annex files loaded without the plan that lists them now (after the whole run)."""
        out = []
        for a in self.annexes:
            if (plan := self.match(a)) is not None and plan.policy_id != a.plan:
                out.append((a, plan))
        return out
