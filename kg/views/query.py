"""SPARQL over the store: canned queries by name, user queries as text or ``.rq`` files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from kg.graph.store import GraphStore, StoreError
from kg.views.sparql import QueryRefused, check_query


def _query_dir() -> Path:
    """ontology/queries in a source tree; kg/ontology/queries where a wheel put it."""
    source = Path(__file__).resolve().parents[2] / "ontology" / "queries"
    if source.is_dir():
        return source
    from importlib.resources import files

    return Path(str(files("kg.ontology") / "queries"))
OUTPUT_FORMATS = ("table", "csv", "tsv", "json")


def canned_queries() -> dict[str, Path]:
    return {p.stem: p for p in sorted(_query_dir().glob("*.rq"))}


def resolve_query(query: str) -> str:
    """A canned query's name, a path to a ``.rq`` file, or SPARQL text."""
    canned = canned_queries()
    if query in canned:
        return canned[query].read_text(encoding="utf-8")
    if query.endswith(".rq") or (len(query) < 256 and "\n" not in query and Path(query).is_file()):
        path = Path(query)
        if not path.is_file():
            raise StoreError(f"{query}: no such query file (canned queries: {', '.join(canned)})")
        return path.read_text(encoding="utf-8")
    return query


def read_only_query(query: str, allow_service: bool = False) -> str:
    """The SPARQL text of ``query``, checked (kg/views/sparql.py): an update, SERVICE, a query
    too large or too deep is refused before it runs."""
    sparql = resolve_query(query)
    try:
        check_query(sparql, allow_service)
    except QueryRefused as exc:
        raise StoreError(str(exc)) from None
    return sparql


def run_query(store: GraphStore, query: str, limit: int | None = None) -> tuple[list[str], list[list]]:
    return store.query(read_only_query(query), limit)


def run_query_bounded(location: str, query: str, timeout: float | None, limit: int | None, allow_service: bool = False) -> tuple[list[str], list[list], bool]:
    """Run a query in a child process that is stopped after ``timeout`` seconds: a runaway
    query cannot be interrupted inside the engine, but its process can. Returns whether the
    rows were cut at ``limit``."""
    import multiprocessing

    sparql = read_only_query(query, allow_service)  # refused before any process starts
    receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_query_child, args=(sender, location, sparql, limit), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise StoreError(f"query stopped after {timeout:g} s (raise the limit with --timeout)")
        outcome = receiver.recv()
    except EOFError:
        raise StoreError("the query process died") from None
    finally:
        child.kill()
        child.join()
    if isinstance(outcome, Exception):
        raise outcome
    columns, rows = outcome
    truncated = limit is not None and len(rows) > limit
    return columns, rows[:limit] if truncated else rows, truncated


def _query_child(sender, location: str, sparql: str, limit: int | None) -> None:
    from kg.graph.store import open_store
    from kg.procs import die_with_parent

    die_with_parent()  # a kg query killed (SIGKILL too) leaves no query running

    try:
        store = open_store(location, read_only=True)
        sender.send(store.query(sparql, None if limit is None else limit + 1))
    except Exception as exc:  # sent back to be reported as one line
        sender.send(StoreError(str(exc)) if not isinstance(exc, StoreError) else exc)


def _cell(value) -> str:
    return "" if value is None else str(value)


def format_rows(columns: list[str], rows: list[list], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, indent=1) + "\n"
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_cell(v) for v in row] for row in rows])
        return out.getvalue()
    from kg.text import display_width

    def columns_of(text: str) -> int:  # terminal columns: a CJK character takes two
        return int(2 * display_width(text))

    def cut(text: str, most: int = 60) -> str:  # a cell cut short says so
        return text if len(text) <= most else text[: most - 1] + "…"

    cells = [columns] + [[cut(_cell(v).replace("\n", " ")) for v in row] for row in rows]
    widths = [max(columns_of(r[i]) for r in cells) for i in range(len(columns))]

    def line(row):
        return "  ".join(c + " " * (widths[i] - columns_of(c)) for i, c in enumerate(row)).rstrip()

    return "\n".join([line(cells[0]), "  ".join("-" * int(w) for w in widths)] + [line(r) for r in cells[1:]]) + f"\n({len(rows)} rows)\n"
