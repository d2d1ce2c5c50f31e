"""Sentences with offsets: facts are read within one sentence and cite it as evidence."""

from __future__ import annotations

import re

from kg.model import Sentence
from kg.text import CLOSERS, SENTENCE_END

MAX_SENTENCE = 400  # characters: the tagger's memory grows with the input, and facts live in clauses
_SOFT_BREAKS = "，,、 "
# ； ends a clause, not a sentence: 迟浩田，刘华秋，熊光楷；尚慕杰…等会见时在座 is one list of attendees
_STOPS = SENTENCE_END.replace("；", "").replace(";", "")
_END = re.compile(rf"[{re.escape(_STOPS)}]+[{re.escape(CLOSERS)}]*|\n+")


def split_sentences(text: str) -> list[Sentence]:
    out, start = [], 0
    for m in _END.finditer(text):
        end = m.end() if m.group()[0] != "\n" else m.start()
        out.extend(_bounded(text, start, end))
        start = m.end()
    out.extend(_bounded(text, start, len(text)))
    return out


def _bounded(text: str, start: int, end: int) -> list[Sentence]:
    """The sentence, cut at commas (or, failing that, anywhere) into pieces of at most MAX_SENTENCE."""
    pieces = []
    while end - start > MAX_SENTENCE:
        cut = max(text.rfind(c, start, start + MAX_SENTENCE) for c in _SOFT_BREAKS)
        cut = cut + 1 if cut > start else start + MAX_SENTENCE
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return [_trimmed(text, s, e) for s, e in pieces if text[s:e].strip()]


def _trimmed(text: str, start: int, end: int) -> Sentence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end, text[start:end])
