"""A window of time and place for the analyses: the events that lie in it.

An event's day is its own date, else the publication date of an article that reports it; with
``--from`` or ``--to`` only events known to the day are in (2024-01 cannot be placed in a week).
An event lies in a place when its venue, a sub-venue, where a participant took part, or the
dateline of an article that reports it is that place or lies in it (永康市博物馆 in 永康市 in
金华市 in 浙江省), the place named by its name or a printed variant (浙江).
"""

from __future__ import annotations

import networkx as nx

from kg.graph.store import GraphStore

_PREFIXES = """
PREFIX kgo: <https://w3id.org/kg-news/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
_DAYS = _PREFIXES + """
SELECT ?e (SAMPLE(?own) AS ?date) (MIN(?published) AS ?reported) WHERE {
  ?p kgo:event ?e ; prov:wasDerivedFrom/kgo:article ?a .
  OPTIONAL { ?e schema:startDate ?own }
  OPTIONAL { ?a schema:datePublished ?published }
} GROUP BY ?e
"""
_PLACES = _PREFIXES + """
SELECT DISTINCT ?e WHERE {
  { ?e schema:location ?v } UNION { ?e kgo:subVenue ?v } UNION { ?p kgo:event ?e ; prov:atLocation ?v }
  UNION { ?p kgo:event ?e ; prov:wasDerivedFrom/kgo:article/schema:locationCreated ?v }
  ?v schema:containedInPlace* ?area .
  { ?area schema:name ?name } UNION { ?area skos:altLabel ?name }
  FILTER(STR(?name) = %s)
}
"""


def _literal(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)  # a SPARQL string literal: quotes and backslashes escaped


def event_days(store: GraphStore) -> dict[str, str]:
    """Each event's day (YYYY-MM-DD), or the month or year known, or ''."""
    days = {}
    for event, own, reported in store.query(_DAYS)[1]:
        own, reported = str(own or ""), str(reported or "")
        days[event] = own if len(own) == 10 or not reported else reported
    return days


def within(day: str, date_from: str | None, date_to: str | None) -> bool:
    """Whether a day (YYYY-MM-DD) is within the bounds, each a day, a month or a year: --to
    1998-01 takes in 1998-01-31."""
    return len(day) == 10 and (date_from is None or day >= date_from) and (date_to is None or day[: len(date_to)] <= date_to)


def events_in(store: GraphStore, date_from: str | None = None, date_to: str | None = None, place: str | None = None) -> set[str] | None:
    """The events in the window, or None when no bound is given (all of them)."""
    if date_from is None and date_to is None and place is None:
        return None
    days = event_days(store)
    events = set(days)
    if date_from is not None or date_to is not None:
        events = {e for e in events if within(days[e], date_from, date_to)}
    if place is not None:
        events &= {row[0] for row in store.query(_PLACES % _literal(place))[1]}
    return events


def restrict(g: nx.MultiDiGraph, events: set[str] | None) -> nx.MultiDiGraph:
    """The graph with only the participations in events of the window (all when ``events`` is None)."""
    if events is None:
        return g
    kept = nx.MultiDiGraph()
    kept.add_nodes_from(g.nodes(data=True))
    kept.add_edges_from((u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True) if d["relation"] != "participation" or v in events)
    return kept
