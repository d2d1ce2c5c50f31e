"""The vocabulary of the graph's modules: the namespaces and IRIs of kg/shared/vocab.py (where
resolution across articles mints IRIs too), and the same as pyoxigraph terms for the code that
writes graphs (``Terms``, ``node``): an article's graph is built of them and serialised by
pyoxigraph, whose terms hash and serialise in Rust (with rdflib's terms and serialiser the
graph of an article took a tenth of a worker's time)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, SKOS, XSD
from rdflib.namespace import TIME

from kg.shared.vocab import (  # noqa: F401
    ITSRDF,
    KGO,
    KGR,
    NIF,
    ORG,
    PREFIXES,
    PROV,
    SCHEMA,
    SHARED_GRAPH,
    article_iri,
    digest,
    graph_iri,
    iri,
    iri_text,
)


class Terms:
    """A namespace's terms as pyoxigraph nodes, each made once: ``SCHEMA_.name``, ``KGO_["host"]``
    (a W3C namespace knows its terms: ``RDF_.tpye`` fails, as rdflib's ``RDF.tpye`` does)."""

    def __init__(self, namespace):
        self._namespace, self._made = namespace, {}

    def __getitem__(self, name: str) -> ox.NamedNode:
        term = self._made.get(name)
        if term is None:
            term = self._made[name] = ox.NamedNode(str(self._namespace[name]))
        return term

    def __getattr__(self, name: str) -> ox.NamedNode:  # once a name: then an attribute
        if name.startswith("_"):
            raise AttributeError(name)
        setattr(self, name, self[name])
        return self[name]


# the day a membership was seen, at the precision its article is dated (kg/graph/rdf.py writes
# time:inXSDDate, inXSDgYearMonth or inXSDgYear), as text so that 2024-03 sorts before 2024-03-05:
# SPARQL that binds ?day from ?m (ontology/queries/posts.rq says the same)
SEEN_DAY = "?m org:memberDuring/time:hasBeginning/(time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?when BIND(STR(?when) AS ?day)"

RDF_, RDFS_, XSD_, SKOS_, TIME_, OWL_ = (Terms(ns) for ns in (RDF, RDFS, XSD, SKOS, TIME, OWL))
KGO_, SCHEMA_, PROV_, ORG_, NIF_, ITSRDF_ = (Terms(ns) for ns in (KGO, SCHEMA, PROV, ORG, NIF, ITSRDF))


def node(kind: str, *parts: str) -> ox.NamedNode:
    """``iri(kind, *parts)`` as a pyoxigraph node."""
    return ox.NamedNode(iri_text(kind, *parts))
