"""A stop signal tells the app at once: a real server process sent SIGTERM while a reader waits for a pack's
first publication, and the chained handler itself."""

import asyncio
import signal
import threading
import time

import httpx

from app.clients.schemas import ClientCreate
from app.clients.service import create_client
from app.core.shutdown import on_stop_signals
from app.demo.service import load_demo
from tests.conftest import secret_of
from tests.server import Server

NORTH_WEST = "E12000002"
# Five years of the demo's audits for a region: a first publication of some 37 s on an idle machine, whose
# first three tables take a second in all.
SLOW_FIRST_PUBLICATION = ("/api/v1/packs/audits", {"area": NORTH_WEST, "from": "2016-04-01", "to": "2021-03-31"})


def _portal_key(app) -> str:
    with app.state.sessionmaker() as session, session.begin():
        load_demo(session, secret_of(app))
        _, key = create_client(session, ClientCreate(name="stopping portal", role="portal", area=NORTH_WEST),
                               secret_of(app))
    return key


def _building(server: Server) -> bool:
    return any(entry.get("event") == "table_decided" for entry in server.log_entries())


def test_a_reader_waiting_for_a_first_publication_is_told_503_at_sigterm_and_the_server_stops(app, database_url,
                                                                                              tmp_path):
    key = _portal_key(app)
    server = Server(database_url, tmp_path / "server.log", PUBLISH_ON_START="false").start()
    answered: list[httpx.Response | Exception] = []
    path, params = SLOW_FIRST_PUBLICATION

    def read() -> None:
        try:
            answered.append(httpx.get(server.url + path, params=params, headers={"Authorization": f"Bearer {key}"},
                                      timeout=60))
        except httpx.HTTPError as failed:
            answered.append(failed)
    reader = threading.Thread(target=read)
    try:
        reader.start()
        deadline = time.monotonic() + 60
        while not _building(server) and time.monotonic() < deadline:  # its first table decided: the build is on
            time.sleep(0.2)
        assert _building(server), "the pack's build did not start"
        signalled = time.monotonic()
        server.stop()   # SIGTERM; waits up to 20 s for the process to end
        stopped = time.monotonic() - signalled
        reader.join(10)
    finally:
        server.kill()
    assert answered, "the reader had no answer"
    assert isinstance(answered[0], httpx.Response), answered[0]
    assert answered[0].status_code == 503 and answered[0].headers["retry-after"] == "10", answered[0].text
    assert "stopping" in answered[0].json()["detail"]
    assert stopped < 10, f"the server took {stopped:.1f} s to stop"


def test_a_stop_signal_runs_the_callback_on_the_loop_then_the_handler_before_which_is_restored_after():
    seen: list[str] = []

    def server_handler(_signum, _frame) -> None:
        seen.append("server")

    async def serve() -> None:
        with on_stop_signals(lambda: seen.append("app")):
            signal.raise_signal(signal.SIGTERM)
            await asyncio.sleep(0.01)  # the callback is scheduled on the loop, not run in the handler

    before = signal.signal(signal.SIGTERM, server_handler)
    try:
        asyncio.run(serve())
        assert seen == ["server", "app"] and signal.getsignal(signal.SIGTERM) is server_handler
    finally:
        signal.signal(signal.SIGTERM, before)


def test_nothing_is_installed_where_no_server_handles_the_signal():
    async def serve() -> object:
        with on_stop_signals(lambda: None):
            return signal.getsignal(signal.SIGTERM)

    before = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        assert asyncio.run(serve()) is signal.SIG_DFL
    finally:
        signal.signal(signal.SIGTERM, before)
