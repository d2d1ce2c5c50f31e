"""Ingest: files, folders and stdin in; ``Article`` records out.

Formats: ``page`` (newspaper page text from a PDF e-paper, split into articles), ``text`` (one
plain article per file), ``jsonl`` (one article a line); detected when not named.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

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


def _files(sources: Iterable[str], report: IngestReport) -> Iterator[str]:
    for source in sources:
        if source == "-":
            yield source
            continue
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


def _detect(text: str, path: str) -> str:
    if Path(path).suffix.lower() in _JSONL_SUFFIXES or text.lstrip().startswith("{"):
        return "jsonl"
    return "page" if looks_like_page(text) else "text"


def _plain_article(text: str, path: str) -> Article:
    first = text.strip().split("\n", 1)[0].strip()
    title = first if len(first) <= 40 and first[-1:] not in "。！？.!?" else ""
    return Article(id=_stem(path), text=text, title=title, path=path)


def _stem(path: str) -> str:
    return "stdin" if path == "-" else Path(path).stem


def read_articles(
    sources: Iterable[str],
    fmt: str = "auto",
    pub_date: str | None = None,
    fields: dict[str, str] | None = None,
    report: IngestReport | None = None,
) -> Iterator[Article]:
    """Every article of every source; bad inputs are recorded in ``report`` and skipped."""
    report = report if report is not None else IngestReport()
    for path in _files(sources, report):
        try:
            data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
            text = decode(data, "<stdin>" if path == "-" else path)
        except OSError as exc:
            report.skipped.append(InputError(path, exc.strerror or str(exc)))
            continue
        except InputError as exc:
            report.skipped.append(exc)
            continue
        report.files += 1
        kind = _detect(text, path) if fmt == "auto" else fmt
        if kind == "jsonl":
            items = read_jsonl(text, path, fields)
        elif kind == "page":
            items = split_page(text, _stem(path), path)
        else:
            items = [_plain_article(text, path)]
        file_date = date_in_name(Path(path).name)
        for item in items:
            if isinstance(item, InputError):
                report.skipped.append(item)
                continue
            if item.date is not None and parse_iso(item.date) is None:
                report.skipped.append(InputError(path, f"article {item.id}: date {item.date!r} is not a date"))
                continue
            item.date = parse_iso(item.date) if item.date else (pub_date or file_date)
            report.articles += 1
            yield item


__all__ = ["FORMATS", "IngestReport", "InputError", "read_articles"]
