"""Ceilings on what one request may make the server do: its body's size, enforced while it streams
in (with or without Content-Length), how deeply its JSON nests, and how large the rows, cells and
workbooks of a submission may be; and how many submissions a process handles at once."""

import json
import re
from dataclasses import dataclass
from itertools import accumulate

import anyio
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.settings import Settings

# Single records are small; only bulk submissions may be large (MAX_UPLOAD_BYTES).
SINGLE_RECORD_LIMIT = 1024 * 1024
# The deepest record is four levels into a JSON submission ({"records": [{"discharges": {...}}]}):
# eight times that is generous, and far from the depth at which a parser runs out of stack.
MAX_JSON_DEPTH = 32
# No dataset has more than a few dozen columns; a header past this is refused before it is read.
MAX_COLUMNS = 200
MAX_HEADER_CHARS = 100
# Five times the longest free-text field (a count's notes, 2,000 characters).
MAX_CELL_CHARS = 10_000
# One CSV line or one record of a JSON submission: as large as a single record's body may be.
MAX_ROW_BYTES = SINGLE_RECORD_LIMIT
# Workbooks from Excel and openpyxl inflate 6 to 17 times (measured); a workbook may inflate to this
# many times its upload (at least XLSX_INFLATION_FLOOR), and never past MAX_XLSX_INFLATED_BYTES.
XLSX_INFLATION_RATIO = 100
XLSX_INFLATION_FLOOR = 1024 * 1024
# Rows and cells of a sheet for each byte uploaded: the densest workbook measured holds 0.5 (a sheet
# of zeros), a typical one 0.3; each costs about 1.5 microseconds to read, empty or not. A floor lets
# a small workbook hold some thousands of rows whatever it packs to.
XLSX_ELEMENTS_PER_BYTE = 2
XLSX_ELEMENTS_FLOOR = 100_000


@dataclass(frozen=True)
class ReadLimits:
    """What one submission may hold: the rows read (blank ones too) and what its workbook may inflate to."""

    max_rows: int = 1_000_000
    max_inflated: int = 512 * 1024 * 1024

    @classmethod
    def of(cls, settings: Settings) -> "ReadLimits":
        return cls(max_rows=settings.max_submission_rows, max_inflated=settings.max_xlsx_inflated_bytes)

    def inflation_allowed(self, upload_size: int) -> int:
        return min(max(XLSX_INFLATION_RATIO * upload_size, XLSX_INFLATION_FLOOR), self.max_inflated)

    @staticmethod
    def elements_allowed(upload_size: int) -> int:
        return max(XLSX_ELEMENTS_PER_BYTE * upload_size, XLSX_ELEMENTS_FLOOR)


# A string runs to its closing quote, or to the end of the text: every match succeeds, so a text
# of unclosed quotes is still read once, not once per quote.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text nests arrays and objects more than `limit` deep; linear in the text, no recursion."""
    if text.count("[") + text.count("{") <= limit:
        return False
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit


def too_deep_detail(limit: int = MAX_JSON_DEPTH) -> str:
    return (f"The JSON body nests arrays and objects more than {limit} deep, the limit; no record needs more "
            "than 4. Nothing was stored.")


class BodyTooLarge(HTTPException):
    """An HTTPException, so FastAPI's body parsing passes it on and the problem handler answers 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is over the limit of {limit} bytes. Nothing was stored.")


class JsonTooDeep(HTTPException):
    def __init__(self) -> None:
        super().__init__(400, too_deep_detail())


def _reads_as_json(scope: Scope) -> bool:
    # FastAPI reads a body with no Content-Type as JSON too.
    media = dict(scope["headers"]).get(b"content-type", b"").split(b";")[0].strip().lower()
    return media in (b"", b"application/json") or media.endswith(b"+json")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, upload_limit: int) -> None:
        self.app = app
        self.upload_limit = upload_limit

    @staticmethod
    def is_submission(scope: Scope) -> bool:
        # A bulk submission, or an SSDA903 extract (two files for up to 25 years).
        return scope["path"].endswith(("/submissions", "/ssda903"))

    def limit_for(self, scope: Scope) -> int:
        return self.upload_limit if self.is_submission(scope) else SINGLE_RECORD_LIMIT

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(scope, send, BodyTooLarge(limit))
            return
        # A submission's JSON is checked record by record as it is parsed; every other JSON body is
        # at most SINGLE_RECORD_LIMIT, so it is held and checked whole before anything parses it.
        held: list[bytes] | None = None if self.is_submission(scope) or not _reads_as_json(scope) else []
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
                if held is not None:
                    held.append(message.get("body", b""))
                    if not message.get("more_body") and too_deep(b"".join(held).decode("utf-8", "replace")):
                        raise JsonTooDeep()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except (BodyTooLarge, JsonTooDeep) as refusal:
            if not started:
                await _refuse(scope, send, refusal)


async def _refuse(scope: Scope, send: Send, refusal: HTTPException) -> None:
    status = refusal.status_code
    body = json.dumps({"type": "about:blank", "title": "Content Too Large" if status == 413 else "Bad Request",
                       "status": status, "detail": refusal.detail, "instance": scope["path"]}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class SubmissionGate:
    """At most `at_once` submissions are handled at a time in a process; the others wait here, in the event
    loop, holding no thread and no database connection, and go on in the order they came.

    A submission is Python parsing and checking rows, bound to the one GIL: fifty at once are stored no
    sooner than a few at a time, but they held every thread of the pool the app's synchronous routes run
    in (a portal's pack read waited 8–14 s for a thread behind fifty uploads), and left a publication
    round a fiftieth of the process's CPU (`app.packs.publication`)."""

    def __init__(self, app: ASGIApp, at_once: int) -> None:
        self.app = app
        self.at_once = at_once
        self._slots: anyio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not BodyLimitMiddleware.is_submission(scope):
            await self.app(scope, receive, send)
            return
        if self._slots is None:  # made in the server's event loop, on its first submission
            self._slots = anyio.Semaphore(self.at_once)
        async with self._slots:
            await self.app(scope, receive, send)
