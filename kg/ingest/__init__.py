"""Ingest: files, folders and stdin in; ``Article`` records out.

Formats, detected when not named: ``page`` (newspaper page text, split into articles), ``text``
(one plain article per file), ``jsonl`` (one article a line), ``json`` (an array of article
objects), ``csv`` and ``tsv`` (a header row, one article a row), ``html`` (a saved web page),
``pdf`` (a PDF with a text layer: its pages read as newspaper pages), ``docx`` (a Word file),
``xlsx`` (a spreadsheet: a header row, one article a row, as CSV).
Memory stays bounded whatever the input: feeds are read record by record, PDFs page by page,
spreadsheets row by row (a workbook whose shared strings unpack too large is refused), and a text file larger than any article is refused, not read. kg's own output (a store,
graph.html, exports) found among the sources is passed over, and said so.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import codecs
import io

from kg.dates import date_in_name, parse_date
from kg.ingest.decode import InputError, InputWarning, decode, detect
from kg.ingest.jsonl import looks_like_table, read_json_array, read_jsonl, read_table
from kg.ingest.page import headline, looks_like_page, split_page
from kg.model import Article

FORMATS = ("auto", "page", "text", "jsonl", "json", "csv", "tsv", "xlsx", "html", "pdf", "docx")
_SUFFIXES = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json-or-jsonl", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html", ".pdf": "pdf", ".docx": "docx",
    ".xlsx": "xlsx", ".xlsm": "xlsx",
}
_REFUSED = {  # formats kg does not read, and what to do instead
    ".doc": "a Word 97–2003 .doc file: kg reads .docx (save it as .docx or PDF)",
    ".wps": "a WPS file: kg reads .docx (save it as .docx or PDF)",
    ".xls": "an Excel 97–2003 .xls spreadsheet: kg reads .xlsx (save it as .xlsx or CSV)",
    ".odt": "an OpenDocument text: kg reads .docx (save it as .docx or PDF)",
    ".mht": "a web archive (MHTML): save the page as HTML",
    ".mhtml": "a web archive (MHTML): save the page as HTML",
}
_EXCEL_PART = re.compile(rb"(?<![\w/])xl/(?:workbook\.xml|worksheets/|styles\.xml|theme/|sharedStrings\.xml|_rels/)")  # a ZIP entry of a workbook
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97–2003 files
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024  # a PDF or Word file, read page by page
_KG_NAMESPACE = b"https://w3id.org/kg-news/"


class KgOutput(InputError):
    """A source that is kg's own output: passed over, said so (not an error)."""


@dataclass
class IngestReport:
    """What was read and what was skipped, and why: printed at the end of a run."""

    files: int = 0
    articles: int = 0
    skipped: list[InputError] = field(default_factory=list)
    passed_over: list[KgOutput] = field(default_factory=list)  # kg's own output among the sources
    warnings: list[InputError] = field(default_factory=list)  # read, with something dropped


def _is_store(folder: str) -> bool:
    """An Oxigraph (RocksDB) store folder."""
    try:
        names = set(os.listdir(folder))
    except OSError:
        return False
    return {"CURRENT", "IDENTITY"} <= names and any(n.startswith("MANIFEST-") for n in names)


def kg_output_folder(folder: str, outputs: set[str] = frozenset()) -> str | None:
    """What of kg's output ``folder`` is (this run's output folder, a store, an output folder
    holding a store), or None."""
    if os.path.realpath(folder) in outputs:
        return "the output folder of this run"
    if _is_store(folder):
        return "kg's store"
    if _is_store(os.path.join(folder, "store")):
        return "an output folder of kg (its store, graph.html, exports)"
    return None


def _files(sources: Iterable[str], report: IngestReport, outputs: set[str]) -> Iterator[tuple[str, str]]:
    """Each file to read, with the id it gives its articles (see ``file_id``)."""
    for source in sources:
        try:
            for path in _files_of(source, report, outputs):
                yield path, file_id(path, source)
        except OSError as exc:
            report.skipped.append(InputError(source, exc.strerror or str(exc)))


