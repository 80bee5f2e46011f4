"""Checks across datasets that a single record's rules cannot make: what one return says of another.

Counts of audits are counts of children's cases, so a reader held to suppression is told only that a
check fails, not by how much.
"""

from collections import defaultdict
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.audit_programme.models import AuditProgrammeMonth
from app.audits.models import Audit, AuditMonthSummary
from app.care_order_characteristics.models import CareOrderCharacteristic
from app.care_order_counts.models import CareOrderCount
from app.orders.models import CareOrder
from app.packs.request import PackRequest
from app.records.state import in_force, valid_between


def warnings(session: Session, req: PackRequest, codes: list[str]) -> dict[str, list[str]]:
    """Per LA, each check that fails in the range, in words."""
    found: dict[str, list[str]] = defaultdict(list)
    exact = req.reader.sees_everything
    for la, month, said, stored in _programme_against_audits(session, req, codes):
        found[la].append(f"{month}: audits returned in the programme: {said}; audits stored: {stored}" if exact
                         else f"{month}: audits returned in the programme differ from the audits stored")
    for la, count in _audits_of_missing_orders(session, req, codes):
        found[la].append(f"audits in the range naming an order not stored, or made after the audit: {count}" if exact
                         else "some audits in the range name an order not stored, or made after the audit")
    for la, day, dimension, full, interim, counts in _characteristics_against_counts(session, req, codes):
        if counts is None:
            found[la].append(f"{day}: a breakdown by {dimension} is returned but no care-order counts for the date")
        else:
            found[la].append(f"{day}: the breakdown by {dimension} adds up to {full} full and {interim} interim orders "
                             f"at home; the counts say {counts[0]} and {counts[1]}" if exact
                             else f"{day}: the breakdown by {dimension} does not add up to the counts for the date")
    return found


def _characteristics_against_counts(session: Session, req: PackRequest, codes: list[str]) -> list[tuple[Any, ...]]:
    """Each date and dimension whose categories do not add up to the counts for that date (or have no counts)."""
    C, M = CareOrderCharacteristic, CareOrderCount
    sums = (select(C.la_code, C.snapshot_date, C.dimension, func.sum(C.full_care_orders_at_home).label("full"),
                   func.sum(C.interim_care_orders_at_home).label("interim"))
            .where(C.la_code.in_(codes), in_force(C, req.as_of), C.snapshot_date >= req.date_from,
                   C.snapshot_date <= req.date_to)
            .group_by(C.la_code, C.snapshot_date, C.dimension).subquery())
    counts = aliased(M)
    rows = session.execute(
        select(sums.c.la_code, sums.c.snapshot_date, sums.c.dimension, sums.c.full, sums.c.interim,
               counts.full_care_orders_at_home, counts.interim_care_orders_at_home)
        .outerjoin(counts, and_(counts.la_code == sums.c.la_code, counts.snapshot_date == sums.c.snapshot_date,
                                in_force(counts, req.as_of)))
        .where(or_(counts.id.is_(None), counts.full_care_orders_at_home != sums.c.full,
                   counts.interim_care_orders_at_home != sums.c.interim))
        .order_by(sums.c.la_code, sums.c.snapshot_date, sums.c.dimension))
    return [(la, day.isoformat(), dimension, full, interim, None if said_full is None else (said_full, said_interim))
            for la, day, dimension, full, interim, said_full, said_interim in rows]


def _programme_against_audits(session: Session, req: PackRequest, codes: list[str]) -> list[tuple[str, str, int, int]]:
    P, S = AuditProgrammeMonth, AuditMonthSummary
    first, last = req.date_from.strftime("%Y-%m"), req.date_to.strftime("%Y-%m")
    stored = func.coalesce(S.audited, 0)
    rows = session.execute(
        select(P.la_code, P.month, P.returned, stored)
        .outerjoin(S, and_(S.la_code == P.la_code, S.month == P.month, valid_between(S.valid_from, S.valid_to, req.as_of)))
        .where(P.la_code.in_(codes), in_force(P, req.as_of), P.month >= first, P.month <= last, P.returned != stored)
        .order_by(P.la_code, P.month))
    return [(la, month, said, stored) for la, month, said, stored in rows]


def _audits_of_missing_orders(session: Session, req: PackRequest, codes: list[str]) -> list[tuple[str, int]]:
    order = aliased(CareOrder)
    rows = session.execute(
        select(Audit.la_code, func.count())
        .outerjoin(order, and_(order.la_code == Audit.la_code, order.order_ref == Audit.order_ref,
                               in_force(order, req.as_of)))
        .where(Audit.la_code.in_(codes), in_force(Audit, req.as_of), Audit.order_ref.is_not(None),
               Audit.audit_date >= req.date_from, Audit.audit_date <= req.date_to,
               or_(order.order_ref.is_(None), order.order_date > Audit.audit_date))
        .group_by(Audit.la_code).order_by(Audit.la_code))
    return [(la, count) for la, count in rows]
