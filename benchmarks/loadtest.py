"""Load test: a real `datapack serve --workers 2` on PostgreSQL, for a set time, with 20 LA clients submitting
files (Idempotency-Key, retries, duplicates), 20 portals reading packs (If-None-Match) and an admin revising
groups; then every acknowledged file is checked row by row in the database. Prints requests served, latency
per kind of request and each process's peak memory; exits non-zero on any 5xx, timeout or dropped connection,
an answer the API promises never to give, or a file not stored exactly once.

    bash benchmarks/load                 # 60 s on a throwaway PostgreSQL
    bash benchmarks/load --seconds 20    # quicker
"""

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access.roles import Role
from app.clients.schemas import ClientCreate
from app.clients.service import create_client
from app.core.db import make_engine, make_sessionmaker, utcnow
from app.core.settings import DEVELOPMENT_SECRET
from app.demo.service import load_demo
from app.migrate import upgrade_to_head
from app.reference.models import LocalAuthority
from app.reference.schemas import AreaPut
from app.reference.service import put_group
from benchmarks import stored_once, traffic
from benchmarks.server import Server, fresh_postgres

NORTH_EAST, NORTH_WEST, ENGLAND = "E12000001", "E12000002", "E92000001"
GROUPS = 4
AUDITS_SINCE = date(2023, 4, 1)  # an LA's BI job sends the latest year


def live_las(session: Session, region: str) -> list[LocalAuthority]:
    return list(session.scalars(select(LocalAuthority).where(LocalAuthority.region_code == region,
                                                            LocalAuthority.operational_to.is_(None))
                                .order_by(LocalAuthority.code)))


def make_groups(session: Session, admin_id: int) -> dict[str, traffic.Group]:
    """Four groups of North West LAs, and one of North East LAs. No LA client writes for the latter, so its
    packs change only when the admin revises it: a 304 to the ETag held before a revision is then a stale
    answer, not the timing of someone's submission."""
    north_west = [la.code for la in live_las(session, NORTH_WEST)]
    groups = {f"load-group-{n}": traffic.Group(north_west[n::GROUPS], north_west) for n in range(GROUPS)}
    north_east = [la.code for la in live_las(session, NORTH_EAST)]
    groups["load-quiet"] = traffic.Group(north_east[:4], north_east)
    for code, group in groups.items():
        put_group(session, code, AreaPut(name=f"Load group {code}", members=group.members), admin_id, utcnow())
    return groups


def _key(session: Session, name: str, role: Role, **scope: str) -> tuple[int, str]:
    client, key = create_client(session, ClientCreate(name=name, role=role, **scope), DEVELOPMENT_SECRET)
    return client.id, key


def prepare(database_url: str, las: int, portals: int) -> tuple[traffic.Cast, list[int]]:
    """The demo data set (North West), the groups, and the clients with their keys; and the LA clients' ids."""
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session, session.begin():
        load_demo(session, DEVELOPMENT_SECRET)
        admin_id, admin_key = _key(session, "load admin", Role.ADMIN)
        groups = make_groups(session, admin_id)
        la_keys, la_ids = {}, []
        for la in live_las(session, NORTH_WEST)[:las]:
            client_id, key = _key(session, f"load LA {la.code}", Role.LA, la=la.code)
            la_keys[la.code] = (key, max(AUDITS_SINCE, la.operational_from))
            la_ids.append(client_id)
        areas = [*groups, NORTH_WEST]
        portal_keys = {}
        for n in range(portals):
            area = ENGLAND if n % 10 == 9 else areas[n % len(areas)]
            portal_keys[_key(session, f"load portal {n}", Role.PORTAL, area=area)[1]] = area
    engine.dispose()
    return traffic.Cast(admin_key, la_keys, portal_keys, groups), la_ids


def percentile(seconds: list[float], share: float) -> float:
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def print_latencies(tally: traffic.Tally, elapsed: float) -> None:
    print(f"requests served: {tally.requests():,} in {elapsed:.0f} s ({tally.requests() / elapsed:,.0f}/s)")
    print("| kind | requests | p50 ms | p99 ms | max ms | the slowest |")
    print("|---|---|---|---|---|---|")
    for kind, seconds in sorted(tally.latencies.items()):
        print(f"| {kind} | {len(seconds):,} | {statistics.median(seconds) * 1000:,.0f} | "
              f"{percentile(seconds, 0.99) * 1000:,.0f} | {max(seconds) * 1000:,.0f} | {tally.slowest[kind][1]} |")
    for kind, count in sorted(tally.failures.items()):
        print(f"| {kind} (no answer) | {count:,} | | | | |")


def peak_memory(server: Server) -> list[str]:
    """Each server process's peak memory, read while they run."""
    assert server.process is not None
    return [f"peak memory (VmHWM) of {_role(pid, server.process.pid)} {pid}: {megabytes:,.0f} MB"
            for pid, megabytes in server.peak_rss_by_process().items()]


