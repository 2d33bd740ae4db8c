// A document already in the graph is replaced as a whole: what it pointed at is read first,
// everything it owns is deleted, and what it alone kept alive is deleted at the end.
// A placeholder made from a title-only citation of it has another id: folded into it.

// name: prior_agencies
MATCH (p:{{Policy}} {id: $id})-[:{{issuedBy}}]->(a:{{Agency}}) RETURN a.id AS id
UNION
MATCH (p:{{Policy}} {id: $id})-[:{{hasTask}}]->(:{{Task}})-[:{{leadAgency}}|{{supportingAgency}}]->(a:{{Agency}})
RETURN a.id AS id

// name: prior_cited
MATCH (p:{{Policy}} {id: $id})-[:{{cites}}|{{implements}}]->(c:{{Policy}}) RETURN DISTINCT c.id AS id

// name: delete_task_targets
MATCH (p:{{Policy}} {id: $id})-[:{{hasTask}}]->(:{{Task}})-[:{{hasTarget}}]->(g:{{Target}}) DETACH DELETE g

// name: delete_policy_targets
MATCH (p:{{Policy}} {id: $id})-[:{{hasTarget}}]->(g:{{Target}}) DETACH DELETE g

// name: delete_obligations
MATCH (p:{{Policy}} {id: $id})-[:{{hasTask}}]->(:{{Task}})-[:{{hasObligation}}]->(o:{{Obligation}}) DETACH DELETE o

// name: delete_tasks
MATCH (p:{{Policy}} {id: $id})-[:{{hasTask}}]->(t:{{Task}}) DETACH DELETE t

// name: delete_sections
MATCH (p:{{Policy}} {id: $id})-[:{{hasSection}}]->(x:{{Section}}) DETACH DELETE x

// name: delete_outgoing
MATCH (p:{{Policy}} {id: $id})-[r]->() DELETE r

// name: stale_placeholders
// By number, or by title key when neither the numbers nor the jurisdictions tell them apart
// (healthgov.loaders.batch.key_match, docs/DESIGN.md "Cited documents").
MATCH (old:{{Policy}})
WHERE old.id <> $id AND old.{{loaded}} = false
  AND ((old.{{docNumber}} IS NOT NULL AND old.{{docNumber}} = $doc_number)
       OR (old.title_key IS NOT NULL AND old.title_key = $title_key
           AND (old.{{docNumber}} IS NULL OR $doc_number IS NULL)
           AND ($jurisdiction IS NULL
                OR NOT EXISTS { MATCH (old)-[:{{hasJurisdiction}}]->(j:{{Jurisdiction}}) WHERE j.id <> $jurisdiction })))
RETURN old.id AS id ORDER BY id

// name: move_cites
MATCH (old:{{Policy}} {id: $old})<-[r:{{cites}}]-(src:{{Policy}})
MATCH (p:{{Policy}} {id: $id})
MERGE (src)-[n:{{cites}}]->(p) SET n += properties(r) DELETE r

// name: move_implements
MATCH (old:{{Policy}} {id: $old})<-[r:{{implements}}]-(src:{{Policy}})
MATCH (p:{{Policy}} {id: $id})
MERGE (src)-[n:{{implements}}]->(p) SET n += properties(r) DELETE r

// name: drop_placeholder
MATCH (old:{{Policy}} {id: $old}) DETACH DELETE old

// name: orphan_agencies
UNWIND $ids AS aid
MATCH (a:{{Agency}} {id: aid})
WHERE NOT EXISTS { MATCH (a)<-[:{{issuedBy}}|{{leadAgency}}|{{supportingAgency}}]-() }
DETACH DELETE a

// name: agency_mentions
// Every mention that remains of the agencies a replaced document named (its relationships are
// gone by now, the new version's are written): their names are recomputed from these.
UNWIND $ids AS aid
MATCH (a:{{Agency}} {id: aid})<-[r:{{issuedBy}}|{{leadAgency}}|{{supportingAgency}}]-()
RETURN a.id AS id, a.jurisdiction AS jurisdiction, r.{{name}} AS name, r.{{nameForm}} AS name_form

// name: agency_names
UNWIND $rows AS row MATCH (a:{{Agency}} {id: row.id})
SET a.{{name}} = row.name, a.name_rank = row.name_rank, a.aliases = row.aliases

// name: orphan_placeholders
UNWIND $ids AS cid
MATCH (c:{{Policy}} {id: cid})
WHERE c.{{loaded}} = false AND NOT EXISTS { MATCH (c)<--() }
DETACH DELETE c
