"""Packs with small numbers suppressed are published, off the request path, and read as published.

Deciding which cells such a pack hides takes seconds whenever any return has changed (every area's tables
are decided again), and LAs return all day: built in the request, a portal's read waited 5–9 s behind
every submission. Here each pack a suppressed reader asks for has a *lineage* (the request and reader,
without the data state). A request puts its lineage in the queue of the next *round* and waits for it for
up to `PACK_FRESH_WAIT_SECONDS`; past that it is answered with the lineage's previous publication (whole:
figures and hidden cells of one earlier data state, as that state published them), marked
`Pack-Freshness: previous`. A lineage never published waits for its first round, in which it is built before
the lineages that have a publication to stand in for them.

A round builds every lineage queued when it starts, and those queued while it runs (up to `ROUND_SECONDS`),
one after another, in one snapshot of the database (`read_snapshot`): what a pack shows and what it hides
are read from the same returns, and every pack of the round is decided on the same tables. Built each in a
snapshot of its own, no two builds shared a data state while LAs were returning, and each decided every
table again (measured in the load test: pack reads past 40 s). One round at a time a process: the builds
are Python, bound to one core by the GIL.
"""

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from app.core.connections import read_snapshot

log = logging.getLogger(__name__)

REMEMBERED = 4096   # lineages whose latest publication is remembered, a process
STOP_WAIT_SECONDS = 60
# How long one snapshot keeps being published from: past it, what is asked for next reads the returns anew.
ROUND_SECONDS = 30


@dataclass(frozen=True)
class Rendered:
    """A pack as sent: its ETag names the data state it was built from."""

    etag: str
    media_type: str
    headers: str   # JSON: the headers kept with the body
    body: bytes
    created_at: datetime


# Builds a pack in a snapshot; `fresh`: the snapshot was opened after the pack was asked for, so it sees at least
# what its reader saw. In an older one the build raises `Outdated` where the reader's view of the pack differs.
Build = Callable[[Session, bool], Rendered]
Keep = Callable[[Rendered], None]


class Outdated(Exception):
    """The snapshot predates a change the reader has seen (its own return, its area's definition)."""


@dataclass(frozen=True)
class _Queued:
    build: Build
    keep: Keep
    future: "Future[Rendered]"
    asked_at: float


