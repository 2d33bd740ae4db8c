"""The graph store: the bundled engine, the Bolt connection, the schema derived from the ontology, exports."""
