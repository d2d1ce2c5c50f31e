"""The index of what changed since the last pass across articles, kept in the store.

The rules across articles (kg/resolve/across.py) decide persons by name (namesakes, from the
areas of their posts; references by surname and title, from the holders of posts) and events
by day, so an article can change only the decisions about the names of its persons who hold a
post or are references (a name printed without a post is never moved, nor moves anyone) and
about its events' days. Each article written into the store adds those keys and its graph to
the graph ``kgr:graph/pending``, in the transaction that writes it (a replaced article the
keys of its old version too, its days as days to decide whole); the pass reads them, decides
those names again, the new articles' events against the events their days already hold, and
removes them. So its cost follows the articles added, not the store's size. A pass marks the
index when it starts: one interrupted leaves the mark, and the next decides every day whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.graph.rdf import ntriples
from kg.graph.vocab import ITSRDF, ITSRDF_, KGO, KGO_, KGR, ORG, ORG_, RDF_, SCHEMA, SCHEMA_

PENDING = KGR["graph/pending"]
_INDEX = KGR["index/pending"]  # the subject of every key
_NAME, _DAY, _WHOLE_DAY, _GRAPH, _PASS = KGO.pendingName, KGO.pendingDay, KGO.pendingWholeDay, KGO.pendingGraph, KGO.pendingPass


def event_day(value: str) -> str:
    """The day of an event's ``schema:startDate`` (``1998-01-05``), or "" when no day is known."""
    return value[:10] if len(value) >= 10 and value[4] == "-" else ""


def entries(triples) -> bytes:
    """The keys of an article's graph (its person mentions' ``kgo:key``, its events'
    ``schema:startDate``, the graph itself; kg/graph/rdf.py ``Triples``), as N-Triples for the pending graph."""
    member, mention_type, points, a, reference, key, start = ORG_.member, KGO_.mentionType, ITSRDF_.taIdentRef, RDF_.type, KGO_.Reference, KGO_.key, SCHEMA_.startDate
    person, name, day, graph, index = ox.Literal("person"), *(ox.NamedNode(t) for t in (_NAME, _DAY, _GRAPH, _INDEX))
    members = {o for s, p, o in triples if p == member}
    persons = {s for s, p, o in triples if p == mention_type and o == person}
    decidable = {s for s, p, o in triples if s in persons and ((p == points and o in members) or (p == a and o == reference))}
    found = {(name, o) for s, p, o in triples if p == key and s in decidable}
    found |= {(day, o) for s, p, o in triples if p == start and event_day(o.value)} | {(graph, triples.identifier)}
    return ntriples(sorted(((index, p, o) for p, o in found), key=lambda t: (t[1].value, str(t[2]))))


def old_entries(graph: ox.NamedNode) -> str:
    """The SPARQL update adding the keys of what ``graph`` holds now (before it is replaced)."""
    return (
        f"INSERT {{ GRAPH <{PENDING}> {{ <{_INDEX}> <{_NAME}> ?k }} }} WHERE {{ GRAPH {graph} {{ ?m <{KGO.mentionType}> \"person\" ; <{KGO.key}> ?k ;"
        f" <{ITSRDF.taIdentRef}> ?who {{ ?ms <{ORG.member}> ?who }} UNION {{ ?m a <{KGO.Reference}> }} }} }} ;\n"
        f"INSERT {{ GRAPH <{PENDING}> {{ <{_INDEX}> <{_WHOLE_DAY}> ?d }} }} WHERE {{ GRAPH {graph} {{ ?e <{SCHEMA.startDate}> ?d }} }}"
    )


_READ = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{PENDING}> {{ ?s ?p ?o }} }}"
STARTED = f"INSERT DATA {{ GRAPH <{PENDING}> {{ <{_INDEX}> <{_PASS}> true }} }}"  # a pass under way (kept if it stops)


@dataclass
class Pending:
    """What the articles written since the last pass may change."""

    data: bytes  # the entries as N-Triples, to remove after the pass
    names: set[str] = field(default_factory=set)
    days: set[str] = field(default_factory=set)  # of new articles: decided against the events of the day
    whole_days: set[str] = field(default_factory=set)  # of replaced articles, or all after a pass interrupted: decided whole
    graphs: set[str] = field(default_factory=set)  # the new articles' graphs

    def __bool__(self) -> bool:
        return bool(self.names or self.days or self.whole_days or self.graphs)


def read(store) -> Pending:
    data = store.construct(_READ)
    found, interrupted = Pending(data), False
    for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
        predicate, value = q.predicate.value, q.object.value
        if predicate == str(_NAME):
            found.names.add(value)
        elif predicate in (str(_DAY), str(_WHOLE_DAY)) and (day := event_day(value)):
            (found.days if predicate == str(_DAY) else found.whole_days).add(day)
        elif predicate == str(_GRAPH):
            found.graphs.add(value)
        interrupted |= predicate == str(_PASS)
    if interrupted or not found.graphs:  # some articles may be rewritten already, or a store of before the graphs were kept
        found.whole_days |= found.days
    found.days -= found.whole_days
    return found


def done(data: bytes) -> str:
    """The SPARQL update removing the entries a pass has read (those added since stay) and its mark."""
    return f"DELETE DATA {{ GRAPH <{PENDING}> {{\n{data.decode()}\n<{_INDEX}> <{_PASS}> true .\n}} }}"
