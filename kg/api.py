"""kg from Python: ``kg.extract``, ``kg.build``, ``kg.open`` (re-exported by ``kg``).

>>> import kg
>>> doc = kg.extract("市长李明出席全市安全生产工作会议。", pub_date="2024-01-12", home_place="永康市")
>>> [(f.subject.text, f.role, f.object.text) for f in doc.facts if f.kind == "participation"]
[('李明', 'attendee', '全市安全生产工作会议')]

``kg.build`` runs the same workflow as ``kg build`` (kg/workflow.py): read, extract, store,
resolve across articles, draw the picture; ``kg.open`` opens what it wrote, or a SPARQL server.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from kg.model import Article, Extraction
from kg.nlp.ner import DEFAULT_TAGGER


def extract(text: str, *, pub_date: str | None = None, home_place: str | None = None, title: str | None = None, id: str = "text",
            source: str = "", tagger: str = DEFAULT_TAGGER, decide: bool = False) -> Extraction:
    """The extraction of one article's text: ``.mentions``, ``.facts`` (each with its
    ``.evidence``: sentence, offsets, extractor), ``.to_dict()`` the record ``kg extract`` prints.

    ``pub_date`` (YYYY-MM-DD, YYYY-MM or YYYY) anchors relative dates (昨天, 1月11日);
    ``home_place`` (永康市) is the newspaper's area, for 我市, 市博物馆, 市经信局; ``title``: the
    headline, by default the one the text opens with, as for a file (kg.ingest.page.headline)."""
    from kg.ingest.page import headline
    from kg.workflow import check_home_place, check_pub_date, components

    article = Article(id=id, text=text, title=headline(text) if title is None else title, date=check_pub_date(pub_date) if pub_date else None, source=source,
                      home_place=check_home_place(home_place) if home_place else "")
    return _pipeline(tagger, components(decide))(article)


def _pipeline(tagger: str, components: tuple[str, ...]):
    from kg.graph.build import _pipeline as cached  # one pipeline (one model loaded) per tagger and components

    return cached(tagger, components)


def build(sources: str | Path | Iterable[str | Path], out: str | Path = "output", *, pub_date: str | None = None,
          home_place: str | Mapping[str, str] | None = None, input_format: str = "auto", fields: Mapping[str, str] | None = None,
          store: str | None = None, tagger: str = DEFAULT_TAGGER, decide: bool = False, jobs: int | None = None,
          executor: str = "local", scheduler: str | None = None, resolve: bool = True, picture: bool = True,
          progress: bool = False, mentions: str = "all") -> Graph:
    """Build ``sources`` (files, folders, ``-`` for stdin) into ``out`` as ``kg build`` does, and
    return the graph. ``home_place`` is one area for all sources or ``{source: area}``;
    ``progress=True`` shows the command's progress on stderr. What was skipped, and why, is in
    ``graph.report.skipped``; ValueError when no article could be read (nothing is written)."""
    from kg import workflow
    from kg.progress import Progress, progress_for

    paths = [str(sources)] if isinstance(sources, (str, Path)) else [str(s) for s in sources]
    result = workflow.build(
        workflow.Sources(paths, input_format, workflow.check_pub_date(pub_date) if pub_date else None, dict(fields or {}), workflow.home_places(home_place)),
        out, store=store, tagger=tagger, decide=decide, jobs=jobs, executor=executor, scheduler=scheduler,
        resolve_across=resolve, picture=picture, progress=progress_for() if progress else Progress(), mentions=mentions,
    )
    if result.read_nothing:
        reasons = "; ".join(str(e) for e in result.report.skipped[:3])
        raise ValueError("no article read, nothing written" + (f" ({reasons})" if reasons else ""))
    return Graph(store or out, result)


def open(location: str | Path = "output") -> Graph:  # noqa: A001 (kg.open, as the README shows it)
    """The graph in an output folder of ``kg build``, its store folder, or at a SPARQL server
    (``sparql+http://HOST:PORT/…``)."""
    graph = Graph(location)
    with graph._reading():
        pass  # a location with no store fails now (StoreError), not at the first query
    return graph


class Graph:
    """A built graph. Each call opens the store read-only and closes it again, so a graph
    handle holds no lock: ``kg build`` may add to the same folder in between."""

    def __init__(self, location: str | Path, result=None):
        self.location = str(location)
        self.result = result  # kg.workflow.BuildResult, when this handle comes from kg.build

    @property
    def report(self):
        """What the build read, skipped and why (kg.ingest.IngestReport); None for kg.open."""
        return self.result.report if self.result is not None else None

    def __repr__(self) -> str:
        return f"kg.Graph({self.location!r})"

    def _reading(self):
        from contextlib import closing

        from kg.graph.store import open_store

        return closing(open_store(self.location, read_only=True))

    def query(self, sparql: str, limit: int | None = None) -> list[dict]:
        """Rows of a SELECT (SPARQL text, a ``.rq`` file or a canned query name: attendance,
        people, …), each a dict of column -> Python value (None when unbound)."""
        from kg.views.query import run_query

        with self._reading() as store:
            columns, rows = run_query(store, sparql, limit)
        return [dict(zip(columns, row)) for row in rows]

    def networkx(self):
        """The NetworkX view: a MultiDiGraph of persons, organisations, places, events and
        articles (node attributes label, type, subtype, types, posts, date, venue) and their
        participations and links (edge attributes relation, role, date, article, evidence)."""
        from kg.views.network import to_networkx

        with self._reading() as store:
            return to_networkx(store)

    def coattendance(self):
        """Persons linked by the events they attended together (edge ``weight``)."""
        from kg.views.network import coattendance

        return coattendance(self.networkx())

    def export(self, path: str | Path, format: str | None = None) -> list[Path]:  # noqa: A002 (as kg export names it)
        """Write the graph for other tools (turtle, nt, nquads, trig, json-ld, graphml, gexf,
        csv; default: as the extension of ``path`` says); the files written."""
        from kg.views.export import export

        with self._reading() as store:
            return export(store, format, path)

    def stats(self) -> dict[str, int]:
        """Counts: quads, graphs, articles, persons, organizations, places, events, participations."""
        from kg.views.stats import stats

        with self._reading() as store:
            return stats(store)
