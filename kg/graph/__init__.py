"""Graph: extractions become RDF (one named graph per article) in a store behind one interface."""
