// name: policies
// description: The policies in the graph, loaded documents and placeholders known only from citations.
// @param jurisdiction: list[zh] = [] | Jurisdictions (empty: all)
// @param level: enum(nation,province,city,county,township,village) = null | Administrative level of the jurisdiction
// @param loaded: bool = null | true: documents loaded; false: placeholders created from citations
// columns: policy_id, title, doc_number, issued_on, jurisdiction, level, loaded, tasks
// With a jurisdiction or level given, the policies are found from the Jurisdiction nodes (a few
// hundred) instead of reading every policy; the branches exclude each other (UNWIND of an empty
// list skips one).
// chunked: documents
// A page ($chunk: the ids of its policies, listed by id with the same filters;
// healthgov.queries.chunks) counts the tasks of those policies only, not of every policy.
CALL () {
  UNWIND $chunk AS chunk_id
  MATCH (p:Policy {id: chunk_id})
  WHERE $loaded IS NULL OR coalesce(p.loaded, true) = $loaded
  OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
  WITH p, j
  WHERE (size($jurisdiction) = 0 OR j.name IN $jurisdiction) AND ($level IS NULL OR j.level = $level)
  RETURN p, j
  UNION ALL
  UNWIND CASE WHEN size($chunk) = 0 AND (size($jurisdiction) > 0 OR $level IS NOT NULL) THEN [1] ELSE [] END AS one
  MATCH (j:Jurisdiction)
  WHERE (size($jurisdiction) = 0 OR j.name IN $jurisdiction) AND ($level IS NULL OR j.level = $level)
  MATCH (j)<-[:HAS_JURISDICTION]-(p:Policy)
  WHERE $loaded IS NULL OR coalesce(p.loaded, true) = $loaded
  RETURN p, j
  UNION ALL
  UNWIND CASE WHEN size($chunk) = 0 AND size($jurisdiction) = 0 AND $level IS NULL THEN [1] ELSE [] END AS one
  MATCH (p:Policy)
  WHERE $loaded IS NULL OR coalesce(p.loaded, true) = $loaded
  OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
  RETURN p, j
}
WITH p, j
RETURN p.id AS policy_id,
       p.title AS title,
       p.doc_number AS doc_number,
       p.issued_on AS issued_on,
       j.name AS jurisdiction,
       j.level AS level,
       coalesce(p.loaded, true) AS loaded,
       COUNT { (p)-[:HAS_TASK]->(:Task) } AS tasks
ORDER BY policy_id
