// name: co-responsibility
// description: Agency pairs that share tasks, weighted by the number of shared tasks, per jurisdiction or pooled.
// @param jurisdiction: list[zh] = [] | Jurisdictions of the policies (empty: all)
// @param group_by: enum(agency,agency_type) = agency | Nodes of the network: agencies as named, or agency types (comparable across jurisdictions)
// @param pooled: bool = false | Pool all jurisdictions into one network (the jurisdiction column is then "*")
// @param min_shared: int[1..] = 1 | Only pairs sharing at least this many tasks
// @param collective: bool = false | Include classes of bodies (各地, 各区县政府, 相关部门) as nodes; false: named bodies only
// @param role: enum(any,lead) = any | any: every co-responsible pair; lead: pairs where at least one of the two leads the task
// columns: jurisdiction, agency_a, agency_b, shared_tasks, task_ids
// Pairs are unordered (agency_a < agency_b). With group_by=agency_type an agency of unknown
// type stands for itself under its name. Pooling by agency merges bodies of the same name in
// different places (two "市卫生健康委"): pool by agency_type to compare across places.
// With jurisdictions given, their policies are found from the Jurisdiction nodes before any
// task is read (the branches exclude each other: UNWIND of an empty list skips one).
// kept: jurisdiction
// The answer with no filter but places is kept per place by the build and
// read back (healthgov.queries.kept): a filter-free first page reads a few kept answers.
CALL () {
  MATCH (j:Jurisdiction)
  WHERE j.name IN $jurisdiction
  MATCH (j)<-[:HAS_JURISDICTION]-(p:Policy)
  RETURN p, j
  UNION ALL
  UNWIND CASE WHEN size($jurisdiction) = 0 THEN [1] ELSE [] END AS one
  MATCH (p:Policy)
  OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
  RETURN p, j
}
MATCH (p)-[:HAS_TASK]->(t:Task)-[r:LEAD_AGENCY|SUPPORTING_AGENCY]->(a:Agency)
WHERE $collective OR coalesce(a.collective, false) = false
WITH j, p, t, r, CASE WHEN $group_by = 'agency_type' THEN coalesce(a.agency_type, a.name) ELSE a.name END AS node
WITH CASE WHEN $pooled THEN '*' ELSE j.name END AS jurisdiction, p, t,
     collect(DISTINCT node) AS nodes,
     collect(DISTINCT CASE WHEN type(r) = 'LEAD_AGENCY' THEN node END) AS leads
UNWIND nodes AS x
UNWIND nodes AS y
WITH jurisdiction, p, t, x, y, leads
WHERE x < y AND ($role = 'any' OR x IN leads OR y IN leads)
WITH jurisdiction, p, t, x, y
ORDER BY p.id, coalesce(t.order, toInteger(substring(t.id, size(p.id) + 2)))
WITH jurisdiction, x, y, count(DISTINCT t) AS shared, collect(DISTINCT t.id) AS task_ids
WHERE shared >= $min_shared
RETURN jurisdiction, x AS agency_a, y AS agency_b, shared AS shared_tasks, task_ids
ORDER BY jurisdiction, shared_tasks DESC, agency_a, agency_b
