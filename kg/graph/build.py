"""The build: articles -> extraction -> one named graph per article in the store.

Articles already in the store with the same content are skipped (by content hash), so a re-run
is idempotent and an interrupted build resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg.extract import Pipeline
from kg.graph.rdf import article_dataset
from kg.graph.store import GraphStore
from kg.graph.vocab import KGO, SHARED_GRAPH, article_iri, graph_iri
from kg.model import Article, Extraction


@dataclass
class BuildReport:
    built: int = 0
    unchanged: int = 0


def _stored_hash(store: GraphStore, article_id: str) -> str | None:
    # the IRIs are ours (quoted article id), never article text: safe to write into the query
    _, rows = store.query(
        f"SELECT ?h WHERE {{ GRAPH <{graph_iri(article_id)}> {{ <{article_iri(article_id)}> <{KGO.contentHash}> ?h }} }}"
    )
    return rows[0][0] if rows else None


def build(articles: Iterable[Article], store: GraphStore, pipeline: Pipeline, progress=None) -> BuildReport:
    report = BuildReport()
    for article in articles:
        if _stored_hash(store, article.id) == article.content_hash:
            report.unchanged += 1
        else:
            store_extraction(store, pipeline(article))
            report.built += 1
        if progress is not None:
            progress.update(1)
    return report


def store_extraction(store: GraphStore, doc: Extraction) -> None:
    dataset = article_dataset(doc)
    graph, shared = dataset.graph(graph_iri(doc.article.id)), dataset.graph(SHARED_GRAPH)
    store.replace_graph(str(graph.identifier), graph.serialize(format="nt", encoding="utf-8"), shared.serialize(format="nt", encoding="utf-8"))
