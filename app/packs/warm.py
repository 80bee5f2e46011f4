"""On start, a process publishes the tables behind the packs portals read by default, before it says it is ready.

A portal's first read of a pack waits for every table it covers to be decided: on the demo data some 35 s for the
region's outcomes pack on an idle server. Decided here, before `/readyz` answers, they are waited for by no one
while the returns stay as they were (the next data state is decided on the first read after it, as ever). After a
restart most are read back from the record of what was published (`app.packs.knowledge`): 24 s instead of 131 s
on the demo data (two cores, 2026-12-02).
"""

import logging
import time
from collections.abc import Callable

from sqlalchemy.orm import Session

from app.access.reader import Reader
from app.access.roles import Role
from app.packs.periods import period_end, returned_span
from app.packs.published import periods_covering, publisher
from app.packs.request import area_and_range, default_start, resolve_area
from app.packs.spec import PackSpec
from app.reference.shipped import ENGLAND_CODE

log = logging.getLogger(__name__)


def publish_default_tables(session: Session, stopping: Callable[[], bool], specs: list[PackSpec], threshold: int) -> int:
    """Decides (or reads back) every table a portal's default pack covers over England (five years to England's
    latest return: a region whose returns end earlier reads a year or more not published here); returns how
    many. Stops between tables once `stopping` says the server is."""
    reader = Reader(Role.PORTAL, None, None, threshold)
    england = resolve_area(session, ENGLAND_CODE).la_codes
    started, tables = time.monotonic(), 0
    for spec in specs:
        if not _published_by_year(spec):
            continue
        assert spec.period is not None
        span = returned_span(session, spec.reads, england, None)
        if span is None:
            continue
        last = period_end(spec.period, span[1])
        first = default_start(last, spec.period)
        deciding = publisher(session, spec, reader)
        for period in periods_covering(spec.period, first, last):
            if stopping():
                return tables
            deciding.table(period)
            tables += 1
    log.info({"event": "tables_published_on_start", "tables": tables,
              "seconds": round(time.monotonic() - started, 2)})
    return tables


def _published_by_year(spec: PackSpec) -> bool:
    """A pack whose tables are one per period and reader (not compare's, one per measure asked for)."""
    return (spec.suppresses and spec.published and spec.period is not None and spec.hide is None
            and spec.query is area_and_range)
