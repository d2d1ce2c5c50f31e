"""Moved to kg/shared/vocab.py (resolution across articles mints IRIs too); the graph's
modules and the tests keep importing it from here."""

from kg.shared.vocab import ITSRDF, KGO, KGR, NIF, ORG, PREFIXES, PROV, SCHEMA, SHARED_GRAPH, article_iri, digest, graph_iri, iri  # noqa: F401
