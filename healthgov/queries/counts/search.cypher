// The number of rows search gives for the same parameters: one per matching task (each task is
// one policy's), counted where the tasks are found, without the join and sort of the rows.
CALL () {
  MATCH (j:Jurisdiction)
  WHERE j.name IN $jurisdiction
  MATCH (j)<-[:HAS_JURISDICTION]-(p:Policy)
  MATCH (p)-[:HAS_TASK]->(t:Task)
  WHERE coalesce(t.text_simplified, t.text) CONTAINS $phrase OR t.text CONTAINS $phrase_raw
  RETURN t
  UNION ALL
  UNWIND CASE WHEN size($jurisdiction) = 0 THEN [1] ELSE [] END AS one
  MATCH (t:Task)
  WHERE coalesce(t.text_simplified, t.text) CONTAINS $phrase OR t.text CONTAINS $phrase_raw
  RETURN t
}
RETURN count(t) AS total
