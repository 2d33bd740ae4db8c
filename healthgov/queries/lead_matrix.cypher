// name: lead-matrix
// description: How many tasks each agency type leads (or supports) in each jurisdiction: the table of the compare page (/compare).
// @param jurisdiction: list[zh] = [] | Jurisdictions of the policies, e.g. 重庆市,杭州市 (empty: all)
// @param level: enum(nation,province,city,county,township,village) = null | Administrative level of the policy's jurisdiction
// @param topic: concept(topic) = null | Only tasks tagged with this topic
// @param role: enum(lead,support,any) = lead | Role of the agency on the task
// columns: jurisdiction, level, agency_type, agency_type_zh, agency_type_en, tasks, agencies, policies
// One row per (jurisdiction, agency type) with at least one task: tasks counts distinct tasks
// (the who-leads rows with the same jurisdiction, agency_type, topic and role, one per task),
// agencies the distinct agencies of that type, policies the documents the tasks come from.
// Agencies without an agency type and policies without a jurisdiction are left out.
// Policies are found from the Jurisdiction nodes (a few hundred), filtered by name and level,
// before their tasks are expanded.
// kept: jurisdiction
// The answer with no filter but places is kept per place by the build and
// read back (healthgov.queries.kept): a filter-free first page reads a few kept answers.
MATCH (j:Jurisdiction)
WHERE (size($jurisdiction) = 0 OR j.name IN $jurisdiction)
  AND ($level IS NULL OR j.level = $level)
MATCH (j)<-[:HAS_JURISDICTION]-(p:Policy)
MATCH (p)-[:HAS_TASK]->(t:Task)-[r:LEAD_AGENCY|SUPPORTING_AGENCY]->(a:Agency)
WHERE ($role = 'any'
       OR ($role = 'lead' AND type(r) = 'LEAD_AGENCY')
       OR ($role = 'support' AND type(r) = 'SUPPORTING_AGENCY'))
  AND a.agency_type IS NOT NULL
  AND ($topic IS NULL OR EXISTS { MATCH (t)-[:HAS_TOPIC]->(tp:Topic) WHERE tp.id = $topic })
WITH j, p, t, a
OPTIONAL MATCH (at:AgencyType {id: a.agency_type})
WITH j.name AS jurisdiction, j.level AS level, a.agency_type AS agency_type,
     at.pref_zh AS agency_type_zh, at.pref_en AS agency_type_en,
     count(DISTINCT t) AS tasks, count(DISTINCT a) AS agencies, count(DISTINCT p) AS policies
RETURN jurisdiction, level, agency_type, agency_type_zh, agency_type_en, tasks, agencies, policies
ORDER BY jurisdiction, agency_type
