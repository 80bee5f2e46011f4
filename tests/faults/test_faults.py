"""Faults injected into a real server process (`datapack serve`), on SQLite and PostgreSQL.

Each test says what it injects and then checks the data row by row: a submission is stored whole
or not at all, and the client is told so.
"""

import json
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from app.clients.schemas import ClientCreate
from app.clients.service import create_client
from app.core.settings import DEVELOPMENT_SECRET
from app.orders.models import CareOrder
from app.submissions.models import Submission
from tests.payloads import LIVERPOOL
from tests.server import Server

ROWS = 100_000
HEADER = "order_ref,child_ref,order_type,order_date,age_at_order,current_status,status_date\n"


def orders_csv(rows: int) -> bytes:
    lines = [f"R{i:06d},C{i:06d},full_care_order,2019-06-14,{i % 18},at_home_on_order,2020-01-10\n" for i in range(rows)]
    return (HEADER + "".join(lines)).encode()


@pytest.fixture
def admin_key(app) -> str:
    with app.state.sessionmaker() as session, session.begin():
        _, key = create_client(session, ClientCreate(name="fault admin", role="admin"), DEVELOPMENT_SECRET)
    return key


@pytest.fixture
def server(database_url, tmp_path) -> Iterator[Server]:
    running = Server(database_url, tmp_path / "server.log", SQLITE_BUSY_TIMEOUT_SECONDS="1")
    yield running
    running.kill()


def stored_orders(app) -> list[str]:
    with app.state.sessionmaker() as session:
        return list(session.scalars(select(CareOrder.order_ref).order_by(CareOrder.order_ref)))


def orders_file_rows(rows: int) -> list[tuple]:
    """What `orders_csv(rows)` stores, as `stored_order_rows` reads it back."""
    return [(f"R{i:06d}", f"C{i:06d}", "full_care_order", date(2019, 6, 14), i % 18, "at_home_on_order",
             date(2020, 1, 10), LIVERPOOL, 1, None) for i in range(rows)]


def stored_order_rows(app) -> list[tuple]:
    o = CareOrder
    with app.state.sessionmaker() as session:
        return [tuple(row) for row in session.execute(
            select(o.order_ref, o.child_ref, o.order_type, o.order_date, o.age_at_order, o.current_status,
                   o.status_date, o.la_code, o.version, o.superseded_at).order_by(o.order_ref))]


def post_in_background(server: Server, key: str, body: bytes,
                       headers: dict[str, str] | None = None) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def send() -> None:
        try:
            outcome["response"] = httpx.post(
                f"{server.url}/api/v1/local-authorities/{LIVERPOOL}/submissions", params={"dataset": "orders"},
                content=body, headers={"Authorization": f"Bearer {key}", "Content-Type": "text/csv", **(headers or {})},
                timeout=300)
        except httpx.HTTPError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=send)
    thread.start()
    return thread, outcome


# Rows written and not yet committed: about two 5,000-row batches of orders_csv, a fifth of the file.
UNDER_WAY = 2 * 1024 * 1024


def _written_bytes(database_url: str, connection) -> int:
    """SQLite: the write-ahead log, where uncommitted pages spill; PostgreSQL: the orders table on disk,
    which an open transaction's inserts extend before they commit."""
    if database_url.startswith("sqlite"):
        wal = Path(f"{make_url(database_url).database}-wal")
        return wal.stat().st_size if wal.exists() else 0
    return connection.execute(text("SELECT pg_relation_size('care_orders')")).scalar()


def _write_transaction_open(database_url: str, connection) -> bool:
    if database_url.startswith("sqlite"):
        probe = sqlite3.connect(make_url(database_url).database, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:  # another connection holds the write lock
            return True
        finally:
            probe.close()
    return bool(connection.execute(text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
        "AND backend_xid IS NOT NULL")).scalar())


