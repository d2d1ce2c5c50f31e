"""Feeds of records: JSON Lines (one article a line, streamed), JSON arrays of objects (streamed
item by item) and CSV/TSV with a header. ``text`` is required; the other fields are optional."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from kg import lexicon
from kg.ingest.decode import InputError
from kg.ingest.page import headline, rejoined
from kg.model import Article
from kg.nlp.script import to_simplified

@lru_cache(maxsize=4096)  # a feed names the same few fields in every record
def field_key(name) -> str:
    """How a feed's field name is matched: case aside, and in simplified characters (a Taiwan
    feed's 內容 and 標題 are 内容 and 标题)."""
    return to_simplified(str(name).strip()).lower()


# Our field -> the names feeds use for it (kg/data/feed_fields.tsv), first found wins, as field_key matches.
FIELD_NAMES = {field: tuple(field_key(n) for n in names) for field, names in lexicon.table("feed_fields.tsv").items()}
MAX_RECORD_CHARS = 16 * 1024 * 1024  # one record (a JSON line, array item or CSV row)


def field_names(fields: dict[str, str] | None) -> dict[str, tuple[str, ...]]:
    """Our field -> the names to look for (lower case), the user's own (--field) first."""
    return {key: tuple(dict.fromkeys(((field_key(fields[key]),) if fields and key in fields else ()) + alts)) for key, alts in FIELD_NAMES.items()}


def has_text_column(header: Iterable[str], names: dict[str, tuple[str, ...]]) -> bool:
    """Whether a header row (or a record's keys) names a text field."""
    return any(field_key(h) in names["text"] for h in header)


def shown_names(names: tuple[str, ...]) -> str:
    """The first names kg looks for, for a message."""
    return ", ".join(names[:4]) + ("…" if len(names) > 4 else "")


def article_of(record: dict, names: dict[str, tuple[str, ...]], path: str, number: int, line: int | None, file_id: str | None = None) -> Article | InputError:
    """The article of one record; without an id of its own, ``FILE_ID:LINE`` (``file_id``: the
    file's path from the input root; an array's item number where there are no lines)."""

    by_name = {field_key(k): v for k, v in record.items()}

    def get(key: str):
        return next((by_name[n] for n in names[key] if by_name.get(n) not in (None, "")), None)

    body = get("text")
    if not isinstance(body, str) or not body.strip():
        return InputError(path, f"no text (a field named {shown_names(names['text'])})", line)
    if (bad := _not_text(record)) is not None:
        return InputError(path, bad, line)
    printed = rejoined(body)  # a column of an e-paper page, broken at its width
    text = printed[0] if printed else body
    return Article(
        id=str(get("id") or f"{file_id or path}:{line or number}"),
        text=text,
        source_offsets=printed[1] if printed else None,
        title=str(get("title") or headline(text)),  # a scraped page's text opens with its headline
        date=str(get("date")) if get("date") is not None else None,
        source=str(get("source") or ""),
        url=str(get("url") or ""),
        home_place=str(get("home_place") or ""),
        path=path,
        line=line or 0,
    )


def record_of(header: list[str], row: list) -> dict:
    """A table row as a record: a column named twice gives its first value that is not empty
    (正文,标题,正文 with the text in the first)."""
    record: dict = {}
    for name, value in zip(header, row):
        if name and record.get(name) in (None, ""):
            record[name] = value
    return record


def _not_text(record: dict) -> str | None:
    """Why a record holds something that is no text (a lone surrogate such as ``\\ud800``,
    which JSON escapes can spell but UTF-8 cannot write), or None."""
    for key, value in record.items():
        for where, string in ((f"field name {key!r}", key), (f"field {key!r}", value)):
            if isinstance(string, str):
                try:
                    string.encode("utf-8")
                except UnicodeEncodeError as exc:
                    return f"{where} holds a lone surrogate (\\u{ord(string[exc.start]):04x} at character {exc.start}), not text"
    return None


def read_jsonl(lines: Iterable[tuple[int, str | InputError]], path: str, fields: dict[str, str] | None = None, file_id: str | None = None) -> Iterator[Article | InputError]:
    """Articles, or an error for each bad line (the caller decides whether to go on). A line
    without an id is ``FILE_ID:LINE``. A file whose first line is no JSON at all is not JSON
    Lines: one error for the file."""
    names = field_names(fields)
    first = True
    for lineno, line in lines:
        if isinstance(line, InputError):
            yield line
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            if first:
                raise InputError(path, f"not JSON Lines nor a JSON array of objects (line {lineno}: {exc.msg})") from None
            yield InputError(path, f"not JSON ({exc.msg})", lineno)
            continue
        first = False
        if not isinstance(record, dict):
            yield InputError(path, "a JSON line must be an object", lineno)
            continue
        yield article_of(record, names, path, lineno, lineno, file_id)


