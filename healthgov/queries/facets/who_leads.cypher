// name: who-leads-facets
// description: How many who-leads rows each place has, by role, basis, agency type, class of body and topic.
// @param jurisdiction: list[zh] = [] | Jurisdictions (empty: all)
// columns: jurisdiction, level, topic, role, basis, agency_type, collective, rows
// Kept per place by the build (healthgov.queries.kept), split by topic ('' : every row, a topic
// id: the rows of tasks tagged with it): the total of a who-leads page filtered by role, basis,
// agency type, class of body, topic, level or place is a sum over these rows
// (healthgov.queries.facets) instead of a count over every responsibility. A row of who-leads is
// one (task, agency, relationship), as counts/who_leads.cypher counts them.
// kept: jurisdiction
// kept within: topic
CALL () {
  UNWIND CASE WHEN size($jurisdiction) > 0 THEN [1] ELSE [] END AS one
  MATCH (j:Jurisdiction)
  WHERE j.name IN $jurisdiction
  RETURN j
  UNION ALL
  UNWIND CASE WHEN size($jurisdiction) = 0 THEN [1] ELSE [] END AS one
  MATCH (j:Jurisdiction)
  RETURN j
}
MATCH (j)<-[:HAS_JURISDICTION]-(p:Policy)-[:HAS_TASK]->(t:Task)-[r:LEAD_AGENCY|SUPPORTING_AGENCY]->(a:Agency)
WITH j, t, CASE type(r) WHEN 'LEAD_AGENCY' THEN 'lead' ELSE 'support' END AS role, r.basis AS basis,
     a.agency_type AS agency_type, coalesce(a.collective, false) AS collective
UNWIND [''] + [(t)-[:HAS_TOPIC]->(tp:Topic) | tp.id] AS topic
RETURN j.name AS jurisdiction, j.level AS level, topic, role, basis, agency_type, collective, count(*) AS rows
ORDER BY topic, jurisdiction, role, basis, agency_type, collective
