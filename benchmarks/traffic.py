"""The load test's clients, all in one event loop: LAs submitting files with an Idempotency-Key (retrying as a
BI job does, and sometimes sending a file twice), portals reading packs with the ETag they hold, and an admin
revising groups. Every response is recorded in one `Tally`; every file an LA sent is kept for the check of
what was stored (`benchmarks.stored_once`)."""

import asyncio
import csv
import io
import random
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

from app.core.settings import Settings
from benchmarks import dataset as ds

ATTEMPTS = 6  # of one submission, before the LA gives up on it
REQUEST_TIMEOUT = 40  # longer than the server's 30 s wait for a pooled connection, so its answer is seen
# A pack never published for its area as now defined (the load's start, a group re-membered) is waited for up to the
# server's own bound before a 503 (`PACK_FIRST_WAIT_SECONDS`, read as the server it starts reads it): a portal waits
# that long and this much more, and the latencies printed show what it took.
PACK_TIMEOUT_BEYOND_SERVER = 10
# Between two revisions of a group. A board re-defines its groups a few times a year; every re-membering has every
# table decided again (a minute of CPU on the demo data), so at one a second the packs of a group were never
# published within the server's bound (measured: 5 of 359 pack reads a 503 after 120 s).
ADMIN_PAUSE = (10.0, 20.0)
RESEND_AFTER = 0.2  # share of acknowledged files sent again with the same key and body
RESEND_AT_ONCE = 0.1  # share of files sent twice at the same moment, as a retry racing its first attempt
PORTAL_PACKS = (("care-orders-at-home", "json"), ("audits", "json"), ("completeness", "json"),
                ("outcomes", "json"), ("care-orders-at-home", "csv"), ("audits", "html"))


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    slowest: dict[str, tuple[float, str]] = field(default_factory=dict)  # kind -> (seconds, which request)
    failures: Counter[str] = field(default_factory=Counter)  # timeouts and dropped connections, by kind
    faults: list[str] = field(default_factory=list)  # answers the API promises never to give

    def requests(self) -> int:
        return sum(len(seconds) for seconds in self.latencies.values())

    def server_errors(self) -> int:
        return sum(len(seconds) for kind, seconds in self.latencies.items() if kind.rsplit(" ", 1)[-1].startswith("5"))


@dataclass
class Clock:
    stop_at: float  # no new work after this
    give_up_at: float  # no new attempt of unfinished work after this

    def running(self) -> bool:
        return time.monotonic() < self.stop_at

    def may_retry(self) -> bool:
        return time.monotonic() < self.give_up_at


@dataclass
class SentFile:
    la: str
    dataset: str
    key: str
    body: bytes
    acknowledged: dict[str, Any] | None = None  # the first 201's body

    def rows(self) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(self.body.decode())))


@dataclass
class Group:
    members: list[str]
    pool: list[str]  # the LAs the admin draws its members from


async def timed(tally: Tally, kind: Callable[[httpx.Response], str], failed_kind: str,
                send: Awaitable[httpx.Response]) -> httpx.Response | None:
    started = time.perf_counter()  # the request starts when awaited, not when its coroutine is made
    try:
        response = await send
    except httpx.TransportError as error:  # timeouts included
        tally.failures[f"{failed_kind}: {type(error).__name__}"] += 1
        return None
    seconds, named = time.perf_counter() - started, kind(response)
    tally.latencies[named].append(seconds)
    if seconds > tally.slowest.get(named, (0, ""))[0]:
        tally.slowest[named] = (seconds, f"{response.request.method} {response.request.url.raw_path.decode()}")
    return response


def _submission_kind(response: httpx.Response) -> str:
    if response.status_code == 201:
        return "submission replayed" if response.headers.get("idempotent-replayed") else "submission stored"
    return f"submission {response.status_code}"


