"""The build: articles -> extraction -> one named graph per article in the store.

Articles already in the store with the same content are skipped (by content hash), so a re-run
is idempotent and an interrupted build resumes where it stopped. Extraction and serialisation
run on an executor (this process, a process pool, a Dask cluster); one writer, this process,
puts the results into the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox

from kg.extract import DEFAULT_PIPELINE
from kg.graph.executors import Executor, SerialExecutor
from kg.graph.pending import entries
from kg.graph.rdf import ArticleGraph, ntriples
from kg.graph.store import GraphStore
from kg.graph.vocab import KGO, KGO_, article_iri, graph_iri
from kg.ingest.decode import InputError
from kg.model import Article, Extraction, article_batches
from kg.nlp.ner import DEFAULT_TAGGER

BULK_BATCH = 200  # new articles per bulk load
TASK = 16  # articles a worker takes at a time: one round trip per article left the workers idle half the time at 15,360 articles, waiting for this process to hand them the next


@dataclass
class BuildReport:
    built: int = 0
    unchanged: int = 0
    failed: list[InputError] = field(default_factory=list)  # articles that could not be built, and why
    replaced: list[InputError] = field(default_factory=list)  # articles whose id an article of another file had


@dataclass(frozen=True)
class ArticleFailure:
    """An article that could not be built: what travels back instead of its triples."""

    error: InputError


def _failure(article: Article, exc: BaseException) -> ArticleFailure:
    reason = (str(exc).strip().splitlines() or [""])[0][:200]
    where = article.path or article.id
    return ArticleFailure(InputError(where, f"article {article.id!r} not built ({type(exc).__name__}: {reason})", article.line or None))


@dataclass(frozen=True)
class ArticleTriples:
    """One article's extraction, serialised: what travels from a worker to the writer.

    ``marker`` is the content-hash triple, kept apart so that a bulk load can write it last:
    an article whose marker is stored is complete. ``pending``: its keys for the next pass
    across articles (kg/graph/pending.py).
    """

    graph: str
    triples: bytes
    shared: bytes
    marker: bytes
    pending: bytes


@cache
def _pipeline(tagger: str, components: tuple[str, ...]):
    from kg.extract import Pipeline

    return Pipeline(tagger, components)  # once per worker process: the model loads once


def stored_hash(article: Article, components: tuple[str, ...] = DEFAULT_PIPELINE, mentions: str = "all") -> str:
    """The content hash a build records: the article's, the components beyond the default
    pipeline (decide.v1) and the mention nodes when not all, so that a re-build with other
    components or mentions is no unchanged article."""
    extra = [c for c in components if c not in DEFAULT_PIPELINE] + ([f"mentions={mentions}"] if mentions != "all" else [])
    return "+".join([article.content_hash, *extra])


def extract_many(articles: list[Article], tagger: str = DEFAULT_TAGGER, components: tuple[str, ...] = DEFAULT_PIPELINE, mentions: str = "all") -> list[ArticleTriples | ArticleFailure]:
    """Each article's triples, or why it failed (nothing in one article stops a build): a
    worker's task, the articles' sentences tagged together (``Pipeline.pipe``)."""
    try:
        pipeline = _pipeline(tagger, tuple(components))
    except Exception as exc:  # noqa: BLE001 — a model that cannot load fails each article, named
        return [_failure(a, exc) for a in articles]
    out: list[ArticleTriples | ArticleFailure] = []
    for article, doc in pipeline.pipe(articles, batch_size=len(articles)):
        if isinstance(doc, Exception):
            out.append(_failure(article, doc))
            continue
        try:
            out.append(_serialised(article, doc, components, mentions))
        except Exception as exc:
            out.append(_failure(article, exc))
    return out


def extract_triples(article: Article, tagger: str = DEFAULT_TAGGER, components: tuple[str, ...] = DEFAULT_PIPELINE, mentions: str = "all") -> ArticleTriples:
    """The work of one article, runnable in any worker."""
    return _serialised(article, _pipeline(tagger, tuple(components))(article), components, mentions)


def _serialised(article: Article, doc: Extraction, components: tuple[str, ...], mentions: str) -> ArticleTriples:
    graph, shared = ArticleGraph(doc, mentions).build()
    hashed = (ox.NamedNode(article_iri(article.id)), KGO_.contentHash)
    marker = [(*hashed, ox.Literal(stored_hash(article, components, mentions)))]
    return ArticleTriples(graph.identifier.value, ntriples(t for t in graph if t[:2] != hashed), ntriples(shared), ntriples(marker), entries(graph))


def _stored(store: GraphStore, article_id: str) -> tuple[bool, str | None, str | None]:
    """Whether the article has a graph in the store, its content hash if it is complete, and the
    file it was read from (kgo:sourceFile)."""
    # the IRIs are ours (quoted article id), never article text: safe to write into the query
    graph = graph_iri(article_id)
    _, rows = store.query(
        f"SELECT ?h ?f WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} OPTIONAL {{ GRAPH <{graph}> {{ <{article_iri(article_id)}> <{KGO.contentHash}> ?h }} }}"
        f" OPTIONAL {{ GRAPH <{graph}> {{ ?x <{KGO.sourceFile}> ?f }} }} }} LIMIT 1"
    )
    return bool(rows), rows[0][0] if rows else None, rows[0][1] if rows else None


def build(
    articles: Iterable[Article], store: GraphStore, tagger: str = DEFAULT_TAGGER, executor: Executor | None = None, progress=None,
    components: tuple[str, ...] = DEFAULT_PIPELINE, mentions: str = "all",
) -> BuildReport:
    report = BuildReport()
    stored = set()  # graphs of the articles to build that the store already has (older versions)

    def changed() -> Iterator[Article]:
        for article in articles:
            try:
                article.content_hash  # noqa: B018 (hashes the text: a lone surrogate fails here)
            except Exception as exc:  # text that cannot be hashed cannot be stored either
                report.failed.append(_failure(article, exc).error)
                continue
            present, content_hash, source_file = _stored(store, article.id)
            if content_hash == stored_hash(article, components, mentions):
                report.unchanged += 1
                if progress is not None:
                    progress.update(1)
                continue
            if present:
                stored.add(str(graph_iri(article.id)))
                if source_file and article.source_file and str(source_file) != article.source_file:
                    # day1/2024/p1.txt built, then day2/2024/p1.txt: the same id from another file
                    report.replaced.append(InputError(article.source_file, f"article {article.id!r} replaces the one of that id read from {source_file}"))
            yield article

    batch: dict[str, ArticleTriples] = {}
    results = (r for task in (executor or SerialExecutor()).map(extract_many, article_batches(changed(), TASK), tagger, tuple(components), mentions) for r in task)
    for result in results:
        if isinstance(result, ArticleFailure):
            report.failed.append(result.error)
            if progress is not None:
                progress.update(1)
            continue
        if result.graph in batch:  # the same id again in the input, before its load: the last wins
            batch[result.graph] = result
        elif result.graph in stored:  # a new version (or the same id again, loaded): replaced in one transaction
            store.replace_graph(result.graph, result.triples + result.marker, result.shared, pending=result.pending)
        else:  # new articles go to the bulk loader, many at a time
            batch[result.graph] = result
            stored.add(result.graph)
            if len(batch) >= BULK_BATCH:
                store.add_graphs(list(batch.values()))
                batch.clear()
        report.built += 1
        if progress is not None:
            progress.update(1)
    if batch:
        store.add_graphs(list(batch.values()))
    return report
