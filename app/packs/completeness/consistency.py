"""Checks across datasets that a single record's rules cannot make: what one return says of another.

Counts of audits are counts of children's cases, so a reader held to suppression is told only that a
check fails, not by how much.
"""

from collections import defaultdict

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.audit_programme.models import AuditProgrammeMonth
from app.audits.models import Audit, AuditMonthSummary
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
    return found


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
