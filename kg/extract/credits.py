"""Bylines, datelines and photo credits: who reported and photographed, and where from.

Names found here are credits, never participants: later components skip their spans.
"""

from __future__ import annotations

import re

from kg import lexicon
from kg.extract import component
from kg.model import PERSON, PLACE, Evidence, Extraction, Fact, Mention
from kg.nlp.names import read_run_of_names
from kg.text import fold_width

EXTRACTOR = "credits.v1"


def _role_words() -> dict[str, str]:
    return {word: role for role, words in lexicon.toml("credits.toml")["roles"].items() for word in words}


def _marks() -> dict[str, str]:
    return {mark: role for role, marks in lexicon.toml("credits.toml")["marks"].items() for mark in marks}


def _is_no_name(name: str) -> bool:
    """星期二 of a date in brackets, 分享到朋友圈 of a page's furniture, a body signing (作者:办公厅):
    read where a name would be."""
    words = lexicon.toml("credits.toml")["not_names"]["words"]
    return any(word in name for word in words) or name.endswith(tuple(lexicon.table("org_suffixes.tsv")))


def _names(text: str, start: int, end: int, default_role: str) -> list[tuple[str, int, int, str]]:
    """Split ``融媒首席记者 陈晓苏 通讯员 李四`` into (name, start, end, role).

    A run of characters right before a job word is the outlet (中央人民广播电台记者), not a name;
    six characters without a break are two names of three (梁金堂陈存松摄); a mark after a name
    gives its own credit (马军/图).
    """
    roles, marks = _role_words(), _marks()
    words = lexicon.alternation(roles)
    pattern = re.compile(rf"({words})|((?:(?!{words})[\u4e00-\u9fff])+)")
    marked = re.compile(rf"\s*({lexicon.alternation(marks)})")
    out, role, word_end = [], default_role, -1
    for m in pattern.finditer(text, start, end):
        if m.group(1):
            role = "photographer" if default_role == "photographer" else roles[m.group(1)]
            word_end = m.end()
            continue
        after = pattern.match(text, m.end(), end)
        if m.start() == word_end or not (after and after[1]):  # 记者李争艳本报记者: a name, then a job
            mark = marked.match(text, m.end(), end)
            credit = "photographer" if default_role == "photographer" else marks[mark[1]] if mark else role
            runs = _split_run(text, m.start(2), len(m[2]))
            out += [(text[s : s + n], s, s + n, credit) for s, n in runs if not _is_no_name(text[s : s + n])]
    return out


def _split_run(text: str, start: int, length: int) -> list[tuple[int, int]]:
    """(start, length) of the names in a run of characters: one of 2-4, or several names of two or
    three characters, each opening with a surname (曹照琴谢国明王尧): the reading with the most
    three-character names, then the commonest surnames (王尧 before 明王尧). No such reading:
    names of three, when they fit exactly (a surname the list lacks), else none."""
    if 2 <= length <= 4:
        return [(start, length)]
    if names := read_run_of_names(text[start : start + length]):
        return [(start + s, e - s) for s, e in names]
    return [(s, 3) for s in range(start, start + length, 3)] if length % 3 == 0 else []


def _tagged_as_place_or_org(doc: Extraction, start: int, end: int) -> bool:
    """A name without a job word (a line 安徽 after the title) may be a section label: the tagger tells."""
    return any(t.tag in ("LOC", "ORG") and t.start < end and start < t.end for tokens in doc.tokens for t in tokens)


def _places(doc: Extraction, start: int, end: int) -> list[Mention]:
    """本报德国慕尼黑…电: the dateline's place as the tagger cut it (德国, 慕尼黑), the last one known by
    the whole name; the whole as one place when the tagger does not cover it."""
    text = doc.article.text
    parts = [t for tokens in doc.tokens for t in tokens if t.tag == "LOC" and start <= t.start and t.end <= end]
    if len(parts) < 2 or sum(t.end - t.start for t in parts) != end - start:
        return [Mention(text[start:end], PLACE, start, end, source=EXTRACTOR)]
    key = [""] * (len(parts) - 1) + [text[start:end]]
    return [Mention(t.text, PLACE, t.start, t.end, key=k, source=EXTRACTOR) for t, k in zip(parts, key)]


def _evidence(doc: Extraction, start: int, end: int) -> Evidence:
    sentence = next((s for s in doc.sentences if s.start <= start < s.end), None)
    s, e = (sentence.start, sentence.end) if sentence else (start, end)
    return Evidence(doc.article.id, doc.article.text[s:e], s, e, EXTRACTOR)


def _read(folded: str, section: str, spans: list[tuple[int, int]]) -> list[re.Match]:
    """The matches of a credits.toml section where no earlier pattern read, each span added to
    ``spans`` (the text later components keep their participants out of)."""
    out = []
    for pattern in lexicon.patterns("credits.toml", section):
        for m in pattern.finditer(folded):
            if not any(s < m.end() and m.start() < e for s, e in spans):
                spans.append((m.start(), m.end()))
                out.append(m)
    return out


@component("credits.v1")
def credits(doc: Extraction) -> None:
    folded = fold_width(doc.article.text)
    spans = doc.credit_spans
    found = [(m, role) for section, role in (("byline", "reporter"), ("photo_credit", "photographer")) for m in _read(folded, section, spans)]
    _read(folded, "furniture", spans)  # a page's editors and owner: kept from the participants, not recorded
    for m, role in found:
        evidence = _evidence(doc, m.start(), m.end())
        if m.groupdict().get("place"):
            places = _places(doc, m.start("place"), m.end("place"))
            doc.mentions.extend(places)
            doc.facts.append(Fact("dateline", places[-1], None, evidence, value=m.groupdict().get("date") or ""))
        if not m.groupdict().get("names"):
            continue
        bare = not re.search(lexicon.alternation(_role_words()), m["names"])
        for name, start, end, credit in _names(folded, m.start("names"), m.end("names"), role):
            if bare and _tagged_as_place_or_org(doc, start, end):
                continue
            person = Mention(doc.article.text[start:end], PERSON, start, end, source=EXTRACTOR, attrs={"credit": credit})
            doc.mentions.append(person)
            kind = "photographer" if credit == "photographer" else "reporter"
            doc.facts.append(Fact(kind, person, None, evidence, role=credit))
