// name: search
// description: Tasks whose text contains a phrase, typed in simplified or traditional characters.
// @param phrase: zh | The phrase to find (e.g. 医疗服务价格 or 醫療服務價格)
// @param jurisdiction: list[zh] = [] | Jurisdictions of the policies (empty: all)
// columns: jurisdiction, policy_id, policy_title, doc_number, task_id, task_number, task_title, text
// Matching is on the task text converted to simplified (text_simplified) and on the text as
// written, so either script finds tasks of documents in either script.
MATCH (p:Policy)-[:HAS_TASK]->(t:Task)
WHERE coalesce(t.text_simplified, t.text) CONTAINS $phrase OR t.text CONTAINS $phrase_raw
OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
WITH p, t, j
WHERE size($jurisdiction) = 0 OR j.name IN $jurisdiction
RETURN j.name AS jurisdiction,
       p.id AS policy_id,
       p.title AS policy_title,
       p.doc_number AS doc_number,
       t.id AS task_id,
       t.number AS task_number,
       t.title AS task_title,
       t.text AS text
ORDER BY jurisdiction, policy_id, coalesce(t.order, toInteger(substring(t.id, size(p.id) + 2)))
