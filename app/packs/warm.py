"""On start, a process publishes the tables behind the packs portals read by default, and then those packs
themselves (every area's, in every format), before it says it is ready; and again whenever the areas are re-defined
(`Publications.start`'s `again_when`), which has every table decided again: each idle worker then takes a share of
them before a portal's first read waits for them all (stopping between two tables for a pack the worker is asked for
meanwhile, and taken up again after it: `Publications._publish_first`).

A portal's first read of a pack waits for every table it covers to be decided: on the demo data some 35 s for the
region's outcomes pack on an idle server. Decided here, before `/readyz` answers, they are waited for by no one
while the returns stay as they were (the next data state is decided on the first read after it, as ever). After a
restart most are read back from the record of what was published (`app.packs.knowledge`): 24 s instead of 131 s
on the demo data (two cores, 2026-12-02).

The packs published too give every portal's first default read a publication to be answered with while the returns
change: without one, such a read waits for every table of the new data state (an outcomes pack, eight years of
them), and in the load test, which begins as the server is ready, three runs in six had reads a 503 at 120 s.
"""

import logging
import random
import time
from collections.abc import Callable

from sqlalchemy.orm import Session

from app.access.reader import Reader
from app.access.roles import Role
from app.packs import knowledge
from app.packs.cache import Store, publish_default_pack
from app.packs.periods import period_end, returned_span
from app.packs.published import Period, Publisher, periods_covering, publishable_areas, publisher
from app.packs.request import area_and_range, default_start, resolve_area
from app.packs.spec import PackSpec
from app.reference.shipped import ENGLAND_CODE

log = logging.getLogger(__name__)
# How long a start whose every pack waits on a table the other worker is deciding waits before trying again.
WAIT_SECONDS = 0.5


def publish_defaults(session: Session, stopping: Callable[[], bool], specs: list[PackSpec], threshold: int,
                     path_of: Callable[[PackSpec], str], store: Store) -> int:
    """`publish_default_tables`, then `publish_default_packs` on them; returns how many packs were built."""
    publish_default_tables(session, stopping, specs, threshold)
    return publish_default_packs(session, stopping, specs, threshold, path_of, store)


def publish_default_packs(session: Session, stopping: Callable[[], bool], specs: list[PackSpec], threshold: int,
                          path_of: Callable[[PackSpec], str], store: Store) -> int:
    """Publishes each area's pack as a portal reads it with no range (England, the regions and every group; in every
    format), on the tables `publish_default_tables` decided; returns how many were built (none stored already).
    `path_of`: the pack's path, as a read names it. Stops between packs once `stopping` says to; one whose table
    another worker is deciding is tried again after the others."""
    started, built = time.monotonic(), 0
    reader = Reader(Role.PORTAL, None, ENGLAND_CODE, threshold)
    waiting = [(spec, area.code) for area in publishable_areas(session) for spec in specs if _published_by_year(spec)]
    # Workers starting together each take them in an order of their own, and leave those the other has stored: in
    # one order, both built every one (180 packs each, 15 s, in the load test).
    random.shuffle(waiting)
    with knowledge.deferring_when_busy():
        while waiting and not stopping():
            deferred = []
            for spec, area in waiting:
                if stopping():
                    return built
                try:
                    built += publish_default_pack(session, spec, reader, area, path_of(spec), store)
                except knowledge.Busy:
                    deferred.append((spec, area))
            if len(deferred) == len(waiting):  # every one waits on the other worker
                time.sleep(WAIT_SECONDS)
            waiting = deferred
    log.info({"event": "default_packs_published", "packs": built, "seconds": round(time.monotonic() - started, 2)})
    return built


def publish_default_tables(session: Session, stopping: Callable[[], bool], specs: list[PackSpec], threshold: int) -> int:
    """Decides (or reads back) every table a portal's default pack covers over England (five years to England's
    latest return: a region whose returns end earlier reads a year or more not published here); returns how
    many. Stops between tables once `stopping` says the server is.

    Each pack's years are a chain (each settles cells of the next). A table another worker is deciding is left
    for later and the next pack's chain taken up meanwhile, so that two workers starting together share the
    work rather than one following the other through every table."""
    started, tables = time.monotonic(), 0
    chains = _chains(session, specs, Reader(Role.PORTAL, None, None, threshold))
    with knowledge.deferring_when_busy():
        while chains:
            progressed = False
            for deciding, periods in chains:
                while periods and not stopping():
                    try:
                        deciding.table(periods[0])
                    except knowledge.Busy:
                        break
                    periods.pop(0)
                    tables, progressed = tables + 1, True
            if stopping():
                return tables
            chains = [(deciding, periods) for deciding, periods in chains if periods]
            if chains and not progressed:  # every chain waits on the other worker
                time.sleep(WAIT_SECONDS)
    log.info({"event": "default_tables_published", "tables": tables,
              "seconds": round(time.monotonic() - started, 2)})
    return tables


def _chains(session: Session, specs: list[PackSpec], reader: Reader) -> list[tuple[Publisher, list[Period]]]:
    """Each pack's default years over England, earliest first."""
    england = resolve_area(session, ENGLAND_CODE).la_codes
    chains = []
    for spec in specs:
        if not _published_by_year(spec):
            continue
        assert spec.period is not None
        span = returned_span(session, spec.reads, england, None)
        if span is None:
            continue
        last = period_end(spec.period, span[1])
        chains.append((publisher(session, spec, reader), periods_covering(spec.period, default_start(last, spec.period), last)))
    return chains


def _published_by_year(spec: PackSpec) -> bool:
    """A pack whose tables are one per period and reader (not compare's, one per measure asked for)."""
    return (spec.suppresses and spec.published and spec.period is not None and spec.hide is None
            and spec.query is area_and_range)