@contextmanager
def watching_the_database(database_url: str) -> Iterator[Callable[[threading.Thread], None]]:
    """`wait(sending)` returns once the database shows a transaction still open that has written
    UNDER_WAY bytes more than when the watch began."""
    # Autocommit: a PostgreSQL transaction would see the server's activity as it stood at its first look.
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        at_rest = _written_bytes(database_url, connection)

        def wait(sending: threading.Thread, timeout: float = 60) -> None:
            deadline = time.monotonic() + timeout
            while not (_written_bytes(database_url, connection) >= at_rest + UNDER_WAY
                       and _write_transaction_open(database_url, connection)):
                assert sending.is_alive() and time.monotonic() < deadline, "the write was never seen under way"
                time.sleep(0.01)

        yield wait
    engine.dispose()


def test_server_killed_mid_submission_leaves_all_rows_or_none(app, server, admin_key, database_url):
    """Injected: SIGKILL to the server as soon as the database shows a 100,000-row submission's rows
    being written, then a restart."""
    server.start()
    with watching_the_database(database_url) as wait_for_the_write:
        thread, outcome = post_in_background(server, admin_key, orders_csv(ROWS))
        wait_for_the_write(thread)
        server.kill()
    thread.join(timeout=60)
    assert "error" in outcome, "the server answered before the kill: it did not land mid-write"
    server.start()
    stored = stored_order_rows(app)
    assert stored in ([], orders_file_rows(ROWS)), f"{len(stored)} of {ROWS} rows survived, or not as sent"
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == (1 if stored else 0)


ONE_ORDER = json.dumps({"child_ref": "C1", "order_type": "full_care_order", "order_date": "2019-06-14",
                        "age_at_order": 7, "current_status": "at_home_on_order", "status_date": "2020-01-10"})
CUT_SHORT = {  # (method, path, content type, body): a quarter of the body is sent
    "upload": ("POST", f"/api/v1/local-authorities/{LIVERPOOL}/submissions?dataset=orders", "text/csv", orders_csv(ROWS)),
    "record": ("PUT", f"/api/v1/local-authorities/{LIVERPOOL}/orders/R1", "application/json", ONE_ORDER.encode()),
}