def file_id(path: str, source: str) -> str:
    """The id of a file's articles: its path from the input root, the root being the folder
    above the SOURCE named on the command line, so that the folder or file named keeps its
    own name: ``kg build 2024-01-12/`` gives ``2024-01-12/page01.txt``, ``kg build a/news.txt``
    gives ``a/news.txt``, whatever the working directory; never the bare stem, so that
    ``day1/feed.jsonl`` and ``day2/feed.jsonl`` stay apart, built together or in two runs."""
    if path == "-":
        return "stdin"
    named = Path(os.path.abspath(source))
    root = named.parent if named.is_dir() else named.parent.parent
    return Path(os.path.abspath(path)).relative_to(root).as_posix()


def _files_of(source: str, report: IngestReport, outputs: set[str]) -> Iterator[str]:
    if source == "-":
        yield source
        return
    path = Path(source)
    if path.is_dir():
        seen = set()
        for root, dirs, names in os.walk(path, followlinks=True, onerror=lambda e: report.skipped.append(InputError(e.filename, e.strerror or str(e)))):
            real = os.path.realpath(root)
            if real in seen:  # a symlink loop
                report.skipped.append(InputError(root, "symbolic link loop, not followed"))
                dirs[:] = []
                continue
            seen.add(real)
            if what := kg_output_folder(root, outputs):
                report.passed_over.append(KgOutput(root, what))
                dirs[:] = []
                continue
            dirs.sort()
            for name in sorted(names):
                if not name.startswith("."):
                    yield os.path.join(root, name)
    elif path.exists():
        yield str(path)
    else:
        report.skipped.append(InputError(source, "no such file or directory"))


MAX_ARTICLE_BYTES = 16 * 1024 * 1024  # a text or page file is one article or page: more is no article
MAX_LINE_BYTES = 16 * 1024 * 1024  # one JSON line
_READ_SIZE = 1 << 20
_SAMPLE = 1 << 16  # bytes a feed's encoding is told from


def _detect(head: bytes, path: str, fields: dict[str, str] | None) -> str:
    """The format of a file, from its name and first bytes."""
    suffix = Path(path).suffix.lower()
    if suffix in _REFUSED:
        raise InputError(path, _REFUSED[suffix] + ", not read")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_OLE) and suffix in (".docx", ".xlsx", ".xlsm"):
        raise InputError(path, "a password-protected (encrypted) Office file: save it again without a password; not read")
    if head.startswith(_OLE):
        raise InputError(path, "an Office 97–2003 file (.doc, .xls): save it as .docx, PDF or CSV; not read")
    by_name = _SUFFIXES.get(suffix)
    if by_name in ("pdf", "docx", "xlsx"):
        return by_name
    if head.startswith(b"PK\x03\x04") and _EXCEL_PART.search(head):
        return "xlsx"
    if head.startswith(b"PK\x03\x04") and (b"word/" in head or b"[Content_Types].xml" in head):
        return "docx"  # an Office file: python-docx tells whether it is Word's
    if head.startswith(b"PK\x03\x04"):
        raise InputError(path, "a ZIP archive, not read (kg reads .docx Word files and .xlsx spreadsheets; unpack other archives)")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if by_name == "json-or-jsonl":
        return "json" if start.startswith(b"[") else "jsonl"
    if by_name:
        return by_name
    lowered = start[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or lowered.startswith(b"<?xml") and b"<html" in lowered:
        return "html"
    if lowered.startswith((b"<?xml", b"<rss", b"<feed")):
        raise InputError(path, "an XML file (an RSS or Atom feed?): kg does not read XML; give it the articles' pages, or a JSON Lines or CSV feed of them")
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"{"):
        return "jsonl"
    first_line = start.split(b"\n", 1)[0].decode("utf-8", "replace")
    if delimiter := looks_like_table(first_line, fields):
        return "tsv" if delimiter == "\t" else "csv"
    return "text-or-page"


# a line of kg extract's JSON (kg/model.py: Extraction.to_json): the article, then its reading
_KG_EXTRACT_RECORD = re.compile(rb'\{"article": "(?:[^"\\]|\\.)*", "title": .*?, "date": .*?, "script": "[a-z]*"(?:, "url": .*?)?, "mentions": \[')


def _kg_output_file(head: bytes, path: str) -> str | None:
    """What of kg's output a file is (graph.html, an export), or None."""
    from kg.ingest.html import KG_PAGE_MARK

    if KG_PAGE_MARK.encode() in head:
        return "kg's picture (graph.html)"
    if head.startswith((b"id:ID,:LABEL", b":START_ID,:END_ID")):
        return "an export of kg's graph (CSV)"
    if _KG_NAMESPACE in head:
        return "an export of kg's graph"
    if _KG_EXTRACT_RECORD.match(head):
        return "kg extract's output"
    return None


