// The number of rows who-leads gives for the same parameters (one per task, agency and role
// that pass the filters, and with institutions=true one per task and obliged institution),
// counted where they are matched: without the agency-type labels, the
// columns and the sort. tests/integration/test_chunked_queries.py checks it against the rows.
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
RETURN count(*) AS total
