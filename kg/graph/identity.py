"""Resolution across the articles of a store: the graph side of kg/resolve/across.py.

After a build, every article's graph still says what its extraction found (``kgo:extractedAs``
on each mention). This pass reads those findings from the store, asks the rules which nodes
are one (or two), and rewrites just the articles whose nodes move: their mentions, facts and
posts point to the resolved node, and a ``kgo:Resolution`` record with ``owl:sameAs`` says
why; the nodes it moves to are described from what the extraction found, never copied from an
earlier pass. So the graph depends only on the set of articles: a corpus built in one go or
in parts ends the same, and a second pass changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from kg.graph.rdf import describe_entity
from kg.graph.store import GraphStore
from kg.graph.vocab import ITSRDF, KGO, NIF, ORG, PROV, SCHEMA, iri
from kg.model import Mention
from kg.resolve.across import NAMESAKE, Decision, Occurrence, pointed_to, resolve_across

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
    """What the articles found, and where each (graph, node as extracted) points now. No two
    nodes of one article point to one node (kg/resolve/across.py), so where a node points now
    tells which entity of the article it is."""
    found: dict[tuple[str, str], Occurrence] = {}
    current: dict[tuple[str, str], str] = {}
    by_current: dict[tuple[str, str], Occurrence] = {}
    persons = defaultdict(set)
    for g, node, now, kind, key, ref, published, source in sorted(store.query(_MENTIONS)[1], key=lambda row: [str(v) for v in row]):
        current[g, node] = now
        reference = ref in (True, "true", "1", 1)  # a boolean as the store returns it
        o = found.setdefault((g, node), Occurrence(g, node, kind, key, str(published or "")[:10], source or "", reference))
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


def _changeable(graph: str, nodes: list[str]) -> str:
    """The query of what a rewrite may change in an article's graph: the triples of the nodes
    it renames, and the records, aliases and resolver of the previous pass; the rest (the
    article's text, its evidence, most of its mentions) stays as it is and is not read."""
    values = " ".join(str(ox.NamedNode(n)) for n in nodes)  # our IRIs, validated
    return _PREFIXES + f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {ox.NamedNode(graph)} {{
  {{ VALUES ?s {{ {values} }} ?s ?p ?o }} UNION {{ VALUES ?o {{ {values} }} ?s ?p ?o }}
  UNION {{ VALUES ?p {{ owl:sameAs <{SKOS.altLabel}> }} ?s ?p ?o }} UNION {{ ?s a kgo:Resolution ; ?p ?o }}
}} }}"""


def _rewrite(store: GraphStore, graph: str, found: dict[str, Occurrence], now: dict[str, str], target: dict[str, str], decisions: dict[str, Decision], names: dict[str, str]) -> None:
    """Point the article's entities (``now``: where each points) to ``target``, with the records
    that say why; what this pass wrote before is dropped first."""
    moves = {now[node]: target[node] for node in now if now[node] != target[node]}
    renamed = {ox.NamedNode(a): ox.NamedNode(b) for a, b in moves.items()}
    extractor = iri("extractor", RESOLVER)
    old = [q.triple for q in ox.parse(store.construct(_changeable(graph, [*moves, str(extractor)])), format=ox.RdfFormat.N_TRIPLES)]
    rdf_type, resolution, same, alias, extracted = (ox.NamedNode(str(t)) for t in (RDF.type, KGO.Resolution, OWL.sameAs, SKOS.altLabel, KGO.extractedAs))
    earlier = {t.subject for t in old if t.predicate == rdf_type and t.object == resolution} | {ox.NamedNode(str(extractor))}
    kept = []
    for t in old:
        if t.subject in earlier or t.predicate in (same, alias):
            continue  # the previous pass's records, aliases and resolver
        obj = t.object if t.predicate == extracted else renamed.get(t.object, t.object)
        kept.append(ox.Triple(renamed.get(t.subject, t.subject), t.predicate, obj))
    records = Graph()
    if decisions:
        records.add((extractor, RDF.type, KGO.Extractor))
        records.add((extractor, RDFS.label, Literal(f"kg {RESOLVER}")))
    for node, d in decisions.items():
        record, n, to = iri("resolution", graph, node), URIRef(node), URIRef(d.target)
        for p, o in ((RDF.type, KGO.Resolution), (KGO.extractedAs, n), (OWL.sameAs, to), (KGO.resolvedBy, Literal(d.rule)),
                     (RDFS.comment, Literal(d.why)), (PROV.wasAttributedTo, extractor)):
            records.add((record, p, o))
        records.add((n, OWL.sameAs, to))
        if d.rule != NAMESAKE and found[node].key != names.get(d.target):
            records.add((to, SKOS.altLabel, Literal(found[node].key)))  # 全国政协新年茶话会, another name of 新年茶话会
    shared = Graph()
    for node, o in found.items():
        moved_to_new = node in decisions and decisions[node].rule == NAMESAKE
        if now[node] != target[node] and (moved_to_new or target[node] == node):
            kind, _, subtype = o.type.partition(":")  # described from what the extraction found
            describe_entity(shared, URIRef(target[node]), Mention(o.key, kind, 0, 0, subtype, o.key))
    # only the nodes it moves away from may be left undescribed: the rest of the shared graph stays
    wanted = set(kept) | {q.triple for q in ox.parse(records.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)}
    present = set(old)
    removed, added = [t for t in present if t not in wanted], [t for t in wanted if t not in present]
    nt = ox.RdfFormat.N_TRIPLES
    store.change_graph(graph, ox.serialize(removed, format=nt), ox.serialize(added, format=nt), shared.serialize(format="nt", encoding="utf-8"), list(moves))


def resolve_store(store: GraphStore) -> IdentityReport:
    """Resolve the store's entities across its articles; rewrite the articles that change."""
    occurrences, current = _occurrences(store)
    decisions = resolve_across(occurrences)
    records = _records(store)
    report = IdentityReport(moved=len(decisions))
    names = {o.node: o.key for o in occurrences}
    by_graph: dict[str, dict[str, Decision]] = defaultdict(dict)
    for (g, node), d in decisions.items():
        by_graph[g][node] = d
    found: dict[str, dict[str, Occurrence]] = defaultdict(dict)
    for o in occurrences:
        found[o.graph][o.node] = o
    for g in sorted(set(found) | set(records)):
        wanted = by_graph.get(g, {})
        now = {node: current[g, node] for node in found[g]}
        target = {node: pointed_to(decisions, g, node) for node in now}
        if now != target or records.get(g, set()) != {(n, d.target, d.rule, d.why) for n, d in wanted.items()}:
            _rewrite(store, g, found[g], now, target, wanted, names)
            report.rewritten += 1
    return report
