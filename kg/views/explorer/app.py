"""The web app of ``kg serve``: the explorer's pages and the SPARQL 1.1 Protocol endpoint.

Starlette routes, Jinja2 templates with autoescape on, run by uvicorn (kg/views/serve.py):

- ``/`` search and starting points; ``/search?q=``; ``/person/<key>``, ``/organization/<key>``,
  ``/place/<key>``, ``/event/<key>``, ``/series/<key>``; ``/article?id=<article id>``;
  ``/sparql`` an editor with the canned queries, its results as a table, CSV and JSON links.
  Every page is also JSON with ``?format=json`` (or ``Accept: application/json``).
- ``/query``: the guarded endpoint (kg/views/serve.py's ``Endpoint``): checked, run in a
  process of its own, errors never in a 200 body; ``/update`` and ``/store`` are refused.

Read-only, and nothing leaves the server: pages load only ``/assets/…`` (vis-network from
pyvis's bundle, our script and style sheet), which a Content-Security-Policy enforces
(``default-src 'none'; script-src 'self'``): a ``<script>`` in an article's text is text, and
even an escaping slip could not run it.
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from kg.graph.store import StoreError
from kg.views.explorer import reads
from kg.views.visualise import NODE_STYLE, OTHER_STYLE, ROLE_COLOUR, _vis_assets

HERE = Path(__file__).parent
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                    "X-Frame-Options": "DENY", "Cache-Control": "no-store"}
CORS = {"Access-Control-Allow-Origin": "*"}
SPARQL_ROWS = 1000  # rows of a result the SPARQL page shows (the downloads have them all)

_env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                          undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_env.globals.update(node_style=NODE_STYLE, other_style=OTHER_STYLE, role_colour=ROLE_COLOUR)


def _json_block(value) -> str:
    """JSON for a ``<script type="application/json">`` block: ``<``, ``>``, ``&`` escaped, so
    that no text in it can end the block."""
    from markupsafe import Markup

    from kg.views.visualise import _json_for_html

    return Markup(_json_for_html(value))


_env.filters["json_block"] = _json_block


@lru_cache(maxsize=None)
def _asset(name: str) -> tuple[bytes, str]:
    if name == "vis-network.min.js":
        return _vis_assets()[0].encode("utf-8"), "text/javascript; charset=utf-8"
    if name == "vis-network.css":
        return _vis_assets()[1].encode("utf-8"), "text/css; charset=utf-8"
    path = HERE / "assets" / name
    kinds = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
    if "/" in name or path.suffix not in kinds or not path.is_file():
        raise FileNotFoundError(name)
    return path.read_bytes(), kinds[path.suffix]


class Explorer:
    """The pages over one store; ``stores`` gives a store to read (reopened when it changed)."""

    def __init__(self, stores, endpoint, label: str):
        self.stores, self.endpoint, self.label = stores, endpoint, label

    def page(self, request: Request, template: str, data: dict, status: int = 200) -> Response:
        if request.query_params.get("format") == "json" or "application/json" in request.headers.get("accept", "").split(",")[0]:
            return JSONResponse(data, status_code=status, headers=SECURITY_HEADERS)
        html = _env.get_template(template).render(page=data, store_label=self.label, request_path=request.url.path,
                                                   query=request.url.query)
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    def error(self, request: Request, status: int, message: str) -> Response:
        return self.page(request, "error.html", {"kind": "error", "status": status, "error": message}, status)

    async def read(self, request: Request, template: str, function, *args) -> Response:
        try:
            data = await run_in_threadpool(self._read, function, *args)
        except reads.NotFound as exc:
            return self.error(request, 404, str(exc))
        except ValueError as exc:  # an IRI or id that is no IRI
            return self.error(request, 400, f"not a page of kg: {exc}")
        except StoreError as exc:
            return self.error(request, 502, f"the store failed: {exc}")
        return self.page(request, template, data)

    def _read(self, function, *args):
        from kg.graph.store import read_while_written

        return read_while_written(lambda: function(self.stores(), *args))  # a build's compaction changed the files: the store opened anew

    async def home(self, request: Request) -> Response:
        q = request.query_params.get("q", "")
        if q.strip():
            return await self.search(request)
        return await self.read(request, "home.html", lambda store: {"kind": "home", "q": "", **reads.overview(store)})

    async def search(self, request: Request) -> Response:
        q = request.query_params.get("q", "")
        return await self.read(request, "search.html", lambda store: {"kind": "search", **reads.search(store, q)})

    async def node(self, request: Request) -> Response:
        kind, key = request.path_params["kind"], request.path_params["key"]
        functions = {"person": reads.person, "organization": reads.organization, "place": reads.place, "event": reads.event,
                     "series": reads.series}
        if kind not in functions:
            return self.error(request, 404, f"no page /{kind}/…")
        try:
            iri = reads.node_iri(kind, key)
        except reads.NotFound as exc:
            return self.error(request, 404, str(exc))
        return await self.read(request, f"{kind}.html", functions[kind], iri)

    async def article(self, request: Request) -> Response:
        article_id = request.query_params.get("id")
        if not article_id:
            return self.error(request, 400, "which article? /article?id=ARTICLE-ID")
        return await self.read(request, "article.html", reads.article, article_id)

    async def sparql(self, request: Request) -> Response:
        """The editor: a canned query by name, or the text given; its result as a table. A failed
        query is an error status with the message, never a 200."""
        from kg.views.query import canned_queries

        canned = {name: path.read_text(encoding="utf-8") for name, path in canned_queries().items()}
        name = request.query_params.get("canned", "")
        text = request.query_params.get("query") or canned.get(name, "")
        data = {"kind": "sparql", "query": text, "canned": sorted(canned), "chosen": name, "columns": [], "rows": [],
                "shown": 0, "total": 0, "error": None, "downloads": {}}
        status = 200
        if text.strip():
            code, kind, body = await run_in_threadpool(self.endpoint.answer, text, "application/sparql-results+json")
            if code != 200:
                status, data["error"] = int(code), body.decode("utf-8", "replace").strip()
            else:
                _table(data, kind, body)
                data["downloads"] = {fmt: "/query?" + urlencode({"query": text, "format": fmt}) for fmt in ("csv", "json", "tsv")}
        return self.page(request, "sparql.html", data, status)

    async def asset(self, request: Request) -> Response:
        try:
            body, kind = _asset(request.path_params["name"])
        except FileNotFoundError:
            return Response("no such asset\n", 404, media_type="text/plain")
        return Response(body, media_type=kind, headers={"Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff"})


def _table(data: dict, kind: str, body: bytes) -> None:
    """SPARQL JSON results (or N-Triples of a CONSTRUCT) as columns and rows of cells with links."""
    if not body.lstrip().startswith(b"{"):
        import pyoxigraph as ox

        triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        data["columns"] = ["subject", "predicate", "object"]
        cells = [[_cell(t.subject), _cell(t.predicate), _cell(t.object)] for t in triples]
    else:
        parsed = json.loads(body)
        if "boolean" in parsed:
            data["columns"], cells = ["ask"], [[{"text": str(parsed["boolean"]).lower(), "url": None}]]
        else:
            data["columns"] = parsed["head"].get("vars", [])
            cells = [[_binding(row.get(v)) for v in data["columns"]] for row in parsed["results"]["bindings"]]
    data["total"], data["rows"] = len(cells), cells[:SPARQL_ROWS]
    data["shown"] = len(data["rows"])


def _binding(value: dict | None) -> dict:
    if value is None:
        return {"text": "", "url": None}
    text = value.get("value", "")
    return {"text": text, "url": reads.link(text) if value.get("type") == "uri" else None}


def _cell(term) -> dict:
    text = getattr(term, "value", str(term))
    return {"text": text, "url": reads.link(text)}


# --- The SPARQL Protocol endpoint at /query. -----------------------------------------------------------

def _text(status: int, message: str, extra: dict | None = None) -> Response:
    return Response(message + "\n", status, media_type="text/plain; charset=utf-8", headers={**CORS, **(extra or {})})


def query_route(endpoint, max_body: int):
    async def query(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={**CORS, "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                                                       "Access-Control-Allow-Headers": "Content-Type, Accept"})
        params = parse_qs(request.url.query)
        if request.method in ("GET", "HEAD"):
            if not params.get("query"):
                return _text(400, "no query= parameter")
            sparql = params["query"][0]
        else:
            length = int(request.headers.get("content-length") or 0)
            if length > max_body:
                return _text(413, f"query refused: a request body of {length:,} bytes", {"Connection": "close"})
            body = bytearray()
            async for chunk in request.stream():
                body += chunk
                if len(body) > max_body:
                    return _text(413, f"query refused: a request body of more than {max_body:,} bytes", {"Connection": "close"})
            text = body.decode("utf-8", "replace")
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind == "application/sparql-query":
                sparql = text
            elif kind == "application/x-www-form-urlencoded":
                form = parse_qs(text)
                if "update" in form:
                    return _text(403, "read-only: no updates")
                if "query" not in form:
                    return _text(400, "no query= parameter")
                sparql, params = form["query"][0], {**params, **form}
            else:
                return _text(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded")
        from kg.views.serve import FORMAT_PARAM

        accept = FORMAT_PARAM.get((params.get("format") or [""])[0], request.headers.get("accept") or "*/*")
        status, content_type, result = await run_in_threadpool(endpoint.answer, sparql, accept)
        return Response(result, int(status), headers={**CORS, "Content-Type": content_type})

    return query


def _read_only(request: Request) -> Response:
    return _text(403, "read-only: kg serve answers queries at /query, no updates")


class AccessLog:
    """One line per request on stderr, as servers do: ``kg serve: 127.0.0.1 "GET /" 200``."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        status = []

        async def sending(message):
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            client = (scope.get("client") or ("-",))[0]
            target = scope["path"] + ("?…" if scope.get("query_string") else "")
            sys.stderr.write(f'kg serve: {client} "{scope["method"]} {target}" {status[0] if status else "-"}\n')


