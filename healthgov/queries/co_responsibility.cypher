// name: co-responsibility
// description: Agency pairs that share tasks, weighted by the number of shared tasks, per jurisdiction or pooled.
// @param jurisdiction: list[zh] = [] | Jurisdictions of the policies (empty: all)
// @param group_by: enum(agency,agency_type) = agency | Nodes of the network: agencies as named, or agency types (comparable across jurisdictions)
// @param pooled: bool = false | Pool all jurisdictions into one network (the jurisdiction column is then "*")
// @param min_shared: int[1..] = 1 | Only pairs sharing at least this many tasks
// @param role: enum(any,lead) = any | any: every co-responsible pair; lead: pairs where at least one of the two leads the task
// columns: jurisdiction, agency_a, agency_b, shared_tasks, task_ids
// Pairs are unordered (agency_a < agency_b). With group_by=agency_type an agency of unknown
// type stands for itself under its name. Pooling by agency merges bodies of the same name in
// different places (two "市卫生健康委"): pool by agency_type to compare across places.
MATCH (p:Policy)-[:HAS_TASK]->(t:Task)-[r:LEAD_AGENCY|SUPPORTING_AGENCY]->(a:Agency)
OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
WITH j, t, r, CASE WHEN $group_by = 'agency_type' THEN coalesce(a.agency_type, a.name) ELSE a.name END AS node
WHERE size($jurisdiction) = 0 OR j.name IN $jurisdiction
WITH CASE WHEN $pooled THEN '*' ELSE j.name END AS jurisdiction, t,
     collect(DISTINCT node) AS nodes,
     collect(DISTINCT CASE WHEN type(r) = 'LEAD_AGENCY' THEN node END) AS leads
UNWIND nodes AS x
UNWIND nodes AS y
WITH jurisdiction, t, x, y, leads
WHERE x < y AND ($role = 'any' OR x IN leads OR y IN leads)
WITH jurisdiction, x, y, count(DISTINCT t) AS shared, collect(DISTINCT t.id) AS task_ids
WHERE shared >= $min_shared
RETURN jurisdiction, x AS agency_a, y AS agency_b, shared AS shared_tasks, task_ids
ORDER BY jurisdiction, shared_tasks DESC, agency_a, agency_b
