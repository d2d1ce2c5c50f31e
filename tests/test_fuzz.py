"""Property-based tests: arbitrary text, line breaks, widths and JSON never crash ingest or
extraction, and never give an offset outside its text."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.ingest.decode import InputError, decode
from kg.ingest.jsonl import read_jsonl
from kg.ingest.page import split_page
from kg.model import Article

# Chinese news text, its punctuation and full-width forms, and anything else Unicode has
NEWS_CHARS = "新华社北京今天昨日市长李明胡勇春出席参加会议大会座谈会主持讲话在永康分会场市博物馆举行本报讯记者摄１月１３日电（）“”，。、：；！？ \n　"
news_text = st.text(alphabet=st.sampled_from(NEWS_CHARS), max_size=300)
any_text = st.text(max_size=300)
texts = st.one_of(news_text, any_text, st.builds(lambda a, b: a + b, news_text, any_text))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@st.composite
def broken_pages(draw):
    """Text hard-broken at random widths, with random blank lines: what PDF extraction gives."""
    text = draw(texts)
    lines, pos = [], 0
    while pos < len(text):
        width = draw(st.integers(1, 40))
        lines.append(text[pos : pos + width])
        pos += width
        lines.extend([""] * draw(st.integers(0, 2)))
    return "\n".join(lines)


@FUZZ
@given(broken_pages())
def test_page_splitting_keeps_every_character_where_it_was(page):
    for article in split_page(page, "p"):
        assert article.source_offsets is None or len(article.source_offsets) == len(article.text)
        for i, char in enumerate(article.text):
            start, end = article.source_span(i, i + 1)
            assert 0 <= start < end <= len(page)
            if char != "\n":
                assert page[start:end] == char


@FUZZ
@given(st.lists(st.one_of(st.text(max_size=60), st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20), lambda c: st.lists(c, max_size=3) | st.dictionaries(st.sampled_from(["id", "doc_id", "text", "content", "title", "date", "x"]), c, max_size=5)).map(json.dumps)), max_size=8))
def test_json_lines_never_crash(lines):
    try:
        for item in read_jsonl(list(enumerate(lines, start=1)), "feed.jsonl"):
            assert isinstance(item, (Article, InputError))
            if isinstance(item, Article):
                assert isinstance(item.text, str) and item.text.strip()
    except InputError as exc:  # a first line that is no JSON: the file is no JSON Lines
        assert str(exc).startswith("feed.jsonl: not JSON Lines")


@FUZZ
@given(st.binary(max_size=200))
def test_decoding_any_bytes_gives_text_or_a_named_error(data):
    try:
        assert isinstance(decode(data, "f.txt"), str)
    except InputError as exc:
        assert str(exc).startswith("f.txt: ")


@FUZZ
@given(texts, st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
def test_extraction_offsets_stay_inside_the_text(pipeline, text, date):
    doc = pipeline(Article(id="fuzz", text=text, date=date))
    for m in doc.mentions:
        assert 0 <= m.start < m.end <= len(text) and text[m.start : m.end] == m.text
    for f in doc.facts:
        ev = f.evidence
        assert 0 <= ev.start <= ev.end <= len(text) and text[ev.start : ev.end] == ev.sentence
