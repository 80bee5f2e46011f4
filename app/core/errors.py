"""One error type, one handler family: every error leaves as RFC 9457 problem details."""

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import Match

from app.core import messages

logger = logging.getLogger("app.errors")

PROBLEM_MEDIA_TYPE = "application/problem+json"
# Not sent to anyone (the client has gone): what the request's log line records, as proxies do.
CLIENT_CLOSED_REQUEST = 499


class FieldError(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"loc": ["row", 7, "cla_total"], "row": 7, "field": "cla_total",
                 "message": "placed_with_parents (310) is more than cla_total (300)"}
            ]
        }
    )

    loc: list[str | int] = Field(description="Where the problem is: body path, or row and column.")
    row: int | None = Field(description="Row number as seen in the submitted file (header is row 1), or the "
                                        "1-based record number of a JSON submission; null for single records.")
    field: str | None = Field(description="Field or column name, nested names joined by '.'.")
    message: str


class Problem(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"type": "about:blank", "title": "Not Found", "status": 404,
                 "detail": "No local authority with code '999'.",
                 "instance": "/api/v1/local-authorities/999"}
            ]
        }
    )

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = None


class ApiError(Exception):
    """Raised anywhere in the app; the handler turns it into a problem response."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        type_: str = "about:blank",
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        self.type = type_


def validation_failed(errors: list[FieldError], detail: str | None = None) -> ApiError:
    return ApiError(
        422,
        detail or f"{messages.plural(len(errors), 'problem')} found; nothing was stored.",
        errors=errors,
    )


def problem_response(request: Request, error: ApiError) -> JSONResponse:
    body = Problem(
        type=error.type,
        title=HTTPStatus(error.status).phrase,
        status=error.status,
        detail=error.detail,
        instance=request.url.path,
        errors=error.errors,
    ).model_dump(exclude_none=True)
    if error.errors is not None:
        body["errors"] = [e.model_dump() for e in error.errors]
    return JSONResponse(body, status_code=error.status, headers=error.headers,
                        media_type=PROBLEM_MEDIA_TYPE)


def field_errors_from_pydantic(
    raw_errors: Any, *, prefix: tuple[str | int, ...] = (), row: int | None = None,
    strip_leading: int = 0,
) -> list[FieldError]:
    result = []
    for err in raw_errors:
        loc = tuple(err.get("loc", ()))[strip_leading:]
        names = [str(part) for part in loc if isinstance(part, str)]
        result.append(FieldError(
            loc=[*prefix, *loc], row=row,
            field=".".join(names) or None,
            message=messages.from_pydantic(err),
        ))
    return result


async def _api_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return problem_response(request, exc)


async def _http_exception_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404 and detail == "Not Found":
        slash = request.url.path.endswith("/") and request.url.path != "/"
        detail = f"There is no resource at {request.url.path}.{' Paths take no trailing slash.' if slash else ''}"
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}."
        headers["Allow"] = ", ".join(allowed_methods(request))
    return problem_response(request, ApiError(exc.status_code, detail, headers=headers))


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path: Starlette names only the first route's. HEAD goes
    wherever GET does (HeadAsGet)."""
    served = [method for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
              if any(route.matches({**request.scope, "method": method})[0] == Match.FULL
                     for route in request.app.router.routes)]
    return served[:1] + ["HEAD"] + served[1:] if "GET" in served else served


async def _request_validation_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    raw = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in raw):
        where = next((e.get("ctx", {}).get("error") for e in raw if e.get("type") == "json_invalid"), None)
        return problem_response(
            request, ApiError(400, f"The request body is not valid JSON{f' ({where})' if where else ''}.")
        )
    errors = field_errors_from_pydantic(raw, strip_leading=0)
    for error in errors:
        # The first element says where (body, query, path, header); it is not a field name.
        if error.loc and error.loc[0] in ("body", "query", "path", "header"):
            parts = [str(p) for p in error.loc[1:] if isinstance(p, str)]
            error.field = ".".join(parts) or None
    return problem_response(request, validation_failed(errors, "The request is not valid."))


async def _database_unavailable_handler(request: Request, exc: Exception) -> JSONResponse:
    logger.error("database unavailable: %s", exc.__class__.__name__)
    return problem_response(
        request,
        ApiError(503, "The database is not answering; nothing was stored. Try again shortly.",
                 headers={"Retry-After": "5"}),
    )


async def _pool_exhausted_handler(request: Request, exc: Exception) -> JSONResponse:
    # Every connection of a pool in use past its timeout (on SQLite, say, keyed submissions queued behind a
    # long write): the service is busy, not broken, and the client should come back.
    logger.warning({"event": "pool_exhausted", "request_id": getattr(request.state, "request_id", None),
                    "path": request.url.path})
    return problem_response(request, ApiError(503, "The service is busy: every database connection is in use. "
                                                   "Nothing was stored; try again shortly.", headers={"Retry-After": "5"}))


async def _client_disconnected_handler(request: Request, exc: Exception) -> Response:
    # A client that goes away while its body streams in (a cancelled upload, a dropped line) is no fault
    # here: the request stops, its transaction is rolled back, and nothing was stored.
    logger.warning({"event": "client_disconnected", "request_id": getattr(request.state, "request_id", None),
                    "method": request.method, "path": request.url.path})
    return Response(status_code=CLIENT_CLOSED_REQUEST)


async def _unexpected_error_handler(request: Request, exc: Exception) -> JSONResponse:
    logger.error({"event": "unhandled_error", "request_id": getattr(request.state, "request_id", None),
                  "method": request.method, "path": request.url.path}, exc_info=exc)
    return problem_response(request, ApiError(500, "An unexpected error occurred; it has been logged."))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error_handler)
    app.add_exception_handler(StarletteHTTPException, _http_exception_handler)
    app.add_exception_handler(RequestValidationError, _request_validation_handler)
    app.add_exception_handler(OperationalError, _database_unavailable_handler)
    app.add_exception_handler(PoolTimeout, _pool_exhausted_handler)
    app.add_exception_handler(ClientDisconnect, _client_disconnected_handler)
    app.add_exception_handler(Exception, _unexpected_error_handler)


def problem_doc(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


COMMON_PROBLEMS: dict[int | str, dict[str, Any]] = {
    400: problem_doc("Malformed request (for example a body that is not JSON)."),
    401: problem_doc("Missing or unknown API key."),
    403: problem_doc("The client's role or scope does not allow this."),
    404: problem_doc("No such resource, or not visible to this client."),
    405: problem_doc("Method not allowed on this path."),
    422: problem_doc("Validation failed; `errors` lists every problem."),
    429: problem_doc("Rate limit exceeded; see `Retry-After`."),
    500: problem_doc("Unexpected error."),
    503: problem_doc("Database unavailable or busy, or a pack not yet published; see `Retry-After`."),
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        409: "Conflict with a concurrent request.",
        412: "`If-Match` names a version that is no longer the latest; nothing was changed.",
        413: "The request body is larger than the limit.",
        415: "Unsupported content type.",
    }
    return {status: problem_doc(descriptions[status]) for status in statuses}
