"""The baselines and probes the benchmark measures against."""

import csv
import io
import threading
import time
from datetime import date, datetime

import httpx
from sqlalchemy import Engine, text

from app.access.reader import Reader
from app.access.roles import Role
from app.core.db import make_sessionmaker
from app.packs.audits.queries import RawAuditQuery
from app.packs.request import PackRequest, resolve_area
from benchmarks import dataset as ds
from benchmarks.rps import requests_per_second
from benchmarks.server import Server

COUNT_COLUMNS = ("cla_total", "placed_with_parents", "full_care_orders_at_home", "interim_care_orders_at_home",
                 "orders_made_in_year", "discharges_total", "discharges_to_no_order", "discharges_to_supervision_order",
                 "discharges_to_family_assistance_order")


def audits_group_by(engine: Engine) -> None:
    """The audits pack's figures by plain GROUP BYs over the raw audits (North West, five years)."""
    with make_sessionmaker(engine)() as session:
        area = resolve_area(session, "E12000002")
        req = PackRequest(area, date(2019, 4, 1), date(2024, 3, 31), None, Reader(Role.ADMIN, None, None, 5), datetime.now(),
                          area.la_codes)
        q = RawAuditQuery(session, req)
        q.grades(by_month=False), q.grades(by_month=True), q.moderation(), q.agreement(), q.domains()


def care_orders_group_by(engine: Engine) -> None:
    """The care-orders-at-home figures for England by a plain GROUP BY (per region and date) and the LA rows."""
    sums = ", ".join(f"sum(c.{c})" for c in COUNT_COLUMNS)
    columns = ", ".join(f"c.{c}" for c in COUNT_COLUMNS)
    where = "c.superseded_at IS NULL AND c.snapshot_date BETWEEN '2014-04-01' AND '2024-03-31'"
    with engine.connect() as connection:
        connection.execute(text(f"SELECT c.snapshot_date, l.region_code, count(*), {sums} FROM care_order_counts c "
                                f"JOIN local_authorities l ON l.code = c.la_code WHERE {where} "
                                "GROUP BY c.snapshot_date, l.region_code")).all()
        connection.execute(text(f"SELECT c.la_code, c.snapshot_date, {columns} FROM care_order_counts c "
                                f"WHERE {where}")).all()


def bare_executemany(engine: Engine, body: bytes) -> float:
    """Seconds to executemany the CSV's rows into one plain table with the same driver, and commit."""
    rows = [tuple(r) for r in csv.reader(io.StringIO(body.decode()))][1:]
    width = len(rows[0])
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("DROP TABLE IF EXISTS bench_bare")
        cursor.execute(f"CREATE TABLE bench_bare ({', '.join(f'c{i} TEXT' for i in range(width))})")
        raw.commit()
        marker = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        started = time.perf_counter()
        cursor.executemany(f"INSERT INTO bench_bare VALUES ({', '.join([marker] * width)})", rows)
        raw.commit()
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_bare")
        raw.commit()
        return seconds
    finally:
        raw.close()


def rps(url: str, headers: dict[str, str], seconds: float, expect: int = 200) -> float:
    return requests_per_second(url, headers, seconds=seconds, expect=expect)


def two_worker_correctness(server: Server, key: str) -> str:
    """The same Idempotency-Key on two connections at once (each may land on either worker), and one
    pack's ETag as seen by both workers."""
    auth = {"Authorization": f"Bearer {key}"}
    body = ds.to_csv(ds.AUDIT_COLUMNS, ds.audit_rows("340", ds.Sizes(1, 1), [], date(2014, 4, 1), total=20_000,
                                                     prefix="WORKERS-"))
    responses: list[httpx.Response] = []

    def send() -> None:
        responses.append(httpx.post(f"{server.url}/api/v1/local-authorities/340/submissions",
                                   params={"dataset": "audits"}, content=body, timeout=600,
                                   headers={**auth, "Content-Type": "text/csv", "Idempotency-Key": "two-workers"}))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    url = f"{server.url}/api/v1/packs/audits?area=E12000002&from=2019-04-01&to=2024-03-31"
    tags = {httpx.get(url, headers=auth, timeout=600).headers["etag"] for _ in range(20)}
    stored = [r for r in responses if r.status_code == 201 and "idempotent-replayed" not in r.headers]
    # The second is 409 while the first is being stored, or, if it reached the server only after the
    # first was stored (on SQLite its request count waits for the write lock), a replay of the same 201.
    second = [r for r in responses if r not in stored]
    answered = "409" if second and second[0].status_code == 409 else "replayed 201"
    same = len(stored) == 1 and len(second) == 1 and (
        second[0].status_code == 409 or second[0].json() == stored[0].json())
    if not same or len(tags) != 1:
        raise AssertionError(f"two workers disagree: {[(r.status_code, dict(r.headers)) for r in responses]}, "
                             f"{len(tags)} ETags")
    return f"same Idempotency-Key twice at once: one 201 stored, the other {answered}; one ETag across 20 requests"
