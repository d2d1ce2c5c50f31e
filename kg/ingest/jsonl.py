"""JSON Lines feeds: one article a line, ``text`` required."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from kg.ingest.decode import InputError
from kg.model import Article

# Our field -> the names feeds use for it, first found wins. Users add their own with --field.
FIELD_NAMES = {
    "id": ("id", "doc_id"),
    "text": ("text", "content"),
    "title": ("title",),
    "date": ("date",),
    "source": ("source",),
    "url": ("url",),
    "home_place": ("home_place",),
}


def read_jsonl(lines: Iterable[tuple[int, str | InputError]], path: str, fields: dict[str, str] | None = None, file_id: str | None = None) -> Iterator[Article | InputError]:
    """Articles, or an error for each bad line (the caller decides whether to go on). A line
    without an id is ``FILE_ID:LINE`` (``file_id``: the feed's path from the input root)."""
    file_id = file_id or path
    names = {key: ((fields[key],) if fields and key in fields else ()) + alts for key, alts in FIELD_NAMES.items()}
    for lineno, line in lines:
        if isinstance(line, InputError):
            yield line
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(path, f"not JSON ({exc.msg})", lineno)
            continue
        if not isinstance(record, dict):
            yield InputError(path, "a JSON line must be an object", lineno)
            continue

        def get(key: str):
            return next((record[n] for n in names[key] if record.get(n) not in (None, "")), None)

        body = get("text")
        if not isinstance(body, str) or not body.strip():
            yield InputError(path, f"no '{names['text'][0]}' text", lineno)
            continue
        if (bad := _not_text(record)) is not None:
            yield InputError(path, bad, lineno)
            continue
        yield Article(
            id=str(get("id") or f"{file_id}:{lineno}"),
            text=body,
            title=str(get("title") or ""),
            date=str(get("date")) if get("date") is not None else None,
            source=str(get("source") or ""),
            url=str(get("url") or ""),
            home_place=str(get("home_place") or ""),
            path=path,
            line=lineno,
        )


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