async def submit(http: httpx.AsyncClient, sent: SentFile, tally: Tally, clock: Clock) -> None:
    """Send the file until it is acknowledged, as a BI job would: again on 409, 5xx and timeouts."""
    for attempt in range(ATTEMPTS):
        if attempt and not clock.may_retry():
            return
        response = await timed(tally, _submission_kind, "submission", http.post(
            f"/api/v1/local-authorities/{sent.la}/submissions", params={"dataset": sent.dataset}, content=sent.body,
            headers={"Content-Type": "text/csv", "Idempotency-Key": sent.key}))
        if response is not None and response.status_code == 201:
            _acknowledge(sent, response, tally)
            return
        if response is not None and response.status_code != 409 and response.status_code < 500:
            tally.faults.append(f"{sent.la} {sent.key}: {response.status_code} {response.text[:300]}")
            return
        await asyncio.sleep(min(0.25 * 2 ** attempt, 4) * random.uniform(0.5, 1.5))


def _acknowledge(sent: SentFile, response: httpx.Response, tally: Tally) -> None:
    """The first 201 for a key is kept; every later one (a replay) must be the same."""
    body = response.json()
    if body.get("rows") != len(sent.rows()):
        tally.faults.append(f"{sent.la} {sent.key}: acknowledged {body.get('rows')} rows of {len(sent.rows())}")
    if sent.acknowledged is None:
        sent.acknowledged = body
    elif body != sent.acknowledged:
        tally.faults.append(f"{sent.la} {sent.key}: two different 201s for one key: {sent.acknowledged} and {body}")


def new_file(la: str, dataset: str, since: date, number: int, run: str, rng: random.Random) -> SentFile:
    prefix = f"L{run}-{number:04d}-"
    rows = rng.randint(10, 200)
    if dataset == "orders":
        body, _ = ds.orders(la, ds.Sizes(1, 1), since, total=rows, prefix=prefix)
    else:
        body = ds.to_csv(ds.AUDIT_COLUMNS, ds.audit_rows(la, ds.Sizes(1, 1), [], since, total=rows, prefix=prefix))
    return SentFile(la, dataset, f"load-{run}-{la}-{dataset}-{number}", body)


async def send_file(http: httpx.AsyncClient, sent: SentFile, tally: Tally, clock: Clock, rng: random.Random) -> None:
    copies = 2 if rng.random() < RESEND_AT_ONCE else 1
    await asyncio.gather(*(submit(http, sent, tally, clock) for _ in range(copies)))
    if sent.acknowledged is not None and rng.random() < RESEND_AFTER:
        await submit(http, sent, tally, clock)


async def la_client(http: httpx.AsyncClient, la: str, since: date, run: str, tally: Tally, clock: Clock,
                    ledger: list[SentFile], rng: random.Random) -> None:
    """An LA's BI job: each round, its audits and its orders, sent at once, each on its own connection."""
    number = 0
    while clock.running():
        number += 1
        files = [new_file(la, dataset, since, number, run, rng) for dataset in ("audits", "orders")]
        ledger.extend(files)
        await asyncio.gather(*(send_file(http, sent, tally, clock, rng) for sent in files))
        await asyncio.sleep(rng.uniform(0, 1))


async def portal_client(http: httpx.AsyncClient, area: str, tally: Tally, clock: Clock, rng: random.Random) -> None:
    etags: dict[tuple[str, str], str] = {}
    turn = rng.randrange(len(PORTAL_PACKS))
    while clock.running():
        pack, file_format = PORTAL_PACKS[turn % len(PORTAL_PACKS)]
        turn += 1
        held = etags.get((pack, file_format))
        response = await timed(tally, lambda r: f"pack {r.status_code}", "pack", http.get(
            f"/api/v1/packs/{pack}", params={"area": area, "format": file_format},
            headers={"If-None-Match": held} if held else {}))
        if response is not None and response.status_code == 200:
            etags[(pack, file_format)] = response.headers["etag"]
        elif response is not None and response.status_code != 304 and response.status_code < 500:
            tally.faults.append(f"portal {area} {pack}: {response.status_code} {response.text[:300]}")
        await asyncio.sleep(rng.uniform(0, 0.5))


