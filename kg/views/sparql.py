"""What kg lets through to the engine, on every SPARQL surface (``kg query``, ``kg serve``).

The query is read by SPARQL's own lexical rules (comments, strings, IRIs, variables, prefixed
names, keywords), so that ``SELECT ?move`` or ``(COUNT(*) AS ?copy)`` are variables, not
commands; then, before it runs:

- too large (more than ``MAX_QUERY_CHARS``) or too deep (brackets nested more than
  ``MAX_DEPTH``: 3,000 nested braces overflow the engine's stack) is refused;
- it must be a query (its first keyword after ``BASE``/``PREFIX`` is ``SELECT``, ``CONSTRUCT``,
  ``ASK`` or ``DESCRIBE``): an update (``INSERT``, ``DELETE``, ``DROP``, ``LOAD``…) is refused;
- ``SERVICE`` (federation: the endpoint would send requests out) is refused unless allowed.
"""

from __future__ import annotations

import re

MAX_QUERY_CHARS = 200_000
MAX_DEPTH = 100

QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
UPDATE_KEYWORDS = ("INSERT", "DELETE", "DROP", "LOAD", "CLEAR", "CREATE", "ADD", "MOVE", "COPY", "WITH")


class QueryRefused(ValueError):
    """A query kg will not run, with a one-line reason."""


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<pname>(?:[^\W\d][\w.-]*)?:(?:[\w:%\\-]|\.(?=[\w:%\\-]))*)
  | (?P<word>[^\W\d][\w-]*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def tokens(sparql: str):
    """(kind, text) of each token, spaces and comments left out."""
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup
        if kind not in ("space", "comment"):
            yield kind, match.group()


def check_query(sparql: str, allow_service: bool = False, max_chars: int = MAX_QUERY_CHARS, max_depth: int = MAX_DEPTH) -> str:
    """The query's form (``SELECT``, ``CONSTRUCT``, ``ASK``, ``DESCRIBE``), or ``QueryRefused``."""
    if len(sparql) > max_chars:
        raise QueryRefused(f"query refused: {len(sparql):,} characters, more than {max_chars:,}")
    depth, form, prologue = 0, None, []
    for kind, text in tokens(sparql):
        if kind == "open":
            depth += 1
            if depth > max_depth:
                raise QueryRefused(f"query refused: brackets nested more than {max_depth} deep")
        elif kind == "close":
            depth -= 1
        elif kind == "word":
            word = text.upper()
            if form is None:
                if word in ("BASE", "PREFIX"):
                    prologue.append(word)
                    continue
                if word in QUERY_FORMS:
                    form = word
                elif word in UPDATE_KEYWORDS:
                    raise QueryRefused(f"this is an update ({word}): read-only, only SELECT, CONSTRUCT, ASK and DESCRIBE run here")
                else:
                    raise QueryRefused(f"not a SPARQL query: it starts with {text!r}, not SELECT, CONSTRUCT, ASK or DESCRIBE")
            elif word == "SERVICE" and not allow_service:
                raise QueryRefused("SERVICE (a federated query: the endpoint would send requests out) is refused; allow it with --allow-service")
    if form is None:
        raise QueryRefused("not a SPARQL query: no SELECT, CONSTRUCT, ASK or DESCRIBE")
    return form
