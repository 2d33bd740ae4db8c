// name: policy-summary
// description: One policy at a glance: metadata, jurisdiction, counts, lead agencies, topics and its links to other policies.
// @param policy: str | Policy id, document number (渝府办发〔2023〕76号) or exact title
// columns: policy_id, title, doc_number, doc_number_raw, issued_on, published_on, jurisdiction, level, loaded, source_path, issuers, sections, tasks, targets, lead_agencies, topics, implements, implemented_by, cites, cited_by
// lead_agencies and topics: "name:count", most tasks first. implements ... cited_by: the linked
// policies as {id, title, doc_number, loaded}; cites and cited_by include the implements links.
MATCH (p:Policy)
WHERE p.id = $policy OR p.doc_number = $policy OR p.doc_number_raw = $policy OR p.title = $policy
OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
CALL (p) {
  OPTIONAL MATCH (p)-[:HAS_TASK]->(:Task)-[:LEAD_AGENCY]->(a:Agency)
  WITH a.name AS agency, count(a) AS n
  WHERE agency IS NOT NULL
  WITH agency, n ORDER BY n DESC, agency
  RETURN collect(agency + ':' + toString(n)) AS lead_agencies
}
CALL (p) {
  OPTIONAL MATCH (p)-[:HAS_TASK]->(:Task)-[:HAS_TOPIC]->(tp:Topic)
  WITH tp.id AS topic, count(tp) AS n
  WHERE topic IS NOT NULL
  WITH topic, n ORDER BY n DESC, topic
  RETURN collect(topic + ':' + toString(n)) AS topics
}
CALL (p) {
  OPTIONAL MATCH (p)-[:HAS_TASK]->(:Task)-[:HAS_TARGET]->(g1:Target)
  WITH p, collect(DISTINCT g1) AS by_task
  OPTIONAL MATCH (p)-[:HAS_TARGET]->(g2:Target)
  WITH by_task, collect(DISTINCT g2) AS direct
  RETURN size(by_task) + size([g IN direct WHERE NOT g IN by_task]) AS targets
}
RETURN p.id AS policy_id,
       p.title AS title,
       p.doc_number AS doc_number,
       p.doc_number_raw AS doc_number_raw,
       p.issued_on AS issued_on,
       p.published_on AS published_on,
       j.name AS jurisdiction,
       j.level AS level,
       coalesce(p.loaded, true) AS loaded,
       p.source_path AS source_path,
       [(p)-[:ISSUED_BY]->(a:Agency) | a.name] AS issuers,
       COUNT { (p)-[:HAS_SECTION]->(:Section) } AS sections,
       COUNT { (p)-[:HAS_TASK]->(:Task) } AS tasks,
       targets,
       lead_agencies,
       topics,
       [(p)-[:IMPLEMENTS]->(q:Policy) | q {.id, .title, .doc_number, loaded: coalesce(q.loaded, true)}] AS implements,
       [(p)<-[:IMPLEMENTS]-(q:Policy) | q {.id, .title, .doc_number, loaded: coalesce(q.loaded, true)}] AS implemented_by,
       [(p)-[:CITES|IMPLEMENTS]->(q:Policy) | q {.id, .title, .doc_number, loaded: coalesce(q.loaded, true)}] AS cites,
       [(p)<-[:CITES|IMPLEMENTS]-(q:Policy) | q {.id, .title, .doc_number, loaded: coalesce(q.loaded, true)}] AS cited_by
ORDER BY policy_id
