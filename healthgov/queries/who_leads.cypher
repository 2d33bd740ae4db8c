// name: who-leads
// description: Which agency leads (or supports) which task, across jurisdictions: the headline comparative question.
// @param jurisdiction: list[zh] = [] | Jurisdictions of the policies, e.g. 重庆市,杭州市 (empty: all)
// @param level: enum(nation,province,city,county,township,village) = null | Administrative level of the policy's jurisdiction
// @param agency_type: concept(agency-type) = null | Agency type: id, Chinese or English label (health-commission, 卫生健康委)
// @param topic: concept(topic) = null | Only tasks tagged with this topic
// @param role: enum(lead,support,any) = lead | Role of the agency on the task
// @param basis: enum(explicit,convention,shared,prose,scoped,annex) = null | How the role was established (see DESIGN.md)
// @param phrase: zh = null | Only tasks whose text contains this phrase (either script)
// @param policy: str = null | Only the policy with this id
// @param collective: bool = true | Include classes of bodies (各地, 各区县政府, 相关部门: agencies marked collective); false: named bodies only
// columns: jurisdiction, level, policy_id, policy_title, doc_number, task_id, task_number, task_title, agency, agency_id, agency_type, agency_type_zh, agency_type_en, agency_level, role, basis, implicit, list_order, collective
// One row per (task, agency, role). Tasks are in document order, agencies in the order the
// document lists them (list_order, 0 = first). Agency names are simplified; group by
// agency_type to compare jurisdictions that name the same body differently.
// Policies are filtered (policy, jurisdiction, level) before their tasks are expanded, and
// found from the filter: a policy by its id (index), a jurisdiction or level from the
// Jurisdiction nodes (a few hundred) to its documents; only with none of the three is every
// policy read. The branches exclude each other (UNWIND of an empty list skips one).
// kept: jurisdiction
// With no filter but places (role lead, collective bodies in), the answer is kept per place by
// the build and read back (healthgov.queries.kept): a first page and a whole CSV read kept rows.
// chunked: policies
// Paged and streamed answers run it over a few policies at a time ($chunk: their ids, in the
// order of jurisdiction and id that the rows are sorted by; healthgov.queries.chunks): a page
// reads only the policies it needs, and a whole answer is never sorted in the engine's heap.
CALL () {
  UNWIND $chunk AS chunk_id
  MATCH (p:Policy {id: chunk_id})
  OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
  RETURN p, j
  UNION ALL
  UNWIND CASE WHEN size($chunk) = 0 THEN [1] ELSE [] END AS one
  MATCH (p:Policy {id: $policy})
  OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
  RETURN p, j
  UNION ALL
  UNWIND CASE WHEN size($chunk) = 0 AND $policy IS NULL AND (size($jurisdiction) > 0 OR $level IS NOT NULL) THEN [1] ELSE [] END AS one
  MATCH (j:Jurisdiction)
  WHERE (size($jurisdiction) = 0 OR j.name IN $jurisdiction) AND ($level IS NULL OR j.level = $level)
  MATCH (j)<-[:HAS_JURISDICTION]-(p:Policy)
  RETURN p, j
  UNION ALL
  UNWIND CASE WHEN size($chunk) = 0 AND $policy IS NULL AND size($jurisdiction) = 0 AND $level IS NULL THEN [1] ELSE [] END AS one
  MATCH (p:Policy)
  OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
  RETURN p, j
}
WITH p, j
WHERE (size($jurisdiction) = 0 OR j.name IN $jurisdiction)
  AND ($level IS NULL OR j.level = $level)
MATCH (p)-[:HAS_TASK]->(t:Task)-[r:LEAD_AGENCY|SUPPORTING_AGENCY]->(a:Agency)
WHERE ($role = 'any'
       OR ($role = 'lead' AND type(r) = 'LEAD_AGENCY')
       OR ($role = 'support' AND type(r) = 'SUPPORTING_AGENCY'))
  AND ($basis IS NULL OR r.basis = $basis)
  AND ($agency_type IS NULL OR a.agency_type = $agency_type)
  AND ($collective OR coalesce(a.collective, false) = false)
  AND ($phrase IS NULL OR coalesce(t.text_simplified, t.text) CONTAINS $phrase OR t.text CONTAINS $phrase_raw)
  AND ($topic IS NULL OR EXISTS { MATCH (t)-[:HAS_TOPIC]->(tp:Topic) WHERE tp.id = $topic })
OPTIONAL MATCH (at:AgencyType {id: a.agency_type})
RETURN j.name AS jurisdiction,
       j.level AS level,
       p.id AS policy_id,
       p.title AS policy_title,
       p.doc_number AS doc_number,
       t.id AS task_id,
       t.number AS task_number,
       t.title AS task_title,
       a.name AS agency,
       a.id AS agency_id,
       a.agency_type AS agency_type,
       at.pref_zh AS agency_type_zh,
       at.pref_en AS agency_type_en,
       a.level AS agency_level,
       CASE type(r) WHEN 'LEAD_AGENCY' THEN 'lead' ELSE 'support' END AS role,
       r.basis AS basis,
       coalesce(r.implicit, false) AS implicit,
       r.order AS list_order,
       coalesce(a.collective, false) AS collective
ORDER BY jurisdiction, policy_id, coalesce(t.order, toInteger(substring(t.id, size(p.id) + 2))), role, list_order, agency
