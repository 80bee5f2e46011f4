"""Audits counted by the items the audits pack publishes beside the overall grade: by type, theme and
auditor's role (each with its grades), the outcome and moderated grades, and LA–Cafcass agreement per
domain. One builder, grouped by month for the summaries and by LA for the pack's reference path, so the
two can only differ in what they sum, never in what they count."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, select, true
from sqlalchemy.orm import Session, aliased

from app.audits.counting import CAFCASS, GRADED, GRADES, count_if, domain_grades_of
from app.audits.models import Audit
from app.records.state import in_force

NOT_STATED = "not stated"
ITEM_COUNTS = ("records", *GRADES, "agreed")
# (group, item, category, records, outstanding, good, requires_improvement, inadequate, agreed)
ItemRow = tuple[Any, ...]


def stated(text: Any) -> Any:
    """Free text as a category: trimmed, and left out or blank counted as not stated."""
    return func.coalesce(func.nullif(func.trim(text), ""), NOT_STATED)


def _graded_by(session: Session, group: Any, scope: list[Any], item: str, category: Any, grade: Any,
               *where: Any) -> Iterator[ItemRow]:
    """Audits and their grades per category (`category` None: one count of every audit in `where`)."""
    keys = (group,) if category is None else (group, category)
    rows = session.execute(select(*keys, func.count(), *(count_if(grade == g) for g in GRADES))
                           .where(*scope, *where).group_by(*keys))
    for row in rows:
        key, name, counts = (row[0], "", row[1:]) if category is None else (row[0], str(row[1]), row[2:])
        yield (key, item, name, *map(int, counts), 0)


def _agreement(session: Session, group: Any, scope: list[Any], at: datetime | None) -> Iterator[ItemRow]:
    """Per domain, the LA audit and Cafcass dip sample of one order that both graded it, and how many agree."""
    cafcass = aliased(Audit)
    ours, theirs = domain_grades_of(session), domain_grades_of(session, cafcass)
    rows = session.execute(
        select(group, ours.c.key, func.count(), count_if(ours.c.value == theirs.c.value))
        .select_from(Audit)
        .join(cafcass, and_(cafcass.la_code == Audit.la_code, cafcass.order_ref == Audit.order_ref,
                            cafcass.audit_type == CAFCASS, cafcass.order_ref.is_not(None), in_force(cafcass, at)))
        .join(ours, true()).join(theirs, theirs.c.key == ours.c.key)
        .where(*scope, Audit.audit_type != CAFCASS, Audit.order_ref.is_not(None))
        .group_by(group, ours.c.key))
    for key, domain, pairs, agreed in rows:
        yield key, "agreement", str(domain), int(pairs), 0, 0, 0, 0, int(agreed)


def item_rows(session: Session, group: Any, scope: list[Any], at: datetime | None) -> Iterator[ItemRow]:
    """Every item's counts for the audits `scope` selects, grouped by `group` (a month, or the LA)."""
    la_audit = Audit.audit_type != CAFCASS
    # Cafcass's own grade is its overall grade; an LA's counts after moderation, as the pack's grades do.
    own_grade = case((Audit.audit_type == CAFCASS, Audit.overall_grade), else_=GRADED)
    yield from _graded_by(session, group, scope, "type", Audit.audit_type, own_grade)
    yield from _graded_by(session, group, scope, "theme", stated(Audit.theme), GRADED, Audit.audit_type == "themed")
    yield from _graded_by(session, group, scope, "role", stated(Audit.auditor_role), GRADED, la_audit)
    yield from _graded_by(session, group, scope, "outcome", None, Audit.outcome_grade, la_audit,
                          Audit.outcome_grade.is_not(None))
    yield from _graded_by(session, group, scope, "moderated", None, Audit.moderated_grade, la_audit,
                          Audit.moderated_grade.is_not(None))
    yield from _agreement(session, group, scope, at)
