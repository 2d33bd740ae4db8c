// name: search
// description: Tasks whose text contains a phrase, typed in simplified or traditional characters.
// @param phrase: zh | The phrase to find (e.g. 医疗服务价格 or 醫療服務價格)
// @param jurisdiction: list[zh] = [] | Jurisdictions of the policies (empty: all)
// columns: jurisdiction, policy_id, policy_title, doc_number, task_id, task_number, task_title, text
// Matching is on the task text converted to simplified (text_simplified) and on the text as
// written, so either script finds tasks of documents in either script.
// With jurisdictions given, only their policies' tasks are read (found from the Jurisdiction
// nodes); with none, the tasks are scanned and only the matching ones' policies read (the
// branches exclude each other: UNWIND of an empty list skips one).
// chunked: policies
// A page reads a few policies' tasks at a time ($chunk: their ids, in row order;
// healthgov.queries.chunks) and takes its total from counts/search.cypher (the matching tasks
// counted, not joined and sorted).
CALL () {
  UNWIND $chunk AS chunk_id
  MATCH (p:Policy {id: chunk_id})
  MATCH (p)-[:HAS_TASK]->(t:Task)
  WHERE coalesce(t.text_simplified, t.text) CONTAINS $phrase OR t.text CONTAINS $phrase_raw
  OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
  RETURN p, t, j
  UNION ALL
  UNWIND CASE WHEN size($chunk) = 0 THEN [1] ELSE [] END AS one
  MATCH (j:Jurisdiction)
  WHERE j.name IN $jurisdiction
  MATCH (j)<-[:HAS_JURISDICTION]-(p:Policy)
  MATCH (p)-[:HAS_TASK]->(t:Task)
  WHERE coalesce(t.text_simplified, t.text) CONTAINS $phrase OR t.text CONTAINS $phrase_raw
  RETURN p, t, j
  UNION ALL
  UNWIND CASE WHEN size($chunk) = 0 AND size($jurisdiction) = 0 THEN [1] ELSE [] END AS one
  MATCH (t:Task)
  WHERE coalesce(t.text_simplified, t.text) CONTAINS $phrase OR t.text CONTAINS $phrase_raw
  MATCH (t)<-[:HAS_TASK]-(p:Policy)
  OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
  RETURN p, t, j
}
WITH p, t, j
RETURN j.name AS jurisdiction,
       p.id AS policy_id,
       p.title AS policy_title,
       p.doc_number AS doc_number,
       t.id AS task_id,
       t.number AS task_number,
       t.title AS task_title,
       t.text AS text
ORDER BY jurisdiction, policy_id, coalesce(t.order, toInteger(substring(t.id, size(p.id) + 2)))
