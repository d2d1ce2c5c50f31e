"""Resolution: which mentions of one article name the same thing, and by which rule.

Runs between entities.v1 and events.v1, so that participation already sees resolved mentions.
Each rule is deterministic and explainable; what it links is recorded on the mention as
``attrs["resolution"]`` (rule, this component, and what the rule relied on) for the graph's
provenance. A reference that fits more than one candidate, or none, stays unresolved.

- surname+title: 江主席 is the one person of the article with the surname 江 who holds a post
  ending with 主席 (国家主席江泽民); it becomes a person mention keyed by the full name. When
  no one in the article fits, 江主席 stays a person mention of its own, marked a reference,
  for resolution across articles.
- legal-suffix: 传化集团有限公司, 传化集团股份有限公司 and 传化集团 are one company, keyed 传化集团.
- delegation: 访问团 and 江陵市议会访问团 after 韩国江原道江陵市议会访问团 are that delegation, when it
  is the one delegation of the article whose name ends so (data/delegation_words.txt).
- places and government bodies by administrative area (gazetteer, home-place, government-body):
  see kg/resolve/areas.py.
"""

from __future__ import annotations

import re
from functools import cache

from kg import lexicon
from kg.model import ORGANIZATION, PERSON, Extraction, Mention
from kg.nlp.names import compound_surnames, surname_of
from kg.resolve.areas import RESOLVER, home_area, resolve_areas, resolve_post_areas
from kg.shared.components import component

SURNAME_TITLE, LEGAL_SUFFIX, DELEGATION = "surname+title", "legal-suffix", "delegation"


@cache
def _reference_pattern() -> re.Pattern:
    # zero-width, so that matches may overlap: 办主任 must not swallow the 任 of 任书记 after it
    compound = lexicon.alternation(sorted(compound_surnames()))
    return re.compile(rf"(?=(?P<surname>{compound}|[\u4e00-\u9fff])(?P<title>{lexicon.alternation(lexicon.words('posts.txt'))}))")


def company_key(name: str) -> str:
    """The identity of a company name without its legal form, when enough of a name remains."""
    for suffix in lexicon.words("legal_suffixes.txt"):
        if name.endswith(suffix):
            rest = name[: -len(suffix)]
            return rest if rest.endswith("集团") or len(rest) >= 4 else name
    return name


def _resolve_organizations(doc: Extraction) -> None:
    for m in doc.mentions:
        if m.type == ORGANIZATION and (key := company_key(m.label)) != m.label:
            m.attrs["resolution"] = {"rule": LEGAL_SUFFIX, "by": RESOLVER, "printed": m.label}
            m.key = key


def _resolve_delegations(doc: Extraction) -> None:
    words = lexicon.words("delegation_words.txt")
    delegations = {m.label for m in doc.mentions if m.type == ORGANIZATION and m.label.endswith(words)}
    for m in doc.mentions:
        if m.type != ORGANIZATION or not m.label.endswith(words):
            continue
        longer = [d for d in delegations if d != m.label and d.endswith(m.label)]
        whole = max(longer, key=len, default=None)
        if whole is not None and all(whole.endswith(d) for d in longer):  # one delegation, named whole
            m.attrs["resolution"] = {"rule": DELEGATION, "by": RESOLVER, "whole": whole}
            m.key = whole


def _resolve_references(doc: Extraction) -> None:
    posts: dict[str, set[str]] = {}  # full name -> the posts the article prints before or after it
    for f in doc.facts:
        if f.kind == "holds_post" and len(f.subject.label) > 1:
            posts.setdefault(f.subject.label, set()).add(f.value)
    named = {(m.start, m.end): m for m in doc.mentions if m.type == PERSON and not m.attrs.get("credit")}  # 任书记/PER
    taken = [(m.start, m.end) for m in doc.mentions] + list(doc.credit_spans)
    for match in _reference_pattern().finditer(doc.article.text):
        start, end = match.start("surname"), match.end("title")
        if (start, end) not in named and any(s < end and start < e for s, e in taken):
            continue  # 委书记 in the post 市委书记, 芳书记 in 王芳书记
        fits = {}  # candidate -> the post that makes the title fit
        for name, held in posts.items():
            titled = sorted(p for p in held if p.endswith(match["title"]))
            if surname_of(name) == match["surname"] and titled:
                fits[name] = titled[0]
        if len(fits) != 1:
            if not fits and _is_reference(match):  # kept as what it says, for kg/resolve/across.py
                if (start, end) in named:
                    named[start, end].attrs["reference"] = True
                else:
                    doc.insert_in_text_order(Mention(match.group("surname") + match.group("title"), PERSON, start, end, source=RESOLVER, attrs={"reference": True}))
                    taken.append((start, end))
            continue  # more than one: unresolved
        ((name, post),) = fits.items()
        resolution = {"rule": SURNAME_TITLE, "by": RESOLVER, "post": post}
        if (start, end) in named:
            named[start, end].key, named[start, end].attrs["resolution"] = name, resolution
            continue
        doc.insert_in_text_order(Mention(doc.article.text[start:end], PERSON, start, end, key=name, source=RESOLVER, attrs={"resolution": resolution}))
        taken.append((start, end))


def _is_reference(match: re.Match) -> bool:
    start, text = match.start("surname"), match.string
    before = text[start - 1] if start else ""
    allowed = lexicon.sections("reference_titles.txt")
    return (
        match["surname"] in lexicon.ranked("surnames.txt")
        and match["title"] in allowed["titles"]
        and (not "\u4e00" <= before <= "\u9fff" or before in allowed["preceded_by"])
    )


@component(RESOLVER)
def resolve(doc: Extraction) -> None:
    _resolve_organizations(doc)
    _resolve_delegations(doc)
    home = home_area(doc)
    resolve_areas(doc, home)
    resolve_post_areas(doc, home)
    _resolve_references(doc)
