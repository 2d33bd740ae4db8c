// The answers the graph keeps for its filter-free questions (healthgov.queries.kept) are of one
// place each: a write forgets those of every part whose answers it may
// change, in its own transaction, so a kept answer never describes a graph that is gone.

// name: policy_place
MATCH (p:{{Policy}} {id: $id})-[:{{hasJurisdiction}}]->(j:{{Jurisdiction}}) RETURN j.name AS name

// name: agency_state
// What of an agency the kept answers show besides its tasks: its name, type, class and level.
UNWIND $ids AS aid
MATCH (a:{{Agency}} {id: aid})
RETURN a.id AS id, a.{{name}} AS name, a.agency_type AS agency_type, a.{{collective}} AS collective, a.level AS level

// name: place_state
// What of a place the kept answers show besides its documents: its level.
UNWIND $ids AS jid
MATCH (j:{{Jurisdiction}} {id: jid})
RETURN j.id AS id, j.name AS name, j.level AS level

// name: places_naming
// The places whose documents give these agencies a task.
UNWIND $ids AS aid
MATCH (a:{{Agency}} {id: aid})<-[:{{leadAgency}}|{{supportingAgency}}]-(:{{Task}})<-[:{{hasTask}}]-(p:{{Policy}})
MATCH (p)-[:{{hasJurisdiction}}]->(j:{{Jurisdiction}})
RETURN DISTINCT j.name AS name

// name: forget_kept
UNWIND $parts AS part
MATCH (k:HealthgovKept {part: part})
DETACH DELETE k
