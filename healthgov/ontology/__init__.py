"""The healthgov ontology (OWL, Turtle), its SKOS vocabularies and SHACL shapes."""
