// agency-profile for every agency type at once, over the places in $parts: the rows
// agency-profile gives for each type (healthgov.queries.kept keeps them per type and place).
// Only the grouping differs from agency_profile.cypher's place branch: the type is the row's.
MATCH (j:Jurisdiction)
WHERE j.name IN $parts
MATCH (j)<-[:HAS_JURISDICTION]-(p:Policy)
MATCH (p)-[:HAS_TASK]->(t:Task)-[r:LEAD_AGENCY|SUPPORTING_AGENCY]->(a:Agency)
WHERE a.agency_type IS NOT NULL
WITH j, p, a, r, t
ORDER BY p.id, coalesce(t.order, toInteger(substring(t.id, size(p.id) + 2))), type(r), r.order, a.name
WITH j, a.agency_type AS agency_type,
     collect(DISTINCT a.name) AS agency_names,
     collect(DISTINCT CASE WHEN type(r) = 'LEAD_AGENCY' THEN t.id END) AS led,
     collect(DISTINCT CASE WHEN type(r) = 'SUPPORTING_AGENCY' THEN t.id END) AS supported,
     collect(DISTINCT t) AS tasks
CALL (tasks) {
  UNWIND tasks AS t1
  MATCH (t1)-[:HAS_TOPIC]->(tp:Topic)
  WITH tp.id AS topic, count(DISTINCT t1) AS n
  ORDER BY n DESC, topic
  RETURN collect(topic) AS topics
}
CALL (tasks, agency_type) {
  UNWIND tasks AS t2
  MATCH (t2)-[:LEAD_AGENCY|SUPPORTING_AGENCY]->(b:Agency)
  WITH t2, coalesce(b.agency_type, b.name) AS partner
  WHERE partner <> agency_type
  WITH partner, count(DISTINCT t2) AS n
  ORDER BY n DESC, partner
  RETURN collect(partner + ':' + toString(n)) AS partner_types
}
RETURN j.name AS jurisdiction,
       j.level AS level,
       agency_type,
       agency_names,
       size(led) AS tasks_led,
       size(supported) AS tasks_supported,
       size(tasks) AS tasks_total,
       led AS led_task_ids,
       supported AS supported_task_ids,
       topics,
       partner_types
ORDER BY jurisdiction, agency_type
