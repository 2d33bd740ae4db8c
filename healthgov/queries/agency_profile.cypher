// name: agency-profile
// description: For one agency type, per jurisdiction: tasks led, tasks supported, their topics and co-responsible partners.
// @param agency_type: concept(agency-type) | Agency type: id, Chinese or English label (health-commission, 卫生健康委)
// @param jurisdiction: list[zh] = [] | Jurisdictions of the policies (empty: all)
// columns: jurisdiction, level, agency_type, agency_names, tasks_led, tasks_supported, tasks_total, led_task_ids, supported_task_ids, topics, partner_types
// topics: topic ids of its tasks, most frequent first. partner_types: the agency types that
// share tasks with it there, most shared first, as "type:count" (an agency of unknown type
// counts under its name).
// With jurisdictions given, their policies are found from the Jurisdiction nodes and only their
// tasks are read; with none, the agencies of the type are found first and their tasks read
// backwards (the branches exclude each other: UNWIND of an empty list skips one).
// kept: jurisdiction, agency_type
// The answer with no filter but places and the agency type is kept per place by the build and
// read back (healthgov.queries.kept): a filter-free first page reads a few kept answers.
CALL () {
  MATCH (j:Jurisdiction)
  WHERE j.name IN $jurisdiction
  MATCH (j)<-[:HAS_JURISDICTION]-(p:Policy)
  MATCH (p)-[:HAS_TASK]->(t:Task)-[r:LEAD_AGENCY|SUPPORTING_AGENCY]->(a:Agency)
  WHERE a.agency_type = $agency_type
  RETURN j, p, a, r, t
  UNION ALL
  UNWIND CASE WHEN size($jurisdiction) = 0 THEN [1] ELSE [] END AS one
  MATCH (a:Agency)
  WHERE a.agency_type = $agency_type
  MATCH (a)<-[r:LEAD_AGENCY|SUPPORTING_AGENCY]-(t:Task)<-[:HAS_TASK]-(p:Policy)
  OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
  RETURN j, p, a, r, t
}
WITH j, p, a, r, t
ORDER BY p.id, coalesce(t.order, toInteger(substring(t.id, size(p.id) + 2))), type(r), r.order, a.name
WITH j,
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
CALL (tasks) {
  UNWIND tasks AS t2
  MATCH (t2)-[:LEAD_AGENCY|SUPPORTING_AGENCY]->(b:Agency)
  WITH t2, coalesce(b.agency_type, b.name) AS partner
  WHERE partner <> $agency_type
  WITH partner, count(DISTINCT t2) AS n
  ORDER BY n DESC, partner
  RETURN collect(partner + ':' + toString(n)) AS partner_types
}
RETURN j.name AS jurisdiction,
       j.level AS level,
       $agency_type AS agency_type,
       agency_names,
       size(led) AS tasks_led,
       size(supported) AS tasks_supported,
       size(tasks) AS tasks_total,
       led AS led_task_ids,
       supported AS supported_task_ids,
       topics,
       partner_types
ORDER BY jurisdiction