def _plain_article(text: str, path: str, article_id: str) -> Article:
    return Article(id=article_id, text=text, title=headline(text), path=path)


def _lines(handle: BinaryIO, head: bytes, path: str, encoding: str | None = None) -> Iterator[tuple[int, str | InputError]]:
    """Decoded lines of a JSON Lines file, read in bounded pieces: a 50 MB line is an error, not a
    50 MB string."""
    buffer, lineno = head, 0
    while True:
        newline = buffer.find(b"\n")
        if newline < 0 and len(buffer) <= MAX_LINE_BYTES:
            chunk = handle.read(_READ_SIZE)
            if chunk:
                buffer += chunk
                continue
            if not buffer:
                return
            newline = len(buffer)
        lineno += 1
        if newline < 0:  # longer than allowed: skip to its end without keeping it
            yield lineno, InputError(path, f"line longer than {MAX_LINE_BYTES >> 20} MB, skipped", lineno)
            while (chunk := handle.read(_READ_SIZE)) and b"\n" not in chunk:
                pass
            buffer = chunk[chunk.find(b"\n") + 1 :] if chunk else b""
            continue
        line, buffer = buffer[:newline], buffer[newline + 1 :]
        if line.strip():
            try:
                try:
                    yield lineno, line.decode(encoding or "utf-8")
                except UnicodeDecodeError:
                    yield lineno, decode(line, path)  # a line in another encoding than the first
            except InputError as exc:
                yield lineno, InputError(path, exc.message, lineno)


def _open(path: str) -> BinaryIO:
    if path == "-":
        return sys.stdin.buffer
    mode = os.stat(path).st_mode  # before open(): opening a FIFO would block
    if not stat.S_ISREG(mode):
        raise InputError(path, "not a regular file")
    return open(path, "rb")


def _text_chunks(handle: BinaryIO, head: bytes, encoding: str, path: str) -> Iterator[str]:
    """The decoded text of a file, in pieces of about 1 MB."""
    decoder = codecs.getincrementaldecoder(encoding)()
    chunk, done = head, 0
    try:
        while chunk:
            yield decoder.decode(chunk)
            done += len(chunk)
            chunk = handle.read(_READ_SIZE)
        yield decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not {encoding} text after byte {done + exc.start} (the file changes its encoding?); the rest is not read") from None


def _text_lines(chunks: Iterable[str]) -> Iterator[str]:
    """Lines with their endings, as csv.reader takes them."""
    rest = ""
    for chunk in chunks:
        lines = (rest + chunk).splitlines(keepends=True)
        rest = lines.pop() if lines and not lines[-1].endswith(("\n", "\r")) else ""
        yield from lines
    if rest:
        yield rest


def _document(handle: BinaryIO, head: bytes, path: str):
    """A PDF, Word or Excel file as something its library opens: the path, or the bytes of stdin."""
    if path != "-":
        if os.fstat(handle.fileno()).st_size > MAX_DOCUMENT_BYTES:
            raise InputError(path, f"larger than {MAX_DOCUMENT_BYTES >> 20} MB, not read")
        return path
    data = head + handle.read(MAX_DOCUMENT_BYTES + 1 - len(head))
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError("<stdin>", f"larger than {MAX_DOCUMENT_BYTES >> 20} MB, not read")
    return io.BytesIO(data)


def _pdf_articles(document, name: str, path: str, ident: str) -> Iterator[Article]:
    from kg.ingest.pdf import pdf_pages

    offset = 0
    for number, page in enumerate(pdf_pages(document, name), start=1):
        for article in split_page(page.text, f"{ident}-p{number}", path) if page.text.strip() else []:
            article.source_offsets = [offset + o for o in article.source_offsets or range(len(article.text))]
            article.date = article.date or page.date  # the running head's
            yield article
        offset += len(page.text) + 1  # the pages of the text layer as kg reads them, joined by form feeds


