// The rows of a batch of documents, each statement one UNWIND over the rows of all of them
// (sent 500 rows at a time). Every row names its policy (row.policy) where it needs one.

// name: policies
UNWIND $rows AS row MERGE (p:{{Policy}} {id: row.id}) SET p = row.props

// name: jurisdictions
UNWIND $rows AS row MERGE (j:{{Jurisdiction}} {id: row.id})
SET j.name = row.name, j.level = coalesce(row.level, j.level)

// name: jurisdiction_levels
UNWIND $rows AS row MATCH (j:{{Jurisdiction}} {id: row.id})
MERGE (l:{{AdministrativeLevel}} {id: row.level}) MERGE (j)-[:{{administrativeLevel}}]->(l)

// name: jurisdiction_parents
UNWIND $rows AS row MATCH (j:{{Jurisdiction}} {id: row.id})
MERGE (q:{{Jurisdiction}} {id: row.parent}) ON CREATE SET q.name = row.parent
MERGE (j)-[:{{partOfJurisdiction}}]->(q)

// name: policy_jurisdictions
UNWIND $rows AS row MATCH (p:{{Policy}} {id: row.policy}) MATCH (j:{{Jurisdiction}} {id: row.j})
CREATE (p)-[:{{hasJurisdiction}}]->(j)

// name: sections
UNWIND $rows AS row MATCH (p:{{Policy}} {id: row.policy})
CREATE (p)-[:{{hasSection}}]->(x:{{Section}}) SET x = row.props

// name: subsections
UNWIND $rows AS row WITH row WHERE row.parent IS NOT NULL
MATCH (c:{{Section}} {id: row.props.id}) MATCH (q:{{Section}} {id: row.parent})
CREATE (c)-[:{{subsectionOf}}]->(q)

// name: tasks
UNWIND $rows AS row MATCH (p:{{Policy}} {id: row.policy})
CREATE (p)-[:{{hasTask}}]->(t:{{Task}}) SET t = row.props

// name: task_sections
UNWIND $rows AS row WITH row WHERE row.section IS NOT NULL
MATCH (t:{{Task}} {id: row.props.id}) MATCH (x:{{Section}} {id: row.section})
CREATE (t)-[:{{inSection}}]->(x)

// name: agencies
// One row per id (the batch folds its documents' mentions first). A node several documents name
// keeps the best-ranked name (the smallest name_rank, healthgov.ids.agency_name_rank) and every
// alias, sorted (an insertion sort: no APOC), whatever the order documents are loaded in.
UNWIND $rows AS row MERGE (a:{{Agency}} {id: row.id}) ON CREATE SET a = row
WITH a, row, coalesce(row.name_rank < a.name_rank, false) AS better,
     [x IN coalesce(a.aliases, []) WHERE NOT x IN row.aliases] + row.aliases AS names
SET a.{{name}} = CASE WHEN better THEN row.{{name}} ELSE a.{{name}} END,
    a.name_rank = CASE WHEN better THEN row.name_rank ELSE a.name_rank END,
    a.aliases = reduce(acc = [], x IN names | [y IN acc WHERE y < x] + [x] + [y IN acc WHERE y >= x]),
    a.agency_type = coalesce(a.agency_type, row.agency_type), a.level = coalesce(a.level, row.level),
    a.jurisdiction = coalesce(a.jurisdiction, row.jurisdiction)

// name: agency_types
UNWIND $rows AS row MATCH (a:{{Agency}} {id: row.id})
MERGE (t:{{AgencyType}} {id: row.agency_type}) MERGE (a)-[:{{agencyType}}]->(t)

// name: agency_levels
UNWIND $rows AS row MATCH (a:{{Agency}} {id: row.id})
MERGE (l:{{AdministrativeLevel}} {id: row.level}) MERGE (a)-[:{{administrativeLevel}}]->(l)

// name: agency_jurisdictions
UNWIND $rows AS row MATCH (a:{{Agency}} {id: row.id})
MATCH (j:{{Jurisdiction}} {id: row.jurisdiction}) MERGE (a)-[:{{hasJurisdiction}}]->(j)

// name: successors
// A body named by a predecessor's name (国家卫生计生委) and the body of the same type and
// jurisdiction named by its current name (国家卫生健康委): linked, never merged. Run for every
// (jurisdiction, type) a batch names either of, so the link appears whichever is loaded first.
UNWIND $rows AS row
MATCH (f:{{Agency}} {jurisdiction: row.jurisdiction, agency_type: row.agency_type, {{nameForm}}: 'former'})
MATCH (c:{{Agency}} {jurisdiction: row.jurisdiction, agency_type: row.agency_type, {{nameForm}}: 'current'})
MERGE (f)-[:{{succeededBy}}]->(c)

