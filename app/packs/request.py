"""A pack request: the query every entrance parses the same way, the area it covers, and its reader."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access.reader import Reader
from app.access.roles import Role
from app.core.db import utcnow
from app.core.errors import ApiError, FieldError, validation_failed
from app.core.types import IsoDate, Moment
from app.packs.periods import DESCRIBED, NAMED, Unit, period_end, period_start, returned_span
from app.reference.models import Area
from app.reference.schemas import AREA_CODE_PATTERN
from app.reference.service import area_with_member_periods, get_la
from app.reference.shipped import ENGLAND_CODE

MAX_YEARS = 20
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)
DEFAULT_YEARS = 5  # a pack left without a range covers this many years to the latest return


@dataclass(frozen=True)
class QueriedRange:
    start_name: str
    start: date | None
    end_name: str
    end: date | None


@dataclass(frozen=True)
class PackQuery:
    """What the reader asked for, as parsed from the query string (dates not yet defaulted).

    Packs with parameters of their own subclass it; `date_from`/`date_to` then span what they cover."""

    area: str
    date_from: date | None = None
    date_to: date | None = None
    as_of: datetime | None = None

    def spans(self) -> list[QueriedRange]:
        """The ranges the pack covers, each with the parameters that name its ends."""
        return [QueriedRange("from", self.date_from, "to", self.date_to)]

    def for_period(self, area: str, period: tuple[date, date]) -> "PackQuery":
        """The same query for another area over one whole period: what a published table is built from."""
        return replace(self, area=area, date_from=period[0], date_to=period[1], as_of=None)


AreaQuery = Annotated[str, Query(pattern=AREA_CODE_PATTERN, description="An LA's DfE code, a region's ONS code, "
                                 "England (E92000001) or a group's code.", examples=["E12000002"])]
AsOfQuery = Annotated[Moment | None, Query(description="Rebuild the pack as it stood at this moment "
                                             "(ISO 8601; without an offset, UTC).")]


def area_and_range(
    area: AreaQuery,
    date_from: Annotated[IsoDate | None, Query(alias="from", description="First day covered (default: five years "
                                                "before `to`).")] = None,
    date_to: Annotated[IsoDate | None, Query(alias="to", description="Last day covered (default: the latest date "
                                              "any LA of the area returned for the pack).")] = None,
    as_of: AsOfQuery = None,
) -> PackQuery:
    """The query of most packs: an area, a range and a moment."""
    return PackQuery(area, date_from, date_to, as_of)


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
class PackRequest:
    area: PackArea
    date_from: date
    date_to: date
    as_of: datetime | None
    reader: Reader
    generated_at: datetime
    la_codes: tuple[str, ...] = ()   # the area's LAs that were operational at some time in the range
    query: PackQuery | None = None   # as parsed, with a pack's own parameters (compare's measure and periods)
    range_defaulted: bool = False    # from or to was left out and filled in
    # Building a published table of a pack whose LA rows are alike in every area's pack (`PackSpec.la_rows_alike`),
    # the LAs whose rows an earlier area's pack of the table has declared: the pack may leave out their rows and what
    # relates one of them alone, which the table skips anyway (`app.packs.published._Merged.merge`).
    las_declared: frozenset[str] = frozenset()


def resolve_area(session: Session, code: str) -> PackArea:
    if code.isdigit() and len(code) == 3:
        la = get_la(session, code)
        return PackArea(la.code, la.name, "la", (la.code,), ((la.code, la.operational_from, la.operational_to),))
    area, periods = area_with_member_periods(session, code)
    return PackArea(area.code, area.name, area.kind, tuple(code for code, _, _ in periods), tuple(periods))


def check_can_read(session: Session, reader: Reader, area: PackArea) -> None:
    if not may_read(session, reader, area.code, area.la_codes):
        own = resolve_area(session, reader.area_code or "")
        raise ApiError(403, f"This portal reads packs for {own.name} and the LAs and groups inside it.")


def may_read(session: Session, reader: Reader, area_code: str, la_codes: tuple[str, ...] | None) -> bool:
    """Whether the reader may read a pack of the area made of `la_codes` (None: not known). A portal reads its own area
    whatever its members (read twice, an admin re-membering it in between made a portal's own group look outside
    itself: a 403 seen in the load test), and otherwise only areas all of whose LAs are in its own."""
    if reader.role is not Role.PORTAL or reader.area_code in (ENGLAND_CODE, area_code):
        return True
    own = resolve_area(session, reader.area_code or "")
    return bool(la_codes) and set(la_codes) <= set(own.la_codes)  # type: ignore[arg-type]


def region_names(session: Session) -> dict[str, str]:
    rows = session.execute(select(Area.code, Area.name).where(Area.kind.in_(("region", "england"))))
    return {code: name for code, name in rows}


def default_start(date_to: date, unit: Unit | None) -> date:
    """Where a range left without `from` starts: five years before `to` (for `unit`, a whole period's first day)."""
    first = _years_before(date_to, DEFAULT_YEARS) + timedelta(days=1)
    return period_start(unit, first) if unit else first


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year - years, day=28)