async def admin_client(http: httpx.AsyncClient, groups: dict[str, Group], tally: Tally, clock: Clock,
                       rng: random.Random) -> None:
    """Creates, renames and re-members groups; after each revision of a group, checks that the ETag held before
    no longer matches (the pack names the group and sums its members)."""
    revision = 0
    while clock.running():
        revision += 1
        if rng.random() < 0.7:
            code = rng.choice(list(groups))
            group = groups[code]
        else:  # a new group, of the LAs an existing one is made of
            code, pool = f"load-new-{revision}", rng.choice(list(groups.values())).pool
            group = Group(sorted(rng.sample(pool, 5)), pool)
        members = sorted(rng.sample(group.pool, rng.randint(3, 5))) if rng.random() < 0.5 else group.members
        name = f"Load group {code} revision {revision}"
        before = await _group_pack(http, code, None, tally) if code in groups else None
        response = await timed(tally, lambda r: f"group PUT {r.status_code}", "group PUT", http.put(
            f"/api/v1/areas/{code}", json={"name": name, "members": members}))
        if response is not None and response.status_code in (200, 201):
            groups[code] = Group(members, group.pool)
            if before is not None:
                await _check_revised(http, code, name, before, tally)
        elif response is not None and response.status_code < 500:
            tally.faults.append(f"admin PUT {code}: {response.status_code} {response.text[:300]}")
        await asyncio.sleep(rng.uniform(*ADMIN_PAUSE))


async def _group_pack(http: httpx.AsyncClient, code: str, held: str | None, tally: Tally) -> httpx.Response | None:
    return await timed(tally, lambda r: f"pack {r.status_code}", "pack", http.get(
        "/api/v1/packs/completeness", params={"area": code}, headers={"If-None-Match": held} if held else {}))


async def _check_revised(http: httpx.AsyncClient, code: str, name: str, before: httpx.Response, tally: Tally) -> None:
    if before.status_code != 200:
        return
    after = await _group_pack(http, code, before.headers["etag"], tally)
    if after is None:
        return
    if after.status_code == 304:
        tally.faults.append(f"group {code} renamed to {name!r}: its pack still answered 304 to the old ETag")
    elif after.status_code == 200 and after.json()["area"]["name"] != name:
        tally.faults.append(f"group {code} renamed to {name!r}: its pack still names it {after.json()['area']['name']!r}")


@dataclass
class Cast:
    """Who takes part, with their keys."""

    admin: str
    las: dict[str, tuple[str, date]]  # LA code -> (key, first day it may return audits for)
    portals: dict[str, str]  # key -> area
    groups: dict[str, Group]


async def run(url: str, cast: Cast, seconds: float, grace: float, run_id: str, seed: int) -> tuple[Tally, list[SentFile]]:
    tally, ledger = Tally(), []
    now = time.monotonic()
    clock = Clock(now + seconds, now + seconds + grace)
    rng = random.Random(seed)

    def client(key: str, timeout: float = REQUEST_TIMEOUT) -> httpx.AsyncClient:
        # Idle connections are dropped before uvicorn's 5 s keep-alive ends: reusing one as the server closes
        # it is a dropped request that says nothing about the server.
        return httpx.AsyncClient(base_url=url, timeout=timeout, limits=httpx.Limits(keepalive_expiry=2),
                                 headers={"Authorization": f"Bearer {key}"})

    clients = [client(key) for key in (cast.admin, *(k for k, _ in cast.las.values()))]
    pack_timeout = Settings().pack_first_wait_seconds + PACK_TIMEOUT_BEYOND_SERVER
    clients += [client(key, pack_timeout) for key in cast.portals]
    admin, la_http, portal_http = clients[0], clients[1:1 + len(cast.las)], clients[1 + len(cast.las):]
    tasks = [admin_client(admin, cast.groups, tally, clock, random.Random(rng.random()))]
    tasks += [la_client(http, la, since, run_id, tally, clock, ledger, random.Random(rng.random()))
              for http, (la, (_, since)) in zip(la_http, cast.las.items(), strict=True)]
    tasks += [portal_client(http, area, tally, clock, random.Random(rng.random()))
              for http, area in zip(portal_http, cast.portals.values(), strict=True)]
    try:
        await asyncio.gather(*tasks)
    finally:
        for http in clients:
            await http.aclose()
    return tally, ledger
