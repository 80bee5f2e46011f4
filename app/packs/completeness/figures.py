"""The completeness pack's figures: which LA has not returned which dataset, date or item in the range."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit_programme.models import AuditProgrammeMonth
from app.audits.models import Audit
from app.care_order_counts.models import CareOrderCount
from app.care_order_counts.schemas import DISCHARGE_PARTS
from app.orders.models import CareOrder
from app.packs.cells import Figures, Relations
from app.packs.completeness.consistency import warnings
from app.packs.completeness.schemas import CompletenessPack, Gap, LaCompleteness
from app.packs.disclosure import Hidden
from app.packs.request import PackRequest
from app.packs.schemas import Source
from app.packs.sources import keyed_sources
from app.population.models import PopulationEstimate
from app.records.state import in_force
from app.reference.models import LocalAuthority

COUNT_ITEMS = ("orders_made_in_year", "discharges_total", *(f"discharges_{part}" for part in DISCHARGE_PARTS),
               "interim_orders_from_private_law",
               "interim_orders_for_parent_assessment", "interim_orders_for_parent_assessment_child_remained",
               "interim_orders_became_full_orders")


def _months(first: date, last: date) -> list[str]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _gap(expected: list[str], returned: set[str]) -> Gap:
    return Gap(expected=len(expected), returned=sum(1 for e in expected if e in returned),
               missing=[e for e in expected if e not in returned])


def programme_range(req: PackRequest) -> tuple[Any, Any]:
    return (AuditProgrammeMonth.month >= req.date_from.strftime("%Y-%m"),
            AuditProgrammeMonth.month <= req.date_to.strftime("%Y-%m"))


@dataclass
class CompletenessFigures:
    cells: Figures  # none: nothing here counts children (only which returns exist)
    sources: list[Source]
    las: list[LaCompleteness]


def figures(session: Session, req: PackRequest) -> CompletenessFigures:
    las = session.scalars(select(LocalAuthority).where(LocalAuthority.code.in_(req.la_codes))
                          .order_by(LocalAuthority.code)).all()
    codes = [la.code for la in las]
    M = CareOrderCount
    counts = session.execute(select(M.la_code, M.snapshot_date, *(getattr(M, i) for i in COUNT_ITEMS))
                             .where(M.la_code.in_(codes), in_force(M, req.as_of), M.snapshot_date >= req.date_from,
                                    M.snapshot_date <= req.date_to)).all()
    returned_dates: dict[str, dict[str, list[str]]] = {}
    for la, day, *items in counts:
        returned_dates.setdefault(la, {})[day.isoformat()] = [i for i, v in zip(COUNT_ITEMS, items, strict=True) if v is None]
    march = [date(y, 3, 31) for y in range(req.date_from.year, req.date_to.year + 1)
             if req.date_from <= date(y, 3, 31) <= req.date_to]
    other_dates = {date.fromisoformat(d) for by_date in returned_dates.values() for d in by_date}
    all_dates = sorted(set(march) | other_dates)

    def keys_of(model: Any, key: Any, *where: Any) -> dict[str, set[str]]:
        rows = session.execute(select(model.la_code, key).where(model.la_code.in_(codes), in_force(model, req.as_of), *where))
        found: dict[str, set[str]] = {}
        for la, value in rows:
            found.setdefault(la, set()).add(str(value))
        return found

    P = AuditProgrammeMonth
    months_in = keys_of(P, P.month, *programme_range(req))
    years = sorted({d.year for d in all_dates})
    population = keys_of(PopulationEstimate, PopulationEstimate.year, PopulationEstimate.year.in_(years))
    with_orders = set(session.scalars(select(CareOrder.la_code).where(
        CareOrder.la_code.in_(codes), in_force(CareOrder, req.as_of), CareOrder.order_date <= req.date_to).distinct()))
    with_audits = set(session.scalars(select(Audit.la_code).where(
        Audit.la_code.in_(codes), in_force(Audit, req.as_of), Audit.audit_date >= req.date_from,
        Audit.audit_date <= req.date_to).distinct()))

    checks = warnings(session, req, codes)
    rows = []
    for la in las:
        dates = [d.isoformat() for d in all_dates if la.operational_on(d)]
        mine = returned_dates.get(la.code, {})
        months = [m for m in _months(req.date_from, req.date_to)
                  if la.operational_during(date.fromisoformat(m + "-01"), date.fromisoformat(m + "-28"))]
        la_years = sorted({str(date.fromisoformat(d).year) for d in dates})
        items = {d: missing for d, missing in mine.items() if missing}
        gaps = {"care_order_counts": _gap(dates, set(mine)), "population": _gap(la_years, population.get(la.code, set())),
                "audit_programme": _gap(months, months_in.get(la.code, set()))}
        complete = not items and all(not g.missing for g in gaps.values()) and la.code in with_orders \
            and la.code in with_audits
        rows.append(LaCompleteness(code=la.code, name=la.name, complete=complete, items_not_returned=items,
                                   orders_returned=la.code in with_orders, audits_returned=la.code in with_audits,
                                   warnings=checks.get(la.code, []), **gaps))
    sources = keyed_sources(session, M, "care-order-counts", "snapshot_date", codes, req.as_of,
                            M.snapshot_date >= req.date_from, M.snapshot_date <= req.date_to)
    sources += keyed_sources(session, P, "audit-programme", "month", codes, req.as_of, *programme_range(req))
    return CompletenessFigures(Figures(), sources, rows)


def relations(f: CompletenessFigures, req: PackRequest) -> Relations:
    return Relations()


def rows(f: CompletenessFigures, hidden: Hidden, header: dict[str, Any]) -> CompletenessPack:
    return CompletenessPack(**header, las=f.las)