// name: issuers
UNWIND $rows AS row MATCH (p:{{Policy}} {id: row.policy}) MATCH (a:{{Agency}} {id: row.agency})
CREATE (p)-[r:{{issuedBy}}]->(a) SET r = row.props

// name: lead_agencies
UNWIND $rows AS row MATCH (t:{{Task}} {id: row.task}) MATCH (a:{{Agency}} {id: row.agency})
CREATE (t)-[r:{{leadAgency}}]->(a) SET r = row.props

// name: supporting_agencies
UNWIND $rows AS row MATCH (t:{{Task}} {id: row.task}) MATCH (a:{{Agency}} {id: row.agency})
CREATE (t)-[r:{{supportingAgency}}]->(a) SET r = row.props

// name: institution_type_tags
UNWIND $rows AS row MATCH (t:{{Task}} {id: row.task})
MERGE (c:{{InstitutionType}} {id: row.concept}) CREATE (t)-[:{{concernsInstitution}}]->(c)

// name: tier_tags
UNWIND $rows AS row MATCH (t:{{Task}} {id: row.task})
MERGE (c:{{Tier}} {id: row.concept}) CREATE (t)-[:{{atTier}}]->(c)

// name: topic_tags
UNWIND $rows AS row MATCH (t:{{Task}} {id: row.task})
MERGE (c:{{Topic}} {id: row.concept}) CREATE (t)-[:{{hasTopic}}]->(c)

// name: task_targets
UNWIND $rows AS row MATCH (t:{{Task}} {id: row.task})
CREATE (t)-[:{{hasTarget}}]->(g:{{Target}}) SET g = row.props

// name: obligations
// What a task obliges that is not an agency (定点医药机构, 学校, 用人单位 …): a node of its own,
// owned by the task like a target, typed by the institution-type vocabulary when it can be.
UNWIND $rows AS row MATCH (t:{{Task}} {id: row.task})
CREATE (t)-[:{{hasObligation}}]->(o:{{Obligation}}) SET o = row.props

// name: obligation_types
UNWIND $rows AS row WITH row WHERE row.institution_type IS NOT NULL
MATCH (o:{{Obligation}} {id: row.props.id})
MERGE (c:{{InstitutionType}} {id: row.institution_type}) CREATE (o)-[:{{institutionType}}]->(c)

// name: policy_targets
UNWIND $rows AS row MATCH (p:{{Policy}} {id: row.policy})
CREATE (p)-[:{{hasTarget}}]->(g:{{Target}}) SET g = row.props

// name: measures
UNWIND $rows AS row WITH row WHERE row.indicator IS NOT NULL
MATCH (g:{{Target}} {id: row.props.id})
MERGE (i:{{Indicator}} {id: row.indicator}) CREATE (g)-[:{{measures}}]->(i)

// name: placeholders
UNWIND $rows AS row MERGE (c:{{Policy}} {id: row.id}) ON CREATE SET c = row

// name: placeholder_jurisdictions
// The jurisdiction a placeholder's number or title names (healthgov.extract.citations).
UNWIND $rows AS row MATCH (c:{{Policy}} {id: row.id}) WHERE c.{{loaded}} = false
MATCH (j:{{Jurisdiction}} {id: row.j}) MERGE (c)-[:{{hasJurisdiction}}]->(j)

// name: placeholder_unplace
UNWIND $rows AS pid MATCH (c:{{Policy}} {id: pid})-[r:{{hasJurisdiction}}]->() WHERE c.{{loaded}} = false
DELETE r

// name: cites
UNWIND $rows AS row MATCH (p:{{Policy}} {id: row.policy}) MATCH (c:{{Policy}} {id: row.target})
CREATE (p)-[r:{{cites}}]->(c) SET r = row.props

// name: implements
UNWIND $rows AS row MATCH (p:{{Policy}} {id: row.policy}) MATCH (c:{{Policy}} {id: row.target})
CREATE (p)-[r:{{implements}}]->(c) SET r = row.props

// name: annex_of
UNWIND $rows AS row MATCH (a:{{Policy}} {id: row.policy}) MATCH (p:{{Policy}} {id: row.target})
MERGE (a)-[:{{isAnnexOf}}]->(p)
