"""Request ids and one structured log line per request, as plain ASGI so bodies stream."""

import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
logger = logging.getLogger("app.access")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        # The server's own id names this request alone; the client's is kept beside it, as clients may
        # send the same one twice (a retry) or the same as another client's.
        request_id, client_request_id = uuid.uuid4().hex, sent if SANE_REQUEST_ID.match(sent) else None
        state = scope.setdefault("state", {})
        state["request_id"], state["client_request_id"] = request_id, client_request_id
        echoed = (client_request_id or request_id).encode("latin-1")
        started = time.perf_counter()
        status: dict[str, Any] = {}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"x-request-id"]
                headers.append((b"x-request-id", echoed))
                present = {h[0].lower() for h in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            logger.info({
                "event": "request", "request_id": request_id, "client_request_id": client_request_id,
                "method": scope["method"], "path": scope["path"], "status": status.get("code", 500),
                "client_id": state.get("client_id"),
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            })


class HeadAsGet:
    """HEAD answered wherever GET is, with GET's status and headers and no body (RFC 9110 §9.3.2).

    FastAPI routes serve only the methods they name; rather than name HEAD on every GET route (and
    twice in the OpenAPI document), a HEAD goes through as a GET and its body is dropped here. Where
    GET is not served, neither is HEAD: the 405 names what is."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        # A copy: the outer layers still see (and log) a HEAD; `state` is the same dict in both.
        await self.app({**scope, "method": "GET"}, receive, without_body)
