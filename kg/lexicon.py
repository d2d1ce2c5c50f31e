"""Domain knowledge kept as data files under ``kg/data`` and loaded once.

Every file documents itself in its leading ``#`` comment; code asks for tables by file name.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources


def _data_text(name: str) -> str:
    return resources.files("kg.data").joinpath(name).read_text(encoding="utf-8")


def _lines(name: str) -> list[str]:
    return [ln.strip() for ln in _data_text(name).splitlines() if ln.strip() and not ln.startswith("#")]


@cache
def ranked(name: str) -> dict[str, int]:
    """A one-word-per-line list in its file's order: word -> rank, 0 first."""
    return {w: i for i, w in reversed(list(enumerate(_lines(name))))}


@cache
def words(name: str) -> tuple[str, ...]:
    """A one-word-per-line list, longest first (so alternations match the longest word)."""
    return tuple(sorted({ln for ln in _lines(name)}, key=lambda w: (-len(w), w)))


@cache
def table(name: str) -> dict[str, tuple[str, ...]]:
    """A tab-separated table keyed by its first column."""
    rows = {}
    for ln in _lines(name):
        key, *rest = ln.split("\t")
        rows[key] = tuple(rest)
    return dict(sorted(rows.items(), key=lambda kv: (-len(kv[0]), kv[0])))


@cache
def sections(name: str) -> dict[str, tuple[str, ...]]:
    """A list file split into ``[section]`` parts."""
    parts: dict[str, list[str]] = {}
    current = ""
    for ln in _lines(name):
        if ln.startswith("[") and ln.endswith("]"):
            current = ln[1:-1]
            continue
        parts.setdefault(current, []).append(ln)
    return {k: tuple(sorted(v, key=lambda w: (-len(w), w))) for k, v in parts.items()}


@cache
def toml(name: str) -> dict:
    return tomllib.loads(_data_text(name))


@cache
def patterns(name: str, section: str) -> tuple[re.Pattern, ...]:
    """The regular expressions of a ``[section]``, with ``<<fragment>>`` replaced from the file's
    ``[fragments]`` table, so that a piece shared by several patterns is written once (a fragment
    may hold others: an outlet inside a dateline)."""
    fragments = toml(name).get("fragments", {})

    def expand(pattern: str) -> str:
        return re.sub(r"<<(\w+)>>", lambda m: expand(fragments[m.group(1)]), pattern)

    return tuple(re.compile(expand(p)) for p in toml(name)[section]["patterns"])


def alternation(items) -> str:
    """A regex alternation of literal words, longest first: built once per list, as the
    extractors ask for it in every sentence."""
    return _alternation(tuple(items))


def alternation_of(name: str, section: str) -> str:
    """The alternation of one ``[section]`` of a list file (event_verbs.txt [speech])."""
    return alternation(sections(name)[section])


@cache
def _alternation(items: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(items, key=lambda w: (-len(w), w)))
