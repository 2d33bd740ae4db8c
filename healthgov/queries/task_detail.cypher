// name: task-detail
// description: One task with its evidence: text, the source span (offsets and the text they cut), responsibilities, targets and tags.
// @param task: str | Task id, e.g. p0123456789ab/t19
// columns: task_id, number, title, text, policy_id, policy_title, doc_number, jurisdiction, section_path, source_path, source_sha256, span_start, span_end, span_text, span_note, responsibilities, targets, topics, tiers, institution_types, obligations
// span_text is the evidence: text[span_start:span_end] of the source file as decoded by the
// extractor (original script), cut from the file by healthgov.queries.evidence (the graph keeps
// offsets, path and SHA-256, not the text); span_note says why when it cannot be given.
// responsibilities: leads first, each in the order the document lists them.
// obligations: the providers, schools, enterprises … the task obliges (定点医药机构应当…), in
// the order the text names them: duty-bearers of another kind, never agencies. Each keeps what
// the text writes, its institution type when the vocabulary knows it, and the sentence's span.
// The task is found by its id (unique index) first, then its policy.
MATCH (t:Task)
WHERE t.id = $task
MATCH (t)<-[:HAS_TASK]-(p:Policy)
OPTIONAL MATCH (p)-[:HAS_JURISDICTION]->(j:Jurisdiction)
OPTIONAL MATCH (t)-[r:LEAD_AGENCY|SUPPORTING_AGENCY]->(a:Agency)
WITH p, t, j, r, a
ORDER BY CASE type(r) WHEN 'LEAD_AGENCY' THEN 0 ELSE 1 END, r.order, a.name
WITH p, t, j,
     collect(CASE WHEN a IS NULL THEN NULL ELSE {
       agency: a.name, agency_type: a.agency_type, agency_level: a.level,
       role: CASE type(r) WHEN 'LEAD_AGENCY' THEN 'lead' ELSE 'support' END,
       basis: r.basis, implicit: coalesce(r.implicit, false), list_order: r.order,
       written_as: r.name
     } END) AS responsibilities
OPTIONAL MATCH (t)-[:HAS_TARGET]->(g:Target)
WITH p, t, j, responsibilities, g
ORDER BY g.id
WITH p, t, j, responsibilities,
     collect(CASE WHEN g IS NULL THEN NULL ELSE g {.id, .indicator_text, .comparator, .value, .value_max, .unit, .target_year, .deadline, .baseline, .nature, .target_kind, indicator: head([(g)-[:MEASURES]->(i:Indicator) | i.id])} END) AS targets
OPTIONAL MATCH (t)-[:HAS_OBLIGATION]->(o:Obligation)
OPTIONAL MATCH (o)-[:INSTITUTION_TYPE]->(it:InstitutionType)
WITH p, t, j, responsibilities, targets, o, it
ORDER BY o.order
WITH p, t, j, responsibilities, targets,
     collect(CASE WHEN o IS NULL THEN NULL ELSE {
       name: o.name, institution_type: it.id, institution_type_zh: it.pref_zh, list_order: o.order,
       span_start: o.span_start, span_end: o.span_end
     } END) AS obligations
RETURN t.id AS task_id,
       t.number AS number,
       t.title AS title,
       t.text AS text,
       p.id AS policy_id,
       p.title AS policy_title,
       p.doc_number AS doc_number,
       j.name AS jurisdiction,
       t.section_path AS section_path,
       t.source_path AS source_path,
       p.sha256 AS source_sha256,
       t.span_start AS span_start,
       t.span_end AS span_end,
       NULL AS span_text,
       NULL AS span_note,
       responsibilities,
       targets,
       [(t)-[:HAS_TOPIC]->(x:Topic) | x.id] AS topics,
       [(t)-[:AT_TIER]->(x:Tier) | x.id] AS tiers,
       [(t)-[:CONCERNS_INSTITUTION]->(x:InstitutionType) | x.id] AS institution_types,
       obligations
