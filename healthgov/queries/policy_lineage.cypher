// name: policy-lineage
// description: What a policy implements and what implements it, transitively, with the jurisdiction levels on the way.
// @param policy: str | Policy id, document number (渝府办发〔2023〕76号) or exact title
// @param direction: enum(up,down,both) = both | up: the policies it implements; down: those implementing it
// @param relation: enum(implements,cites) = implements | implements: IMPLEMENTS links only; cites: any citation (IMPLEMENTS is a kind of CITES)
// @param depth: int[1..8] = 8 | Longest chain followed
// columns: direction, distance, policy_id, title, doc_number, jurisdiction, level, loaded, chain, chain_levels, relations
// One row per policy reached, by its shortest chain. chain: policy ids from the start;
// chain_levels: the administrative level of each (null for placeholders known only from a
// citation); loaded=false marks such placeholders.
MATCH (s:Policy)
WHERE s.id = $policy OR s.doc_number = $policy OR s.doc_number_raw = $policy OR s.title = $policy
MATCH path = (s)-[:IMPLEMENTS|CITES*1..8]->(o:Policy)
WHERE $direction IN ['up', 'both'] AND length(path) <= $depth AND o <> s
  AND ($relation = 'cites' OR all(r IN relationships(path) WHERE type(r) = 'IMPLEMENTS'))
WITH 'up' AS direction, o, path
ORDER BY length(path)
WITH direction, o, collect(path)[0] AS path
RETURN direction, length(path) AS distance, o.id AS policy_id, o.title AS title, o.doc_number AS doc_number,
       head([(o)-[:HAS_JURISDICTION]->(j:Jurisdiction) | j.name]) AS jurisdiction,
       head([(o)-[:HAS_JURISDICTION]->(j:Jurisdiction) | j.level]) AS level,
       coalesce(o.loaded, true) AS loaded,
       [n IN nodes(path) | n.id] AS chain,
       [n IN nodes(path) | head([(n)-[:HAS_JURISDICTION]->(j:Jurisdiction) | j.level])] AS chain_levels,
       [r IN relationships(path) | type(r)] AS relations
ORDER BY distance, policy_id
UNION ALL
MATCH (s:Policy)
WHERE s.id = $policy OR s.doc_number = $policy OR s.doc_number_raw = $policy OR s.title = $policy
MATCH path = (s)<-[:IMPLEMENTS|CITES*1..8]-(o:Policy)
WHERE $direction IN ['down', 'both'] AND length(path) <= $depth AND o <> s
  AND ($relation = 'cites' OR all(r IN relationships(path) WHERE type(r) = 'IMPLEMENTS'))
WITH 'down' AS direction, o, path
ORDER BY length(path)
WITH direction, o, collect(path)[0] AS path
RETURN direction, length(path) AS distance, o.id AS policy_id, o.title AS title, o.doc_number AS doc_number,
       head([(o)-[:HAS_JURISDICTION]->(j:Jurisdiction) | j.name]) AS jurisdiction,
       head([(o)-[:HAS_JURISDICTION]->(j:Jurisdiction) | j.level]) AS level,
       coalesce(o.loaded, true) AS loaded,
       [n IN nodes(path) | n.id] AS chain,
       [n IN nodes(path) | head([(n)-[:HAS_JURISDICTION]->(j:Jurisdiction) | j.level])] AS chain_levels,
       [r IN relationships(path) | type(r)] AS relations
ORDER BY distance, policy_id
