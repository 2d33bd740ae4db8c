// name: tier-division
// description: Tasks and institution types per service tier (village, township, county, city ...) per jurisdiction.
// @param jurisdiction: list[zh] = [] | Jurisdictions of the policies (empty: all)
// @param tier: concept(tier) = null | Only this tier
// columns: jurisdiction, level, tier, tier_zh, tier_rank, tasks, institution_types, task_ids
// institution_types: the institution types named by the tier's tasks that serve that tier, most
// tasks first, as "type-id:count".
// With jurisdictions given, their policies are found from the Jurisdiction nodes and only their
// tasks are read; with none, the tasks are read backwards from the tier nodes (the branches
// exclude each other: UNWIND of an empty list skips one).
// kept: jurisdiction
// The answer with no filter but places is kept per place by the build and
// read back (healthgov.queries.kept): a filter-free first page reads a few kept answers.
CALL () {
  MATCH (j:Jurisdiction)
  WHERE j.name IN $jurisdiction
  MATCH (j)<-[:HAS_JURISDICTION]-(p:Policy)
  MATCH (p)-[:HAS_TASK]->(t:Task)-[:AT_TIER]->(tr:Tier)
  WHERE $tier IS NULL OR tr.id = $tier
  RETURN j, tr, p, t
  UNION ALL
  UNWIND CASE WHEN size($jurisdiction) = 0 THEN [1] ELSE [] END AS one
  MATCH (tr:Tier)
  WHERE $tier IS NULL OR tr.id = $tier
  MATCH (tr)<-[:AT_TIER]-(t:Task)<-[:HAS_TASK]-(p:Policy)
  OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
  RETURN j, tr, p, t
}
WITH j, tr, p, t
ORDER BY p.id, coalesce(t.order, toInteger(substring(t.id, size(p.id) + 2)))
WITH j, tr, collect(DISTINCT t) AS tasks
CALL (tasks, tr) {
  UNWIND tasks AS t1
  MATCH (t1)-[:CONCERNS_INSTITUTION]->(it:InstitutionType)
  WHERE it.serves_tier = tr.id OR EXISTS { MATCH (it)-[:SERVES_TIER]->(tr) }
  WITH it.id AS institution, count(DISTINCT t1) AS n
  ORDER BY n DESC, institution
  RETURN collect(institution + ':' + toString(n)) AS institution_types
}
RETURN j.name AS jurisdiction,
       j.level AS level,
       tr.id AS tier,
       tr.pref_zh AS tier_zh,
       tr.tier_rank AS tier_rank,
       size(tasks) AS tasks,
       institution_types,
       [x IN tasks | x.id] AS task_ids
ORDER BY jurisdiction, tier_rank DESC, tier
