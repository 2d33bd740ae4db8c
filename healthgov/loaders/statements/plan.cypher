// What a batch must know before it writes: the Policies its ids, document numbers and title
// keys reach (its own documents and every policy one of its citations can resolve to), each
// with its jurisdiction (a title matches only within one) and its outgoing relationships but
// the jurisdiction (a placeholder has none: one that has is replaced, not upgraded).

// name: known_policies
UNWIND $ids AS x MATCH (c:{{Policy}}) WHERE c.id = x
RETURN c.id AS id, c.{{loaded}} AS loaded, c.{{docNumber}} AS doc_number, c.title_key AS title_key,
       COUNT { (c)-->() } - COUNT { (c)-[:{{hasJurisdiction}}]->() } AS out,
       head([(c)-[:{{hasJurisdiction}}]->(j:{{Jurisdiction}}) | j.id]) AS jurisdiction
UNION
UNWIND $doc_numbers AS x MATCH (c:{{Policy}}) WHERE c.{{docNumber}} = x
RETURN c.id AS id, c.{{loaded}} AS loaded, c.{{docNumber}} AS doc_number, c.title_key AS title_key,
       COUNT { (c)-->() } - COUNT { (c)-[:{{hasJurisdiction}}]->() } AS out,
       head([(c)-[:{{hasJurisdiction}}]->(j:{{Jurisdiction}}) | j.id]) AS jurisdiction
UNION
UNWIND $title_keys AS x MATCH (c:{{Policy}}) WHERE c.title_key = x
RETURN c.id AS id, c.{{loaded}} AS loaded, c.{{docNumber}} AS doc_number, c.title_key AS title_key,
       COUNT { (c)-->() } - COUNT { (c)-[:{{hasJurisdiction}}]->() } AS out,
       head([(c)-[:{{hasJurisdiction}}]->(j:{{Jurisdiction}}) | j.id]) AS jurisdiction
