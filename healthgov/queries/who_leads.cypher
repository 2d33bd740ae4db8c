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
// @param institutions: bool = false | Also list the providers, schools and enterprises a task obliges (定点医药机构, 医疗机构, 商业保险机构 …): rows with bearer_kind institution, role obliged, no agency type
// columns: jurisdiction, level, policy_id, policy_title, doc_number, task_id, task_number, task_title, agency, agency_id, agency_type, agency_type_zh, agency_type_en, agency_level, role, basis, implicit, list_order, collective, bearer_kind, institution_type, institution_type_zh
// One row per (task, agency, role). Tasks are in document order, agencies in the order the
// document lists them (list_order, 0 = first). Agency names are simplified; group by
// agency_type to compare jurisdictions that name the same body differently.
// Obliged institutions are duty-bearers of another kind, never agencies: only with
// institutions=true, one row per (task, obliged institution) after the task's agencies, with
// bearer_kind 'institution' (agencies: 'agency'), role 'obliged', the name as written in agency,
// agency_id, agency_type, basis null, list_order its position among the task's obligations and
// institution_type its kind (null when the vocabulary does not know it). Place, level, policy,
// topic and phrase filter them like agencies; role filters agencies only; with a basis or an
// agency_type they are left out (they have neither).
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
MATCH (p)-[:HAS_TASK]->(t:Task)-[r:LEAD_AGENCY|SUPPORTING_AGENCY|HAS_OBLIGATION]->(a)
WHERE (($role = 'any' AND type(r) <> 'HAS_OBLIGATION')
       OR ($role = 'lead' AND type(r) = 'LEAD_AGENCY')
       OR ($role = 'support' AND type(r) = 'SUPPORTING_AGENCY')
       OR ($institutions AND type(r) = 'HAS_OBLIGATION'))
  AND ($basis IS NULL OR r.basis = $basis)
  AND ($agency_type IS NULL OR a.agency_type = $agency_type)
  AND ($collective OR coalesce(a.collective, false) = false)
  AND ($phrase IS NULL OR coalesce(t.text_simplified, t.text) CONTAINS $phrase OR t.text CONTAINS $phrase_raw)
  AND ($topic IS NULL OR EXISTS { MATCH (t)-[:HAS_TOPIC]->(tp:Topic) WHERE tp.id = $topic })
OPTIONAL MATCH (at:AgencyType {id: a.agency_type})
OPTIONAL MATCH (it:InstitutionType {id: a.institution_type})
WITH p, j, t, r, a, at, it, type(r) = 'HAS_OBLIGATION' AS obliged
RETURN j.name AS jurisdiction,
       j.level AS level,
       p.id AS policy_id,
       p.title AS policy_title,
       p.doc_number AS doc_number,
       t.id AS task_id,
       t.number AS task_number,
       t.title AS task_title,
       a.name AS agency,
       CASE WHEN obliged THEN null ELSE a.id END AS agency_id,
       a.agency_type AS agency_type,
       at.pref_zh AS agency_type_zh,
       at.pref_en AS agency_type_en,
       a.level AS agency_level,
       CASE type(r) WHEN 'LEAD_AGENCY' THEN 'lead' WHEN 'SUPPORTING_AGENCY' THEN 'support' ELSE 'obliged' END AS role,
       r.basis AS basis,
       coalesce(r.implicit, false) AS implicit,
       coalesce(r.order, a.order) AS list_order,
       coalesce(a.collective, false) AS collective,
       CASE WHEN obliged THEN 'institution' ELSE 'agency' END AS bearer_kind,
       a.institution_type AS institution_type,
       it.pref_zh AS institution_type_zh
ORDER BY jurisdiction, policy_id, coalesce(t.order, toInteger(substring(t.id, size(p.id) + 2))), bearer_kind, role, list_order, agency
