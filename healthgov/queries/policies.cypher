// name: policies
// description: The policies in the graph, loaded documents and placeholders known only from citations.
// @param jurisdiction: list[zh] = [] | Jurisdictions (empty: all)
// @param level: enum(nation,province,city,county,township,village) = null | Administrative level of the jurisdiction
// @param loaded: bool = null | true: documents loaded; false: placeholders created from citations
// columns: policy_id, title, doc_number, issued_on, jurisdiction, level, loaded, tasks
MATCH (p:Policy)
WHERE $loaded IS NULL OR coalesce(p.loaded, true) = $loaded
OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
WITH p, j
WHERE (size($jurisdiction) = 0 OR j.name IN $jurisdiction)
  AND ($level IS NULL OR j.level = $level)
RETURN p.id AS policy_id,
       p.title AS title,
       p.doc_number AS doc_number,
       p.issued_on AS issued_on,
       j.name AS jurisdiction,
       j.level AS level,
       coalesce(p.loaded, true) AS loaded,
       COUNT { (p)-[:HAS_TASK]->(:Task) } AS tasks
ORDER BY policy_id
