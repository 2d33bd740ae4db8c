// name: jurisdictions
// description: The jurisdictions in the graph with their level, parent and how many policies and agencies they hold.
// @param level: enum(nation,province,city,county,township,village) = null | Only this administrative level
// columns: jurisdiction, level, parent, policies, agencies
MATCH (j:Jurisdiction)
WHERE $level IS NULL OR j.level = $level
RETURN j.name AS jurisdiction,
       j.level AS level,
       coalesce(j.parent, head([(j)-[:PART_OF_JURISDICTION]->(q:Jurisdiction) | q.name])) AS parent,
       COUNT { (j)<-[:HAS_JURISDICTION]-(:Policy) } AS policies,
       COUNT { (j)<-[:HAS_JURISDICTION]-(:Agency) } AS agencies
ORDER BY jurisdiction
