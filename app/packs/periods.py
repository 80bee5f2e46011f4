"""Whole collection periods, and the span of the returns a pack reads.

A reader whose small numbers are suppressed reads published tables: packs over whole financial years
(1 April to 31 March, the 31 March snapshot closing each), audits included. Tables over arbitrary ranges
would let two overlapping requests be subtracted. A pack asked for without a range
covers the five years up to the latest date any LA of its area returned, not up to today.
"""

from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit_programme.models import AuditProgrammeMonth
from app.audits.models import Audit
from app.care_order_counts.models import CareOrderCount
from app.orders.models import CareOrder
from app.records.state import in_force

Unit = Literal["financial_year"]
NAMED = {"financial_year": "financial year"}
DESCRIBED = {"financial_year": "whole financial years (from a 1 April to a 31 March)"}
# The date each dataset's return is about. Population estimates are not returns of the period.
DATED: dict[str, tuple[Any, tuple[Any, ...]]] = {
    "care-order-counts": (CareOrderCount, (CareOrderCount.snapshot_date,)),
    "orders": (CareOrder, (CareOrder.order_date, CareOrder.discharge_date)),
    "audits": (Audit, (Audit.audit_date,)),
    "audit-programme": (AuditProgrammeMonth, (AuditProgrammeMonth.month,)),
}


def period_start(unit: Unit, day: date) -> date:
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def period_end(unit: Unit, day: date) -> date:
    return date(period_start(unit, day).year + 1, 3, 31)


def month_end(day: date) -> date:
    """The last day of `day`'s month."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = str(value)
    if len(text) == 7:  # a programme month, YYYY-MM: its last day
        return month_end(date.fromisoformat(text + "-01"))
    return date.fromisoformat(text[:10])


def returned_span(session: Session, datasets: tuple[str, ...], la_codes: tuple[str, ...],
                  as_of: datetime | None) -> tuple[date, date] | None:
    """The first and last date any of these LAs returned for these datasets (as of `as_of`)."""
    found: list[date] = []
    for dataset in (d for d in datasets if d in DATED):
        model, columns = DATED[dataset]
        extremes = session.execute(select(*(f(c) for c in columns for f in (func.min, func.max)))
                                   .where(model.la_code.in_(list(la_codes)), in_force(model, as_of))).one()
        found += [d for d in map(_as_date, extremes) if d is not None]
    return (min(found), max(found)) if found else None
