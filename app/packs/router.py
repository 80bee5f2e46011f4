"""One GET route per registered pack, generated from its spec."""

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from app.access.dependencies import CurrentReader
from app.access_log.service import AccessLog
from app.core.db import SessionDep
from app.core.errors import ApiError
from app.core.etags import ETAG_HEADER, IfNoneMatch
from app.packs.cache import serve
from app.packs.request import PackQuery, make_request
from app.packs.schemas import PackFormat
from app.packs.spec import PackSpec

FormatQuery = Annotated[PackFormat, Query(description="json (default), csv (one tidy table), xlsx (a sheet per "
                                                      "table and a notes sheet) or html (a printable pack with charts).")]


PACK_HEADERS: dict[str, Any] = {**ETAG_HEADER, "Pack-Freshness": {
    "description": "`previous` when, with small numbers suppressed, the pack answered is the latest publication "
                   "before the returns (or the area's definition) last changed: the next is being built (seconds); "
                   "ask again for it. Absent when the pack is of the returns as they stand.",
    "schema": {"type": "string", "enum": ["previous"]}}}


def _responses() -> dict[int | str, dict[str, Any]]:
    return {304: {"description": "Not modified: the pack is unchanged since the ETag sent in If-None-Match.",
                  "headers": PACK_HEADERS},
            200: {"description": "The pack, in the format asked for. Its ETag changes exactly when a return it "
                                 "reads changes (with small numbers suppressed, when the pack is published "
                                 "again); send it back in If-None-Match to get 304.",
                  "headers": PACK_HEADERS, "content": {
        "text/csv": {"schema": {"type": "string"}},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}},
        "text/html": {"schema": {"type": "string"}},
    }}}


def pack_route_name(spec: PackSpec) -> str:
    return spec.name.replace("-", "_") + "_pack"


def add_pack_route(target: APIRouter, spec: PackSpec) -> None:
    def endpoint(request: Request, session: SessionDep, reader: CurrentReader, access: AccessLog,
                 query: Annotated[PackQuery, Depends(spec.query)], format: FormatQuery = "json",
                 if_none_match: IfNoneMatch = None) -> Response:
        # if_none_match is here to declare the header: serve() (and NotModifiedShortcut, before routing)
        # compare it with the pack's ETag as it stands, which is known only once the request is resolved.
        req = make_request(session, reader, query, spec.reads, spec.period)
        if reader.reads_are_logged:  # for the LAs whose figures the pack shows: those operational in its range
            access.record_each(action="pack_read", dataset=spec.name, la_codes=req.la_codes, count=0, key=req.area.code)
        return serve(request, session, spec, req, format)

    endpoint.__name__ = pack_route_name(spec)
    target.add_api_route(f"/{spec.name}", endpoint, methods=["GET"], operation_id=spec.operation_id,
                         response_model=spec.schema, summary=spec.summary, responses=_responses())


def pack_router(packs: Iterable[PackSpec]) -> APIRouter:
    router = APIRouter(prefix="/packs", tags=["Packs"])
    names = []
    for spec in packs:
        add_pack_route(router, spec)
        names.append(spec.name)
    add_unknown_pack_route(router, names)
    return router


def add_unknown_pack_route(target: APIRouter, names: list[str]) -> None:
    """A mistyped pack name gets a 404 that lists the packs there are; the names are in the OpenAPI document
    anyway, so listing them tells no one anything new."""
    listed = ", ".join(names)

    def unknown_pack(name: str) -> Response:
        shown = name if len(name) <= 64 else name[:64] + "…"
        raise ApiError(404, f"There is no pack named {shown!r}. The packs are: {listed}.")

    unknown_pack.takes_any_query = True  # type: ignore[attr-defined]  # app.core.query: the path is what is wrong
    target.add_api_route("/{name}", unknown_pack, methods=["GET"], include_in_schema=False)
