"""What the store holds, in a few numbers."""

from __future__ import annotations

from kg.graph.store import GraphStore

_COUNTS = """
PREFIX kgo: <https://w3id.org/kg-news/ontology#>
PREFIX schema: <https://schema.org/>
SELECT
  (COUNT(DISTINCT ?article) AS ?articles) (COUNT(DISTINCT ?person) AS ?persons)
  (COUNT(DISTINCT ?org) AS ?organizations) (COUNT(DISTINCT ?place) AS ?places)
  (COUNT(DISTINCT ?event) AS ?events) (COUNT(DISTINCT ?p) AS ?participations)
WHERE {
  { ?article a schema:NewsArticle } UNION { ?person a schema:Person } UNION { ?org a schema:Organization }
  UNION { ?place a schema:Place } UNION { ?event a schema:Event } UNION { ?p a kgo:Participation }
}
"""


def stats(store: GraphStore) -> dict[str, int]:
    columns, rows = store.query(_COUNTS)
    counts = {c: int(v) for c, v in zip(columns, rows[0])}
    _, graphs = store.query("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {"quads": store.count(), "graphs": int(graphs[0][0]), **counts}
