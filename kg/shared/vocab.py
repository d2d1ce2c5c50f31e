"""Namespaces and the deterministic IRIs of everything we describe.

An IRI is a hash of what identifies the thing (type and name; an event's name and date; an
article's id), so building the same input twice gives the same graph.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from rdflib import Namespace, URIRef

KGO = Namespace("https://w3id.org/kg-news/ontology#")
KGR = Namespace("https://w3id.org/kg-news/id/")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")

PREFIXES = {"kgo": KGO, "kgr": KGR, "schema": SCHEMA, "prov": PROV, "org": ORG, "nif": NIF, "itsrdf": ITSRDF}


# Entities, posts and extractors: described once for all articles (see graph/rdf.py).
SHARED_GRAPH = KGR["graph/entities"]


def digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


def kind_prefix(kind: str) -> str:
    """What the IRIs of one kind (person, event, …) begin with."""
    return f"{KGR}{kind}/"


def iri_text(kind: str, *parts: str) -> str:
    return kind_prefix(kind) + digest(*parts)


def iri(kind: str, *parts: str) -> URIRef:
    return URIRef(iri_text(kind, *parts))


def _segment(article_id: str) -> str:
    quoted = quote(article_id, safe="")
    return quoted.replace(".", "%2E") if quoted.strip(".") == "" else quoted  # never a "." or ".." segment


def article_iri(article_id: str):
    return KGR[f"article/{_segment(article_id)}"]


def graph_iri(article_id: str):
    """An article's graph: in a space of its own (``graph/article/…``, the id quoted, ``/``
    too), so that no article id (``entities``, ``../entities``) names a graph kg keeps itself."""
    return KGR[f"graph/article/{_segment(article_id)}"]
