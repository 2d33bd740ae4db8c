// Reads outside any write transaction: which documents are loaded, and with which content.
// {{Term}} is an ontology term, filled in from the schema (healthgov/loaders/cypher.py).

// name: loaded_versions
UNWIND $ids AS pid
MATCH (p:{{Policy}} {id: pid}) WHERE p.{{loaded}} = true
RETURN p.id AS id, p.{{sha256}} AS sha256

// name: loaded_hashes
MATCH (p:{{Policy}}) WHERE p.{{loaded}} = true
RETURN p.{{sha256}} AS sha256

// name: by_content
MATCH (p:{{Policy}}) WHERE p.{{sha256}} = $sha256 AND p.{{loaded}} = true
RETURN p.id AS id LIMIT 1

// name: plans_with_annexes
MATCH (p:{{Policy}}) WHERE p.{{loaded}} = true AND p.{{annexTitle}} IS NOT NULL
OPTIONAL MATCH (p)-[:{{hasJurisdiction}}]->(j:{{Jurisdiction}})
OPTIONAL MATCH (j)-[:{{partOfJurisdiction}}]->(q:{{Jurisdiction}})
RETURN p.id AS id, p.{{annexTitle}} AS annexes, p.{{sourcePath}} AS source,
       j.name AS jurisdiction, j.level AS level, q.name AS parent

// name: stored_annexes
MATCH (a:{{Policy}}) WHERE a.{{loaded}} = true AND a.{{annexLabel}} IS NOT NULL
OPTIONAL MATCH (a)-[:{{hasJurisdiction}}]->(j:{{Jurisdiction}})
OPTIONAL MATCH (a)-[:{{isAnnexOf}}]->(p:{{Policy}})
RETURN a.id AS id, a.{{title}} AS title, a.{{annexLabel}} AS label, a.{{sourcePath}} AS source,
       j.name AS jurisdiction, p.id AS plan
