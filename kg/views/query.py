"""SPARQL over the store: canned queries by name, user queries as text or ``.rq`` files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from kg.graph.store import GraphStore, StoreError, is_update

QUERY_DIR = Path(__file__).resolve().parents[2] / "ontology" / "queries"
OUTPUT_FORMATS = ("table", "csv", "tsv", "json")


def canned_queries() -> dict[str, Path]:
    return {p.stem: p for p in sorted(QUERY_DIR.glob("*.rq"))}


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


def run_query(store: GraphStore, query: str, allow_update: bool = False) -> tuple[list[str], list[list]]:
    sparql = resolve_query(query)
    if is_update(sparql) and not allow_update:
        raise StoreError("this is an update (INSERT/DELETE/DROP/LOAD/…): kg query is read-only")
    return store.query(sparql)


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

    cells = [columns] + [[_cell(v).replace("\n", " ")[:60] for v in row] for row in rows]
    widths = [max(columns_of(r[i]) for r in cells) for i in range(len(columns))]

    def line(row):
        return "  ".join(c + " " * (widths[i] - columns_of(c)) for i, c in enumerate(row)).rstrip()

    return "\n".join([line(cells[0]), "  ".join("-" * int(w) for w in widths)] + [line(r) for r in cells[1:]]) + f"\n({len(rows)} rows)\n"
