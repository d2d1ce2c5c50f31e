"""Saved web pages: the article's body, headline and date (trafilatura, htmldate), navigation,
footers and comments left out; ``<link rel=canonical>`` or ``og:url`` as the article's url."""

from __future__ import annotations

import re

from kg.ingest.decode import InputError
from kg.model import Article

KG_PAGE_MARK = '<meta name="generator" content="kg">'  # written into graph.html by kg viz


def is_kg_page(text: str) -> bool:
    return KG_PAGE_MARK in text[:4096] or 'id="kg-graph"' in text


def aligned(text: str, source: str, window: int = 4000) -> list[int]:
    """For each character of ``text`` (extracted from ``source`` in order), its offset in
    ``source``: found left to right within ``window`` characters of the last one; a character not
    found (an entity, a joining space) points where the search stands."""
    offsets, cursor = [], 0
    for char in text:
        found = source.find(char, cursor, cursor + window) if not char.isspace() else -1
        if found >= 0:
            offsets.append(found)
            cursor = found + 1
        else:
            offsets.append(min(cursor, len(source) - 1))
    return offsets


def page_url(source: str, extracted: str) -> str:
    """The page's own address: ``<link rel=canonical>`` first, else ``og:url``, else what
    trafilatura found; a relative canonical link is resolved against the other two."""
    from urllib.parse import urljoin, urlparse

    import lxml.html

    try:
        head = lxml.html.document_fromstring(source.encode("utf-8"))
    except (ValueError, lxml.etree.ParserError):
        return extracted
    canonical = next((h.strip() for h in head.xpath('//link[contains(concat(" ", normalize-space(translate(@rel, "CANONICAL", "canonical")), " "), " canonical ")]/@href') if h.strip()), "")
    og_url = next((u.strip() for u in head.xpath('//meta[@property="og:url"]/@content') if u.strip()), "")
    base = og_url or extracted
    if canonical and not urlparse(canonical).scheme:
        canonical = urljoin(base, canonical) if urlparse(base).scheme else ""
    return canonical or og_url or extracted


# a date the page prints under a label a feed would name its date field by (发布时间：2024年3月5日
# 10:20, 發布日期：2024-03-05, 日期：中華民國113年3月5日)
_LABELLED_DATE = re.compile(r"(?P<label>[\u4e00-\u9fff]{2,4})\s*[:：]\s*(?P<roc>中華民國|中华民国|民國|民国)?\s*(?P<year>\d{1,4})\s*[年/.-]\s*(?P<month>\d{1,2})\s*[月/.-]\s*(?P<day>\d{1,2})")


def printed_date(source: str) -> str | None:
    """The date the page prints under a date label, read before htmldate's guess (which makes
    2024-01-01 of a page whose only full date is 發布時間：2024年3月5日)."""
    from kg.dates import parse_date
    from kg.ingest.jsonl import FIELD_NAMES, field_key

    for m in _LABELLED_DATE.finditer(re.sub(r"<[^>]*>", " ", source)):
        if field_key(m["label"]) in FIELD_NAMES["date"] and (found := parse_date(f"{m['roc'] or ''}{m['year']}年{m['month']}月{m['day']}日")):
            return found
    return None


def read_html(source: str, article_id: str, path: str) -> Article:
    import trafilatura

    doc = trafilatura.bare_extraction(
        source,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%d"},
    )
    body = (doc.text or "").strip() if doc is not None else ""
    if sum(c.isalnum() for c in body) < 10:  # a link or two of a menu is no article
        raise InputError(path, "a web page with no article text that trafilatura could find")
    title = (doc.title or "").strip()
    text = body if not title or body.startswith(title) else f"{title}\n{body}"
    return Article(
        id=article_id,
        text=text,
        title=title,
        date=printed_date(source) or doc.date or None,
        source=(doc.sitename or "").strip(),
        url=page_url(source, (doc.url or "").strip() if doc is not None else ""),
        path=path,
        source_offsets=aligned(text, source),
    )
