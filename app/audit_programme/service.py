"""Where monthly audit-programme returns are validated."""

import calendar
from datetime import date

from app.audit_programme.models import AuditProgrammeMonth
from app.audit_programme.schemas import AuditProgrammeCreate, AuditProgrammeRead, AuditProgrammeRecord
from app.core import messages
from app.records.spec import DatasetSpec, RuleContext, RuleProblem


def month_bounds(month: str) -> tuple[date, date]:
    year, number = int(month[:4]), int(month[5:7])
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def rules(month: str | None, record: AuditProgrammeCreate, ctx: RuleContext) -> list[RuleProblem]:
    """Each rule runs only when its inputs are present (a field may have failed its own check)."""
    found: list[RuleProblem] = []
    if month is not None:
        first, last = month_bounds(month)
        if first > ctx.today:
            found.append((("month",), f"{month} is in the future"))
        elif not ctx.la.operational_during(first, last):
            found.append((("month",), f"{ctx.la.name} ({ctx.la.code}) was not a local authority in {month}"))
    if None in (record.planned, record.exempted, record.returned):
        return found
    if record.exempted > record.planned:
        found.append((("exempted",), messages.sum_more_than({"exempted": record.exempted}, {"planned": record.planned})))
    elif record.returned > record.planned - record.exempted:
        found.append((("returned",),
                      messages.returned_more_than_scheduled(record.returned, record.planned, record.exempted)))
    return found


SPEC = DatasetSpec(
    name="audit-programme", title="AuditProgramme", model=AuditProgrammeMonth, key_fields=("month",),
    create_schema=AuditProgrammeCreate, record_schema=AuditProgrammeRecord, read_schema=AuditProgrammeRead,
    rules=rules,
    rules_in_words=(
        "month is not in the future, and the LA existed in it.",
        "exempted is at most planned.",
        "returned is at most planned − exempted (the audits scheduled).",
    ),
)
