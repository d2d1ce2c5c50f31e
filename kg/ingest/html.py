"""Saved web pages: the article's body, headline and date (trafilatura, htmldate), navigation,
footers and comments left out; ``<link rel=canonical>`` or ``og:url`` as the article's url."""

from __future__ import annotations

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
        date=doc.date or None,
        source=(doc.sitename or "").strip(),
        url=page_url(source, (doc.url or "").strip() if doc is not None else ""),
        path=path,
        source_offsets=aligned(text, source),
    )