def _role(pid: int, supervisor: int) -> str:
    if pid == supervisor:
        return "the supervisor"
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    return "the resource tracker" if b"resource_tracker" in command else "worker"


def server_errors_logged(log: Path) -> Counter[str]:
    """The server's errors by the last line of their exception (or their message); uvicorn's own are plain
    text, a traceback ending in the exception's line."""
    found: Counter[str] = Counter()
    for line in log.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            if re.match(r"[\w.]+(Error|Exception)\b", line):  # the error the app's handler also logged, mostly
                found[f"(uvicorn's traceback) {line[:200]}"] += 1
            continue
        if entry.get("level") in ("error", "critical"):
            cause = (entry.get("exception") or "").strip().splitlines()[-1:] or [str(entry.get("message"))]
            found[cause[0][:200]] += 1
    return found


def report(tally: traffic.Tally, ledger: list[traffic.SentFile], findings: stored_once.Findings,
           logged: Counter[str]) -> list[str]:
    """Prints what the files came to; returns why the run failed, if it did."""
    acknowledged = [s for s in ledger if s.acknowledged is not None]
    print(f"files sent: {len(ledger):,}; acknowledged: {len(acknowledged):,} "
          f"({sum(s.acknowledged['rows'] for s in acknowledged):,} rows); never acknowledged: "
          f"{len(ledger) - len(acknowledged):,}, of which stored whole: {findings.stored_unacknowledged:,}")
    print(f"stored exactly once, checked row by row: {findings.rows_checked:,} rows of "
          f"{len(acknowledged):,} acknowledged files; problems: {len(findings.problems)}")
    for problem in (tally.faults + findings.problems)[:20]:
        print(f"  {problem}")
    for cause, count in logged.most_common(5):
        print(f"server logged {count:,} x {cause}")
    failed = []
    if tally.server_errors():
        failed.append(f"{tally.server_errors():,} responses were 5xx")
    if tally.failures:
        failed.append(f"{sum(tally.failures.values()):,} requests had no answer (timeout or dropped connection)")
    if tally.faults:
        failed.append(f"{len(tally.faults):,} answers the API promises never to give")
    if findings.problems:
        failed.append(f"{len(findings.problems):,} files not stored exactly once")
    return failed


def under_load(url: str, cast: traffic.Cast, args: argparse.Namespace, log: Path) -> tuple[traffic.Tally, list]:
    # At INFO the log kept from a failed run says which table took how long, in which worker.
    with Server(url, workers=args.workers, log=log, SECRET_KEY=DEVELOPMENT_SECRET, PUBLISH_ON_START="true",
                LOG_LEVEL="INFO") as server:
        started = time.monotonic()
        tally, ledger = asyncio.run(traffic.run(server.url, cast, args.seconds, args.grace,
                                                run_id=str(args.seed), seed=args.seed))
        elapsed = time.monotonic() - started
        memory = peak_memory(server)
    print_latencies(tally, elapsed)
    print("\n".join(memory))
    return tally, ledger


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres-url", required=True, help="a server where the user may create databases")
    parser.add_argument("--seconds", type=float, default=60, help="how long the clients keep starting requests")
    parser.add_argument("--grace", type=float, default=20, help="after that, how long unacknowledged files are retried")
    parser.add_argument("--las", type=int, default=20, help="LA clients submitting (at most the North West's LAs)")
    parser.add_argument("--portals", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--keep-log", action="store_true",
                        help="keep the server's log when the run passes too (it names every table decided and round)")
    args = parser.parse_args()
    url = fresh_postgres(args.postgres_url, "datapack_load")
    upgrade_to_head(url)
    cast, la_ids = prepare(url, args.las, args.portals)
    # The figures depend on what else the machine is doing: say so beside them.
    print(f"{len(cast.las)} LA clients, {len(cast.portals)} portals and an admin for {args.seconds:.0f} s against "
          f"datapack serve --workers {args.workers} on PostgreSQL; {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} before the run", flush=True)
    handle, name = tempfile.mkstemp(prefix="datapack-load-", suffix=".log")
    os.close(handle)
    log = Path(name)
    tally, ledger = under_load(url, cast, args, log)
    engine = make_engine(url)
    findings = stored_once.check(engine, ledger, la_ids)
    engine.dispose()
    failed = report(tally, ledger, findings, server_errors_logged(log))
    if failed:
        print(f"FAILED: {'; '.join(failed)} (the server's log: {log})")
    else:
        print("passed: no 5xx, every request answered, every acknowledged file stored exactly once"
              + (f" (the server's log: {log})" if args.keep_log else ""))
        if not args.keep_log:
            log.unlink()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
