"""Current status across years.

The current-status distribution counts every order made on or before `to` (the contract), so one year's
table and the year before's differ by the orders made in the year: each status's count is at least the
year before's, and the totals are apart by exactly the orders made. A reader who reads every year has
the whole chain of those lines, back to the first order. Undeclared, a North West portal read Knowsley's
hidden 5 orders turned 18 as 3..6.

So each year's table holds every earlier year's counts and orders made as cells of its own, in rows
dated the earlier year's last day: figures that year's table decided (`app.packs.published` settles each
by it, shown or hidden), never hidden here to protect this year's cells. With only the year before, a
count hidden in it could keep five values against the year before it and five against this year, and
fewer against both.
"""

from datetime import date, timedelta
from functools import reduce
from typing import get_args

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.orders.models import CareOrder as Order
from app.orders.schemas import CurrentStatus
from app.packs.cells import About, Cell, Figures, Relations, Row
from app.packs.distribution import DistributionCells, add_counts
from app.packs.outcomes.journey import ORDERS_MADE
from app.packs.periods import period_end, period_start
from app.packs.request import PackRequest
from app.records.state import in_force

SECTION = "current_status"
STATUSES = get_args(CurrentStatus)


def distribution(row: Row) -> DistributionCells:
    return DistributionCells(row, SECTION, STATUSES)


def year_ends(session: Session, req: PackRequest) -> list[date]:
    """The last day of every year before the request's, from the year of the area's first order in force."""
    first = session.scalar(select(func.min(Order.order_date)).where(
        Order.la_code.in_(list(req.area.la_codes)), in_force(Order, req.as_of)))
    ends, last = [], req.date_from - timedelta(days=1)
    day = period_end("financial_year", first) if first is not None else None
    while day is not None and day <= last:
        ends.append(day)
        day = period_end("financial_year", day + timedelta(days=1))
    return ends


def record(session: Session, cells: Figures, req: PackRequest, area: Row) -> list[date]:
    """Each earlier year's counts by status and orders made, for every LA operational in it with an order by its
    end (the year's table also has rows of zeros for LAs with none yet: left out, as known to be 0 by the chain's
    first line), and for the area over those LAs; returns the years' ends."""
    ends = year_ends(session, req)
    if not ends:
        return ends
    year = case(*((Order.order_date <= end, index) for index, end in enumerate(ends)))
    made: dict[str, list[dict[str, int]]] = {}
    for code, index, status, n in session.execute(
            select(Order.la_code, year, Order.current_status, func.count())
            .where(Order.la_code.in_(list(req.area.la_codes)), in_force(Order, req.as_of), Order.order_date <= ends[-1])
            .group_by(Order.la_code, year, Order.current_status)):
        made.setdefault(code, [{} for _ in ends])[index][status] = int(n)
    for index, end in enumerate(ends):
        operational = set(req.area.operational_during(period_start("financial_year", end), end))
        las = [code for code in sorted(set(made) & operational) if any(made[code][:index + 1])]
        for code in las:
            _record_year(cells, Row("las", code, end), made[code][:index + 1], [made[code][index]], code)
        if las:
            _record_year(cells, Row(area.table, area.code, end), [y for code in las for y in made[code][:index + 1]],
                         [made[code][index] for code in las], tuple(las))
    return ends


def _record_year(cells: Figures, row: Row, by_now: list[dict[str, int]], in_year: list[dict[str, int]],
                 about: About) -> None:
    """`by_now`: orders by status made in each year to the row's, `in_year`: in its year (one LA's or several)."""
    distribution(row).record(cells, reduce(add_counts, by_now, {}), about)
    cells.count(row.cell(ORDERS_MADE), sum(n for counts in in_year for n in counts.values()), about)


def relate(relations: Relations, values: dict[Cell, int | None], area: Row, la_codes: tuple[str, ...],
           ends: list[date], las_declared: frozenset[str] = frozenset()) -> None:
    """Every LA's chain of years (an area's follows from its LAs', whose set may change from year to year), and
    each earlier year's area row as the sum of its LAs' rows then. `las_declared`: LAs whose chain another area's
    pack has declared to the same table (`PackRequest.las_declared`)."""
    for code in la_codes:
        if code not in las_declared:
            _chain(relations, values, Row("las", code), ends)
    for end in ends:
        whole = Row(area.table, area.code, end)
        las = [Row("las", code, end) for code in la_codes if distribution(Row("las", code, end)).total in values]
        if las and distribution(whole).total in values:
            _distribution_of(relations, whole)
            distribution(whole).sum_of(relations, [distribution(la) for la in las])
            relations.adds_up([la.cell(ORDERS_MADE) for la in las], whole.cell(ORDERS_MADE))


def _distribution_of(relations: Relations, row: Row) -> None:
    relations.adds_up([distribution(row).count(s) for s in STATUSES], distribution(row).total)


def _chain(relations: Relations, values: dict[Cell, int | None], row: Row, ends: list[date]) -> None:
    """The row's counts year by year, from its first recorded year to this one: each at least the recorded year
    before's, the totals apart by the year's orders made."""
    chain = [dated for dated in (Row(row.table, row.code, end) for end in ends) if distribution(dated).total in values]
    for dated in chain:
        _distribution_of(relations, dated)
    if values.get(distribution(row).total) is not None:
        chain.append(row)
    for earlier, later in zip([None, *chain], chain, strict=False):
        _one_year_on(relations, values, earlier, later)


def _one_year_on(relations: Relations, values: dict[Cell, int | None], earlier: Row | None, later: Row) -> None:
    now = distribution(later)
    parts = [later.cell(ORDERS_MADE)]
    if earlier is not None:
        before = distribution(earlier)
        for status in STATUSES:
            relations.at_most([before.count(status)], now.count(status))
        parts.insert(0, before.total)
    # Orders made in a year the LA was not operational (before its first day, or in a gap) are in the total and
    # in no recorded year's orders made: then the reader knows only that the parts come to at most the total.
    if sum(values.get(p) or 0 for p in parts) == values[now.total]:
        relations.adds_up(parts, now.total)
    else:
        relations.at_most(parts, now.total)
