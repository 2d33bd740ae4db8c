// name: compare-targets
// description: Every target set for an indicator, across policies and jurisdictions: value, comparator, unit, year, baseline, nature, and whether it is a goal or a quantified norm.
// @param indicator: concept(indicator) = null | Indicator: id, label or a phrase that names one (每千人口执业(助理)医师数)
// @param text: zh = null | Free text found in the indicator as written (when no vocabulary indicator fits)
// @param jurisdiction: list[zh] = [] | Jurisdictions of the policies (empty: all)
// @param year: int = null | Only targets for this target year
// @param kind: enum(goal,norm) = null | goal: values to reach; norm: quantified norms (a provision's rates, caps, time limits; standing frequencies)
// columns: indicator, indicator_zh, indicator_text, jurisdiction, level, policy_id, policy_title, doc_number, task_id, comparator, value, value_max, unit, target_year, deadline, baseline, baseline_year, nature, kind, note, target_id, text
// With neither indicator nor text, every target is listed.
// Targets are found from the filter: an indicator's from its node (index), a jurisdiction's
// from its policies (their tasks' targets and their own); only with neither is every target
// read (the branches exclude each other: UNWIND of an empty list skips one).
// kept: jurisdiction
// kept within: indicator
// Every target (no filter but places) is kept per place by the build, split by indicator, and read
// back indicator by indicator (healthgov.queries.kept): a first page reads one indicator's pieces.
CALL () {
  MATCH (:Indicator {id: $indicator})<-[:MEASURES]-(g:Target)
  RETURN g
  UNION ALL
  UNWIND CASE WHEN $indicator IS NULL AND size($jurisdiction) > 0 THEN [1] ELSE [] END AS one
  MATCH (j:Jurisdiction)
  WHERE j.name IN $jurisdiction
  MATCH (j)<-[:HAS_JURISDICTION]-(p:Policy)
  MATCH (p)-[:HAS_TASK|HAS_TARGET*1..2]->(g:Target)
  RETURN DISTINCT g
  UNION ALL
  UNWIND CASE WHEN $indicator IS NULL AND size($jurisdiction) = 0 THEN [1] ELSE [] END AS one
  MATCH (g:Target)
  RETURN g
}
OPTIONAL MATCH (g)-[:MEASURES]->(i:Indicator)
WITH g, i
WHERE ($indicator IS NULL OR i.id = $indicator)
  AND ($text IS NULL OR coalesce(g.indicator_text, '') CONTAINS $text OR coalesce(g.indicator_text, '') CONTAINS $text_raw)
  AND ($year IS NULL OR g.target_year = $year)
  AND ($kind IS NULL OR g.target_kind = $kind)
OPTIONAL MATCH (g)<-[:HAS_TARGET]-(t:Task)
OPTIONAL MATCH (t)<-[:HAS_TASK]-(pt:Policy)
OPTIONAL MATCH (g)<-[:HAS_TARGET]-(pd:Policy)
WITH g, i, t, coalesce(pt, pd) AS p
OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
WITH g, i, t, p, j
WHERE size($jurisdiction) = 0 OR j.name IN $jurisdiction
RETURN i.id AS indicator,
       i.pref_zh AS indicator_zh,
       g.indicator_text AS indicator_text,
       j.name AS jurisdiction,
       j.level AS level,
       p.id AS policy_id,
       p.title AS policy_title,
       p.doc_number AS doc_number,
       t.id AS task_id,
       g.comparator AS comparator,
       g.value AS value,
       g.value_max AS value_max,
       g.unit AS unit,
       g.target_year AS target_year,
       g.deadline AS deadline,
       g.baseline AS baseline,
       g.baseline_year AS baseline_year,
       g.nature AS nature,
       g.target_kind AS kind,
       g.note AS note,
       g.id AS target_id,
       g.text AS text
ORDER BY indicator, jurisdiction, policy_id, target_year, target_id
