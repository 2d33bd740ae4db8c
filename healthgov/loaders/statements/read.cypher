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
