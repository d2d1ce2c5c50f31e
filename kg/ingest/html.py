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
# 10:20, 發布日期：2024-03-05, 日期：中華民國113年3月5日, 發布時間：2024年3月)
_LABELLED_DATE = re.compile(r"(?P<label>[\u4e00-\u9fff]{2,4})\s*[:：]\s*(?P<roc>中華民國|中华民国|民國|民国)?\s*(?P<year>\d{1,4})\s*[年/.-]\s*(?P<month>\d{1,2})(?:\s*[月/.-]\s*(?P<day>\d{1,2}))?")
# a full date printed anywhere in the page (2024年3月5日（星期二）, 2024年03月05日08:23 | 来源：…)
_PRINTED_DAY = re.compile(r"(?P<roc>中華民國|中华民国|民國|民国)?\s*(?P<year>(?:19|20)\d{2}|1\d\d)\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")
# a day in the page's address: …/202403/05/…, /2024-03-05/, /20240305
_ADDRESS_DAY = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])(?!\d)")


def _as_date(m: re.Match) -> str | None:
    from kg.dates import parse_date

    return parse_date(f"{m['roc'] or ''}{m['year']}年{m['month']}月" + (f"{m['day']}日" if m["day"] else ""))


def _labelled_date(visible: str) -> str | None:
    """The date the page prints under a date label (the names feeds give their date field), read
    before htmldate's guess (which makes 2024-01-01 of a page whose only full date is
    發布時間：2024年3月5日)."""
    from kg.ingest.jsonl import FIELD_NAMES, field_key

    for m in _LABELLED_DATE.finditer(visible):
        if field_key(m["label"]) in FIELD_NAMES["date"] and (found := _as_date(m)):
            return found
    return None


def page_date(source: str, guessed: str | None, url: str) -> str | None:
    """The article's date: printed under a date label; else htmldate's, unless that is a 1 January
    it may have made of a year alone; else the day in the page's address; else the first full date
    the page prints (a press release's 2024年3月5日（星期二）); else htmldate's after all."""
    visible = _visible(source)
    if found := _labelled_date(visible):
        return found
    if guessed and not guessed.endswith("-01-01"):
        return guessed
    if m := _ADDRESS_DAY.search(url):
        from kg.dates import parse_iso

        if found := parse_iso("-".join(m.groups())):
            return found
    for m in _PRINTED_DAY.finditer(visible):
        if found := _as_date(m):
            return found
    return guessed


def _visible(source: str) -> str:
    """The page's text, its tags, scripts and styles left out (for the dates it prints)."""
    return re.sub(r"<[^>]*>", " ", re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", source))


_KEPT_SHARE = 0.6  # the precise reading replaces the baseline's only when it keeps this much of the text


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
    if "\n" not in body and source.count("<p") > 1:
        # on a short page trafilatura falls back to its baseline, which runs the page's paragraphs
        # (headline, date line, body) into one line; its precise reading keeps them apart
        precise = trafilatura.bare_extraction(source, include_comments=False, include_tables=True, favor_precision=True)
        kept = (precise.text or "").strip() if precise is not None else ""
        if "\n" in kept and len(kept) >= _KEPT_SHARE * len(body):
            body = kept
    title = (doc.title or "").strip()
    text = body if not title or body.startswith(title) else f"{title}\n{body}"
    url = page_url(source, (doc.url or "").strip())
    return Article(
        id=article_id,
        text=text,
        title=title,
        date=page_date(source, doc.date or None, url),
        source=(doc.sitename or "").strip(),
        url=url,
        path=path,
        source_offsets=aligned(text, source),
    )
