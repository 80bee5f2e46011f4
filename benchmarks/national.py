"""National-scale benchmark: load a deterministic national data set through the bulk submission
API at 1%, 10% and 100% of full size, on SQLite and PostgreSQL, and print one table of figures,
each beside the baseline it is judged against, measured in the same run.

    bash benchmarks/run                      # both databases, all three sizes
    bash benchmarks/run --sizes 0.01,0.1     # quicker
"""

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import Engine, select, text

from app.clients.schemas import ClientCreate
from app.clients.service import create_client
from app.core.db import make_engine, make_sessionmaker
from app.core.settings import DEVELOPMENT_SECRET
from app.migrate import upgrade_to_head
from app.reference.models import LocalAuthority
from benchmarks import dataset as ds
from benchmarks import measures
from benchmarks.server import Server, fresh_postgres

NORTH_WEST, ENGLAND = "E12000002", "E92000001"
# How long a first publication is waited for at most (311 s for the outcomes pack at full size, 2026-12-05).
FIRST_PUBLICATION_SECONDS = 3600
AUDITS_PACK = {"area": NORTH_WEST, "from": "2019-04-01", "to": "2024-03-31"}
CARE_ORDERS_PACK = {"area": ENGLAND, "from": "2014-04-01", "to": "2024-03-31"}


@dataclass
class Run:
    database: str
    fraction: float
    figures: dict[str, str] = field(default_factory=dict)
    pack_seconds: dict[str, float] = field(default_factory=dict)

    def put(self, name: str, value: str) -> None:
        self.figures[name] = value
        print(f"  [{self.database} {self.fraction:.0%}] {name}: {value}", flush=True)


def fresh_database(kind: str, fraction: float, postgres_url: str | None, folder: Path) -> str:
    name = f"datapack_bench_{str(fraction).replace('.', '_')}"
    if kind == "sqlite":
        path = folder / f"{name}.db"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    assert postgres_url, "PostgreSQL: pass --postgres-url or run through benchmarks/run"
    return fresh_postgres(postgres_url, name)


def admin_key(engine: Engine) -> str:
    with make_sessionmaker(engine)() as session, session.begin():
        return create_client(session, ClientCreate(name="benchmark", role="admin"), DEVELOPMENT_SECRET)[1]


def live_las(engine: Engine) -> list[tuple[str, date]]:
    with make_sessionmaker(engine)() as session:
        return [(la.code, la.operational_from) for la in session.scalars(
            select(LocalAuthority).where(LocalAuthority.operational_to.is_(None)).order_by(LocalAuthority.code))]


def post_csv(server: Server, key: str, la: str, dataset: str, body: bytes, **headers: str) -> httpx.Response:
    response = httpx.post(f"{server.url}/api/v1/local-authorities/{la}/submissions", params={"dataset": dataset},
                          content=body, timeout=3600,
                          headers={"Authorization": f"Bearer {key}", "Content-Type": "text/csv", **headers})
    if response.status_code != 201:
        raise RuntimeError(f"{la} {dataset}: {response.status_code} {response.text[:500]}")
    return response


def load(run: Run, server: Server, key: str, las: list[tuple[str, date]]) -> None:
    sizes = ds.Sizes(run.fraction, len(las))
    rows, started = 0, time.perf_counter()
    for la, since in las:
        orders, refs = ds.orders(la, sizes, since)
        for dataset, body in (("care-order-counts", ds.care_order_counts(la, since)), ("orders", orders),
                              ("audits", ds.audits(la, sizes, refs, since)),
                              ("audit-programme", ds.audit_programme(la, since))):
            rows += post_csv(server, key, la, dataset, body).json()["rows"]
    seconds = time.perf_counter() - started
    run.put("data set loaded through the API", f"{len(las)} LAs, {rows:,} rows in {seconds:.0f} s "
                                               f"({rows / seconds:,.0f} rows/s)")


def median_seconds(action: Callable[[], object], repeats: int, prepare: Callable[[], object] = lambda: None) -> float:
    """Median time of `action`; `prepare` runs before each, untimed."""
    timings = []
    for _ in range(repeats):
        prepare()
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def pack_reader(http: httpx.Client, name: str, query: dict[str, str]) -> Callable[[], None]:
    def read() -> None:
        response = http.get(f"/api/v1/packs/{name}", params=query)
        # A first publication that outlasts the server's wait is a 503 while it goes on: ask again, as a portal
        # would, and the read's time is the whole wait.
        deadline = time.monotonic() + FIRST_PUBLICATION_SECONDS
        while response.status_code == 503 and "retry-after" in response.headers and time.monotonic() < deadline:
            time.sleep(float(response.headers["retry-after"]))
            response = http.get(f"/api/v1/packs/{name}", params=query)
        assert response.status_code == 200, response.text[:300]
    return read


