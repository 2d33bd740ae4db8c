// What a batch must know before it writes: the Policies its ids, document numbers and title
// keys reach (its own documents and every policy one of its citations can resolve to).

// name: known_policies
UNWIND $ids AS x MATCH (c:{{Policy}}) WHERE c.id = x
RETURN c.id AS id, c.{{loaded}} AS loaded, c.{{docNumber}} AS doc_number, c.title_key AS title_key,
       COUNT { (c)-->() } AS out
UNION
UNWIND $doc_numbers AS x MATCH (c:{{Policy}}) WHERE c.{{docNumber}} = x
RETURN c.id AS id, c.{{loaded}} AS loaded, c.{{docNumber}} AS doc_number, c.title_key AS title_key,
       COUNT { (c)-->() } AS out
UNION
UNWIND $title_keys AS x MATCH (c:{{Policy}}) WHERE c.title_key = x
RETURN c.id AS id, c.{{loaded}} AS loaded, c.{{docNumber}} AS doc_number, c.title_key AS title_key,
       COUNT { (c)-->() } AS out
