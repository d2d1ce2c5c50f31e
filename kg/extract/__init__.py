"""Extraction: a pipeline of small named components over one article at a time.

Like spaCy's pipeline, each component is a function registered by name that reads and adds to
an ``Extraction`` (mentions, facts). The order follows the dependencies:
credits (bylines first, so their names are never participants) -> entities -> resolve
(江主席 is 江泽民; 传化集团有限公司 is 传化集团) -> events -> participation.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from types import ModuleType

from kg.model import Article, Evidence, Extraction, Sentence, article_batches
from kg.nlp.ner import DEFAULT_TAGGER, Tagger, Token, get_tagger
from kg.nlp.script import AnalysedView, analysed_view
from kg.nlp.sentences import split_sentences
from kg.shared.components import COMPONENTS, Component, component  # noqa: F401  (the components import it from here)

# Bounds that keep the memory of one article's analysis small whatever the article holds: a long
# news article has some 20,000 characters and a few hundred names; a megabyte of one repeated
# character made 300,000 "names" and a 4 GB graph in memory.
MAX_ARTICLE_CHARS = 200_000
MAX_MENTIONS = 20_000
PIPE_BATCH = 16  # articles whose sentences are tagged together: some 300 sentences, a few MB of scores
PIPE_CHARS = 60_000  # and at most so many characters, so that a batch of long reports stays as small


class ArticleTooLarge(ValueError):
    """An article beyond the bounds above: skipped and named, never half-read."""


DEFAULT_PIPELINE = ("credits.v1", "entities.v1", "resolve.v1", "events.v1", "participation.v1")


class Pipeline:
    def __init__(self, tagger: str | Tagger = DEFAULT_TAGGER, components: Iterable[str] = DEFAULT_PIPELINE, disable: Iterable[str] = ()):
        import kg.resolve  # noqa: F401  (registers resolve.v1)
        from kg.extract import credits, decide, entities, events, participation  # noqa: F401  (registers)

        self.tagger = get_tagger(tagger) if isinstance(tagger, str) else tagger
        unknown = [c for c in components if c not in COMPONENTS]
        if unknown:
            raise ValueError(f"unknown extraction component(s): {', '.join(unknown)}")
        self.components = [(name, COMPONENTS[name]) for name in components]
        self.disabled_rules = frozenset(disable)  # rules by name (participation.RULES), off

    def __call__(self, article: Article) -> Extraction:
        """Extract from the analysed view of the article (kg.nlp.script), then print what was found
        as the article prints it."""
        ((_, result),) = self.pipe([article])
        if isinstance(result, Exception):
            raise result
        return result

    def pipe(self, articles: Iterable[Article], batch_size: int = PIPE_BATCH) -> Iterator[tuple[Article, Extraction | Exception]]:
        """Each article with its extraction, or the error that stopped it (nothing in one article
        stops the others), in order: the sentences of ``batch_size`` articles (of PIPE_CHARS
        characters at most, unless one article is longer) are tagged together, as the networks
        run fastest over many sentences of like length (kg.nlp.batching)."""
        for batch in article_batches(articles, batch_size, PIPE_CHARS):
            yield from zip(batch, self._batch(batch))

    def _batch(self, articles: list[Article]) -> list[Extraction | Exception]:
        prepared: list[_Prepared | Exception] = []
        for article in articles:
            try:
                prepared.append(_prepared(article))
            except Exception as exc:  # noqa: BLE001 — this article's failure, not the batch's
                prepared.append(exc)
        ready = [p for p in prepared if not isinstance(p, Exception)]
        tagged = iter(self._tagged(ready))
        out: list[Extraction | Exception] = []
        for p in prepared:
            tokens = p if isinstance(p, Exception) else next(tagged)
            if isinstance(tokens, Exception):
                out.append(tokens)
                continue
            try:
                doc = self._extract(p.analysed, p.sentences, tokens)
                out.append(doc if p.analysed is p.article else _as_printed(doc, p.article, p.view))
            except Exception as exc:  # noqa: BLE001 — this article's failure, not the batch's
                out.append(exc)
        return out

    def _tagged(self, prepared: list[_Prepared]) -> list[list[list[Token]] | Exception]:
        """Each article's tokens by sentence, in one call to the tagger; when that fails, one call
        per article, so that only the article that fails it fails."""
        try:
            tagged = _tag(self.tagger, [s for p in prepared for s in p.sentences])
        except Exception:  # noqa: BLE001 — told per article below
            return [_tagged_alone(self.tagger, p) for p in prepared]
        results = iter(tagged)
        return [[next(results) for _ in p.sentences] for p in prepared]

    def _extract(self, article: Article, sentences: list[Sentence], tagged: list[list[Token]]) -> Extraction:
        doc = Extraction(article=article, sentences=sentences, disabled_rules=self.disabled_rules)
        doc.tokens = [
            [Token(t.text, t.start + s.start, t.end + s.start, t.tag) for t in tokens]
            for s, tokens in zip(doc.sentences, tagged)
        ]
        for _, func in self.components:
            func(doc)
            if len(doc.mentions) > MAX_MENTIONS:
                raise ArticleTooLarge(f"{len(doc.mentions):,} names, places and events in one article, more than {MAX_MENTIONS:,}: not read (is it one article?)")
        doc.mentions.sort(key=lambda m: (m.start, -m.end, m.type))
        return doc


@dataclass(frozen=True)
class _Prepared:
    """An article ready to be tagged: ``analysed`` is its analysed view (the article itself when
    the view changed nothing), ``sentences`` the view's."""

    article: Article
    analysed: Article
    view: AnalysedView
    sentences: list[Sentence]