class Publications:
    def __init__(self, snapshots: sessionmaker[Session]) -> None:
        self._snapshots = snapshots
        self._changed = threading.Condition()
        self._queued: dict[str, _Queued] = {}
        self._building: dict[str, _Queued] = {}
        self._latest: dict[str, str] = {}
        self._thread: threading.Thread | None = None
        self._closed = False
        self._started = threading.Event()  # set once what `start` was given has run (or there was nothing)
        self._started.set()

    def build(self, lineage: str, build: Build, keep: Keep) -> "Future[Rendered]":
        """The lineage's build, queued or under way, or a new one in the next round. `keep` stores what was
        built, after the waiting requests have it; the lineage's latest publication is what was last kept."""
        with self._changed:
            waiting = self._building.get(lineage) or self._queued.get(lineage)
            if waiting is not None:
                return waiting.future
            future: Future[Rendered] = Future()
            if self._closed:
                future.set_exception(RuntimeError("the server is stopping"))
                return future
            self._queued[lineage] = _Queued(build, keep, future, time.monotonic())
            if self._thread is None:
                self._thread = threading.Thread(target=self._rounds, name="publish", daemon=True)
                self._thread.start()
            self._changed.notify()
            return future

    def start(self, first: Callable[[Session, Callable[[], bool]], object]) -> None:
        """Runs `first` in a snapshot on the publishing thread before any round (`app.packs.warm`), with a check
        of whether the server is stopping that it asks between steps; `started` is false until it has run, failed
        or the server stops."""
        with self._changed:
            if self._closed:
                return
            if self._thread is not None:  # a read came first: its round is under way, and nothing is published first
                log.warning("the tables were not published on start: a pack was asked for before")
                return
            self._started.clear()
            self._thread = threading.Thread(target=self._rounds, args=(first,), name="publish", daemon=True)
            self._thread.start()

    def started(self) -> bool:
        return self._started.is_set()

    def _stopping(self) -> bool:
        with self._changed:
            return self._closed

    def latest(self, lineage: str) -> str | None:
        """The ETag of the lineage's latest kept publication."""
        with self._changed:
            return self._latest.get(lineage)

    def _rounds(self, first: Callable[[Session, Callable[[], bool]], object] | None = None) -> None:
        if first is not None:
            try:
                with read_snapshot(self._snapshots) as snapshot:
                    first(snapshot, self._stopping)
            except Exception:  # the packs are published when first read instead
                log.exception("the tables could not be published on start")
            finally:
                self._started.set()
        while True:
            with self._changed:
                while not self._queued and not self._closed:
                    self._changed.wait()
                if self._closed:
                    return
            try:
                self._round()
            except Exception as exc:  # a snapshot that could not be opened or closed: its packs' readers are told
                log.exception("a publication round failed")
                self._fail_building(exc)

    def _fail_building(self, exc: BaseException) -> None:
        with self._changed:
            failed, self._building = list(self._building.values()), {}
        for queued in failed:
            if not queued.future.done():
                queued.future.set_exception(exc)

    def _round(self) -> None:
        """Builds what is queued, and what is queued meanwhile, in one snapshot: a pack first asked for while
        a round is under way is built on the tables the round has decided. A lineage asked for again once built
        in this round waits for the next, which reads the returns as they then stand."""
        started, cpu, built = time.monotonic(), time.thread_time(), set[str]()
        while time.monotonic() - started < ROUND_SECONDS and (taken := self._take(built)):
            # A build that fails may leave the snapshot's transaction unusable: the rest go on in a new one.
            with read_snapshot(self._snapshots) as snapshot:
                opened_at = time.monotonic()
                while taken:
                    lineage, queued = taken.pop(0)
                    built.add(lineage)
                    if not self._build(snapshot, lineage, queued, fresh=queued.asked_at <= opened_at):
                        break
                    if not taken and time.monotonic() - started < ROUND_SECONDS:
                        taken = self._take(built)
            self._requeue(taken)
        log.info({"event": "publication_round", "packs": len(built), "seconds": round(time.monotonic() - started, 2),
                  "cpu_seconds": round(time.thread_time() - cpu, 2)})

    def _take(self, built: set[str]) -> list[tuple[str, _Queued]]:
        """What is queued and not yet built in this round; first the lineages never published, whose readers
        have nothing to be answered with meanwhile."""
        with self._changed:
            taken = sorted(((lineage, queued) for lineage, queued in self._queued.items() if lineage not in built),
                           key=lambda item: item[0] in self._latest)
            for lineage, queued in taken:
                del self._queued[lineage]
                self._building[lineage] = queued
            return taken

    def _requeue(self, taken: list[tuple[str, _Queued]]) -> None:
        with self._changed:
            for lineage, queued in taken:
                self._building.pop(lineage, None)
                if self._closed:
                    queued.future.set_exception(RuntimeError("the server is stopping"))
                else:
                    self._queued.setdefault(lineage, queued)

    def _build(self, snapshot: Session, lineage: str, queued: _Queued, fresh: bool) -> bool:
        try:
            rendered = queued.build(snapshot, fresh)
        except Outdated:  # built in the next round, from a snapshot opened after it was asked for
            self._requeue([(lineage, queued)])
            return True
        except BaseException as exc:  # the waiting requests answer it (a 404 for an area removed)
            queued.future.set_exception(exc)
            self._done(lineage)
            return False
        queued.future.set_result(rendered)
        try:
            queued.keep(rendered)
        except Exception:  # the lineage is built again on its next read
            log.exception("a published pack could not be stored")
        else:
            self._remember(lineage, rendered.etag)
        self._done(lineage)
        return True

    def _remember(self, lineage: str, etag: str) -> None:
        with self._changed:
            self._latest.pop(lineage, None)
            self._latest[lineage] = etag
            if len(self._latest) > REMEMBERED:
                del self._latest[next(iter(self._latest))]

    def _done(self, lineage: str) -> None:
        with self._changed:
            self._building.pop(lineage, None)

    def close(self) -> None:
        """The round under way finishes (its connections are about to close); queued builds are dropped."""
        with self._changed:
            self._closed = True
            self._started.set()
            dropped, self._queued = list(self._queued.values()), {}
            self._changed.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(STOP_WAIT_SECONDS)
        for queued in dropped:
            queued.future.set_exception(RuntimeError("the server is stopping"))