def _articles_of(path: str, fmt: str, fields: dict[str, str] | None, ident: str) -> Iterator[Article | InputError]:
    with _open(path) as handle:
        head = handle.read(4096)
        name = "<stdin>" if path == "-" else path
        if not head.strip():
            raise InputError(name, "empty file")
        if what := _kg_output_file(head, path):
            raise KgOutput(name, what)
        kind = _detect(head, name, fields) if fmt == "auto" else fmt
        if kind == "pdf":
            yield from _pdf_articles(_document(handle, head, path), name, path, ident)
            return
        if kind == "docx":
            from kg.ingest.docx import read_docx

            yield read_docx(_document(handle, head, path), name, ident)
            return
        if kind == "xlsx":
            from kg.ingest.xlsx import read_xlsx

            yield from read_xlsx(_document(handle, head, path), name, fields, ident)
            return
        if kind in ("jsonl", "json", "csv", "tsv"):
            head += handle.read(_SAMPLE - len(head))  # enough text to tell its encoding
            encoding = detect(head, name)
            if kind == "jsonl":
                yield from read_jsonl(_lines(handle, head, name, encoding), name, fields, ident)
            elif kind == "json":
                yield from read_json_array(_text_chunks(handle, head, encoding, name), name, fields, ident)
            else:
                yield from read_table(_text_lines(_text_chunks(handle, head, encoding, name)), name, "\t" if kind == "tsv" else ",", fields, ident)
            return
        data = head + handle.read(MAX_ARTICLE_BYTES + 1 - len(head))
        if len(data) > MAX_ARTICLE_BYTES:
            raise InputError(name, f"larger than {MAX_ARTICLE_BYTES >> 20} MB: too large for one article or page (split it, or use JSON Lines)")
        text = decode(data, name)
        if kind == "html":
            from kg.ingest.html import is_kg_page, read_html

            if is_kg_page(text):
                raise KgOutput(name, "kg's picture (graph.html)")
            yield read_html(text, ident, path)
        elif kind == "page" or kind == "text-or-page" and looks_like_page(text):
            yield from split_page(text, ident, path)
        else:
            yield _plain_article(text, path, ident)


def read_articles(
    sources: Iterable[str],
    fmt: str = "auto",
    pub_date: str | None = None,
    fields: dict[str, str] | None = None,
    report: IngestReport | None = None,
    home_places: dict[str, str] | None = None,
    outputs: Iterable[str] = (),
) -> Iterator[Article]:
    """Every article of every source; bad inputs are recorded in ``report`` and skipped.

    ``home_places`` maps a source (newspaper) to its home area; the key "" applies to all
    sources, and a feed's own ``home_place`` field wins over both. ``outputs`` are the folders
    this run writes to: passed over when met among the sources, as is any store of kg's."""
    home_places = home_places or {}
    report = report if report is not None else IngestReport()
    seen: dict[str, str] = {}  # article id -> where it was read: two articles never share an id
    for path, ident in _files(sources, report, {os.path.realpath(o) for o in outputs}):
        file_date = date_in_name(Path(path).name)
        read = 0  # articles of this file: a file cut short after some was still read
        try:
            items = _articles_of(path, fmt, fields, ident)
            report.files += 1
            for item in items:
                if isinstance(item, InputWarning):
                    report.warnings.append(item)
                    continue
                if isinstance(item, InputError):
                    report.skipped.append(item)
                    continue
                where = f"{item.path}:{item.line}" if item.line else item.path
                if item.id in seen:
                    report.skipped.append(InputError(item.path, f"article id {item.id!r} is already the id of an article of {seen[item.id]}; ids must be unique", item.line or None))
                    continue
                seen[item.id] = where
                date = parse_date(item.date) if item.date is not None else None
                if item.date is not None and date is None:  # the date goes, never the article
                    report.warnings.append(InputError(path, f"article {item.id}: date {item.date!r} is not a date, left out"))
                item.date = date or pub_date or file_date
                item.home_place = item.home_place or home_places.get(item.source) or home_places.get("", "")
                if item.path and item.path != "stdin":  # the graph names the file wherever the build ran
                    item.source_file = os.path.abspath(item.path)
                report.articles += 1
                read += 1
                yield item
        except OSError as exc:
            report.files -= not read
            report.skipped.append(InputError(path, exc.strerror or str(exc)))
        except KgOutput as exc:
            report.files -= 1
            report.passed_over.append(exc)
        except InputError as exc:
            report.files -= not read
            report.skipped.append(exc)


__all__ = ["FORMATS", "IngestReport", "InputError", "read_articles"]
