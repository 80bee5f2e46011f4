"""What every count of audits shares: the grades, which audits are Cafcass's, the grade after moderation,
and the SQL both databases need for months and domain grades."""

from typing import Any, get_args

from sqlalchemy import case, func

from app.audits.models import Audit
from app.audits.schemas import ModerationResult
from app.records.schemas import Grade

CAFCASS = "cafcass_dip_sample"
GRADES = get_args(Grade)
MODERATION_RESULTS = get_args(ModerationResult)
GRADED = func.coalesce(Audit.moderated_grade, Audit.overall_grade)


def month_of(session: Any, day: Any) -> Any:
    """'YYYY-MM' of a date column, in the database's own dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(day, "YYYY-MM")
    return func.strftime("%Y-%m", day)


def domain_grades_of(session: Any, audit: Any = Audit) -> Any:
    """An audit's domain grades as rows (key: domain code, value: grade), to join to the audits."""
    if session.get_bind().dialect.name == "postgresql":
        return func.jsonb_each_text(audit.domain_grades).table_valued("key", "value")
    return func.json_each(audit.domain_grades).table_valued("key", "value")


def count_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))
