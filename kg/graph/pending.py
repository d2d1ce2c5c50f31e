"""The index of what changed since the last pass across articles, kept in the store.

The rules across articles (kg/resolve/across.py) decide persons by name (namesakes, from the
areas of their posts; references by surname and title, from the holders of posts) and events
by day, so an article can change only the decisions about the names of its persons who hold a
post or are references (a name printed without a post is never moved, nor moves anyone) and
about its events' days. Each article written into the store adds those keys to the graph
``kgr:graph/pending``, in the transaction that writes it (a replaced article the keys of its
old version too); the pass reads them, decides those names and days again, and removes them.
So its cost follows the articles added, not the store's size, and an interrupted pass is
redone from the same keys.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import RDF, Literal

from kg.graph.rdf import ntriples
from kg.graph.vocab import ITSRDF, KGO, KGR, ORG, SCHEMA

PENDING = KGR["graph/pending"]
_INDEX = KGR["index/pending"]  # the subject of every key
_NAME, _DAY = KGO.pendingName, KGO.pendingDay


def event_day(value: str) -> str:
    """The day of an event's ``schema:startDate`` (``1998-01-05``), or "" when no day is known."""
    return value[:10] if len(value) >= 10 and value[4] == "-" else ""


def entries(triples) -> bytes:
    """The keys of an article's triples (its person mentions' ``kgo:key``, its events'
    ``schema:startDate``), as N-Triples for the pending graph."""
    member, mention_type, points, a, reference, key, start = ORG.member, KGO.mentionType, ITSRDF.taIdentRef, RDF.type, KGO.Reference, KGO.key, SCHEMA.startDate
    members = {o for s, p, o in triples if p == member}
    persons = {s for s, p, o in triples if p == mention_type and str(o) == "person"}
    decidable = {s for s, p, o in triples if s in persons and ((p == points and o in members) or (p == a and o == reference))}
    found = {(_NAME, Literal(str(o))) for s, p, o in triples if p == key and s in decidable}
    found |= {(_DAY, o) for s, p, o in triples if p == start and event_day(str(o))}
    return ntriples(sorted((_INDEX, p, o) for p, o in found))


def old_entries(graph: ox.NamedNode) -> str:
    """The SPARQL update adding the keys of what ``graph`` holds now (before it is replaced)."""
    return (
        f"INSERT {{ GRAPH <{PENDING}> {{ <{_INDEX}> <{_NAME}> ?k }} }} WHERE {{ GRAPH {graph} {{ ?m <{KGO.mentionType}> \"person\" ; <{KGO.key}> ?k ;"
        f" <{ITSRDF.taIdentRef}> ?who {{ ?ms <{ORG.member}> ?who }} UNION {{ ?m a <{KGO.Reference}> }} }} }} ;\n"
        f"INSERT {{ GRAPH <{PENDING}> {{ <{_INDEX}> <{_DAY}> ?d }} }} WHERE {{ GRAPH {graph} {{ ?e <{SCHEMA.startDate}> ?d }} }}"
    )


_READ = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{PENDING}> {{ ?s ?p ?o }} }}"


def read(store) -> tuple[bytes, set[str], set[str]]:
    """(the pending entries as N-Triples, to remove after the pass; the names; the days)."""
    data = store.construct(_READ)
    names, days = set(), set()
    for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
        if q.predicate.value == str(_NAME):
            names.add(q.object.value)
        elif q.predicate.value == str(_DAY) and (day := event_day(q.object.value)):
            days.add(day)
    return data, names, days


def done(data: bytes) -> str:
    """The SPARQL update removing the entries a pass has read (those added since stay)."""
    return f"DELETE DATA {{ GRAPH <{PENDING}> {{\n{data.decode()}\n}} }}" if data.strip() else ""