def built_pack_forgetter(engine: Engine) -> Callable[[], None]:
    def forget_built_packs() -> None:
        # Untimed: the baseline is timed without a write of the benchmark's own either.
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM pack_cache"))
    return forget_built_packs


def pack_latency(run: Run, server: Server, key: str, engine: Engine, repeats: int) -> None:
    # One keep-alive client, as a portal holds: a new httpx client per request costs ~20 ms of its own
    # (an SSL context), which is the client's time, not the pack's.
    http = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=600)
    forget_built_packs = built_pack_forgetter(engine)
    for name, query, baseline in (("audits", AUDITS_PACK, measures.audits_group_by),
                                  ("care-orders-at-home", CARE_ORDERS_PACK, measures.care_orders_group_by)):
        uncached = pack_reader(http, name, query)
        forget_built_packs()
        uncached()  # warm
        pack = median_seconds(uncached, repeats, prepare=forget_built_packs)
        raw = median_seconds(lambda b=baseline: b(engine), repeats)
        run.pack_seconds[name] = pack
        run.put(f"{name} pack, uncached (median of {repeats})",
                f"{pack * 1000:,.0f} ms; plain GROUP BY {raw * 1000:,.0f} ms; {raw / pack:.1f}x faster")
    http.close()


def suppressed_packs(run: Run, server: Server, engine: Engine) -> None:
    """A portal's region packs: the first read decides the published tables of every year it covers (over
    England, every region and group), later reads of other packs and areas reuse them."""
    with make_sessionmaker(engine)() as session, session.begin():
        portal = create_client(session, ClientCreate(name="benchmark portal", role="portal", area=NORTH_WEST),
                               DEVELOPMENT_SECRET)[1]
    http = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {portal}"}, timeout=3600)
    forget_built_packs = built_pack_forgetter(engine)
    for name, query in (("audits", AUDITS_PACK), ("outcomes", AUDITS_PACK),
                        ("care-orders-at-home", CARE_ORDERS_PACK | {"area": NORTH_WEST})):
        read = pack_reader(http, name, query)
        forget_built_packs()
        first = median_seconds(read, 1)
        built = median_seconds(read, 3, prepare=forget_built_packs)
        stored = median_seconds(read, 3)
        unsuppressed = run.pack_seconds.get(name)
        against = f"; unsuppressed uncached {unsuppressed * 1000:,.0f} ms" if unsuppressed else ""
        run.put(f"{name} pack for a portal (suppressed)",
                f"first read {first:,.1f} s (tables decided); built again {built * 1000:,.0f} ms; "
                f"stored {stored * 1000:,.0f} ms{against}")
    http.close()


def cached_throughput(run: Run, server: Server, key: str, bare: Server, seconds: float) -> float:
    url = f"{server.url}/api/v1/packs/audits?" + "&".join(f"{k}={v}" for k, v in AUDITS_PACK.items())
    auth = {"Authorization": f"Bearer {key}"}
    first = httpx.get(url, headers=auth, timeout=600)
    tag = first.headers["etag"]
    assert httpx.get(url, headers={**auth, "If-None-Match": tag}).status_code == 304
    revalidated = measures.rps(url, {**auth, "If-None-Match": tag}, seconds, expect=304)
    served = measures.rps(url, auth, seconds)
    constant = measures.rps(f"{bare.url}/constant", {}, seconds)
    run.put("cached audits pack, requests/s", f"304: {revalidated:,.0f} ({revalidated / constant:.0%} of bare); "
                                              f"200 from cache: {served:,.0f} ({served / constant:.0%}); "
                                              f"bare FastAPI constant: {constant:,.0f}")
    return revalidated


def ingest(run: Run, server: Server, key: str, engine: Engine) -> None:
    body = ds.to_csv(ds.AUDIT_COLUMNS, ds.audit_rows("341", ds.Sizes(1, 1), [], date(2014, 4, 1), total=100_000,
                                                     prefix=f"INGEST{int(time.time())}-"))
    started = time.perf_counter()
    post_csv(server, key, "341", "audits", body)
    api_seconds = time.perf_counter() - started
    bare_seconds = measures.bare_executemany(engine, body)
    ours, bare = 100_000 / api_seconds, 100_000 / bare_seconds
    run.put("ingest, 100,000-row audits CSV", f"API {ours:,.0f} rows/s; bare executemany {bare:,.0f} rows/s; "
                                              f"{ours / bare:.0%} of bare")


