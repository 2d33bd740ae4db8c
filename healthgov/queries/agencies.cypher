// name: agencies
// description: The agencies named in the documents, with their type, level and how many tasks they lead and support.
// @param jurisdiction: list[zh] = [] | Jurisdictions the agencies are keyed under (empty: all)
// @param agency_type: concept(agency-type) = null | Agency type: id, Chinese or English label
// columns: agency_id, agency, agency_type, level, jurisdiction, tasks_led, tasks_supported, policies_issued
// An agency is keyed by its simplified name and its jurisdiction (the same words in two cities
// are two bodies); agency_id is that key.
MATCH (a:Agency)
WHERE $agency_type IS NULL OR a.agency_type = $agency_type
WITH a, coalesce(a.jurisdiction, split(a.id, '/')[0]) AS jurisdiction
WHERE size($jurisdiction) = 0 OR jurisdiction IN $jurisdiction
RETURN a.id AS agency_id,
       a.name AS agency,
       a.agency_type AS agency_type,
       a.level AS level,
       jurisdiction,
       COUNT { (a)<-[:LEAD_AGENCY]-(:Task) } AS tasks_led,
       COUNT { (a)<-[:SUPPORTING_AGENCY]-(:Task) } AS tasks_supported,
       COUNT { (a)<-[:ISSUED_BY]-(:Policy) } AS policies_issued
ORDER BY agency_id
