// The concept schemes as nodes: one statement per scheme ({{scheme_class}}: its concepts' label).

// name: concepts
UNWIND $rows AS row MERGE (c:{{scheme_class}} {id: row.id}) SET c = row

// name: serves_tier
UNWIND $rows AS row MATCH (i:{{InstitutionType}} {id: row.src})
MERGE (t:{{Tier}} {id: row.dst}) MERGE (i)-[:{{servesTier}}]->(t)