def make_app(stores, endpoint, label: str, max_body: int, allowed_hosts=("*",)) -> Starlette:
    """The app: ``stores()`` returns the store to read now, ``endpoint.answer(sparql, accept)``
    answers SPARQL (kg/views/serve.py); a request naming another host than ``allowed_hosts`` in
    its Host header is refused (400), so that a web page whose name is made to point at this
    machine (DNS rebinding) cannot read a store served on localhost."""
    explorer = Explorer(stores, endpoint, label)
    query = query_route(endpoint, max_body)
    routes = [
        Route("/", explorer.home, methods=["GET"]),
        Route("/search", explorer.search, methods=["GET"]),
        Route("/article", explorer.article, methods=["GET"]),
        Route("/sparql", explorer.sparql, methods=["GET"]),
        Route("/assets/{name}", explorer.asset, methods=["GET"]),
        Route("/query", query, methods=["GET", "POST", "OPTIONS"]),
        Route("/update", _read_only, methods=["GET", "POST", "PUT", "DELETE"]),
        Route("/store", _read_only, methods=["GET", "POST", "PUT", "DELETE"]),
        Route("/favicon.ico", lambda request: Response(status_code=204), methods=["GET"]),
        Route("/{kind}/{key}", explorer.node, methods=["GET"]),
        Route("/{kind}", lambda request: RedirectResponse("/"), methods=["GET"]),
    ]

    async def not_found(request: Request, exc) -> Response:
        if request.url.path == "/query" or request.url.path.startswith("/assets/"):
            return _text(exc.status_code, getattr(exc, "detail", "not found"))
        return explorer.error(request, exc.status_code, f"{exc.status_code}: {getattr(exc, 'detail', '')} ({request.method} {request.url.path})")

    from starlette.exceptions import HTTPException

    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    return Starlette(routes=routes, exception_handlers={HTTPException: not_found},
                     middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))])
