"""The benchmarks' server process: a run's figures are printed once it has stopped, so stopping it must not fail."""

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.clients.schemas import ClientCreate
from app.clients.service import create_client
from app.core.settings import DEVELOPMENT_SECRET
from benchmarks.server import Server
from tests.payloads import LIVERPOOL


@contextlib.contextmanager
def counts_locked(database_url: str) -> Iterator[None]:
    """Every write of care-order counts waits while this holds the table (SQLite: the whole database)."""
    if database_url.startswith("sqlite"):
        blocker = sqlite3.connect(make_url(database_url).database)
        blocker.execute("BEGIN EXCLUSIVE")
        yield
        blocker.rollback()
        blocker.close()
        return
    engine = create_engine(database_url)
    with engine.connect() as connection:
        connection.execute(text("LOCK TABLE care_order_counts IN ACCESS EXCLUSIVE MODE"))
        yield
        connection.rollback()
    engine.dispose()


def _put_until_cut_off(server: Server, key: str) -> None:
    with contextlib.suppress(httpx.RemoteProtocolError):    # the kill ends it unanswered, as it should
        httpx.put(f"{server.url}/api/v1/local-authorities/{LIVERPOOL}/care-order-counts/2021-03-31", timeout=60,
                  json={"cla_total": 10}, headers={"Authorization": f"Bearer {key}"})


def test_a_server_busy_past_the_grace_is_killed_with_its_workers_and_stop_returns(app, database_url):
    with app.state.sessionmaker() as session, session.begin():
        _, key = create_client(session, ClientCreate(name="busy", role="admin"), DEVELOPMENT_SECRET)
    server = Server(database_url, workers=2).start()
    workers = server.peak_rss_by_process().keys() - {server.process.pid}
    put = threading.Thread(target=_put_until_cut_off, args=(server, key))
    with counts_locked(database_url):
        put.start()
        time.sleep(1)    # the PUT is inside a worker, waiting on the lock: shutting down waits for it
        started = time.monotonic()
        server.stop(grace=2)
        stopped_after = time.monotonic() - started
    put.join(timeout=60)
    assert server.process.returncode is not None and stopped_after < 10
    # A SIGKILL is delivered, not waited for: a killed worker may still be listed for a moment.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_running(pid) for pid in workers):
        time.sleep(0.1)
    assert workers and not [pid for pid in workers if _running(pid)]


def _running(pid: int) -> bool:
    """Neither gone nor dead and waiting to be reaped (the supervisor killed, its workers' reaping is not ours)."""
    try:
        state = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("State:"))
    except FileNotFoundError:
        return False
    return state.split()[1] != "Z"
