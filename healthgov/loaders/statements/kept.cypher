// The answers the graph keeps for its filter-free questions (healthgov.queries.kept) are of one
// place each: a write forgets those of every place whose answers it may change, in its own
// transaction, so a kept answer never describes a graph that is gone.

// name: policy_place
MATCH (p:{{Policy}} {id: $id})-[:{{hasJurisdiction}}]->(j:{{Jurisdiction}}) RETURN j.name AS name

// name: agency_state
// What of an agency the kept answers show besides its tasks: its name, type and class.
UNWIND $ids AS aid
MATCH (a:{{Agency}} {id: aid})
RETURN a.id AS id, a.{{name}} AS name, a.agency_type AS agency_type, a.{{collective}} AS collective

// name: places_naming
// The places whose documents give these agencies a task.
UNWIND $ids AS aid
MATCH (a:{{Agency}} {id: aid})<-[:{{leadAgency}}|{{supportingAgency}}]-(:{{Task}})<-[:{{hasTask}}]-(p:{{Policy}})
MATCH (p)-[:{{hasJurisdiction}}]->(j:{{Jurisdiction}})
RETURN DISTINCT j.name AS name

// name: forget_kept
UNWIND $names AS name
MATCH (k:HealthgovKept {jurisdiction: name})
DETACH DELETE k
