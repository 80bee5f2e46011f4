"""Packs with small numbers suppressed are published, off the request path, and read as published.

Deciding which cells such a pack hides takes seconds whenever any return has changed (every area's tables
are decided again), and LAs return all day: built in the request, a portal's read waited 5–9 s behind
every submission. Here each pack a suppressed reader asks for has a *lineage* (the request and reader,
without the data state: `app.packs.cache._lineage`). A request puts its lineage in the queue of the next
*round* and waits for it for up to `PACK_FRESH_WAIT_SECONDS`; past that it is answered with the lineage's
previous publication (whole: figures and hidden cells of one earlier data state, as that state published them), marked
`Pack-Freshness: previous`. A lineage never published waits for its first round, in which it is built before
the lineages that have a publication to stand in for them (asked while a round is under way, before those of the
round not yet built).

A round builds every lineage queued when it starts, and those queued while it runs (up to `ROUND_SECONDS`; a
lineage never published, as long as such a read waits: `PACK_FIRST_WAIT_SECONDS`),
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
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum

from sqlalchemy.orm import Session, sessionmaker

from app.core.connections import read_snapshot
from app.packs import knowledge, stopping
from app.packs.stopping import Stopping

log = logging.getLogger(__name__)

STOP_WAIT_SECONDS = 60
# How long one snapshot keeps being published from: past it, what is asked for next reads the returns anew.
ROUND_SECONDS = 30
# How often an idle publishing thread reads whether what `start` published must be published again (`again_when`).
CHANGE_POLL_SECONDS = 2.0
# How long a round whose every pack waits on a table another worker is deciding waits before trying them again.
DEFERRED_WAIT_SECONDS = 1.0
# How often a failure that repeats at every poll is logged again while it lasts (`_RepeatedFailure`).
FAILURE_LOG_SECONDS = 60.0


@dataclass(frozen=True)
class Rendered:
    """A pack as sent: its ETag names the data state it was built from."""

    etag: str
    media_type: str
    headers: str   # JSON: the headers kept with the body
    body: bytes
    created_at: datetime
    area_las: tuple[str, ...] | None = None  # the LAs its area was made of (None: not known)


# Builds a pack in a snapshot; `fresh`: the snapshot was opened after the pack was asked for, so it sees at least
# what its reader saw. In an older one the build raises `Outdated` where the reader's view of the pack differs.
Build = Callable[[Session, bool], Rendered]
Keep = Callable[[Rendered], None]


class Outdated(Exception):
    """The snapshot predates a change the reader has seen (its own return, its area's definition)."""


class _Built(Enum):
    BUILT = "built"  # or put back for the next round
    DEFERRED = "deferred"  # another worker is deciding one of its tables (`knowledge.Busy`)
    FAILED = "failed"  # its readers have the error; the snapshot may be unusable


@dataclass(frozen=True)
class _Queued:
    build: Build
    keep: Keep
    future: "Future[Rendered]"
    asked_at: float
    published_before: bool = False  # by any worker, or before a restart: its readers have it meanwhile


class _RepeatedFailure:
    """A failure met again at every poll (the areas read every `CHANGE_POLL_SECONDS` while the database is down)
    is logged when it starts, then once a `FAILURE_LOG_SECONDS` saying for how long, and when it ends: logged
    each time, it was a traceback every 2 s."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.since: float | None = None
        self.logged_at = 0.0
        self.times = 0

    def failed(self) -> None:
        now = time.monotonic()
        self.times += 1
        if self.since is None:
            self.since = now
        elif now - self.logged_at < FAILURE_LOG_SECONDS:
            return
        self.logged_at = now
        log.exception({"event": "failing", "what": self.what, "times": self.times,
                       "seconds": round(now - self.since, 1)})

    def ended(self) -> None:
        if self.since is not None:
            log.info({"event": "failing_ended", "what": self.what, "times": self.times,
                      "seconds": round(time.monotonic() - self.since, 1)})
        self.since, self.times = None, 0


class Publications:
    def __init__(self, snapshots: sessionmaker[Session], first_join_seconds: float = 120.0) -> None:
        self._snapshots = snapshots
        # How long a round takes packs never published (`_take`): as long as their readers wait
        # (`PACK_FIRST_WAIT_SECONDS`), since one asked past it waits for the next round, which it may not meet.
        self.first_join_seconds = first_join_seconds
        self._changed = threading.Condition()
        self._queued: dict[str, _Queued] = {}
        self._building: dict[str, _Queued] = {}
        self._thread: threading.Thread | None = None
        # Set, under `_changed`, when the server is asked to stop: the search under way gives up
        # (`app.packs.stopping`), and nothing more is queued.
        self._stop = threading.Event()
        self._started = threading.Event()  # set once what `start` was given has run (or there was nothing)
        self._started.set()
        self._areas_unread = _RepeatedFailure("the areas could not be read, to publish the tables again if changed")

    def build(self, lineage: str, build: Build, keep: Keep, published_before: bool = False) -> "Future[Rendered]":
        """The lineage's build, queued or under way, or a new one in the next round. `keep` stores what was
        built, after the waiting requests have it; the lineage's latest publication is what was last kept. `lineage`:
        as its reader has seen it (`app.packs.cache._seen`, with the area's definition), so that a reader never joins
        a build of a group as it was."""
        with self._changed:
            waiting = self._building.get(lineage) or self._queued.get(lineage)
            if waiting is not None:
                if waiting.published_before and not published_before and lineage in self._queued:
                    # This reader has nothing to be answered with meanwhile (a publication of the group as it was,
                    # with LAs it may not read): built among the first, as if never published.
                    self._queued[lineage] = replace(waiting, published_before=False)
                return waiting.future
            future: Future[Rendered] = Future()
            if self._stop.is_set():
                future.set_exception(Stopping())
                return future
            self._queued[lineage] = _Queued(build, keep, future, time.monotonic(), published_before)
            if self._thread is None:
                self._thread = threading.Thread(target=self._rounds, name="publish", daemon=True)
                self._thread.start()
            self._changed.notify()
            return future

    def start(self, first: Callable[[Session, Callable[[], bool]], object],
              again_when: Callable[[Session], object] | None = None) -> None:
        """Runs `first` in a snapshot on the publishing thread before any round (`app.packs.warm`), with a check
        of whether the server is stopping that it asks between steps; `started` is false until it has run, failed
        or the server stops. `again_when`: read between rounds (every `CHANGE_POLL_SECONDS` when idle), `first`
        runs again whenever its value has changed since `first` last ran."""
        with self._changed:
            if self._stop.is_set():
                return
            if self._thread is not None:  # a read came first: its round is under way, and nothing is published first
                log.warning("the tables were not published on start: a pack was asked for before")
                return
            self._started.clear()
            self._thread = threading.Thread(target=self._rounds, args=(first, again_when), name="publish",
                                            daemon=True)
            self._thread.start()

    def started(self) -> bool:
        return self._started.is_set()

    def asked_to_stop(self) -> bool:
        """Whether the server has been asked to stop."""
        return self._stop.is_set()

    def _rounds(self, first: Callable[[Session, Callable[[], bool]], object] | None = None,
                again_when: Callable[[Session], object] | None = None) -> None:
        stopping.watch(self._stop)
        seen: object = None
        if first is not None:
            try:
                seen = self._publish_first(first, again_when, None)
            finally:
                self._started.set()
        while True:
            with self._changed:
                if not self._queued and not self._stop.is_set():
                    self._changed.wait(CHANGE_POLL_SECONDS if again_when is not None else None)
                if self._stop.is_set():
                    return
                asked = bool(self._queued)
            if not asked:  # readers first: their packs need only their own tables
                if first is not None and again_when is not None:
                    seen = self._publish_first(first, again_when, seen, giving_way=True)
                continue
            try:
                self._round()
            except Exception as exc:  # a snapshot that could not be opened or closed: its packs' readers are told
                log.exception("a publication round failed")
                self._fail_building(exc)

    def _publish_first(self, first: Callable[[Session, Callable[[], bool]], object],
                       again_when: Callable[[Session], object] | None, seen: object, giving_way: bool = False) -> object:
        """Runs `first` unless `again_when` reads as when it last ran; returns what it read.

        `giving_way`: a pack asked for meanwhile stops it between steps, to be built first; what it read is then
        not returned, so that it runs again once no pack waits (what it decided before it stopped is kept, and read
        back, where the returns are as they were). Run in full, a re-definition of the areas held every read the
        worker took for as long as every default table took to decide again (80 s on the demo data under load)."""
        now, read, gave_way = seen, False, False

        def give_up() -> bool:
            nonlocal gave_way
            if self.asked_to_stop():
                return True
            gave_way = gave_way or (giving_way and self._asked())
            return gave_way

        try:
            with read_snapshot(self._snapshots) as snapshot:
                now = again_when(snapshot) if again_when is not None else None
                read = True
                self._areas_unread.ended()
                if seen is None or now != seen:
                    first(snapshot, give_up)
        except Stopping:
            pass
        except Exception:
            if read:  # the packs are published when first read instead
                log.exception("the tables could not be published")
            else:  # read again at the next poll
                self._areas_unread.failed()
        if gave_way:
            log.info({"event": "default_tables_gave_way"})
            return seen
        return now

    def _asked(self) -> bool:
        with self._changed:
            return bool(self._queued)

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
        started, cpu, built, deferrals = time.monotonic(), time.thread_time(), set[str](), 0
        while time.monotonic() - started < ROUND_SECONDS and (taken := self._take(built)):
            # A build that fails may leave the snapshot's transaction unusable: the rest go on in a new one.
            with read_snapshot(self._snapshots) as snapshot, knowledge.deferring_when_busy():
                opened_at, deferred = time.monotonic(), 0
                while taken and not self._stop.is_set():
                    lineage, queued = taken.pop(0)
                    built.add(lineage)
                    outcome = self._build(snapshot, lineage, queued, fresh=queued.asked_at <= opened_at)
                    if outcome is _Built.FAILED:
                        break
                    if outcome is _Built.DEFERRED:  # built after the others, by when the table may be decided
                        taken.append((lineage, queued))
                        deferred, deferrals = deferred + 1, deferrals + 1
                    else:
                        deferred = 0
                    elapsed = time.monotonic() - started
                    if (not taken or deferred >= len(taken)) and elapsed < self.first_join_seconds:
                        asked_since = self._take(built, first_only=elapsed >= ROUND_SECONDS)
                        if asked_since:  # tried before those put back
                            taken[:0], deferred = asked_since, 0
                    elif elapsed < self.first_join_seconds and (first_asked := self._take(built, first_only=True)):
                        # Their readers have nothing to be answered with meanwhile: built before the packs that
                        # have a publication to stand in for them (in the load test, a read asked as a 108 s
                        # round began waited for its packs and then the next round's, and was a 503 at 120 s).
                        at = self._first_published_at(taken)
                        taken[at:at], deferred = first_asked, 0
                    if taken and deferred >= len(taken):  # every one waits on another worker's table
                        if time.monotonic() - started >= ROUND_SECONDS:
                            break  # the next round, in a snapshot of now, takes them with what was asked since
                        self._stop.wait(DEFERRED_WAIT_SECONDS)
                        deferred = 0
            self._requeue(taken)
        # `deferrals`: times a build was put back because another worker was deciding one of its tables (a pack
        # waiting through a round is counted at each retry).
        log.info({"event": "publication_round", "packs": len(built), "seconds": round(time.monotonic() - started, 2),
                  "cpu_seconds": round(time.thread_time() - cpu, 2), "deferrals": deferrals})

    def _first_published_at(self, taken: list[tuple[str, _Queued]]) -> int:
        """Where in `taken` the first lineage with a publication is (its length if none has)."""
        with self._changed:
            return next((at for at, item in enumerate(taken) if item[1].published_before), len(taken))

    def _take(self, built: set[str], first_only: bool = False) -> list[tuple[str, _Queued]]:
        """What is queued and not yet built in this round; first the lineages never published, whose readers
        have nothing to be answered with meanwhile. `first_only`: those alone. Past `ROUND_SECONDS` a round still
        takes them, up to `first_join_seconds`: built on tables the round has decided, they take a second or
        two, where the next round, in a snapshot with a group re-defined since, decides every table again (in
        the load test, reads asked as a 71 s round began were a 503 after waiting 120 s for the next)."""
        with self._changed:
            taken = sorted(((lineage, queued) for lineage, queued in self._queued.items()
                            if lineage not in built and not (first_only and queued.published_before)),
                           key=lambda item: item[1].published_before)
            for lineage, queued in taken:
                del self._queued[lineage]
                self._building[lineage] = queued
            return taken

    def _requeue(self, taken: list[tuple[str, _Queued]]) -> None:
        with self._changed:
            for lineage, queued in taken:
                self._building.pop(lineage, None)
                if self._stop.is_set():
                    queued.future.set_exception(Stopping())
                else:
                    self._queued.setdefault(lineage, queued)

    def _build(self, snapshot: Session, lineage: str, queued: _Queued, fresh: bool) -> "_Built":
        try:
            rendered = queued.build(snapshot, fresh)
        except Outdated:  # built in the next round, from a snapshot opened after it was asked for
            self._requeue([(lineage, queued)])
            return _Built.BUILT
        except knowledge.Busy as busy:
            log.debug({"event": "pack_deferred", "table": str(busy)})
            return _Built.DEFERRED
        except BaseException as exc:  # the waiting requests answer it (a 404 for an area removed)
            queued.future.set_exception(exc)
            self._done(lineage)
            return _Built.FAILED
        # Done before its readers have it: a read asked for once they do (after a change they may have made, a
        # group renamed) would otherwise join this build while it is stored, from a snapshot older than the read.
        self._done(lineage)
        queued.future.set_result(rendered)
        try:
            queued.keep(rendered)
        except Exception:  # the lineage is built again on its next read
            log.exception("a published pack could not be stored")
        return _Built.BUILT

    def _done(self, lineage: str) -> None:
        with self._changed:
            self._building.pop(lineage, None)

    def stop(self) -> None:
        """The round under way stops at its next step (the search's next check); queued builds are dropped, and
        their readers, like those of the build under way, answered with the pack's previous publication or
        else a 503. Does not wait: called as the server is asked to stop (`app.core.shutdown`), while uvicorn
        waits for those readers' requests before it stops the app."""
        with self._changed:
            self._stop.set()
            self._started.set()
            dropped, self._queued = list(self._queued.values()), {}
            self._changed.notify_all()
        for queued in dropped:
            queued.future.set_exception(Stopping())

    def close(self) -> None:
        """`stop`, and waits for the round under way to leave (its connections are about to close)."""
        self.stop()
        with self._changed:
            thread = self._thread
        if thread is not None:
            thread.join(STOP_WAIT_SECONDS)
