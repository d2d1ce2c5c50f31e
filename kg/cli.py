"""The ``kg`` command: build, query, extract, export, viz, stats.

Exit status: 0 all good; 1 done, but some inputs were skipped (each named on stderr);
2 failed (bad usage, unreadable store, bad query).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from kg import __version__
from kg.graph.store import StoreError, open_store
from kg.ingest import FORMATS, IngestReport, InputError
from kg.ingest.jsonl import FIELD_NAMES
from kg.nlp.ner import DEFAULT_TAGGER, TAGGERS

EXIT_OK, EXIT_SKIPPED, EXIT_FAILED = 0, 1, 2


class Fail(Exception):
    """A one-line error for the user."""


class Terminated(BaseException):
    """SIGTERM, raised where the process is, so that cleanup (``finally``, temp files) runs."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated()


def did_you_mean(word: str, names) -> str:
    """`` (did you mean attendance?)`` for a near miss, else ""."""
    import difflib

    close = difflib.get_close_matches(word, list(names), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        """Bad usage is one line, as every other error; a near miss of a choice says what was meant."""
        import re

        choice = re.search(r"invalid choice: '(?P<word>[^']*)' \(choose from (?P<names>.*)\)", message)
        if choice:
            message = message[: choice.end("word") + 1] + did_you_mean(choice["word"], re.findall(r"'([^']*)'", choice["names"])) + message[choice.end("word") + 1 :]
        self.exit(EXIT_FAILED, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _pub_date(value: str) -> str:
    from kg.workflow import check_pub_date

    try:
        return check_pub_date(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _field(value: str) -> tuple[str, str]:
    ours, sep, theirs = value.partition("=")
    if not sep or ours not in FIELD_NAMES:
        raise argparse.ArgumentTypeError(f"{value!r}: use OURS=THEIRS, OURS one of {','.join(FIELD_NAMES)}")
    return ours, theirs


def _home_place(value: str) -> tuple[str, str]:
    from kg.workflow import check_home_place

    source, _, place = value.rpartition("=")
    try:
        return source, check_home_place(place)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_input_options(p: argparse.ArgumentParser, *old_spellings: str) -> None:
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="files, folders (read recursively) or - for stdin")
    p.add_argument("--input-format", dest="input_format", choices=FORMATS, default="auto", help="input format (default: detected from each file's name and first bytes)")
    if old_spellings:  # the spellings of --input-format before 0.2, still read, no longer shown
        p.add_argument(*old_spellings, dest="input_format", choices=FORMATS, help=argparse.SUPPRESS)
    p.add_argument("--pub-date", type=_pub_date, help="publication date for articles that carry none (YYYY-MM-DD, YYYY-MM or YYYY)")
    p.add_argument("--field", type=_field, action="append", default=[], metavar="OURS=THEIRS", help="a field (column) name of JSON Lines, JSON arrays, CSV, TSV and spreadsheets beyond those kg knows (kg/data/feed_fields.tsv), e.g. text=article_body")
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


def _sources(args):
    from kg.workflow import Sources

    return Sources(args.sources, args.input_format, args.pub_date, dict(args.field), dict(args.home_place))


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


def _progress(args):
    from kg.progress import progress_for

    return progress_for(quiet=args.quiet, verbose=args.verbose)


def _say(args, line: str) -> None:
    """What was done, on stdout; -q says nothing."""
    if not args.quiet:
        print(line)


def cmd_build(args) -> int:
    from kg import workflow

    result = workflow.build(
        _sources(args), args.output, store=args.store, tagger=args.tagger, decide=args.decide, jobs=args.jobs,
        executor=args.executor, scheduler=args.scheduler, resolve_across=not args.no_resolve, picture=not args.no_picture,
        progress=_progress(args), mentions=args.mentions,
    )
    if not result.read_nothing:
        _say(args, result.summary())
    return _report_skipped(result.report)


def cmd_resolve(args) -> int:
    from kg.workflow import resolve, resolved_summary

    store = open_store(args.store)
    try:
        _say(args, resolved_summary(*resolve(store, _progress(args), args.full)))
    finally:
        store.close()
    return EXIT_OK


def _say_if_written(location: str, writer: str | None) -> None:
    """A store a build is writing is read as it was when opened: say so, and when."""
    if writer:
        print(f"kg: warning: {location} is being written by {writer}; this reads it as it was when opened "
              f"({time.strftime('%H:%M:%S')}), with the articles stored so far", file=sys.stderr)


@contextmanager
def _reading(location: str):
    store = open_store(location, read_only=True)
    _say_if_written(location, getattr(store, "writer", None))
    try:
        yield store
    finally:
        store.close()


def _network(location: str):
    from kg.views.network import to_networkx

    with _reading(location) as store:
        return to_networkx(store)


def cmd_extract(args) -> int:
    from kg.extract import ArticleTooLarge, Pipeline

    from kg.workflow import components

    report = IngestReport()
    pipeline = Pipeline(args.tagger, components(args.decide))
    out = sys.stdout
    for article, doc in pipeline.pipe(_sources(args).read(report)):
        if isinstance(doc, ArticleTooLarge):
            report.skipped.append(InputError(article.path or article.id, f"article {article.id!r}: {doc}", article.line or None))
            continue
        if isinstance(doc, Exception):
            raise doc
        out.write(json.dumps(extraction_record(doc), ensure_ascii=False) + "\n")
    return _report_skipped(report)


def extraction_record(doc) -> dict:
    """The ``kg extract`` JSON record of one article (``Extraction.to_dict``)."""
    return doc.to_dict()


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


def _canned_or_sparql(query: str) -> None:
    """A bare word that is no canned query's name (attendence) is a typo, not SPARQL."""
    import re

    from kg.views.query import canned_queries

    canned = canned_queries()
    if re.fullmatch(r"[\w-]+", query) and query not in canned and not Path(query).is_file():
        raise Fail(f"no canned query {query!r}{did_you_mean(query, canned)}; canned queries: {', '.join(canned)}")


def cmd_query(args) -> int:
    from kg.views.query import format_rows, read_only_query, run_query_bounded

    _canned_or_sparql(args.query)

    if args.explain:  # Oxigraph's own plan, with evaluation statistics
        import subprocess
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            command = [_oxigraph_binary(), "query", "--location", str(_store_folder(args.store)), "--query", read_only_query(args.query, args.allow_service),
                       "--union-default-graph", "--explain", "--stats", "--results-file", str(Path(tmp) / "results.tsv")]
            from kg.procs import popen, stop

            proc = popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # ends with kg, however kg ends
            try:
                _, plan = proc.communicate(timeout=args.timeout or None)
            except subprocess.TimeoutExpired:
                raise Fail(f"query stopped after {args.timeout:g} s (raise the limit with --timeout)") from None
            finally:
                stop(proc)
        sys.stdout.write(plan)
        return EXIT_OK if proc.returncode == 0 else EXIT_FAILED

    if "://" not in args.store:
        from kg.graph.store import lock_holder

        _say_if_written(args.store, lock_holder(_store_folder(args.store)))
    columns, rows, truncated = run_query_bounded(args.store, args.query, args.timeout or None, args.limit or None, args.allow_service)
    sys.stdout.write(format_rows(columns, rows, args.format))
    if truncated:
        print(f"kg: only the first {args.limit} rows (raise the limit with --limit, 0 for none)", file=sys.stderr)
    return EXIT_OK


def cmd_export(args) -> int:
    from kg.views.export import export, format_of

    fmt = format_of(args.output, args.format)
    with _reading(args.store) as store:
        written = export(store, fmt, args.output)
    if args.output != "-":
        _say(args, "wrote " + ", ".join(map(str, written)))
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
    from kg.views.window import events_in, restrict

    names = list(analysis.ANALYSES) if args.what == "all" else [args.what]
    with _reading(args.store) as store:
        events = events_in(store, args.date_from, args.date_to, args.place)
        if args.what == "rank":
            return _rank(store, events, args, format_rows)
        if args.what == "careers":
            from kg.views.careers import careers

            sys.stdout.write(format_rows(*careers(store, args.person), args.format))
            return EXIT_OK
        from kg.views.network import to_networkx

        graph = restrict(to_networkx(store), events)
    if args.person is not None:
        if "timeline" not in names:
            raise Fail("--person goes with the timeline and careers analyses (kg analyze timeline --person NAME)")
        people = {d["label"] for _, d in graph.nodes(data=True) if d["type"] == "person"}
        if args.person not in people:
            raise Fail(f"no person named {args.person!r} in {args.store}{did_you_mean(args.person, sorted(people))}")
    for name in names:
        options = {"person": args.person} if name == "timeline" else {}
        columns, rows = analysis.ANALYSES[name](graph, **options)
        if len(names) > 1 and args.format == "table":
            print(f"== {name}")
        sys.stdout.write(format_rows(columns, rows[: args.top or None], args.format))
        if args.top and len(rows) > args.top:
            _note(args, f"{name}: the first {args.top} of {len(rows):,} rows (--top 0 for all)")
        if name == "centrality" and (sampled := analysis.betweenness_sampled(graph)):
            _note(args, f"centrality: {sampled}")
        if args.plots:
            Path(args.plots).mkdir(parents=True, exist_ok=True)
            drawn = analysis.draw(name, columns, rows, Path(args.plots) / f"{name}.svg")
            _note(args, f"{name}: {drawn}")
    return EXIT_OK


def _rank(store, events, args, format_rows) -> int:
    """kg analyze rank: the table of the window (or of each month), and the plot of rank by month."""
    from kg.views import rank

    lists = rank.printed_lists(store, events)
    columns, rows = (rank.rank_by_month if args.by == "month" else rank.rank)(lists, args.method)
    sys.stdout.write(format_rows(columns, rows if args.by == "month" or not args.top else rows[: args.top], args.format))
    if args.plots:
        Path(args.plots).mkdir(parents=True, exist_ok=True)
        top = [r[1] for r in rank.rank(lists, args.method)[1][:10]]
        rank.plot_rank(*rank.rank_by_month(lists, args.method), Path(args.plots) / "rank.svg", top)
    return EXIT_OK


def _note(args, line: str) -> None:
    """A remark about the output, on stderr; -q says nothing."""
    if not args.quiet:
        print(f"kg: {line}", file=sys.stderr)


def cmd_stats(args) -> int:
    from kg.views.stats import stats

    with _reading(args.store) as store:
        counts = stats(store)
    for key, value in counts.items():
        print(f"{key:15} {value}")
    return EXIT_OK


def cmd_serve(args) -> int:
    """The explorer (search, a page for every person, event, organisation, place and article, a
    SPARQL editor) and a read-only SPARQL 1.1 Protocol endpoint at /query, over the embedded
    store or a SPARQL server (kg/views/serve.py, kg/views/explorer/): each query checked, then
    run in a process of its own that the timeout ends."""
    from kg.views.serve import serve

    host, port = args.bind
    if "://" in args.store:
        location = args.store
        open_store(location, read_only=True).query("ASK {}")  # a server that cannot be reached fails now
    else:
        location = _store_folder(args.store)
        try:
            import pyoxigraph

            pyoxigraph.Store.read_only(str(location))  # a store that cannot be read fails now, not on the first query
        except OSError as exc:
            raise Fail(f"{location}: cannot open the store ({exc})") from None
    shown = f"[{host}]" if ":" in host else host
    print(f"kg: serving {location} read-only: the explorer at http://{shown}:{port}/, SPARQL at http://{shown}:{port}/query", file=sys.stderr, flush=True)
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


EXAMPLES = {
    "build": """examples:
  kg build examples --pub-date 2024-01-12 --home-place 永康市 -o output
  kg build feed.jsonl --field text=article_body -o out --jobs 4
  kg build part1/ --store sparql+http://127.0.0.1:7878 --no-resolve --no-picture""",
    "resolve": """examples:
  kg resolve -s output
  kg resolve -s sparql+http://127.0.0.1:7878""",
    "extract": """examples:
  kg extract examples --pub-date 2024-01-12
  echo 市长李明出席全市安全生产工作会议。 | kg extract - --home-place 永康市""",
    "query": """examples:
  kg query -s output attendance
  kg query -s output people --format csv > people.csv
  kg query -s output 'PREFIX schema: <https://schema.org/> SELECT ?who WHERE { ?e schema:attendee/schema:name ?who }'
  kg query -s output my-query.rq --explain""",
    "export": """examples:
  kg export -s output -o kg.gexf               # the format from the extension: open in Gephi
  kg export -s output --format turtle -o - | head
  kg export -s output -o csv/                  # nodes.csv and edges.csv (neo4j-admin headers)""",
    "viz": """examples:
  kg viz -s output -o graph.html
  kg viz -s output --from 2024-01-01 --to 2024-01-31 --types person,event -o january.html""",
    "serve": """examples:
  kg serve -s output
  kg serve -s output --bind 0.0.0.0:7878 --timeout 10 --memory 1024""",
    "analyze": """examples:
  kg analyze -s output
  kg analyze -s output centrality --top 10 --plots plots/
  kg analyze -s output timeline --person 胡勇春""",
    "stats": """examples:
  kg stats -s output""",
}
STORE_HELP = "output folder of kg build, its store folder, or a SPARQL server sparql+http://… (default: output)"
SUBCOMMANDS = ("build", "resolve", "extract", "query", "export", "viz", "serve", "analyze", "stats")


def parser() -> argparse.ArgumentParser:
    from kg.views.export import FORMATS as EXPORT_FORMATS
    from kg.views.query import OUTPUT_FORMATS, canned_queries

    top = _Parser(
        prog="kg", description="Build a knowledge graph of who met whom, where and when from Chinese news.",
        epilog="examples:\n  kg build examples --pub-date 2024-01-12 -o output\n  kg query -s output attendance\n\n"
        "kg COMMAND --help shows each command's options and examples.", formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"kg {__version__}", help="print kg's version")
    _add_verbosity(top, False)
    sub = top.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    common = argparse.ArgumentParser(add_help=False)
    _add_verbosity(common, argparse.SUPPRESS)

    def command(name: str, help: str):
        return sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".", epilog=EXAMPLES[name],
                              formatter_class=argparse.RawDescriptionHelpFormatter, parents=[common])

    p = command("build", "extract articles into the graph store, resolve across articles, draw the picture")
    _add_input_options(p, "--format", "-f")
    p.add_argument("-o", "--output", default="output", help="output folder (default: output)")
    p.add_argument("--store", help="a SPARQL 1.1 server to load into, sparql+http://HOST:PORT/… (default: the embedded store OUT/store)")
    p.add_argument("--jobs", "-j", type=_count, default=None, help="extraction processes (default: the number of cores)")
    p.add_argument("--executor", choices=["local", "dask"], default="local", help="where extraction runs (default: local processes)")
    p.add_argument("--scheduler", help="Dask scheduler address, with --executor dask")
    p.add_argument("--no-resolve", action="store_true", help="skip resolution across articles (run kg resolve once after loading all parts)")
    p.add_argument("--no-picture", action="store_true", help="do not draw OUT/graph.html (kg viz draws it later)")
    p.add_argument("--mentions", choices=["all", "first"], default="all",
                   help="mention nodes (nif:Phrase) kept: every printed mention (default), or each entity's first in an article (a quarter fewer quads; the explorer marks only those in the text)")
    p.set_defaults(func=cmd_build)

    p = command("resolve", "resolve people and events across the store's articles (kg build does it too)")
    p.add_argument("-s", "--store", default="output", help=STORE_HELP)
    p.add_argument("--full", action="store_true", help="decide the whole store again, not only what the articles written since the last pass may change: a store written or resolved by an older kg (no index of what changed, or events named by the least of their reports' nodes)")
    p.set_defaults(func=cmd_resolve)

    p = command("extract", "print mentions and facts as JSON Lines, no store")
    _add_input_options(p, "-f")
    p.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format (default and only: jsonl, one JSON object per article)")
    p.set_defaults(func=cmd_extract)

    p = command("query", "run SPARQL (text, a .rq file or a canned query name)")
    p.add_argument("query", help=f"SPARQL text, a .rq file, or one of: {', '.join(canned_queries())}")
    p.add_argument("-s", "--store", default="output", help=STORE_HELP)
    p.add_argument("--format", choices=OUTPUT_FORMATS, default="table", help="output format (default: table, long cells cut with …)")
    p.add_argument("--timeout", type=_seconds, default=60.0, help="seconds before the query is stopped (default 60, 0: none)")
    p.add_argument("--limit", type=_count, default=10000, help="rows at most (default 10000, 0: none)")
    p.add_argument("--allow-service", action="store_true", help="let SERVICE (federated queries) send requests to other endpoints")
    p.add_argument("--explain", action="store_true", help="print the embedded store's query plan and statistics instead of results")
    p.set_defaults(func=cmd_query)

    p = command("export", "write the graph for other tools")
    p.add_argument("-s", "--store", default="output", help=STORE_HELP)
    p.add_argument("--format", choices=EXPORT_FORMATS, help="export format (default: from the extension of -o: .ttl .nt .nq .trig .jsonld .graphml .gexf, a folder or .csv for csv)")
    p.add_argument("-o", "--output", required=True, help="file to write, - for stdout (text formats), a folder for csv")
    p.set_defaults(func=cmd_export)

    p = command("viz", "draw who attended what as an offline HTML page")
    p.add_argument("-s", "--store", default="output", help=STORE_HELP)
    p.add_argument("-o", "--output", default="graph.html", help="page to write (default: graph.html)")
    p.add_argument("--from", dest="date_from", type=_pub_date, help="only events on or after this date (YYYY-MM-DD; 1998/01/05 is read as 1998-01-05)")
    p.add_argument("--to", dest="date_to", type=_pub_date, help="only events on or before this date (YYYY-MM-DD)")
    p.add_argument("--types", help="node types to draw, e.g. person,event")
    p.add_argument("--min-coattendance", type=_count, default=0, help="only people who share at least N events with someone")
    p.add_argument("--top", type=_count, default=0, help="only the N nodes of highest degree (0: all)")
    p.set_defaults(func=cmd_viz)

    p = command("serve", "the explorer and a read-only SPARQL endpoint over the store")
    p.add_argument("-s", "--store", default="output", help="output folder of kg build, its store folder, or sparql+http://… (default: output)")
    p.add_argument("--bind", type=_bind, default="127.0.0.1:7878", help="HOST:PORT to listen on (default 127.0.0.1:7878)")
    p.add_argument("--timeout", type=_seconds, default=60.0, help="seconds a query may run, fractions too (default 60, 0: none)")
    p.add_argument("--memory", type=_count, default=4096, metavar="MB", help="memory one query may use (default 4096 MB, 0: no limit)")
    p.add_argument("--allow-service", action="store_true", help="let SERVICE (federated queries) send requests to other endpoints")
    p.set_defaults(func=cmd_serve)

    p = command("analyze", "co-attendance (pairs, centrality, communities, timelines), protocol rank, careers")
    p.add_argument("-s", "--store", default="output", help=STORE_HELP)
    p.add_argument("what", nargs="?", default="all", choices=["all", "pairs", "centrality", "communities", "timeline", "rank", "careers"],
                   help="the analysis (default: all): pairs who met, degree and betweenness, Louvain communities, each person's timeline, "
                   "protocol rank, careers")
    p.add_argument("--person", help="with timeline and careers: only this person (an error if no one has the name)")
    p.add_argument("--from", dest="date_from", type=_pub_date, help="only events on or after this day (YYYY-MM-DD, YYYY-MM or YYYY)")
    p.add_argument("--to", dest="date_to", type=_pub_date, help="only events on or before this day (YYYY-MM-DD; 1998-01 takes in the whole month)")
    p.add_argument("--place", help="only events held in this place or in places within it (venue, sub-venue, dateline), e.g. 永康市")
    p.add_argument("--by", choices=["month"], help="with rank: a ranking for each month")
    p.add_argument("--method", choices=["bradley-terry", "copeland"], default="bradley-terry", help="with rank: the pairwise model (default bradley-terry)")
    p.add_argument("--top", type=_count, default=20, help="rows per table (default 20, 0: all); said on stderr when it cuts")
    p.add_argument("--format", choices=OUTPUT_FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--plots", metavar="DIR", help="also draw SVG charts into DIR (one per analysis, or a line saying why not; rank: rank.svg)")
    p.set_defaults(func=cmd_analyze)

    p = command("stats", "count what the store holds")
    p.add_argument("-s", "--store", default="output", help=STORE_HELP)
    p.set_defaults(func=cmd_stats)
    return top


def _add_verbosity(p: argparse.ArgumentParser, default) -> None:
    """-q and -v, before or after the command (kg -q build …, kg build -q …)."""
    group = p.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", default=default, help="no progress and no summary; errors and skipped inputs still")
    group.add_argument("-v", "--verbose", action="store_true", default=default, help="more detail on the progress of each step")


def main(argv: list[str] | None = None) -> int:
    import signal
    import threading

    command_line = parser()
    args = command_line.parse_args(argv)
    if args.command is None:  # bare kg: the help, not an error
        command_line.print_help()
        return EXIT_OK
    installed = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if installed else None
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
    finally:  # called in-process (tests, a notebook), the caller's SIGTERM is its own again
        if installed:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def _left(args) -> str:
    if args.command == "build":
        return "articles stored so far are kept, run the same kg build again to finish"
    if args.command == "resolve":
        return "run kg resolve again to finish"
    return "nothing half-written left behind"


if __name__ == "__main__":
    sys.exit(main())
