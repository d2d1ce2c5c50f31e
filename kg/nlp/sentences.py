"""Sentences with offsets: facts are read within one sentence and cite it as evidence."""

from __future__ import annotations

import re

from kg.model import Sentence
from kg.text import CLOSERS, SENTENCE_END

_END = re.compile(rf"[{re.escape(SENTENCE_END)}]+[{re.escape(CLOSERS)}]*|\n+")


def split_sentences(text: str) -> list[Sentence]:
    out, start = [], 0
    for m in _END.finditer(text):
        end = m.end() if m.group()[0] != "\n" else m.start()
        if text[start:end].strip():
            out.append(_trimmed(text, start, end))
        start = m.end()
    if text[start:].strip():
        out.append(_trimmed(text, start, len(text)))
    return out


def _trimmed(text: str, start: int, end: int) -> Sentence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end, text[start:end])