def upload_memory(run: Run, database_url: str, key: str) -> None:
    body_file = tempfile.NamedTemporaryFile(suffix=".csv")  # noqa: SIM115 - closed below
    rows = ds.audit_rows("202", ds.Sizes(1, 1), [], date(2014, 4, 1), total=1_000_000, prefix="MEMORY-")
    body_file.write(ds.to_csv(ds.AUDIT_COLUMNS, rows))
    body_file.flush()
    size = body_file.tell()
    with Server(database_url) as server:
        before = server.peak_rss_mb()
        started = time.perf_counter()
        with open(body_file.name, "rb") as stream:
            response = httpx.post(f"{server.url}/api/v1/local-authorities/202/submissions",
                                  params={"dataset": "audits"}, content=stream, timeout=7200,
                                  headers={"Authorization": f"Bearer {key}", "Content-Type": "text/csv"})
        seconds = time.perf_counter() - started
        assert response.status_code == 201, response.text[:500]
        peak = server.peak_rss_mb()
    body_file.close()
    run.put("1,000,000-row audits CSV upload", f"{size / 1e6:,.0f} MB in {seconds:.0f} s; server peak RSS "
                                               f"{peak:,.0f} MB (idle {before:,.0f} MB); target < 500 MB")


def workers(run: Run, database_url: str, key: str, one_worker_rps: float, seconds: float) -> None:
    with Server(database_url, workers=2) as server:
        correct = measures.two_worker_correctness(server, key)
        url = f"{server.url}/api/v1/packs/audits?" + "&".join(f"{k}={v}" for k, v in AUDITS_PACK.items())
        auth = {"Authorization": f"Bearer {key}"}
        tag = httpx.get(url, headers=auth, timeout=600).headers["etag"]
        two = measures.rps(url, {**auth, "If-None-Match": tag}, seconds, expect=304)
    run.put("--workers 2", f"{correct}; cached pack {two:,.0f} requests/s vs {one_worker_rps:,.0f} with one "
                           f"worker ({two / one_worker_rps:.2f}x)")


def run_one(kind: str, fraction: float, args: argparse.Namespace, folder: Path, largest: bool) -> Run:
    run = Run(kind, fraction)
    url = fresh_database(kind, fraction, args.postgres_url, folder)
    upgrade_to_head(url)
    engine = make_engine(url)
    key = admin_key(engine)
    las = live_las(engine)
    with Server(url) as server, Server(url, app="benchmarks.bare_app:app") as bare:
        load(run, server, key, las)
        pack_latency(run, server, key, engine, args.repeats)
        suppressed_packs(run, server, engine)
        one_worker = cached_throughput(run, server, key, bare, args.seconds)
        ingest(run, server, key, engine)
    if largest:
        workers(run, url, key, one_worker, args.seconds)
        if not args.skip_memory:
            upload_memory(run, url, key)
    engine.dispose()
    return run


def print_table(runs: list[Run]) -> None:
    names = list(dict.fromkeys(name for run in runs for name in run.figures))
    print("\n| measure | database | " + " | ".join(f"{f:.0%}" for f in sorted({r.fraction for r in runs})) + " |")
    fractions = sorted({r.fraction for r in runs})
    print("|---|---|" + "---|" * len(fractions))
    for name in names:
        for database in dict.fromkeys(r.database for r in runs):
            by_size = {r.fraction: r.figures.get(name, "") for r in runs if r.database == database}
            print(f"| {name} | {database} | " + " | ".join(by_size.get(f, "") for f in fractions) + " |")


def print_growth(runs: list[Run]) -> None:
    """Pack latency at the largest size over the smallest: flat cost in data volume is at most 2x."""
    for database in dict.fromkeys(r.database for r in runs):
        mine = sorted((r for r in runs if r.database == database), key=lambda r: r.fraction)
        if len(mine) < 2:
            continue
        small, large = mine[0], mine[-1]
        for pack, seconds in large.pack_seconds.items():
            print(f"{database}: {pack} pack at {large.fraction:.0%} / at {small.fraction:.0%}: "
                  f"{seconds / small.pack_seconds[pack]:.2f}x (target at most 2x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--sizes", default="0.01,0.1,1", help="fractions of the full national data set")
    parser.add_argument("--postgres-url", help="a server where the user may create databases")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=5, help="length of each throughput measurement")
    parser.add_argument("--skip-memory", action="store_true", help="skip the 1,000,000-row upload")
    args = parser.parse_args()
    fractions = sorted(float(f) for f in args.sizes.split(","))
    runs = []
    with tempfile.TemporaryDirectory(prefix="datapack-bench-") as folder:
        for kind in args.databases.split(","):
            for fraction in fractions:
                print(f"{kind}, {fraction:.0%} of the national data set", flush=True)
                runs.append(run_one(kind, fraction, args, Path(folder), fraction == fractions[-1]))
    print_table(runs)
    print_growth(runs)


if __name__ == "__main__":
    main()