def _prepared(article: Article) -> _Prepared:
    if len(article.text) > MAX_ARTICLE_CHARS:
        raise ArticleTooLarge(f"{len(article.text):,} characters in one article, more than {MAX_ARTICLE_CHARS:,}: not read (split it into its articles)")
    view = analysed_view(article.text)
    article.script = view.script
    analysed = article
    if view.changed:
        analysed = replace(
            article,
            text=view.text,
            title=analysed_view(article.title, view.script).text,
            subtitles=[analysed_view(s, view.script).text for s in article.subtitles],
        )
    return _Prepared(article, analysed, view, split_sentences(analysed.text))


def _tag(tagger: Tagger, sentences: list[Sentence]) -> list[list[Token]]:
    """The tokens of each sentence, or ValueError when the tagger answers for another number of them."""
    tagged = tagger.tag([s.text for s in sentences])
    if len(tagged) != len(sentences):
        raise ValueError(f"the tagger gave {len(tagged)} results for {len(sentences)} sentences")
    return tagged


def _tagged_alone(tagger: Tagger, prepared: _Prepared) -> list[list[Token]] | Exception:
    try:
        return _tag(tagger, prepared.sentences)
    except Exception as exc:  # noqa: BLE001 — this article's failure, not the batch's
        return exc


def _as_printed(doc: Extraction, article: Article, view: AnalysedView) -> Extraction:
    """Offsets and texts of the analysed view moved back onto the original article: a mention's
    text is what the article prints (林鄭月娥), its key the analysed form (林郑月娥)."""
    found = {id(m): m for m in doc.mentions}
    for f in doc.facts:
        for m in (f.subject, f.object, f.attrs.get("venue")):
            if m is not None:
                found.setdefault(id(m), m)
    for m in found.values():
        analysed = m.text
        m.start, m.end = view.span(m.start, m.end)
        m.text = article.text[m.start : m.end]
        if not m.key and m.text != analysed:
            m.key = analysed
        resolution = m.attrs.get("resolution")
        if resolution and resolution.get("printed") == analysed:
            resolution["printed"] = m.text
    evidence: dict[Evidence, Evidence] = {}
    for f in doc.facts:
        ev = f.evidence
        if ev not in evidence:
            start, end = view.span(ev.start, ev.end)
            evidence[ev] = Evidence(ev.article, article.text[start:end], start, end, ev.extractor)
        f.evidence = evidence[ev]
    doc.sentences = [Sentence(start, end, article.text[start:end]) for start, end in (view.span(s.start, s.end) for s in doc.sentences)]
    doc.tokens = [[Token(t.text, *view.span(t.start, t.end), t.tag) for t in tokens] for tokens in doc.tokens]
    doc.credit_spans = [view.span(s, e) for s, e in doc.credit_spans]
    doc.article = article
    return doc


class _CallableModule(ModuleType):
    """``kg.extract`` is both this package and the API's function (kg/api.py): importing the
    package sets ``kg.extract`` to it, so calling the package calls the function."""

    def __call__(self, text: str, **options) -> Extraction:
        from kg.api import extract

        return extract(text, **options)


sys.modules[__name__].__class__ = _CallableModule
