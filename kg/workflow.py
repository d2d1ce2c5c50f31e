"""The build, step by step: read -> extract -> store -> resolve across articles -> picture.

One workflow for ``kg build`` (kg/cli.py) and ``kg.build`` (kg/api.py), so that both give the
same graph. Each step reports through a ``kg.progress.Progress``: a bar on a terminal, a line
per step in a log, nothing when quiet. What could not be read is collected in the
``IngestReport``, never raised: one bad article stops no build.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kg.dates import parse_date
from kg.ingest import IngestReport, read_articles
from kg.nlp.ner import DEFAULT_TAGGER
from kg.progress import Progress

PICTURE_TOP = 2000  # nodes drawn by kg build at most; kg viz draws any selection
COMPACT_GROWTH = 1.25  # the store compacted after a build that made it this much larger (in articles)


def components(decide: bool = False) -> tuple[str, ...]:
    """The extraction components: the default pipeline, and decide.v1 when asked."""
    from kg.extract import DEFAULT_PIPELINE

    return DEFAULT_PIPELINE + (("decide.v1",) if decide else ())


def check_pub_date(value: str) -> str:
    parsed = parse_date(value)
    if parsed is None:
        raise ValueError(f"{value!r} is not a date (use YYYY-MM-DD, or YYYY-MM or YYYY when no day is known)")
    return parsed


def check_home_place(place: str) -> str:
    """``place`` if the gazetteer knows it as one administrative area, else ValueError."""
    from kg.shared.gazetteer import gazetteer

    area, used = gazetteer().parse(place)
    if area is None or used != len(place):
        raise ValueError(f"{place!r} is not an administrative area of China that the gazetteer knows unambiguously (try its full name, e.g. 永康市 or 浙江省金华市永康市)")
    return place


def home_places(value: str | Mapping[str, str] | None) -> dict[str, str]:
    """``永康市`` (every source) or ``{"永康日报": "永康市"}`` (per source), checked."""
    if not value:
        return {}
    places = {"": value} if isinstance(value, str) else dict(value)
    for place in places.values():
        check_home_place(place)
    return places


@dataclass
class Sources:
    """What to read and how (kg/ingest)."""

    paths: list[str]
    input_format: str = "auto"
    pub_date: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    home_places: dict[str, str] = field(default_factory=dict)

    def read(self, report: IngestReport, outputs: Iterable = ()):
        return read_articles(self.paths, self.input_format, self.pub_date, self.fields, report, self.home_places, [str(o) for o in outputs])


@dataclass
class BuildResult:
    """What a build did: counts, where it wrote, and what was skipped (``report``)."""

    out: Path
    store: str
    report: IngestReport
    built: int = 0
    unchanged: int = 0
    resolved: tuple[int, int] | None = None  # (entities moved, articles rewritten); None: not resolved
    quads: int | None = None  # counted when the build compacts the store, which reads all of it anyway
    articles: int = 0  # in the store
    picture: Path | None = None
    drawn: int | None = None  # the nodes drawn, when not all of them
    nodes: int = 0

    @property
    def read_nothing(self) -> bool:
        return self.report.articles == 0

    def summary(self) -> str:
        """The line ``kg build`` ends with."""
        resolved = "" if self.resolved is None else resolved_summary(*self.resolved)
        picture = ""
        if self.picture is not None:
            drawn = f" (the {self.drawn:,} best-connected nodes of {self.nodes:,}; kg viz draws other selections)" if self.drawn else ""
            picture = f"; picture: {self.picture}{drawn}"
        held = f"{self.quads:,} quads" if self.quads is not None else f"{self.articles:,} articles"  # quads counted only with a compaction
        return f"{self.built} articles built, {self.unchanged} unchanged{'; ' + resolved if resolved else ''}; {held} in {self.store}{picture}"


def resolved_summary(moved: int, rewritten: int) -> str:
    return f"{moved} entities resolved across articles ({rewritten} articles rewritten)"


class _TimedStore:
    """The store, timing what is written into it (the loading the build interleaves with extraction)."""

    def __init__(self, store):
        self._store, self.seconds, self.loads = store, 0.0, 0

    def __getattr__(self, name):
        return getattr(self._store, name)

    def _timed(self, method, *args, **kwargs):
        started = time.monotonic()
        try:
            return method(*args, **kwargs)
        finally:
            self.seconds += time.monotonic() - started
            self.loads += 1

    def add_graphs(self, items):
        return self._timed(self._store.add_graphs, items)

    def replace_graph(self, *args, **kwargs):
        return self._timed(self._store.replace_graph, *args, **kwargs)


def _count(sources: Sources, out: Path, progress: Progress) -> int | None:
    """How many articles the sources hold, read once before extraction so that its bar has a
    total and a time left; None for stdin (it can be read once only)."""
    if "-" in sources.paths:
        return None
    with progress.step("reading") as step:
        total = sum(1 for _ in sources.read(IngestReport(), outputs=[out]))
        step.done(f"{total:,} articles")
    return total


def resolve(store, progress: Progress | None = None, full: bool = False) -> tuple[int, int]:
    """Resolution across the store's articles (kg/graph/identity.py): (moved, rewritten); of
    what the articles written since the last pass may change, or ``full``, of the whole store."""
    from kg.graph.identity import resolve_store

    with (progress or Progress()).step("resolving across articles") as step:
        report = resolve_store(store, full)
        step.done(resolved_summary(report.moved, report.rewritten))
    return report.moved, report.rewritten


def build(
    sources: Sources, out: str | Path, *, store: str | None = None, tagger: str = DEFAULT_TAGGER, decide: bool = False,
    jobs: int | None = None, executor: str = "local", scheduler: str | None = None, resolve_across: bool = True,
    picture: bool = True, progress: Progress | None = None, mentions: str = "all",
) -> BuildResult:
    """Read, extract and store the sources' articles into ``store`` (default: the embedded store
    ``out/store``), resolve across articles, and draw ``out/graph.html``. A run that reads no
    article writes nothing (``result.read_nothing``). ``mentions="first"``: one mention node
    per entity and article (kg/graph/rdf.py), a quarter fewer quads."""
    from kg.graph.build import build as build_articles
    from kg.graph.executors import make_executor
    from kg.graph.store import article_count, open_store, read_ahead

    if mentions not in ("all", "first"):
        raise ValueError(f"mentions is all or first, not {mentions!r}")
    progress = progress or Progress()
    out = Path(out)
    report = IngestReport()
    result = BuildResult(out, store or str(out / "store"), report)
    total = _count(sources, out, progress) if progress.counts_first else None
    articles = sources.read(report, outputs=[out])
    first = next(articles, None)
    if first is None:  # a run that read nothing writes nothing: no store, no picture
        return result
    pool = make_executor(executor, jobs, scheduler)
    opened = _TimedStore(open_store(store or out))
    try:
        before = article_count(opened)
        # articles added to a store: the pass and the picture will read all over it
        cached = read_ahead(opened) if before and (resolve_across or picture) else (lambda: None)
        with progress.step("extracting", total=total) as step:
            built = build_articles(itertools.chain([first], articles), opened, tagger, pool, step, components(decide), mentions)
            step.done(f"{built.built:,} articles built, {built.unchanged:,} unchanged" + (f", {len(built.failed)} failed" if built.failed else ""))
        with progress.step("storing") as step:
            step.done(f"{built.built:,} articles loaded into {result.store} in {opened.loads:,} writes, during the extraction", opened.seconds)
        report.skipped.extend(built.failed)
        report.warnings.extend(built.replaced)
        result.built, result.unchanged = built.built, built.unchanged
        cached()  # the store read into the cache before the reads all over it
        if resolve_across:
            result.resolved = resolve(opened, progress)
        result.articles = article_count(opened)
        if result.articles >= before * COMPACT_GROWTH:  # not for a few articles added: compacting and counting take time in the store's size
            with progress.step("compacting the store") as step:
                opened.compact()
                result.quads = opened.count()
                step.done(f"{result.quads:,} quads")
        if picture:  # skip it when loading in parts
            _draw(opened, out, result, progress)
    finally:
        opened.close()
    return result


def _draw(store, out: Path, result: BuildResult, progress: Progress) -> None:
    """The picture of the ``PICTURE_TOP`` best-connected nodes, chosen in the store: of a big
    store only they are read (its cost follows the picture, not the store)."""
    from kg.views.network import best_connected, to_networkx
    from kg.views.visualise import write_html

    with progress.step("drawing the picture") as step:
        chosen, result.nodes = best_connected(store, PICTURE_TOP)
        result.drawn = PICTURE_TOP if result.nodes > PICTURE_TOP else None  # a picture, not a hairball
        graph = to_networkx(store, only=chosen if result.drawn else None)
        result.picture = write_html(graph, out / "graph.html", top=result.drawn)
        step.done(f"{result.picture}, {min(result.nodes, result.drawn or result.nodes):,} nodes")
