"""Ingest: files, folders and stdin in; ``Article`` records out.

Formats: ``page`` (newspaper page text from a PDF e-paper, split into articles), ``text`` (one
plain article per file), ``jsonl`` (one article a line, streamed); detected when not named.
Memory stays bounded whatever the input: JSON Lines are read line by line, and a text file
larger than any article is refused, not read.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from kg.dates import date_in_name, parse_iso
from kg.ingest.decode import InputError, decode
from kg.ingest.jsonl import read_jsonl
from kg.ingest.page import looks_like_page, split_page
from kg.model import Article

FORMATS = ("auto", "page", "text", "jsonl")
_JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}


@dataclass
class IngestReport:
    """What was read and what was skipped, and why: printed at the end of a run."""

    files: int = 0
    articles: int = 0
    skipped: list[InputError] = field(default_factory=list)


def _files(sources: Iterable[str], report: IngestReport) -> Iterator[tuple[str, str]]:
    """Each file to read, with the id it gives its articles (see ``file_id``)."""
    for source in sources:
        try:
            for path in _files_of(source, report):
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


def _files_of(source: str, report: IngestReport) -> Iterator[str]:
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


def _detect(head: bytes, path: str) -> str:
    if Path(path).suffix.lower() in _JSONL_SUFFIXES or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "jsonl"
    return "text-or-page"


def _plain_article(text: str, path: str, article_id: str) -> Article:
    first = text.strip().split("\n", 1)[0].strip()
    title = first if len(first) <= 40 and first[-1:] not in "。！？.!?" else ""
    return Article(id=article_id, text=text, title=title, path=path)


def _lines(handle: BinaryIO, head: bytes, path: str) -> Iterator[tuple[int, str | InputError]]:
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
                yield lineno, decode(line, path)
            except InputError as exc:
                yield lineno, InputError(path, exc.message, lineno)


def _open(path: str) -> BinaryIO:
    if path == "-":
        return sys.stdin.buffer
    mode = os.stat(path).st_mode  # before open(): opening a FIFO would block
    if not stat.S_ISREG(mode):
        raise InputError(path, "not a regular file")
    return open(path, "rb")


def _articles_of(path: str, fmt: str, fields: dict[str, str] | None, ident: str) -> Iterator[Article | InputError]:
    with _open(path) as handle:
        head = handle.read(4096)
        name = "<stdin>" if path == "-" else path
        kind = _detect(head, path) if fmt == "auto" else fmt
        if not head.strip():
            raise InputError(name, "empty file")
        if kind == "jsonl":
            yield from read_jsonl(_lines(handle, head, name), name, fields, ident)
            return
        data = head + handle.read(MAX_ARTICLE_BYTES + 1 - len(head))
        if len(data) > MAX_ARTICLE_BYTES:
            raise InputError(name, f"larger than {MAX_ARTICLE_BYTES >> 20} MB: too large for one article or page (split it, or use JSON Lines)")
        text = decode(data, name)
        if kind == "page" or kind == "text-or-page" and looks_like_page(text):
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
) -> Iterator[Article]:
    """Every article of every source; bad inputs are recorded in ``report`` and skipped.

    ``home_places`` maps a source (newspaper) to its home area; the key "" applies to all
    sources, and a feed's own ``home_place`` field wins over both."""
    home_places = home_places or {}
    report = report if report is not None else IngestReport()
    seen: dict[str, str] = {}  # article id -> where it was read: two articles never share an id
    for path, ident in _files(sources, report):
        file_date = date_in_name(Path(path).name)
        try:
            items = _articles_of(path, fmt, fields, ident)
            report.files += 1
            for item in items:
                if isinstance(item, InputError):
                    report.skipped.append(item)
                    continue
                where = f"{item.path}:{item.line}" if item.line else item.path
                if item.id in seen:
                    report.skipped.append(InputError(item.path, f"article id {item.id!r} is already the id of an article of {seen[item.id]}; ids must be unique", item.line or None))
                    continue
                seen[item.id] = where
                if item.date is not None and parse_iso(item.date) is None:
                    report.skipped.append(InputError(path, f"article {item.id}: date {item.date!r} is not a date"))
                    continue
                item.date = parse_iso(item.date) if item.date else (pub_date or file_date)
                item.home_place = item.home_place or home_places.get(item.source) or home_places.get("", "")
                report.articles += 1
                yield item
        except OSError as exc:
            report.files -= 1
            report.skipped.append(InputError(path, exc.strerror or str(exc)))
        except InputError as exc:
            report.files -= 1
            report.skipped.append(exc)


__all__ = ["FORMATS", "IngestReport", "InputError", "read_articles"]
