"""The ``kg`` command: build, query, extract, export, viz, stats.

Exit status: 0 all good; 1 done, but some inputs were skipped (each named on stderr);
2 failed (bad usage, unreadable store, bad query).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from contextlib import contextmanager
from pathlib import Path

from kg import __version__
from kg.dates import parse_date
from kg.graph.store import StoreError, open_store
from kg.ingest import FORMATS, IngestReport, InputError, read_articles
from kg.ingest.jsonl import FIELD_NAMES
from kg.nlp.ner import DEFAULT_TAGGER, TAGGERS

EXIT_OK, EXIT_SKIPPED, EXIT_FAILED = 0, 1, 2
PICTURE_TOP = 2000  # nodes drawn by kg build at most; kg viz draws any selection


class Fail(Exception):
    """A one-line error for the user."""


class Terminated(BaseException):
    """SIGTERM, raised where the process is, so that cleanup (``finally``, temp files) runs."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        """Bad usage is one line, as every other error."""
        self.exit(EXIT_FAILED, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _pub_date(value: str) -> str:
    parsed = parse_date(value)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (use YYYY-MM-DD, or YYYY-MM or YYYY when no day is known)")
    return parsed


def _field(value: str) -> tuple[str, str]:
    ours, sep, theirs = value.partition("=")
    if not sep or ours not in FIELD_NAMES:
        raise argparse.ArgumentTypeError(f"{value!r}: use OURS=THEIRS, OURS one of {','.join(FIELD_NAMES)}")
    return ours, theirs


def _home_place(value: str) -> tuple[str, str]:
    from kg.shared.gazetteer import gazetteer

    source, _, place = value.rpartition("=")
    area, used = gazetteer().parse(place)
    if area is None or used != len(place):
        raise argparse.ArgumentTypeError(f"{place!r} is not an administrative area of China that the gazetteer knows unambiguously (try its full name, e.g. 永康市 or 浙江省金华市永康市)")
    return source, place


def _add_input_options(p: argparse.ArgumentParser, *format_flags: str) -> None:
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="files, folders (read recursively) or - for stdin")
    p.add_argument("--input-format", *format_flags, dest="input_format", choices=FORMATS, default="auto", help="input format (default: detected)")
    p.add_argument("--pub-date", type=_pub_date, help="publication date for articles that carry none (YYYY-MM-DD, YYYY-MM or YYYY)")
    p.add_argument("--field", type=_field, action="append", default=[], metavar="OURS=THEIRS", help="a field (column) name of JSON Lines, JSON arrays, CSV and TSV, e.g. text=body")
    p.add_argument(
        "--home-place", type=_home_place, action="append", default=[], metavar="[SOURCE=]PLACE",
        help="the newspaper's home area (永康市), for 我市, 市博物馆, 市经信局; per source with SOURCE=PLACE",
    )
    p.add_argument("--tagger", default=DEFAULT_TAGGER, choices=sorted(TAGGERS), help=f"named-entity tagger (default {DEFAULT_TAGGER})")
    p.add_argument(
        "--decide", action="store_true",
        help="let the participation model trained on modern news (decide.v1) take more of the names listed around an event; "
        "better on modern local news, worse on 1998 People's Daily (README: accuracy)",
    )


def _components(args) -> tuple[str, ...]:
    from kg.extract import DEFAULT_PIPELINE

    return DEFAULT_PIPELINE + (("decide.v1",) if args.decide else ())


def _articles(args, report: IngestReport, outputs=()):
    return read_articles(args.sources, args.input_format, args.pub_date, dict(args.field), report, dict(args.home_place), outputs)


def _report_skipped(report: IngestReport) -> int:
    for passed in report.passed_over:
        print(f"kg: not reading {passed.path}: {passed.message}", file=sys.stderr)
    for warning in report.warnings:
        print(f"kg: warning: {warning}", file=sys.stderr)
    for error in report.skipped:
        print(f"kg: skipped {error}", file=sys.stderr)
    if report.skipped:
        print(f"kg: {report.articles} articles from {report.files} files; {len(report.skipped)} inputs skipped", file=sys.stderr)
    if report.articles == 0:
        print("kg: no article read, nothing written", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_SKIPPED if report.skipped else EXIT_OK


def _progress(total=None, desc=""):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=" articles", disable=not sys.stderr.isatty(), file=sys.stderr)


def cmd_build(args) -> int:
    from kg.graph.build import build
    from kg.graph.executors import make_executor
    from kg.views.network import to_networkx
    from kg.views.visualise import write_html

    report = IngestReport()
    out = Path(args.output)
    articles = _articles(args, report, outputs=[out])
    first = next(articles, None)
    if first is None:  # a run that read nothing writes nothing: no store, no picture
        return _report_skipped(report)
    executor = make_executor(args.executor, args.jobs, args.scheduler)
    store = open_store(args.store or out)
    try:
        with _progress(desc="kg build") as bar:
            result = build(itertools.chain([first], articles), store, args.tagger, executor, bar, _components(args))
        report.skipped.extend(result.failed)
        resolved = "" if args.no_resolve else _resolve_across(store)
        picture = ""
        if not args.no_picture:  # the whole store read into NetworkX: skip it when loading in parts
            graph = to_networkx(store)
            top = PICTURE_TOP if graph.number_of_nodes() > PICTURE_TOP else None  # a picture, not a hairball
            write_html(graph, out / "graph.html", top=top)
            drawn = f" (the {top:,} best-connected nodes of {graph.number_of_nodes():,}; kg viz draws other selections)" if top else ""
            picture = f"; picture: {out / 'graph.html'}{drawn}"
        count = store.count()
    finally:
        store.close()
    print(f"{result.built} articles built, {result.unchanged} unchanged{resolved}; {count} quads in {args.store or out / 'store'}{picture}")
    return _report_skipped(report)


def _resolve_across(store) -> str:
    from kg.graph.identity import resolve_store

    report = resolve_store(store)
    return f"; {report.moved} entities resolved across articles ({report.rewritten} articles rewritten)"


def cmd_resolve(args) -> int:
    store = open_store(args.store)
    try:
        print(_resolve_across(store).lstrip("; "))
    finally:
        store.close()
    return EXIT_OK


@contextmanager
def _reading(location: str):
    store = open_store(location, read_only=True)
    try:
        yield store
    finally:
        store.close()


def _network(location: str):
    from kg.views.network import to_networkx

    with _reading(location) as store:
        return to_networkx(store)


def cmd_extract(args) -> int:
    from kg.extract import Pipeline

    report = IngestReport()
    pipeline = Pipeline(args.tagger, _components(args))
    out = sys.stdout
    for article in _articles(args, report):
        out.write(json.dumps(extraction_record(pipeline(article)), ensure_ascii=False) + "\n")
    return _report_skipped(report)


def extraction_record(doc) -> dict:
    """The ``kg extract`` JSON record of one article."""

    def mention(m):
        record = {"text": m.text, "type": m.full_type, "start": m.start, "end": m.end}
        if m.key and m.key != m.text:
            record["norm"] = m.key
        return record

    def fact(f):
        record = {"kind": f.kind}
        if f.role:
            record["role"] = f.role
        if f.subject is not None:
            record["subject"] = mention(f.subject)
        if f.object is not None:
            record["object"] = mention(f.object)
        if f.value:
            record["value"] = f.value
        if "venue" in f.attrs:
            record["venue"] = mention(f.attrs["venue"])
        for name in ("rule", "cue", "probability"):  # which named rule made it, on which word
            if name in f.attrs:
                record[name] = f.attrs[name]
        ev = f.evidence
        record["evidence"] = {"sentence": ev.sentence, "start": ev.start, "end": ev.end, "extractor": ev.extractor}
        return record

    a = doc.article
    record = {"article": a.id, "title": a.title, "date": a.date, "script": a.script}
    if a.url:
        record["url"] = a.url
    return record | {"mentions": [mention(m) for m in doc.mentions], "facts": [fact(f) for f in doc.facts]}


def _oxigraph_binary() -> str:
    from kg.graph.store import oxigraph_binary

    binary = oxigraph_binary()
    if binary is None:
        raise Fail("the oxigraph server is not installed (pip install oxigraph)")
    return binary


def _store_folder(location: str) -> Path:
    folder = Path(location) / "store" if (Path(location) / "store").is_dir() else Path(location)
    if not folder.is_dir():
        raise Fail(f"{location}: no embedded store here (run 'kg build' first)")
    return folder


def cmd_query(args) -> int:
    from kg.views.query import format_rows, read_only_query, run_query_bounded

    if args.explain:  # Oxigraph's own plan, with evaluation statistics
        import subprocess
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            command = [_oxigraph_binary(), "query", "--location", str(_store_folder(args.store)), "--query", read_only_query(args.query, args.allow_service),
                       "--union-default-graph", "--explain", "--stats", "--results-file", str(Path(tmp) / "results.tsv")]
            try:
                result = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout or None)
            except subprocess.TimeoutExpired:
                raise Fail(f"query stopped after {args.timeout:g} s (raise the limit with --timeout)") from None
        sys.stdout.write(result.stderr)
        return EXIT_OK if result.returncode == 0 else EXIT_FAILED

    columns, rows, truncated = run_query_bounded(args.store, args.query, args.timeout or None, args.limit or None, args.allow_service)
    sys.stdout.write(format_rows(columns, rows, args.format))
    if truncated:
        print(f"kg: only the first {args.limit} rows (raise the limit with --limit, 0 for none)", file=sys.stderr)
    return EXIT_OK


def cmd_export(args) -> int:
    from kg.views.export import export

    with _reading(args.store) as store:
        written = export(store, args.format, args.output)
    print("wrote " + ", ".join(map(str, written)))
    return EXIT_OK


def cmd_viz(args) -> int:
    from kg.views.visualise import write_html

    graph = _network(args.store)
    types = args.types.split(",") if args.types else None
    written = write_html(graph, args.output, date_from=args.date_from, date_to=args.date_to, types=types, min_coattendance=args.min_coattendance, top=args.top or None)
    print(f"wrote {written}")
    return EXIT_OK


def cmd_analyze(args) -> int:
    from kg.views import analysis
    from kg.views.query import format_rows

    graph = _network(args.store)
    names = list(analysis.ANALYSES) if args.what == "all" else [args.what]
    for name in names:
        options = {"person": args.person} if name == "timeline" else {}
        columns, rows = analysis.ANALYSES[name](graph, **options)
        if len(names) > 1 and args.format == "table":
            print(f"== {name}")
        sys.stdout.write(format_rows(columns, rows[: args.top or None], args.format))
        if args.plots and name in analysis.PLOTS:
            Path(args.plots).mkdir(parents=True, exist_ok=True)
            analysis.PLOTS[name](columns, rows, Path(args.plots) / f"{name}.svg")
    return EXIT_OK


def cmd_stats(args) -> int:
    from kg.views.stats import stats

    with _reading(args.store) as store:
        counts = stats(store)
    for key, value in counts.items():
        print(f"{key:15} {value}")
    return EXIT_OK


def cmd_serve(args) -> int:
    """A read-only SPARQL 1.1 Protocol endpoint at /query over the embedded store, for YASGUI,
    SPARQLWrapper and friends (kg/views/serve.py): each query checked, then run in a process
    of its own that the timeout ends."""
    from kg.views.serve import serve

    location = _store_folder(args.store)
    host, port = args.bind
    try:
        import pyoxigraph

        pyoxigraph.Store.read_only(str(location))  # a store that cannot be read fails now, not on the first query
    except OSError as exc:
        raise Fail(f"{location}: cannot open the store ({exc})") from None
    shown = f"[{host}]" if ":" in host else host
    print(f"kg: serving {location} read-only at http://{shown}:{port}/query", file=sys.stderr, flush=True)
    serve(location, host, port, args.timeout or None, args.memory << 20 if args.memory else None, args.allow_service)
    return EXIT_OK


def _at_least_zero(value: str, convert, what: str):
    import math

    try:
        number = convert(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not {what}") from None
    if not math.isfinite(number) or number < 0:
        raise argparse.ArgumentTypeError(f"{value!r}: must be 0 (no limit) or more")
    return number


def _seconds(value: str) -> float:
    seconds = _at_least_zero(value, float, "a number of seconds")
    if 0 < seconds < 0.001:
        raise argparse.ArgumentTypeError(f"{value!r}: less than a millisecond; use 0.001 or more (0: no limit)")
    return seconds


def _count(value: str) -> int:
    return _at_least_zero(value, int, "a whole number")


def _bind(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"{value!r}: use HOST:PORT, e.g. 127.0.0.1:7878")
    return host, int(port)


def parser() -> argparse.ArgumentParser:
    from kg.views.export import FORMATS as EXPORT_FORMATS
    from kg.views.query import OUTPUT_FORMATS, canned_queries

    top = _Parser(prog="kg", description="Build a knowledge graph of who met whom, where and when from Chinese news.")
    top.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="extract articles into the graph store (and draw the picture)")
    _add_input_options(p, "--format", "-f")
    p.add_argument("-o", "--output", default="output", help="output folder (default: output)")
    p.add_argument("--store", help="a SPARQL 1.1 server to load into, sparql+http://HOST:PORT/… (default: the embedded store OUT/store)")
    p.add_argument("--jobs", "-j", type=_count, default=None, help="extraction processes (default: the number of cores)")
    p.add_argument("--executor", choices=["local", "dask"], default="local", help="where extraction runs (default: local processes)")
    p.add_argument("--scheduler", help="Dask scheduler address, with --executor dask")
    p.add_argument("--no-resolve", action="store_true", help="skip resolution across articles (run kg resolve once after loading all parts)")
    p.add_argument("--no-picture", action="store_true", help="do not draw OUT/graph.html (kg viz draws it later)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("resolve", help="resolve people and events across the store's articles (kg build does it too)")
    p.add_argument("-s", "--store", default="output", help="output folder of kg build, or sparql+http://… (default: output)")
    p.set_defaults(func=cmd_resolve)

    p = sub.add_parser("extract", help="print mentions and facts as JSON Lines, no store")
    _add_input_options(p, "-f")
    p.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("query", help="run SPARQL (text, a .rq file or a canned query name)")
    p.add_argument("query", help=f"SPARQL text, a .rq file, or one of: {', '.join(canned_queries())}")
    p.add_argument("-s", "--store", default="output", help="output folder of kg build (default: output)")
    p.add_argument("--format", choices=OUTPUT_FORMATS, default="table")
    p.add_argument("--timeout", type=_seconds, default=60.0, help="seconds before the query is stopped (default 60, 0: none)")
    p.add_argument("--limit", type=_count, default=10000, help="rows at most (default 10000, 0: none)")
    p.add_argument("--allow-service", action="store_true", help="let SERVICE (federated queries) send requests to other endpoints")
    p.add_argument("--explain", action="store_true", help="print the embedded store's query plan and statistics instead of results")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("export", help="write the graph for other tools")
    p.add_argument("-s", "--store", default="output")
    p.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    p.add_argument("-o", "--output", required=True, help="file to write (a folder for csv)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("viz", help="draw who attended what as an offline HTML page")
    p.add_argument("-s", "--store", default="output")
    p.add_argument("-o", "--output", default="graph.html")
    p.add_argument("--from", dest="date_from", type=_pub_date, help="only events on or after this date (YYYY-MM-DD; 1998/01/05 is read as 1998-01-05)")
    p.add_argument("--to", dest="date_to", type=_pub_date, help="only events on or before this date (YYYY-MM-DD)")
    p.add_argument("--types", help="node types to draw, e.g. person,event")
    p.add_argument("--min-coattendance", type=_count, default=0, help="only people who share at least N events with someone")
    p.add_argument("--top", type=_count, default=0, help="only the N nodes of highest degree (0: all)")
    p.set_defaults(func=cmd_viz)

    p = sub.add_parser("serve", help="a read-only SPARQL endpoint over the store")
    p.add_argument("-s", "--store", default="output")
    p.add_argument("--bind", type=_bind, default="127.0.0.1:7878", help="HOST:PORT to listen on (default 127.0.0.1:7878)")
    p.add_argument("--timeout", type=_seconds, default=60.0, help="seconds a query may run, fractions too (default 60, 0: none)")
    p.add_argument("--memory", type=_count, default=4096, metavar="MB", help="memory one query may use (default 4096 MB, 0: no limit)")
    p.add_argument("--allow-service", action="store_true", help="let SERVICE (federated queries) send requests to other endpoints")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("analyze", help="co-attendance: pairs, centrality, communities, timelines")
    p.add_argument("-s", "--store", default="output")
    p.add_argument("what", nargs="?", default="all", choices=["all", "pairs", "centrality", "communities", "timeline"])
    p.add_argument("--person", help="with timeline: only this person")
    p.add_argument("--top", type=_count, default=20, help="rows per table (default 20, 0: all)")
    p.add_argument("--format", choices=OUTPUT_FORMATS, default="table")
    p.add_argument("--plots", metavar="DIR", help="also draw SVG charts into DIR")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("stats", help="count what the store holds")
    p.add_argument("-s", "--store", default="output")
    p.set_defaults(func=cmd_stats)
    return top


def main(argv: list[str] | None = None) -> int:
    import signal
    import threading

    args = parser().parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return args.func(args)
    except (Fail, StoreError, InputError, ValueError, OSError) as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"kg: interrupted (SIGINT); {_left(args)}", file=sys.stderr)
        return 130
    except Terminated:
        print(f"kg: terminated (SIGTERM); {_left(args)}", file=sys.stderr)
        return 143


def _left(args) -> str:
    if args.command == "build":
        return "articles stored so far are kept, run the same kg build again to finish"
    if args.command == "resolve":
        return "run kg resolve again to finish"
    return "nothing half-written left behind"


if __name__ == "__main__":
    sys.exit(main())
