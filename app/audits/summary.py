"""Keeping the audits pack's month summaries in step with the audits, inside the writing transaction.

After every write to an LA's audits the LA-months it touched are summarised again from the audits
in force, and the summaries they replace are closed at the same moment the audits were stamped
with: so the summaries in force at any moment T are exactly the summaries of the audits in force
at T, and a pack `as_of` T reads them instead of the audits.
"""

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, true, union, update
from sqlalchemy.orm import Session, aliased

from app.audits.counting import CAFCASS, GRADED, GRADES, MODERATION_RESULTS, count_if, domain_grades_of, month_of
from app.audits.items import ITEM_COUNTS, item_rows
from app.audits.models import Audit, AuditDomainMonthSummary, AuditItemMonthSummary, AuditMonthSummary
from app.core.db import insert_many
from app.records.state import in_force

__all__ = ["CAFCASS", "GRADED", "GRADES", "MODERATION_RESULTS", "count_if", "domain_grades_of", "month_of"]

SUMMARIES = (AuditMonthSummary, AuditDomainMonthSummary, AuditItemMonthSummary)


def touched_months(session: Session, la_code: str, at: datetime) -> set[str]:
    """LA-months whose figures a write at `at` may have changed: those of every audit version
    written or superseded then, and those of LA audits paired with a Cafcass dip sample that was."""
    changed = and_(Audit.la_code == la_code, or_(Audit.submitted_at == at, Audit.superseded_at == at))
    cafcass_orders = select(Audit.order_ref).where(changed, Audit.audit_type == CAFCASS, Audit.order_ref.is_not(None))
    paired = aliased(Audit)
    statement = union(
        select(month_of(session, Audit.audit_date)).where(changed),
        select(month_of(session, paired.audit_date)).where(
            paired.la_code == la_code, in_force(paired, at), paired.audit_type != CAFCASS,
            paired.order_ref.in_(cafcass_orders)),
    )
    return set(session.scalars(statement))


def refresh(session: Session, la_code: str, months: Iterable[str], at: datetime) -> None:
    """Summarise `months` of the LA again from its audits in force at `at`, replacing the summaries in force."""
    months = sorted(set(months))
    for start in range(0, len(months), 500):
        _refresh_chunk(session, la_code, months[start:start + 500], at)


def _refresh_chunk(session: Session, la_code: str, months: list[str], at: datetime) -> None:
    for model in SUMMARIES:
        current = and_(model.la_code == la_code, model.month.in_(months), model.valid_to.is_(None))
        # A second write in the same transaction replaces its own summaries rather than leaving empty intervals.
        session.execute(delete(model).where(current, model.valid_from == at), execution_options={"synchronize_session": False})
        session.execute(update(model).where(current).values(valid_to=at), execution_options={"synchronize_session": False})
    month = month_of(session, Audit.audit_date)
    scope = [Audit.la_code == la_code, in_force(Audit, at), month.in_(months)]
    insert_many(session, AuditMonthSummary.__table__, [
        {"la_code": la_code, "month": m, "valid_from": at, "valid_to": None, **values}
        for m, values in _month_rows(session, month, scope, at).items()])
    insert_many(session, AuditDomainMonthSummary.__table__, [
        {"la_code": la_code, "valid_from": at, "valid_to": None, **values} for values in _domain_rows(session, month, scope)])
    insert_many(session, AuditItemMonthSummary.__table__, [
        {"la_code": la_code, "month": m, "valid_from": at, "valid_to": None, "item": item, "category": category,
         **dict(zip(ITEM_COUNTS, counts, strict=True))}
        for m, item, category, *counts in item_rows(session, month, scope, at)])


def _month_rows(session: Session, month: Any, scope: list[Any], at: datetime) -> dict[str, dict[str, Any]]:
    la_audit, graded = Audit.audit_type != CAFCASS, GRADED
    counts = session.execute(
        select(month, func.count(), count_if(la_audit), *(count_if(and_(la_audit, graded == g)) for g in GRADES),
               count_if(and_(la_audit, Audit.moderated_grade.is_not(None))),
               *(count_if(and_(la_audit, Audit.moderation_result == r)) for r in MODERATION_RESULTS),
               func.max(Audit.submitted_at))
        .where(*scope).group_by(month))
    rows: dict[str, dict[str, Any]] = {}
    for m, records, audited, *rest in counts:
        grades, (moderated, *results), last = rest[:4], rest[4:8], rest[8]
        rows[m] = {"records": records, "audited": int(audited), **dict(zip(GRADES, map(int, grades), strict=True)),
                   "moderated": int(moderated), **dict(zip(MODERATION_RESULTS, map(int, results), strict=True)),
                   "pairs": 0, "agreed": 0, "last_submitted_at": last}
    cafcass = aliased(Audit)
    pairs = session.execute(
        select(month, func.count(), count_if(cafcass.overall_grade == GRADED))
        .join(cafcass, and_(cafcass.la_code == Audit.la_code, cafcass.order_ref == Audit.order_ref,
                            cafcass.audit_type == CAFCASS, cafcass.order_ref.is_not(None), in_force(cafcass, at)))
        .where(*scope, la_audit, Audit.order_ref.is_not(None)).group_by(month))
    for m, n, agreed in pairs:
        rows[m].update(pairs=n, agreed=int(agreed))
    for m, (digest, frameworks) in _digests(session, month, scope).items():
        rows[m].update(digest=digest, frameworks=" ".join(sorted(frameworks)))
    return rows


def _digests(session: Session, month: Any, scope: list[Any]) -> dict[str, tuple[str, set[str]]]:
    found: dict[str, tuple[Any, set[str]]] = {}
    # In chunks, or every row would be fetched first (a million after a large upload); through Core,
    # whose rows cost a third of the ORM's.
    rows = session.connection().execute(select(month, Audit.audit_ref, Audit.version, Audit.framework).where(*scope)
                                        .order_by(month, Audit.audit_ref).execution_options(yield_per=5_000))
    for m, ref, version, framework in rows:
        if m not in found:  # not setdefault: that would build a hash object for every row
            found[m] = (hashlib.sha256(), set())
        digest, frameworks = found[m]
        digest.update(f"{ref}\t{version}\n".encode())
        frameworks.add(framework)
    return {m: (digest.hexdigest(), frameworks) for m, (digest, frameworks) in found.items()}


def _domain_rows(session: Session, month: Any, scope: list[Any]) -> list[dict[str, Any]]:
    grades = domain_grades_of(session)
    rows = session.execute(
        select(month, grades.c.key, *(count_if(grades.c.value == g) for g in GRADES))
        .select_from(Audit).join(grades, true())
        .where(*scope, Audit.audit_type != CAFCASS).group_by(month, grades.c.key))
    return [{"month": m, "domain_code": code, **dict(zip(GRADES, map(int, counts), strict=True))}
            for m, code, *counts in rows]


def after_write(session: Session, la_code: str, at: datetime) -> None:
    refresh(session, la_code, touched_months(session, la_code, at), at)


def rebuild(session: Session, la_code: str) -> None:
    """The LA's whole summary history again from its audits, replaying every moment they changed
    (after a deletion, which rewrites history, or to fill the summaries of audits stored before them)."""
    for model in SUMMARIES:
        session.execute(delete(model).where(model.la_code == la_code), execution_options={"synchronize_session": False})
    moments = session.scalars(union(
        select(Audit.submitted_at).where(Audit.la_code == la_code),
        select(Audit.superseded_at).where(Audit.la_code == la_code, Audit.superseded_at.is_not(None))))
    for at in sorted(set(moments)):
        refresh(session, la_code, touched_months(session, la_code, at), at)
