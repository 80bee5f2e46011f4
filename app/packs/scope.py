"""Which area a pack covers, who may read it, and for whom its figures are suppressed."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clients.models import ApiClient
from app.core.auth import CurrentClient
from app.core.db import SessionDep, utcnow
from app.core.errors import ApiError, FieldError, validation_failed
from app.core.types import IsoDate
from app.reference.models import Area
from app.reference.schemas import AREA_CODE_PATTERN
from app.reference.service import area_with_member_periods, get_la
from app.reference.shipped import ENGLAND_CODE

MAX_YEARS = 20
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class PackArea:
    code: str
    name: str
    kind: str                 # la | region | england | group
    la_codes: tuple[str, ...]
    # Each LA's (code, operational_from, operational_to), read with the members.
    periods: tuple[tuple[str, date, date | None], ...] = field(default=(), compare=False, repr=False)

    def operational_during(self, first: date, last: date) -> tuple[str, ...]:
        """The same test as LocalAuthority.operational_during."""
        return tuple(code for code, start, end in self.periods if start <= last and (end is None or first <= end))


@dataclass(frozen=True)
class Viewer:
    """Who reads the pack: decides which cells small-number suppression hides."""

    role: str
    la_code: str | None
    threshold: int

    def protects(self, la_code: str | None, area: PackArea | None = None) -> bool:
        """Whether a cell about `la_code` (None: an aggregate of `area`) is suppressed for this reader."""
        if self.role == "admin":
            return False
        if self.role == "la":
            if la_code is not None:
                return la_code != self.la_code
            return area is None or area.la_codes != (self.la_code,)
        return True


def resolve_area(session: Session, code: str) -> PackArea:
    if code.isdigit() and len(code) == 3:
        la = get_la(session, code)
        return PackArea(la.code, la.name, "la", (la.code,), ((la.code, la.operational_from, la.operational_to),))
    area, periods = area_with_member_periods(session, code)
    return PackArea(area.code, area.name, area.kind, tuple(code for code, _, _ in periods), tuple(periods))


def check_can_read(session: Session, client: ApiClient, area: PackArea) -> None:
    if client.role != "portal" or client.area_code == ENGLAND_CODE:
        return
    own = resolve_area(session, client.area_code or "")
    if not area.la_codes or not set(area.la_codes) <= set(own.la_codes):
        raise ApiError(403, f"This portal reads packs for {own.name} and the LAs and groups inside it.")


@dataclass(frozen=True)
class PackRequest:
    area: PackArea
    date_from: date
    date_to: date
    as_of: datetime | None
    viewer: Viewer
    generated_at: datetime
    la_codes: tuple[str, ...] = ()   # the area's LAs that were operational at some time in the range


def region_names(session: Session) -> dict[str, str]:
    rows = session.execute(select(Area.code, Area.name).where(Area.kind.in_(("region", "england"))))
    return {code: name for code, name in rows}


AreaQuery = Annotated[str, Query(pattern=AREA_CODE_PATTERN, description="An LA's DfE code, a region's ONS code, "
                                 "England (E92000001) or a group's code.", examples=["E12000002"])]
AsOfQuery = Annotated[datetime | None, Query(description="Rebuild the pack as it stood at this moment "
                                             "(ISO 8601; without an offset, UTC).")]


def make_request(request: Request, session: Session, client: ApiClient, area: str, date_from: date | None,
                 date_to: date | None, as_of: datetime | None) -> PackRequest:
    date_to = date_to or date.today()
    for name, day in (("from", date_from), ("to", date_to)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise validation_failed([FieldError(loc=["query", name], row=None, field=name,
                                                message=f"{day} is outside {EARLIEST.year}–{LATEST.year}")])
    date_from = date_from or _years_before(date_to, 5) + timedelta(days=1)
    if as_of is not None and not EARLIEST.year <= as_of.year <= LATEST.year:
        raise validation_failed([FieldError(loc=["query", "as_of"], row=None, field="as_of",
                                            message=f"as_of is outside {EARLIEST.year}–{LATEST.year}")])
    if date_from > date_to:
        raise validation_failed([FieldError(loc=["query", "from"], row=None, field="from",
                                            message=f"from ({date_from}) is after to ({date_to})")],
                                "The pack's range is not valid.")
    if (date_to - date_from).days > MAX_YEARS * 366:
        raise validation_failed([FieldError(loc=["query", "to"], row=None, field="to",
                                            message=f"a pack covers at most {MAX_YEARS} years")],
                                "The pack's range is not valid.")
    if as_of is not None and as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=UTC)
    scope = resolve_area(session, area)
    check_can_read(session, client, scope)
    viewer = Viewer(client.role, client.la_code, request.app.state.settings.suppression_threshold)
    return PackRequest(scope, date_from, date_to, as_of, viewer, utcnow(), scope.operational_during(date_from, date_to))


def pack_request(
    request: Request, session: SessionDep, client: CurrentClient, area: AreaQuery,
    date_from: Annotated[IsoDate | None, Query(alias="from", description="First day covered (default: five years "
                                                "before `to`).")] = None,
    date_to: Annotated[IsoDate | None, Query(alias="to", description="Last day covered (default: today).")] = None,
    as_of: AsOfQuery = None,
) -> PackRequest:
    return make_request(request, session, client, area, date_from, date_to, as_of)


PackRequestDep = Annotated[PackRequest, Depends(pack_request)]
