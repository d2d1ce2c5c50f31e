"""Events: named meetings, ceremonies and exhibitions, the article's own event, and its when,
where and how (date, venue, sub-venue, video conference)."""

from __future__ import annotations

import re
from functools import cache

from kg import lexicon
from kg.extract import component
from kg.model import DATE, EVENT, PLACE, Evidence, Extraction, Fact, Mention
from kg.text import fold_width

EXTRACTOR = "events.v1"
_TRIM_TAGS = {"v", "vd", "ad", "d", "p", "c", "u", "r", "TIME", "m", "t", "w", "f"}


@cache
def _scanner() -> re.Pattern:
    """Event head nouns first, so a boundary word (开幕) never cuts a head noun (开幕式)."""
    verbs = lexicon.sections("event_verbs.txt")
    return re.compile(
        rf"(?P<noun>{lexicon.alternation(lexicon.table('event_nouns.tsv'))})"
        rf"|(?P<boundary>{lexicon.alternation(verbs['boundary'])}|[，。、；：！？,;:!?()（）\s《》])"
    )


def _chunk_events(text: str, start: int, end: int):
    """(name_start, name_end, head_noun) for each event-looking phrase of a sentence."""
    chunk_start, last_noun = start, None
    for m in _scanner().finditer(text, start, end):
        if m["noun"]:
            last_noun = m
            continue
        if last_noun:
            yield chunk_start, last_noun.end(), last_noun["noun"]
        chunk_start, last_noun = m.end(), None
    if last_noun:
        yield chunk_start, last_noun.end(), last_noun["noun"]


def _trim_left(doc: Extraction, tokens, start: int, end: int) -> int:
    """Drop leading verbs, adverbs, dates and the like: 深化开展“…”活动 -> “…”活动."""
    for tok in tokens:
        if tok.end <= start:
            continue
        if tok.start >= end or tok.tag not in _TRIM_TAGS or tok.text[0] in "“\"「第":
            break
        start = max(start, tok.end)
    return start


def _cut_at_de(text: str, start: int, end: int, noun: str) -> int:
    """题为“…共奏华章”的新年音乐会 -> 新年音乐会: what stands before 的 describes the event,
    unless what follows 的 is only the head noun (移交史料的仪式)."""
    de = text.rfind("的", start, end)
    return de + 1 if de >= 0 and end - de - 1 >= len(noun) + 2 else start


def _held_right_before(text: str, start: int) -> bool:
    """举行座谈会, 召开了纪念会: a bare head noun that a held verb names as taking place."""
    held = lexicon.alternation(lexicon.sections("event_verbs.txt")["held"])
    return re.search(rf"(?:{held})了?$", text[max(0, start - 4) : start]) is not None


def _head(name: str) -> str:
    return next((noun for noun in lexicon.table("event_nouns.tsv") if name.endswith(noun)), name)


def _forms() -> dict[str, tuple[str, ...]]:
    return lexicon.table("event_forms.tsv")


@component("events.v1")
def events(doc: Extraction) -> None:
    text, folded = doc.article.text, fold_width(doc.article.text)
    nouns = lexicon.table("event_nouns.tsv")
    references = lexicon.sections("event_verbs.txt")["reference"]
    held = lexicon.sections("event_verbs.txt")["held"]
    found: list[tuple[Mention, int]] = []  # (mention, sentence index)
    for index, (sentence, tokens) in enumerate(zip(doc.sentences, doc.tokens)):
        for start, end, noun in _chunk_events(folded, sentence.start, sentence.end):
            start = _cut_at_de(folded, _trim_left(doc, tokens, start, end), end, noun)
            if any(m.start < end < m.end for m in doc.mentions if m.type != DATE):
                continue  # 人民大会|堂: the head noun is inside a name, not an event
            name = text[start:end]
            if any(name.endswith(form) and folded[end : end + 2] == "形式" for form in _forms()):
                continue  # 以视频会议形式召开: how it was held, not another event
            bare = name == noun or any(name == ref + noun for ref in references)
            if len(name) < len(noun) + 2 and not bare:
                continue
            mention = Mention(name, EVENT, start, end, nouns[noun][0], key="" if bare else name, source=EXTRACTOR, attrs={"reference": bare})
            found.append((mention, index))

    named = [(m, i) for m, i in found if not m.attrs["reference"]]
    body_start = len(doc.article.title) + sum(len(s) + 1 for s in doc.article.subtitles)
    held_pattern = re.compile(lexicon.alternation(held))

    def is_held(item) -> bool:
        return bool(held_pattern.search(doc.sentences[item[1]].text))

    ranked = (
        [x for x in named if x[0].start >= body_start and is_held(x)]
        or [x for x in named if x[0].start < body_start]
        or [x for x in found if x[0].start >= body_start and _held_right_before(folded, x[0].start)]
        or named
    )
    if not ranked:
        doc.mentions.extend(m for m, _ in found)
        return
    main, main_sentence = ranked[0]
    if main.attrs["reference"]:  # 团结出版社举行座谈会: the bare noun names the article's event
        main.key, main.attrs["reference"] = main.text, False
    doc.main_event = main
    for mention, _ in named:
        if mention.key != main.key and main.key.startswith(mention.key):
            mention.attrs["super_event_of_main"] = True  # 摄影展 is the whole of 摄影展开幕式
    for mention, _ in found:
        if mention.attrs["reference"]:
            # 本次摄影展 -> the exhibition named before; 会议, 大会, 活动 -> the article's event
            head = _head(mention.text)
            own = [m for m, _ in named if m.start < mention.start and m.key.endswith(head) and (m.key == main.key or m.attrs.get("super_event_of_main"))]
            mention.key = own[-1].key if own else main.key
        mention.attrs["refers_to_main"] = mention.key == main.key
    doc.mentions.extend(m for m, _ in found)
    describe_event(doc, main, doc.sentences[main_sentence])


def describe_event(doc: Extraction, main: Mention, sentence, extractor: str = EXTRACTOR) -> None:
    """Date, venue and form of an event, read from the sentence that says it was held."""
    forms = _forms()
    evidence = Evidence(doc.article.id, sentence.text, sentence.start, sentence.end, extractor)
    inside = [m for m in doc.mentions if sentence.start <= m.start < sentence.end]
    date = next((m for m in inside if m.type == DATE and len(m.key) == 10 or m.type == DATE and m.key.startswith("--")), None)
    if date is None:  # the dateline or the first date of the article
        date = next((m for m in doc.mentions if m.type == DATE and (len(m.key) == 10 or m.key.startswith("--"))), None)
    if date is not None:
        doc.facts.append(Fact("event_date", main, date, evidence, value=date.key))
    for venue in (m for m in inside if m.type == PLACE and m.subtype == "venue" and not m.attrs.get("sub_venue")):
        doc.facts.append(Fact("event_venue", main, venue, evidence))
    folded = fold_width(sentence.text)
    for phrase, (mode, label) in forms.items():
        if phrase in folded:
            doc.facts.append(Fact("event_form", main, None, evidence, value=label, attrs={"mode": mode}))
            break
