"""Resolution across the articles of a store: the graph side of kg/resolve/across.py.

After a build, every article's graph still says what its extraction found (``kgo:extractedAs``
on each mention). This pass reads those findings from the store, asks the rules which nodes
are one (or two), and rewrites just the articles whose nodes move: their mentions, facts and
posts point to the resolved node, and a ``kgo:Resolution`` record with ``owl:sameAs`` says
why. As the rules start from the extraction, never from an earlier pass, the graph depends
only on the set of articles: a corpus built in one go or in parts ends the same, and a
second pass changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, SKOS

from kg.graph.store import GraphStore
from kg.graph.vocab import ITSRDF, KGO, NIF, ORG, PROV, SCHEMA, SHARED_GRAPH, iri
from kg.resolve.across import Decision, Occurrence, resolve_across

RESOLVER = "resolve.across.v1"

_PREFIXES = f"""PREFIX kgo: <{KGO}> PREFIX schema: <{SCHEMA}> PREFIX org: <{ORG}> PREFIX nif: <{NIF}>
PREFIX itsrdf: <{ITSRDF}> PREFIX rdfs: <{RDFS}> PREFIX owl: <{OWL}>
"""
_MENTIONS = _PREFIXES + """
SELECT DISTINCT ?g ?node ?current ?type ?key ?ref ?published ?source WHERE {
  GRAPH ?g {
    ?m kgo:extractedAs ?node ; itsrdf:taIdentRef ?current ; kgo:mentionType ?type ; kgo:key ?key ; nif:referenceContext ?a .
    OPTIONAL { ?a schema:datePublished ?published } OPTIONAL { ?a schema:publisher ?source }
    BIND(EXISTS { ?m a kgo:Reference } AS ?ref)
  }
  FILTER(?type = "person" || STRSTARTS(?type, "event"))  # the kinds the rules move
}"""
_POSTS = _PREFIXES + """
SELECT ?g ?who ?title ?code ?area_name WHERE {
  GRAPH ?g { ?ms org:member ?who ; kgo:postTitle ?title }
  OPTIONAL { GRAPH ?g { ?ms kgo:postArea ?area } ?area schema:identifier ?code ; schema:name ?area_name }
}"""
_EVENT_FACTS = _PREFIXES + """
SELECT ?g ?e ?what ?value WHERE {
  GRAPH ?g {
    { ?e schema:startDate ?value BIND("date" AS ?what) }
    UNION { ?e schema:location ?value BIND("venue" AS ?what) }
    UNION { [] kgo:participant ?value ; kgo:event ?e BIND("participant" AS ?what) }
  }
}"""
_RECORDS = _PREFIXES + """
SELECT ?g ?node ?target ?rule ?why WHERE {
  GRAPH ?g { ?r a kgo:Resolution ; kgo:extractedAs ?node ; owl:sameAs ?target ; kgo:resolvedBy ?rule ; rdfs:comment ?why }
}"""


@dataclass
class IdentityReport:
    moved: int = 0  # (article, entity) pairs that point elsewhere than extracted
    rewritten: int = 0  # article graphs rewritten by this pass


def _occurrences(store: GraphStore) -> tuple[list[Occurrence], dict[tuple[str, str], str]]:
    """What the articles found, and where each (graph, node as extracted) points now."""
    found: dict[tuple[str, str], Occurrence] = {}
    current: dict[tuple[str, str], str] = {}
    by_current: dict[tuple[str, str], Occurrence] = {}
    persons = defaultdict(set)
    for g, node, now, kind, key, ref, published, source in store.query(_MENTIONS)[1]:
        current[g, node] = now
        o = found.setdefault((g, node), Occurrence(g, node, kind, key, str(published or "")[:10], source or "", ref in (True, "true", "1", 1)))
        by_current[g, now] = o
        if kind == "person" and not o.reference:
            persons[g].add(key)
    for o in found.values():
        o.persons = persons[o.graph]
    for g, who, title, code, area_name in store.query(_POSTS)[1]:
        if (o := by_current.get((g, who))) is not None:
            o.posts.add(title)
            if code:
                o.post_areas[str(code)] = area_name
    for g, e, what, value in store.query(_EVENT_FACTS)[1]:
        if (o := by_current.get((g, e))) is None:
            continue
        if what == "date":
            o.date = str(value)[:10] if len(str(value)) >= 10 and str(value)[4] == "-" else ""
        elif what == "venue":
            o.venues.add(value)
        elif (p := by_current.get((g, value))) is not None:
            o.participants.add(p.node)
    return list(found.values()), current


def _records(store: GraphStore) -> dict[str, set[tuple[str, str, str, str]]]:
    records = defaultdict(set)
    for g, node, target, rule, why in store.query(_RECORDS)[1]:
        records[g].add((node, target, rule, why))
    return records


def _term(value: str, is_literal) -> ox.Literal | ox.NamedNode:
    return ox.Literal(value) if is_literal in (True, "true", "1", 1) else ox.NamedNode(value)


def _description(store: GraphStore, node: str) -> list[tuple]:
    return store.query(f"SELECT ?p ?o ?lit WHERE {{ GRAPH <{SHARED_GRAPH}> {{ <{node}> ?p ?o }} BIND(isLiteral(?o) AS ?lit) }}")[1]


def _rewrite(store: GraphStore, graph: str, moves: dict[str, str], decisions: dict[str, Decision]) -> None:
    """Point the graph's nodes (as they are now) to where they should be, and say why."""
    kept = []
    old = list(ox.parse(store.graph_ntriples(graph), format=ox.RdfFormat.N_TRIPLES))
    rdf_type, resolution, same, extracted = (ox.NamedNode(str(t)) for t in (RDF.type, KGO.Resolution, OWL.sameAs, KGO.extractedAs))
    records = {t.subject for t in old if t.predicate == rdf_type and t.object == resolution}
    renamed = {ox.NamedNode(now): ox.NamedNode(target) for now, target in moves.items()}
    for t in old:
        if t.subject in records or t.predicate == same:
            continue  # the previous pass's records
        obj = t.object if t.predicate == extracted else renamed.get(t.object, t.object)
        kept.append(ox.Triple(renamed.get(t.subject, t.subject), t.predicate, obj))
    shared = []
    extractor = iri("extractor", RESOLVER)
    for node, d in decisions.items():
        record = ox.NamedNode(str(iri("resolution", graph, node)))
        n, target = ox.NamedNode(node), ox.NamedNode(d.target)
        for p, o in ((RDF.type, ox.NamedNode(str(KGO.Resolution))), (KGO.extractedAs, n), (OWL.sameAs, target), (KGO.resolvedBy, ox.Literal(d.rule)),
                     (RDFS.comment, ox.Literal(d.why)), (PROV.wasAttributedTo, ox.NamedNode(str(extractor)))):
            kept.append(ox.Triple(record, ox.NamedNode(str(p)), o))
        kept.append(ox.Triple(n, ox.NamedNode(str(OWL.sameAs)), target))
        shared += [ox.Triple(ox.NamedNode(str(extractor)), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(KGO.Extractor))),
                   ox.Triple(ox.NamedNode(str(extractor)), ox.NamedNode(str(RDFS.label)), ox.Literal(f"kg {RESOLVER}"))]
    for now, target in moves.items():
        known = _description(store, target)
        names = {o for p, o, _ in known if p == str(SCHEMA.name)}
        for p, o, is_literal in _description(store, now):
            if not known:  # a new node (a namesake): described as the old one was
                shared.append(ox.Triple(ox.NamedNode(target), ox.NamedNode(p), _term(o, is_literal)))
            elif p == str(SCHEMA.name) and o not in names:  # another name of the same thing
                shared.append(ox.Triple(ox.NamedNode(target), ox.NamedNode(str(SKOS.altLabel)), _term(o, is_literal)))
    # only the nodes it moves away from may be left unnamed: the rest of the shared graph stays
    store.replace_graph(graph, ox.serialize(kept, format=ox.RdfFormat.N_TRIPLES), ox.serialize(shared, format=ox.RdfFormat.N_TRIPLES) if shared else b"", list(moves))


def resolve_store(store: GraphStore) -> IdentityReport:
    """Resolve the store's entities across its articles; rewrite the articles that change."""
    occurrences, current = _occurrences(store)
    decisions = resolve_across(occurrences)
    records = _records(store)
    report = IdentityReport(moved=len(decisions))
    by_graph: dict[str, dict[str, Decision]] = defaultdict(dict)
    for (g, node), d in decisions.items():
        by_graph[g][node] = d
    nodes: dict[str, dict[str, str]] = defaultdict(dict)  # graph -> node as extracted -> node now
    for (g, node), now in current.items():
        nodes[g][node] = now
    for g in sorted(set(nodes) | set(records)):
        wanted = by_graph.get(g, {})
        moves = {}
        for node, now in nodes[g].items():
            if now != (target := wanted[node].target if node in wanted else node):
                moves[now] = target
        if moves or records.get(g, set()) != {(n, d.target, d.rule, d.why) for n, d in wanted.items()}:
            _rewrite(store, g, moves, wanted)
            report.rewritten += 1
    return report
