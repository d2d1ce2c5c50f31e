"""The build: articles -> extraction -> one named graph per article in the store.

Articles already in the store with the same content are skipped (by content hash), so a re-run
is idempotent and an interrupted build resumes where it stopped. Extraction and serialisation
run on an executor (this process, a process pool, a Dask cluster); one writer, this process,
puts the results into the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from kg.graph.executors import Executor, SerialExecutor
from kg.graph.rdf import article_dataset
from kg.graph.store import GraphStore
from kg.graph.vocab import KGO, SHARED_GRAPH, article_iri, graph_iri
from kg.model import Article


@dataclass
class BuildReport:
    built: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class ArticleTriples:
    """One article's extraction, serialised: what travels from a worker to the writer."""

    graph: str
    triples: bytes
    shared: bytes


@cache
def _pipeline(tagger: str):
    from kg.extract import Pipeline

    return Pipeline(tagger)  # once per worker process: the model loads once


def extract_triples(article: Article, tagger: str = "lac") -> ArticleTriples:
    """The work of one article, runnable in any worker."""
    dataset = article_dataset(_pipeline(tagger)(article))
    graph, shared = dataset.graph(graph_iri(article.id)), dataset.graph(SHARED_GRAPH)
    return ArticleTriples(str(graph.identifier), graph.serialize(format="nt", encoding="utf-8"), shared.serialize(format="nt", encoding="utf-8"))


def _stored_hash(store: GraphStore, article_id: str) -> str | None:
    # the IRIs are ours (quoted article id), never article text: safe to write into the query
    _, rows = store.query(
        f"SELECT ?h WHERE {{ GRAPH <{graph_iri(article_id)}> {{ <{article_iri(article_id)}> <{KGO.contentHash}> ?h }} }}"
    )
    return rows[0][0] if rows else None


def build(
    articles: Iterable[Article], store: GraphStore, tagger: str = "lac", executor: Executor | None = None, progress=None
) -> BuildReport:
    report = BuildReport()

    def changed() -> Iterator[Article]:
        for article in articles:
            if _stored_hash(store, article.id) == article.content_hash:
                report.unchanged += 1
                if progress is not None:
                    progress.update(1)
            else:
                yield article

    for result in (executor or SerialExecutor()).map(extract_triples, changed(), tagger):
        store.replace_graph(result.graph, result.triples, result.shared)
        report.built += 1
        if progress is not None:
            progress.update(1)
    return report