@pytest.mark.parametrize("kind", CUT_SHORT)
def test_a_client_gone_mid_body_is_logged_as_such_and_stores_nothing(app, server, admin_key, kind):
    """Injected: a client declares its body's length, sends a quarter of it and closes its connection."""
    server.start()
    method, target, content_type, body = CUT_SHORT[kind]
    path = target.split("?")[0]
    with socket.create_connection(("127.0.0.1", server.port)) as connection:
        connection.sendall(f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           f"Authorization: Bearer {admin_key}\r\nContent-Type: {content_type}\r\n"
                           f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:len(body) // 4])
    deadline = time.monotonic() + 30
    while not (requests := [e for e in server.log_entries() if e.get("event") == "request" and e["path"] == path]):
        assert time.monotonic() < deadline, "the request was never logged"
        time.sleep(0.1)
    entries = server.log_entries()
    (request,) = requests
    gone = [e for e in entries if e.get("event") == "client_disconnected"]
    assert request["status"] == 499 and [(e["level"], e["request_id"]) for e in gone] == [("warning", request["request_id"])]
    assert not [e for e in entries if e.get("event") == "unhandled_error" or "exception" in e]
    assert "Traceback" not in server.log.read_text() and "ClientDisconnect" not in server.log.read_text()
    assert stored_orders(app) == []
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 0


def test_database_going_away_mid_submission_is_a_503_and_stores_nothing(app, server, admin_key, database_url):
    """Injected: PostgreSQL ends the server's connections mid-submission; SQLite is locked by another
    process past the busy timeout. Either way the database stops answering the writer."""
    server.start()
    if database_url.startswith("sqlite"):
        # Another process holds the write lock for the whole request: the server's write gives up after
        # SQLITE_BUSY_TIMEOUT_SECONDS (1 s here) and must roll everything back.
        blocker = sqlite3.connect(make_url(database_url).database, timeout=30)
        blocker.execute("BEGIN EXCLUSIVE")
        thread, outcome = post_in_background(server, admin_key, orders_csv(20_000))
        thread.join(timeout=120)
        blocker.rollback()
        blocker.close()
    else:
        thread, outcome = post_in_background(server, admin_key, orders_csv(20_000))
        time.sleep(0.5)
        engine = create_engine(database_url)
        deadline = time.monotonic() + 30
        with engine.connect() as connection:
            while thread.is_alive() and time.monotonic() < deadline:
                connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
                time.sleep(0.1)
        engine.dispose()
        thread.join(timeout=120)
    response = outcome["response"]
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json" and "retry-after" in response.headers
    assert stored_orders(app) == []
    assert httpx.get(f"{server.url}/readyz", timeout=5).status_code == 200


def test_concurrent_revisions_through_a_real_server_lose_nothing(app, server, admin_key):
    """Injected: 8 simultaneous revisions of one record from 8 connections."""
    server.start()
    url = f"{server.url}/api/v1/local-authorities/{LIVERPOOL}/care-order-counts/2021-03-31"
    headers = {"Authorization": f"Bearer {admin_key}"}
    results = []

    def revise(total: int) -> None:
        body = {"cla_total": total, "placed_with_parents": 10, "full_care_orders_at_home": 5,
                "interim_care_orders_at_home": 1}
        results.append(httpx.put(url, json=body, headers=headers, timeout=60).status_code)

    threads = [threading.Thread(target=revise, args=(1000 + i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    history = httpx.get(f"{url}/versions", headers=headers, timeout=10).json()["items"]
    assert sorted(results) == [200] * 7 + [201]
    assert sorted(v["cla_total"] for v in history) == [1000 + i for i in range(8)]
    assert sorted(v["version"] for v in history) == list(range(1, 9))


def test_one_idempotency_key_sent_twice_at_once_is_one_201_and_one_409(app, server, admin_key):
    """Injected: the same 20,000-row submission with the same Idempotency-Key on two connections at once."""
    server.start()
    body = orders_csv(20_000)
    headers = {"Idempotency-Key": "nightly-orders-upload"}
    sent = [post_in_background(server, admin_key, body, headers) for _ in range(2)]
    for thread, _ in sent:
        thread.join(timeout=300)
    responses = sorted((outcome["response"] for _, outcome in sent), key=lambda r: r.status_code)
    assert [r.status_code for r in responses] == [201, 409], [r.text[:200] for r in responses]
    assert responses[1].headers["content-type"] == "application/problem+json"
    assert stored_orders(app) == [f"R{i:06d}" for i in range(20_000)]
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 1
    replay = httpx.post(f"{server.url}/api/v1/local-authorities/{LIVERPOOL}/submissions", params={"dataset": "orders"},
                        content=body, headers={"Authorization": f"Bearer {admin_key}", "Content-Type": "text/csv",
                                               **headers}, timeout=60)
    assert replay.status_code == 201 and replay.json() == responses[0].json()


def test_two_workers_share_idempotency_claims_and_the_pack_cache(app, server, admin_key):
    """Injected: `serve --workers 2`; the same Idempotency-Key on two connections at once, then one pack
    read many times and revised in between. Nothing that matters may live in one worker's memory."""
    server.start(workers=2)
    body = orders_csv(20_000)
    sent = [post_in_background(server, admin_key, body, {"Idempotency-Key": "two-workers"}) for _ in range(2)]
    for thread, _ in sent:
        thread.join(timeout=300)
    assert sorted(outcome["response"].status_code for _, outcome in sent) == [201, 409]
    assert len(stored_orders(app)) == 20_000

    auth = {"Authorization": f"Bearer {admin_key}"}
    pack = f"{server.url}/api/v1/packs/outcomes?area={LIVERPOOL}&from=2019-01-01&to=2020-12-31"
    tags = {httpx.get(pack, headers=auth, timeout=60).headers["etag"] for _ in range(12)}
    assert len(tags) == 1
    (tag,) = tags
    assert {httpx.get(pack, headers={**auth, "If-None-Match": tag}, timeout=60).status_code for _ in range(12)} == {304}
    revised = orders_csv(1).replace(b"at_home_on_order,2020-01-10", b"turned_18,2020-02-01")
    assert httpx.post(f"{server.url}/api/v1/local-authorities/{LIVERPOOL}/submissions", params={"dataset": "orders"},
                      content=revised, headers={**auth, "Content-Type": "text/csv"}, timeout=60).status_code == 201
    after = {httpx.get(pack, headers={**auth, "If-None-Match": tag}, timeout=60).status_code for _ in range(12)}
    assert after == {200}, "a worker answered 304 for a pack whose orders had changed"
