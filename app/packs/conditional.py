"""A repeat pack request whose ETag still holds is answered 304 before FastAPI's routing.

Why it exists (measured, README "Performance"): most pack reads are portals polling with
If-None-Match, and through the routing such a request pays parameter validation and a thread hop
per synchronous dependency, several times the cost of the check itself. Here the check is one
thread hop and exactly what the route runs: the pack's own query parser (FastAPI's validation of
the spec's query dependency), `make_request`, `pack_etag` and the request budget. Anything else –
no tag, `*`, a parameter the route would refuse, an unknown key, a tag that no longer holds, a
client over its budget – goes on to the route untouched, which answers it as ever. An exact tag
can only have come from a 200 for the same query and reader, so a 304 is never given where the
route would have refused.
"""

from collections.abc import Callable
from functools import cache
from typing import get_args

from anyio import CapacityLimiter, to_thread
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_dependant, request_params_to_args
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.access.reader import Reader
from app.clients.service import find_client
from app.core.auth import key_secret
from app.core.errors import ApiError
from app.core.etags import etag_matches
from app.packs.cache import etag_headers, pack_etag
from app.packs.registry import PACKS
from app.packs.request import PackQuery, make_request
from app.packs.schemas import PackFormat
from app.packs.spec import PackSpec

PREFIX = "/api/v1/packs/"
FORMATS = frozenset(get_args(PackFormat))
# Checks are a fraction of a millisecond of Python each: eight threads at once spend more time
# handing the GIL around than checking (measured: 393 304s a second with 40 threads, 629 with 2).
CHECKS_AT_ONCE = 2


class NotModifiedShortcut:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.limiter = CapacityLimiter(CHECKS_AT_ONCE)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        spec = _candidate(scope)
        if spec is not None:
            headers = await to_thread.run_sync(_not_modified, scope, spec, limiter=self.limiter)
            if headers is not None:
                await send({"type": "http.response.start", "status": 304,
                            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]})
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send)


def _candidate(scope: Scope) -> PackSpec | None:
    if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(PREFIX):
        return None
    spec = PACKS.get(scope["path"].removeprefix(PREFIX))
    headers = dict(scope["headers"])
    tag = headers.get(b"if-none-match", b"").strip()
    if spec is None or not tag or tag == b"*" or not headers.get(b"authorization", b"").startswith(b"Bearer "):
        return None
    return spec


@cache
def _query_dependant(query: Callable[..., PackQuery]) -> tuple[Dependant, frozenset[str]] | None:
    """The parameters the pack's route declares, as FastAPI reads them for the route itself; None when the
    query dependency takes anything but plain query parameters (the route alone can answer it then)."""
    dependant = get_dependant(path="", call=query)
    if dependant.dependencies or dependant.header_params or dependant.cookie_params or dependant.path_params \
            or dependant.body_params or dependant.request_param_name:
        return None
    return dependant, frozenset(p.alias for p in dependant.query_params) | {"format"}


def _parsed_query(spec: PackSpec, query: QueryParams) -> PackQuery | None:
    declared = _query_dependant(spec.query)
    if declared is None:
        return None
    dependant, allowed = declared
    if len(query.multi_items()) != len(query) or not set(query) <= allowed:
        return None
    if query.get("format", "json") not in FORMATS:
        return None
    values, errors = request_params_to_args(dependant.query_params, query)
    if errors:
        return None
    try:
        return spec.query(**values)
    except ApiError:
        return None


def _not_modified(scope: Scope, spec: PackSpec) -> dict[str, str] | None:
    query = _parsed_query(spec, QueryParams(scope["query_string"]))
    if query is None:
        return None
    request = Request(scope)
    state = request.app.state
    key = request.headers["authorization"].removeprefix("Bearer ").strip()
    with state.reads_sessionmaker() as session:
        client = find_client(session, key, key_secret(request))
        if client is None:
            return None
        reader = Reader.of(client, state.settings.suppression_threshold)
        if reader.reads_are_logged:
            return None  # every read is logged, in the route's transaction
        try:
            req = make_request(session, reader, query, spec.reads, spec.period)
        except ApiError:
            return None
        etag = pack_etag(session, request, req, spec)
        if not etag_matches(request.headers.get("if-none-match"), etag):
            return None
        # Counted only when answered here: the route counts whatever it answers itself.
        if state.rate_limiter.retry_after(client.id, session.connection()) is not None:
            return None
    request.state.client_id = client.id
    request.state.client_name = client.name
    return etag_headers(etag)
