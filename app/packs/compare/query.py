"""The compare pack's own query: a measure and two periods, for an area or one LA."""

from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated, Literal

from fastapi import Query

from app.care_order_counts.models import CareOrderCount
from app.core.errors import FieldError, validation_failed
from app.orders.models import CareOrder
from app.packs.request import AsOfQuery, PackQuery, QueriedRange
from app.reference.schemas import AREA_CODE_PATTERN, LA_CODE_PATTERN

M = CareOrderCount
COUNT_MEASURES = {
    "full_care_orders_at_home": M.full_care_orders_at_home, "interim_care_orders_at_home": M.interim_care_orders_at_home,
    "total_at_home": M.full_care_orders_at_home + M.interim_care_orders_at_home, "cla_total": M.cla_total,
    "placed_with_parents": M.placed_with_parents, "orders_made_in_year": M.orders_made_in_year,
    "discharges_total": M.discharges_total, "discharges_to_no_order": M.discharges_to_no_order,
    "discharges_to_supervision_order": M.discharges_to_supervision_order,
    "discharges_to_family_assistance_order": M.discharges_to_family_assistance_order,
    "interim_orders_from_private_law": M.interim_orders_from_private_law,
    "interim_orders_for_parent_assessment": M.interim_orders_for_parent_assessment,
    "interim_orders_became_full_orders": M.interim_orders_became_full_orders,
}
# Counts on a date: averaged over a period's snapshots, never summed (three 31 Marches are not three times the children).
STOCKS = frozenset({"full_care_orders_at_home", "interim_care_orders_at_home", "total_at_home", "cla_total",
                    "placed_with_parents"})
# From child-level orders: counted by order_date (made) or discharge_date (discharged) in each period.
ORDER_MEASURES = {"orders_made": CareOrder.order_date, "orders_discharged": CareOrder.discharge_date}
Measure = Literal[tuple(COUNT_MEASURES) + tuple(ORDER_MEASURES)]  # type: ignore[valid-type]
PERIOD_PATTERN = r"^\d{4}-\d{2}-\d{2}:\d{4}-\d{2}-\d{2}$"
PeriodQuery = Annotated[str, Query(pattern=PERIOD_PATTERN, description="FROM:TO, e.g. 2009-04-01:2014-03-31")]
Span = tuple[date, date]


@dataclass(frozen=True, kw_only=True)
class CompareQuery(PackQuery):
    measure: str
    before: Span
    after: Span

    def spans(self) -> list[QueriedRange]:
        return [QueriedRange(name, first, name, last) for name, (first, last) in (("before", self.before),
                                                                                  ("after", self.after))]

    def for_period(self, area: str, period: tuple[date, date]) -> "CompareQuery":
        # Both sides the one period: a published year of the measure, its figures under "before".
        return replace(self, area=area, date_from=period[0], date_to=period[1], as_of=None, before=period, after=period)


def _refused(name: str, message: str) -> Exception:
    return validation_failed([FieldError(loc=["query", name], row=None, field=name, message=message)],
                             "The compare query is not valid.")


def parse_period(name: str, text: str) -> Span:
    try:
        start, end = (date.fromisoformat(part) for part in text.split(":"))
    except ValueError:
        raise _refused(name, f"{text!r} is not FROM:TO with two real dates (YYYY-MM-DD:YYYY-MM-DD)") from None
    if start > end:
        raise _refused(name, f"{name} starts after it ends")
    return start, end


def compare_query(
    measure: Annotated[Measure, Query()], before: PeriodQuery, after: PeriodQuery,
    area: Annotated[str | None, Query(pattern=AREA_CODE_PATTERN)] = None,
    la: Annotated[str | None, Query(pattern=LA_CODE_PATTERN)] = None, as_of: AsOfQuery = None,
) -> CompareQuery:
    if (area is None) == (la is None):
        raise _refused("area", "give exactly one of `area` and `la`")
    spans = parse_period("before", before), parse_period("after", after)
    return CompareQuery(area=area or la or "", date_from=min(s[0] for s in spans), date_to=max(s[1] for s in spans),
                        as_of=as_of, measure=measure, before=spans[0], after=spans[1])
