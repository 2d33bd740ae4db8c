"""Loading records into a property graph over Bolt (bundled ArcadeDB or Neo4j 5)."""
