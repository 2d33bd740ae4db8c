// compare-targets with no filter, over the indicators in $parts (and, with $trailing, the
// targets that measure none): the rows compare-targets gives for each (healthgov.queries.kept
// keeps them per indicator). The filters of compare_targets.cypher hold for every row without
// them; the rest is the same.
CALL () {
  UNWIND $parts AS iid
  MATCH (:Indicator {id: iid})<-[:MEASURES]-(g:Target)
  RETURN g
  UNION ALL
  UNWIND CASE WHEN $trailing THEN [1] ELSE [] END AS one
  MATCH (g:Target)
  WHERE NOT EXISTS { MATCH (g)-[:MEASURES]->(:Indicator) }
  RETURN g
}
OPTIONAL MATCH (g)-[:MEASURES]->(i:Indicator)
WITH g, i
OPTIONAL MATCH (g)<-[:HAS_TARGET]-(t:Task)
OPTIONAL MATCH (t)<-[:HAS_TASK]-(pt:Policy)
OPTIONAL MATCH (g)<-[:HAS_TARGET]-(pd:Policy)
WITH g, i, t, coalesce(pt, pd) AS p
OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
WITH g, i, t, p, j
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
       g.note AS note,
       g.id AS target_id,
       g.text AS text
ORDER BY indicator, jurisdiction, policy_id, target_year, target_id