def _field_problem(name: str, message: str) -> FieldError:
    return FieldError(loc=["query", name], row=None, field=name, message=message)


def _refused(name: str, message: str, detail: str = "The pack's query is not valid.") -> Exception:
    return validation_failed([_field_problem(name, message)], detail)


def _checked_as_of(query: PackQuery) -> datetime | None:
    for name, day in (("from", query.date_from), ("to", query.date_to)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise _refused(name, f"{day} is outside {EARLIEST.year}–{LATEST.year}")
    as_of = query.as_of
    if as_of is not None and not EARLIEST.year <= as_of.year <= LATEST.year:
        raise _refused("as_of", f"as_of is outside {EARLIEST.year}–{LATEST.year}")
    return as_of


def _range(session: Session, query: PackQuery, area: PackArea, reads: tuple[str, ...], unit: Unit | None,
           as_of: datetime | None) -> tuple[date, date]:
    """The range asked for; where left out, the five years (whole periods for `unit`) up to the latest return."""
    date_to = query.date_to
    if date_to is None:
        span = returned_span(session, reads, area.la_codes, as_of)
        date_to = span[1] if span else date.today()
        if unit:
            # The period holding the latest return; with nothing returned, the last period already over.
            date_to = period_end(unit, date_to) if span else period_start(unit, date_to) - timedelta(days=1)
    date_from = query.date_from
    if date_from is None:
        date_from = default_start(date_to, unit)
    if date_from > date_to:
        raise _refused("from", f"from ({date_from}) is after to ({date_to})", "The pack's range is not valid.")
    if (date_to - date_from).days > MAX_YEARS * 366:
        raise _refused("to", f"a pack covers at most {MAX_YEARS} years", "The pack's range is not valid.")
    return date_from, date_to


def _check_published(session: Session, query: PackQuery, area: PackArea, reads: tuple[str, ...], unit: Unit) -> None:
    """A suppressed reader reads tables over whole periods that do not overlap, or two could be subtracted."""
    spans = query.spans()
    problems = []
    # No record is dated after today, so a later period holds no return; yet each of its tables would be decided
    # after every year before it, each costing more than the last: one portal request for 2060-61 made the server
    # decide 11 outcomes tables, 115.5 s of work.
    current_ends = period_end(unit, date.today())
    for span in spans:
        for name, day, boundary, which in ((span.start_name, span.start, period_start, "first"),
                                           (span.end_name, span.end, period_end, "last")):
            if day is not None and day != boundary(unit, day):
                problems.append(_field_problem(name, f"{day} is not the {which} day of a {NAMED[unit]}"))
            if day is not None and day > current_ends:
                problems.append(_field_problem(name, f"{day} is after the current {NAMED[unit]}, which ends on "
                                                     f"{current_ends}: nothing can be returned for it yet"))
    for i, a in enumerate(spans):
        for b in spans[i + 1:]:
            if a.start and a.end and b.start and b.end and a.start <= b.end and b.start <= a.end:
                problems.append(_field_problem(b.start_name, f"`{a.start_name}` and `{b.start_name}` overlap"))
    if not problems:
        return
    span = returned_span(session, reads, area.la_codes, None)
    available = f"; returns for {area.name} run from {span[0]} to {span[1]}" if span else ""
    periods = f"{DESCRIBED[unit]} that do not overlap" if len(spans) > 1 else DESCRIBED[unit]
    raise validation_failed(problems, f"With small numbers suppressed, packs are published for {periods}, up to "
                                      f"the current one (ending {current_ends}){available}.")


def make_request(session: Session, reader: Reader, query: PackQuery, reads: tuple[str, ...],
                 unit: Unit | None, *, check_scope: bool = True) -> PackRequest:
    """The one way a query becomes a request: the route and the 304 path both come through here.

    `reads`: the datasets the pack reads (its default range ends at their latest return); `unit`: the
    whole periods a suppressed reader's pack must cover (None: any range). `check_scope` False: whether the
    reader may read the area is left to the caller (a publication's build, whose every reader checks its own)."""
    if query.as_of is not None and not reader.sees_everything:
        # Two moments either side of one LA's return would differ by exactly its hidden figures.
        raise ApiError(403, "`as_of` is offered at full disclosure only: packs with small numbers suppressed show "
                            "the current published figures. Leave `as_of` out.")
    as_of = _checked_as_of(query)
    scope = resolve_area(session, query.area)
    if check_scope:
        check_can_read(session, reader, scope)
    published = None if reader.sees_everything else unit
    if published:
        _check_published(session, query, scope, reads, published)
    date_from, date_to = _range(session, query, scope, reads, published, as_of)
    return PackRequest(scope, date_from, date_to, as_of, reader, utcnow(), scope.operational_during(date_from, date_to),
                       query, range_defaulted=query.date_from is None or query.date_to is None)