def read_json_array(chunks: Iterable[str], path: str, fields: dict[str, str] | None = None, file_id: str | None = None) -> Iterator[Article | InputError]:
    """A JSON array of article objects, ``[{"text": …}, …]``, parsed one item at a time: memory
    holds one item, however long the array."""
    names = field_names(fields)
    decoder = json.JSONDecoder()
    chunks = iter(chunks)
    buffer, pos, ended = "", 0, False

    def more() -> bool:
        nonlocal buffer, pos, ended
        chunk = next(chunks, None)
        if chunk is None:
            ended = True
            return False
        buffer, pos = buffer[pos:] + chunk, 0
        return True

    def skip_space() -> str:
        nonlocal pos
        while True:
            while pos < len(buffer) and buffer[pos] in " \t\r\n\ufeff":
                pos += 1
            if pos < len(buffer) or not more():
                return buffer[pos] if pos < len(buffer) else ""

    if skip_space() != "[":
        raise InputError(path, "not a JSON array of objects (it does not start with '[')")
    pos += 1
    number = 0
    while True:
        if skip_space() == "]" and number == 0:
            return
        number += 1
        while True:
            try:
                item, end = decoder.raw_decode(buffer, pos)
                break
            except json.JSONDecodeError as exc:
                if len(buffer) - pos > MAX_RECORD_CHARS:
                    raise InputError(path, f"item {number}: longer than {MAX_RECORD_CHARS >> 20} MB or not JSON ({exc.msg}); the rest is not read") from None
                if not more():
                    raise InputError(path, f"item {number}: not JSON ({exc.msg}); the rest of the array is not read") from None
        pos = end
        if isinstance(item, dict):
            article = article_of(item, names, path, number, None, file_id)
            yield InputError(path, f"item {number}: {article.message}") if isinstance(article, InputError) else article
        else:
            yield InputError(path, f"item {number}: an item of the array must be an object, not {type(item).__name__}")
        after = skip_space()
        if not after:
            raise InputError(path, f"the array ends after item {number} without its ']'")
        if after == "]":
            return
        if after != ",":
            raise InputError(path, f"item {number}: expected ',' or ']' after it, found {after[:1]!r}; the rest is not read")
        pos += 1


def read_table(lines: Iterable[str], path: str, delimiter: str, fields: dict[str, str] | None = None, file_id: str | None = None) -> Iterator[Article | InputError]:
    """CSV or TSV with a header row naming the fields (as JSON Lines do): one article a row."""
    names = field_names(fields)
    kind = "TSV" if delimiter == "\t" else "CSV"
    csv.field_size_limit(MAX_RECORD_CHARS)
    raw: list[str] = []  # the lines of the record being read

    def kept(lines):
        for line in lines:
            raw.append(line)
            yield line

    reader = csv.reader(kept(lines), delimiter=delimiter)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
        if not has_text_column(header, names):
            shown = ("," if delimiter == "," else " ⇥ ").join(header)[:80]  # a tab shown as one
            raise InputError(path, f"a {kind} file needs a header naming its text column ({shown_names(names['text'])}; or --field text=NAME); its first line is: {shown}")
        number, pending, last_raw, start = 0, None, [], 0  # a record is given once the next is read: the last may open a quote never closed
        raw.clear()
        for row in reader:
            row_raw, row_start = list(raw), reader.line_num - len(raw) + 1
            raw.clear()
            if not any(cell.strip() for cell in row):
                continue
            number += 1
            if pending is not None:
                yield pending
            last_raw, start = row_raw, row_start
            if len(row) > len(header):
                pending = InputError(path, f"{len(row)} {kind} columns where the header has {len(header)}", reader.line_num)
                continue
            pending = article_of(record_of(header, row), names, path, number, reader.line_num, file_id)
        if number == 0:
            raise InputError(path, f"a {kind} file with a header and no rows")
        opened = re.compile(rf'(?:^|{re.escape(delimiter)})"')  # a quote that opens a field
        if sum(line.count('"') for line in last_raw) % 2 and any(opened.search(line) for line in last_raw):
            raise InputError(path, f"not {kind} at line {start} (a quote opened there is never closed); the rest is not read")
        if pending is not None:
            yield pending
    except csv.Error as exc:
        raise InputError(path, f"not {kind} at line {reader.line_num} ({exc}); the rest is not read") from None


def looks_like_table(first_line: str, fields: dict[str, str] | None = None) -> str | None:
    """The delimiter of a CSV/TSV header line that names a text column, else None."""
    names = field_names(fields)
    for delimiter in ("\t", ","):
        cells = [c.strip().strip('"').lstrip("\ufeff") for c in first_line.split(delimiter)]
        if len(cells) > 1 and has_text_column(cells, names):
            return delimiter
    return None
