"""A table's search stops when the server does.

Deciding one table may search for 18 s (a region's audits year on the demo data), and stopping waited for it:
the load test's server, sent SIGTERM, was still busy 30 s later and had to be killed. The publishing thread
`watch`es the server's stop; `check` (called as the search spends its budget, before each table is decided and
while a table another worker decides is waited for) raises `Stopping` there once it is asked. Nothing half
decided is kept or published: the exception leaves every table under way, and the readers of the packs queued
are told the server is stopping (a reader with an earlier publication is given that). The stop is set at the
signal (`app.core.shutdown`): uvicorn waits for the requests under way before it stops the app, and a reader
waiting for a pack's first publication held the stop up until its build was done. Elsewhere (a test, a
benchmark) no stop is watched and `check` does nothing.
"""

import threading

from app.core.errors import ApiError

_watched = threading.local()


class Stopping(ApiError):
    def __init__(self) -> None:
        super().__init__(503, "The server is stopping; ask again shortly.", headers={"Retry-After": "10"})


def watch(stop: threading.Event) -> None:
    """The calling thread's searches stop once `stop` is set."""
    _watched.stop = stop


def check() -> None:
    stop: threading.Event | None = getattr(_watched, "stop", None)
    if stop is not None and stop.is_set():
        raise Stopping()
