"""Extraction: a pipeline of small named components over one article at a time.

Like spaCy's pipeline, each component is a function registered by name that reads and adds to
an ``Extraction`` (mentions, facts). The order follows the dependencies:
credits (bylines first, so their names are never participants) -> entities -> resolve
(江主席 is 江泽民; 传化集团有限公司 is 传化集团) -> events -> participation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from kg.model import Article, Extraction
from kg.nlp.ner import DEFAULT_TAGGER, Tagger, Token, get_tagger
from kg.nlp.sentences import split_sentences

Component = Callable[[Extraction], None]
COMPONENTS: dict[str, Component] = {}
DEFAULT_PIPELINE = ("credits.v1", "entities.v1", "resolve.v1", "events.v1", "participation.v1")


def component(name: str) -> Callable[[Component], Component]:
    """Register an extraction component under a versioned name."""

    def register(func: Component) -> Component:
        COMPONENTS[name] = func
        return func

    return register


class Pipeline:
    def __init__(self, tagger: str | Tagger = DEFAULT_TAGGER, components: Iterable[str] = DEFAULT_PIPELINE):
        import kg.resolve  # noqa: F401  (registers resolve.v1)
        from kg.extract import credits, entities, events, participation  # noqa: F401  (registers)

        self.tagger = get_tagger(tagger) if isinstance(tagger, str) else tagger
        unknown = [c for c in components if c not in COMPONENTS]
        if unknown:
            raise ValueError(f"unknown extraction component(s): {', '.join(unknown)}")
        self.components = [(name, COMPONENTS[name]) for name in components]

    def __call__(self, article: Article) -> Extraction:
        doc = Extraction(article=article, sentences=split_sentences(article.text))
        tagged = self.tagger.tag([s.text for s in doc.sentences])
        doc.tokens = [
            [Token(t.text, t.start + s.start, t.end + s.start, t.tag) for t in tokens]
            for s, tokens in zip(doc.sentences, tagged)
        ]
        for _, func in self.components:
            func(doc)
        doc.mentions.sort(key=lambda m: (m.start, -m.end, m.type))
        return doc
