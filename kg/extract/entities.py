"""Persons (with the posts printed before their names), organisations, places, venues, dates."""

from __future__ import annotations

import re

from kg import lexicon
from kg.dates import DATE_EXPRESSION, resolve
from kg.extract import component
from kg.model import DATE, ORGANIZATION, PERSON, PLACE, POST, Evidence, Extraction, Fact, Mention
from kg.nlp.ner import Token
from kg.text import fold_width

EXTRACTOR = "entities.v1"
_ADMIN_SUFFIX = re.compile(r"(?:省|市|县|区|州|镇|乡|街道|自治区|特别行政区)$")
# tokens that may stand inside a chain of posts before a name: 中共中央/ORG 总书记/n 、 国家主席/n
# (国务院/ORG 副/a 秘书长/n: 副 is tagged as an adjective)
_POST_CHAIN_TAGS = {"n", "nz", "ORG", "LOC", "j", "vn", "w", "a"}


def _post_pattern() -> re.Pattern:
    return re.compile(rf"(?:{lexicon.alternation(lexicon.words('posts.txt'))})$")


def _venue_pattern() -> re.Pattern:
    suffixes = lexicon.alternation(lexicon.words("venue_suffixes.txt"))
    return re.compile(rf"在(?P<venue>[^\s，。、；：！？,;:!?在和与]{{0,12}}?(?:{suffixes}))")


def org_subtype(name: str) -> str:
    for suffix, (subtype,) in lexicon.table("org_suffixes.tsv").items():
        if name.endswith(suffix):
            return subtype
    return "other"


def _posts_before(doc: Extraction, tokens, index: int) -> list[tuple[str, int, int]]:
    """The posts printed right before the person token at ``index``, as (post, start, end)."""
    j = index - 1
    while j >= 0 and tokens[j].tag in _POST_CHAIN_TAGS and (tokens[j].tag != "w" or tokens[j].text == "、"):
        j -= 1
    start, end = (tokens[j + 1].start if j + 1 < index else tokens[index].start), tokens[index].start
    posts, pattern, pos = [], _post_pattern(), end
    for part in reversed(doc.article.text[start:end].split("、")):
        part_start = pos - len(part)
        if not part or not pattern.search(part):
            break
        posts.append((part, part_start, pos))
        pos = part_start - 1
    return posts[::-1]


def _post_after(tokens, index: int) -> list[tuple[str, int, int]]:
    """韩正副总理, 江泽民主席: a bare title printed right after the name."""
    nxt = tokens[index + 1] if index + 1 < len(tokens) else None
    if nxt is not None and nxt.start == tokens[index].end and _post_pattern().fullmatch(nxt.text):
        return [(nxt.text, nxt.start, nxt.end)]
    return []


def _evidence(doc: Extraction, sentence) -> Evidence:
    return Evidence(doc.article.id, sentence.text, sentence.start, sentence.end, EXTRACTOR)


def _in_credit(doc: Extraction, start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in doc.credit_spans)


def _out_of_credits(doc: Extraction, tokens: list[Token]) -> list[Token]:
    """新华社北京1月14日电国务院新闻办公室: a token that runs out of a dateline starts after it."""
    out = []
    for tok in tokens:
        cut = max((e for s, e in doc.credit_spans if s <= tok.start < e < tok.end), default=tok.start)
        out.append(Token(tok.text[cut - tok.start :], cut, tok.end, tok.tag) if cut > tok.start else tok)
    return out


def _merged(tokens: list[Token]) -> list[Token]:
    """Names the tagger cut in two: 香港/LOC 中华总商会/ORG -> 香港中华总商会/ORG (a place printed
    before an organisation is part of its name), 司马义/PER ·艾买提 -> 司马义·艾买提/PER."""
    out: list[Token] = []
    for tok in tokens:
        prev = out[-1] if out and out[-1].end == tok.start else None
        if prev and tok.tag == "ORG" and prev.tag == "LOC" or prev and prev.tag == "PER" and tok.text.startswith("·"):
            out.pop()
            tok = Token(prev.text + tok.text, prev.start, tok.end, "ORG" if tok.tag == "ORG" else "PER")
        out.append(tok)
    return out


@component("entities.v1")
def entities(doc: Extraction) -> None:
    text = doc.article.text
    folded = fold_width(text)
    venues = []
    for sentence in doc.sentences:
        for m in _venue_pattern().finditer(folded, sentence.start, sentence.end):
            sub = m["venue"].endswith(("分会场", "主会场"))
            venue = Mention(text[m.start("venue") : m.end("venue")], PLACE, m.start("venue"), m.end("venue"), "venue", source=EXTRACTOR, attrs={"sub_venue": sub})
            venues.append(venue)
    doc.mentions.extend(venues)

    for sentence, tokens in zip(doc.sentences, doc.tokens):
        evidence = _evidence(doc, sentence)
        tokens = _merged(_out_of_credits(doc, tokens))
        for i, tok in enumerate(tokens):
            name = tok.text.strip()
            if tok.tag not in ("PER", "LOC", "ORG") or len(name) < 2 or _in_credit(doc, tok.start, tok.end):
                continue
            if tok.tag == "PER" and len(name) > 5 and "·" not in name:
                continue  # 李鹏乔石朱镕基: names glued together in a headline (奥尔布赖特 is one)
            if any(v.start <= tok.start and tok.end <= v.end and (tok.tag != "LOC" or v.text == tok.text) for v in venues):
                continue
            if tok.tag == "PER":
                person = Mention(tok.text, PERSON, tok.start, tok.end, source=EXTRACTOR)
                for post, start, end in _posts_before(doc, tokens, i) + _post_after(tokens, i):
                    mention = Mention(text[start:end], POST, start, end, source=EXTRACTOR)
                    doc.mentions.append(mention)
                    person.attrs.setdefault("posts", []).append(post)
                    doc.facts.append(Fact("holds_post", person, mention, evidence, value=post))
                doc.mentions.append(person)
            elif tok.tag == "LOC" or _ADMIN_SUFFIX.search(name):
                doc.mentions.append(Mention(tok.text, PLACE, tok.start, tok.end, "admin" if _ADMIN_SUFFIX.search(name) else "", source=EXTRACTOR))
            else:
                doc.mentions.append(Mention(tok.text, ORGANIZATION, tok.start, tok.end, org_subtype(name), source=EXTRACTOR))

    # 今天 in 新华社北京１月１３日电 is the 13th: relative dates count from the dateline
    base = doc.article.date
    for fact in doc.facts:
        if fact.kind == "dateline" and fact.value:
            dateline = DATE_EXPRESSION.search(fold_width(fact.value))
            base = dateline and resolve(dateline, doc.article.date) or base
            break
    for m in DATE_EXPRESSION.finditer(folded):
        value = resolve(m, base if m["relative"] else doc.article.date)
        if value:
            doc.mentions.append(Mention(text[m.start() : m.end()], DATE, m.start(), m.end(), key=value, source=EXTRACTOR))
