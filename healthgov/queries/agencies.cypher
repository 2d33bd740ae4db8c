// name: agencies
// description: The agencies named in the documents, with their type, level and how many tasks they lead and support.
// @param jurisdiction: list[zh] = [] | Jurisdictions the agencies are keyed under (empty: all)
// @param agency_type: concept(agency-type) = null | Agency type: id, Chinese or English label
// columns: agency_id, agency, aliases, name_form, succeeded_by, agency_type, level, jurisdiction, tasks_led, tasks_supported, policies_issued
// One agency per real body per jurisdiction (docs/DESIGN.md, "Agency identity"): a body named
// exactly (市卫健委, 广州市卫生健康委员会) is keyed {jurisdiction}/{agency type} (a predecessor:
// /former/{its full name, 卫生和计划生育委员会 for 卫计委}; a generic department: /generic;
// the name_form column says which), anything else by its simplified name and its jurisdiction;
// agency_id is that key. agency is the best-ranked of its names, aliases every form the documents write it in (each mention's evidence is on its
// LEAD_AGENCY / SUPPORTING_AGENCY / ISSUED_BY relationship), succeeded_by the current body a
// predecessor's label is linked to.
// chunked: agencies
// A page ($chunk: the ids of its agencies, healthgov.queries.chunks) counts the tasks and
// documents of those agencies only, not of every agency in the graph.
CALL () {
  UNWIND $chunk AS chunk_id
  MATCH (a:Agency {id: chunk_id})
  RETURN a
  UNION ALL
  UNWIND CASE WHEN size($chunk) = 0 THEN [1] ELSE [] END AS one
  MATCH (a:Agency)
  RETURN a
}
WITH a
WHERE $agency_type IS NULL OR a.agency_type = $agency_type
WITH a, coalesce(a.jurisdiction, split(a.id, '/')[0]) AS jurisdiction
WHERE size($jurisdiction) = 0 OR jurisdiction IN $jurisdiction
RETURN a.id AS agency_id,
       a.name AS agency,
       coalesce(a.aliases, [a.name]) AS aliases,
       a.name_form AS name_form,
       head(COLLECT { MATCH (a)-[:SUCCEEDED_BY]->(s:Agency) RETURN s.id ORDER BY s.id }) AS succeeded_by,
       a.agency_type AS agency_type,
       a.level AS level,
       jurisdiction,
       COUNT { (a)<-[:LEAD_AGENCY]-(:Task) } AS tasks_led,
       COUNT { (a)<-[:SUPPORTING_AGENCY]-(:Task) } AS tasks_supported,
       COUNT { (a)<-[:ISSUED_BY]-(:Policy) } AS policies_issued
ORDER BY agency_id
