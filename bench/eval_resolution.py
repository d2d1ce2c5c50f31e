"""Resolution across articles, measured on a built store (issue 4's figures).

    kg build ../shared/corpora/peoples_daily_1998_articles/pd199801_meeting_articles.jsonl -o /tmp/pd
    python bench/eval_resolution.py /tmp/pd            # add --list to print what to check by hand

Prints, for the 20 persons named by the most articles, how many person nodes carry that
name (one each is right); every person that resolution across articles made out of other
names or split off a namesake, with its rule and why, and every reference (江主席) resolved
within its article (to check by hand that no two different officials were merged); and events: how many (article, event) findings there are, how many
event nodes they became, how many events several articles report, with each merge's reason.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict

from kg.graph.store import open_store

PREFIXES = """PREFIX schema: <https://schema.org/> PREFIX kgo: <https://w3id.org/kg-news/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#> PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
"""
PERSON_ARTICLES = PREFIXES + """
SELECT ?node ?name ?id WHERE {
  GRAPH ?g { ?m itsrdf:taIdentRef ?node ; nif:referenceContext ?a . ?a schema:identifier ?id }
  ?node a schema:Person ; schema:name ?name .
}"""
MERGES = PREFIXES + """
SELECT DISTINCT ?id ?rule ?why ?key ?type ?to ?target WHERE {
  GRAPH ?g { ?r a kgo:Resolution ; kgo:resolvedBy ?rule ; rdfs:comment ?why ; kgo:extractedAs ?from ; owl:sameAs ?to .
             ?m kgo:extractedAs ?from ; kgo:key ?key ; kgo:mentionType ?type ; nif:referenceContext ?a . ?a schema:identifier ?id }
  OPTIONAL { ?to schema:name ?target }
}"""
REFERENCES = PREFIXES + """
SELECT DISTINCT ?id ?text ?name ?rule WHERE {
  GRAPH ?g { ?m a nif:Phrase ; kgo:resolvedBy ?rule ; nif:anchorOf ?text ; itsrdf:taIdentRef ?p ; nif:referenceContext ?a . ?a schema:identifier ?id }
  ?p a schema:Person ; schema:name ?name .
}"""
UNRESOLVED = PREFIXES + """
SELECT DISTINCT ?id ?text WHERE {
  GRAPH ?g { ?m a kgo:Reference ; nif:anchorOf ?text ; itsrdf:taIdentRef ?p ; nif:referenceContext ?a . ?a schema:identifier ?id }
  ?p schema:name ?text .
}"""
EVENT_FINDINGS = PREFIXES + """
SELECT DISTINCT ?id ?from ?node WHERE {
  GRAPH ?g { ?m kgo:extractedAs ?from ; itsrdf:taIdentRef ?node ; kgo:mentionType ?type ; nif:referenceContext ?a . ?a schema:identifier ?id }
  FILTER(STRSTARTS(?type, "event"))
}"""


def figures(location: str, top: int = 20) -> dict:
    store = open_store(location, read_only=True)
    try:
        articles = defaultdict(set)  # name -> articles
        nodes = defaultdict(set)  # name -> person nodes
        for node, name, article in store.query(PERSON_ARTICLES)[1]:
            articles[name].add(article)
            nodes[name].add(node)
        ranked = sorted(articles, key=lambda n: (-len(articles[n]), n))[:top]
        merges = list({(row[0], row[3], row[6]): dict(zip(("article", "rule", "why", "key", "type", "to", "target"), row)) for row in store.query(MERGES)[1]}.values())
        references = [dict(zip(("article", "text", "name", "rule"), row)) for row in store.query(REFERENCES)[1]]
        unresolved = sorted(store.query(UNRESOLVED)[1])
        findings = store.query(EVENT_FINDINGS)[1]
    finally:
        store.close()
    per_node = Counter(node for _, _, node in findings)
    return {
        "top_persons": [{"name": n, "articles": len(articles[n]), "nodes": len(nodes[n])} for n in ranked],
        "top_persons_with_one_node": sum(len(nodes[n]) == 1 for n in ranked),
        "person_merges": [m for m in merges if m["type"] == "person"],
        "references_in_article": sorted(references, key=lambda r: (r["article"], r["text"])),
        "references_unresolved": [f"{article}: {text}" for article, text in unresolved],
        "event_merges": [m for m in merges if m["type"].startswith("event")],
        "event_findings": len({(a, f) for a, f, _ in findings}),
        "event_nodes": len(per_node),
        "events_reported_by_several_articles": sum(1 for node in per_node if len({a for a, _, n in findings if n == node}) > 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", help="output folder of kg build (or sparql+http://…)")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--list", action="store_true", help="print every merge, for checking by hand")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    f = figures(args.store, args.top)
    if args.json:
        print(json.dumps(f, ensure_ascii=False, indent=1))
        return 0
    print(f"top {args.top} persons by articles: {f['top_persons_with_one_node']} with exactly one node")
    for p in f["top_persons"]:
        print(f"  {p['name']:<8} {p['articles']:>4} articles  {p['nodes']} node(s)")
    rules = Counter(m["rule"] for m in f["person_merges"])
    print(f"person resolutions across articles: {len(f['person_merges'])} ({', '.join(f'{r} {n}' for r, n in sorted(rules.items()))})")
    print(f"person references resolved in their own article: {len(f['references_in_article'])}; left unresolved: {len(f['references_unresolved'])}")
    print(f"events: {f['event_findings']} found by articles -> {f['event_nodes']} event nodes; {f['events_reported_by_several_articles']} reported by several articles ({len(f['event_merges'])} merges)")
    if args.list:
        for m in f["person_merges"] + f["event_merges"]:
            print(f"  [{m['rule']}] {m['article']}: {m['key']} -> {m['target']}: {m['why']}")
        for r in f["references_in_article"]:
            print(f"  [{r['rule']}] {r['article']}: {r['text']} -> {r['name']}")
        for r in f["references_unresolved"]:
            print(f"  [unresolved] {r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
