"""The typed records that flow through the pipeline: Article -> Mention -> Fact.

Offsets are always into ``Article.text`` (half-open ``[start, end)``); ``Article.source_offsets``
maps them back to the original file when the article was cut out of a larger text (a newspaper
page), so evidence can always be found in what the user gave us.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

# Entity types, as written in ``kg extract`` output (a subtype follows a colon).
PERSON, ORGANIZATION, PLACE, EVENT, DATE, POST = "person", "organization", "place", "event", "date", "post"

# Participation roles, weakest first (a person who spoke also attended).
ROLES = ("attendee", "guest", "speaker", "chair", "host")


@dataclass
class Article:
    id: str
    text: str
    title: str = ""
    subtitles: list[str] = field(default_factory=list)
    date: str | None = None  # publication date, ISO YYYY-MM-DD
    source: str = ""  # newspaper or feed name
    home_place: str = ""  # the newspaper's home area, for 我市, 市博物馆, 市经信局 (永康市)
    url: str = ""
    path: str = ""  # file the article was read from, as the sources named it
    source_file: str = ""  # the same file's absolute path (kgo:sourceFile), set where the sources are read
    line: int = 0  # its line in a JSON Lines feed (0: the whole file)
    section: str = ""
    source_offsets: list[int] | None = None  # text index -> offset in the file; None: identical
    script: str = ""  # simplified | traditional, told by the pipeline (kg.nlp.script)

    @property
    def body_start(self) -> int:
        """Where the body begins in ``text``: after the headline and subtitles the text opens
        with (a page's article, a plain file's first line); 0 when it does not print them (a
        feed's record whose title is a field of its own)."""
        pos = 0
        for head in [self.title, *self.subtitles] if self.title else []:
            at = len(self.text) - len(self.text[pos:].lstrip())
            if not head or not self.text.startswith(head, at):
                break
            pos = at + len(head)
        return pos

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Where ``text[start:end]`` stands in the original input."""
        if self.source_offsets is None or not self.text:
            return start, end
        last = len(self.source_offsets) - 1
        first = self.source_offsets[min(start, last)]
        return first, self.source_offsets[min(end - 1, last)] + 1 if end > start else first

    @property
    def content_hash(self) -> str:
        # the home place changes what 市博物馆 names: a new home place is a new version
        home = f"\n{self.home_place}" if self.home_place else ""
        return hashlib.sha256(f"{self.title}\n{self.text}{home}".encode()).hexdigest()[:16]


def article_batches(articles: Iterable[Article], size: int, chars: int | None = None) -> Iterator[list[Article]]:
    """``articles`` in order, in lists of ``size`` (and of ``chars`` characters at most, unless
    one article alone is longer)."""
    batch: list[Article] = []
    held = 0
    for article in articles:
        if batch and chars is not None and held + len(article.text) > chars:
            yield batch
            batch, held = [], 0
        batch.append(article)
        held += len(article.text)
        if len(batch) == size:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class Mention:
    """A stretch of article text that names something."""

    text: str
    type: str  # person | organization | place | event | date | post
    start: int
    end: int
    subtype: str = ""  # company | government | venue | admin | meeting | exhibition | ...
    key: str = ""  # normalised name used for identity (post stripped, date value, ...)
    source: str = ""  # the component that found it
    attrs: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.key or self.text

    @property
    def full_type(self) -> str:
        return f"{self.type}:{self.subtype}" if self.subtype else self.type


@dataclass(frozen=True)
class Evidence:
    article: str
    sentence: str
    start: int  # sentence span in the article text
    end: int
    extractor: str


@dataclass
class Fact:
    """A relation between mentions, with the evidence it was read from.

    ``kind`` is one of: participation (subject participant, object event, ``role``),
    event_date, event_venue, event_subvenue, event_form, reporter, photographer, holds_post,
    dateline.
    """

    kind: str
    subject: Mention | None
    object: Mention | None
    evidence: Evidence
    role: str = ""
    value: str = ""  # literal value (date, form, post title)
    attrs: dict = field(default_factory=dict)


@dataclass
class Extraction:
    """All that the pipeline found in one article."""

    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    main_event: Mention | None = None
    tokens: list = field(default_factory=list)  # per sentence: list[Token]
    credit_spans: list[tuple[int, int]] = field(default_factory=list)  # bylines, photo credits
    disabled_rules: frozenset[str] = frozenset()  # rules switched off by name (an ablation)

    def insert_in_text_order(self, m: Mention) -> None:
        """Add a mention among those found so far, which later components read in list order."""
        self.mentions.insert(max((i for i, x in enumerate(self.mentions) if x.start < m.start), default=-1) + 1, m)

    def to_dict(self) -> dict:
        """The record ``kg extract`` prints (JSON): the article, its mentions and its facts, each
        fact with its evidence (sentence, offsets, extractor) and the rule that made it."""

        def mention(m):
            record = {"text": m.text, "type": m.full_type, "start": m.start, "end": m.end}
            if m.key and m.key != m.text:
                record["norm"] = m.key
            return record

        def fact(f):
            record = {"kind": f.kind}
            if f.role:
                record["role"] = f.role
            if f.subject is not None:
                record["subject"] = mention(f.subject)
            if f.object is not None:
                record["object"] = mention(f.object)
            if f.value:
                record["value"] = f.value
            if "venue" in f.attrs:
                record["venue"] = mention(f.attrs["venue"])
            for name in ("rule", "cue", "probability"):  # which named rule made it, on which word
                if name in f.attrs:
                    record[name] = f.attrs[name]
            ev = f.evidence
            record["evidence"] = {"sentence": ev.sentence, "start": ev.start, "end": ev.end, "extractor": ev.extractor}
            return record

        doc = self
        a = doc.article
        record = {"article": a.id, "title": a.title, "date": a.date, "script": a.script}
        if a.url:
            record["url"] = a.url
        return record | {"mentions": [mention(m) for m in doc.mentions], "facts": [fact(f) for f in doc.facts]}

