"""Where audits are validated against their framework and mapped to their tables."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audits import summary
from app.audits.models import Audit
from app.audits.schemas import AuditCreate, AuditRead, AuditRecord
from app.orders.service import order_dates
from app.records.spec import DatasetSpec, RuleContext, RuleProblem, la_operational_on, not_in_future
from app.reference.models import FrameworkDomain

GRADE_RANK = {"outstanding": 1, "good": 2, "requires_improvement": 3, "inadequate": 4}
PLAIN_FIELDS = ("framework", "audit_date", "audit_type", "theme", "auditor_role", "domain_grades", "overall_grade",
                "outcome_grade", "order_ref")


def rules(audit_ref: str | None, record: AuditCreate, ctx: RuleContext) -> list[RuleProblem]:
    """Each rule runs only when its inputs are present (a field may have failed its own check)."""
    found = not_in_future(("audit_date",), record.audit_date, ctx)
    if not found and record.audit_date is not None:
        found += la_operational_on(("audit_date",), record.audit_date, ctx)
    domains = ctx.framework_domains(record.framework) if record.framework is not None else frozenset()
    if domains is None:
        found.append((("framework",), f"no audit framework {record.framework!r}"))
    elif record.framework is not None:
        for code in record.domain_grades or {}:
            if code not in domains:
                found.append((("domain_grades", code), f"{code!r} is not a domain of framework "
                              f"{record.framework!r} ({', '.join(sorted(domains)) or 'it has no domains'})"))
    found += _order_rules(record, ctx)
    if record.moderation is not None and record.overall_grade is not None and None not in (
            record.moderation.moderated_grade, record.moderation.result):
        found += _moderation_rules(record)
    return found


def _order_rules(record: AuditCreate, ctx: RuleContext) -> list[RuleProblem]:
    """An audit of an order names one the LA has returned, made by the audit's date: otherwise the pack's
    agreement between LA and Cafcass audits of one child would pair audits of nothing."""
    if record.order_ref is None:
        return []
    made = ctx.remembered("order_dates", lambda: order_dates(ctx.session, ctx.la.code)).get(record.order_ref)
    if made is None:
        return [(("order_ref",), f"no order {record.order_ref!r} of {ctx.la.name} ({ctx.la.code}) is stored; submit "
                                 "the orders first, or leave order_ref empty")]
    if record.audit_date is not None and made > record.audit_date:
        return [(("order_ref",), f"order {record.order_ref!r} was made on {made.isoformat()}, after this audit "
                                 f"({record.audit_date.isoformat()})")]
    return []


def _moderation_rules(record: AuditCreate) -> list[RuleProblem]:
    assert record.moderation is not None
    before, after = GRADE_RANK[record.overall_grade], GRADE_RANK[record.moderation.moderated_grade]
    expected = "supported" if after == before else "downgraded" if after > before else "upgraded"
    if record.moderation.result != expected:
        return [(("moderation", "result"),
                 f"overall_grade {record.overall_grade!r} moderated to {record.moderation.moderated_grade!r} "
                 f"is {expected}, not {record.moderation.result}")]
    return []


def to_columns(record: AuditCreate) -> dict[str, Any]:
    columns = {name: getattr(record, name) for name in PLAIN_FIELDS}
    columns["moderated_grade"] = record.moderation.moderated_grade if record.moderation else None
    columns["moderation_result"] = record.moderation.result if record.moderation else None
    return columns


def to_payload(row: Audit) -> dict[str, Any]:
    payload = {name: getattr(row, name) for name in PLAIN_FIELDS}
    payload["moderation"] = None if row.moderated_grade is None else {
        "moderated_grade": row.moderated_grade, "result": row.moderation_result}
    return payload


def domain_columns(session: Session) -> dict[str, frozenset[str]]:
    return {"domain_grades": frozenset(session.scalars(select(FrameworkDomain.code).distinct()))}


SPEC = DatasetSpec(
    name="audits", title="Audits", item_title="Audit", model=Audit, key_fields=("audit_ref",),
    create_schema=AuditCreate, record_schema=AuditRecord, read_schema=AuditRead,
    to_columns=to_columns, to_payload=to_payload, rules=rules, child_level=True,
    column_keys=domain_columns,
    after_write=summary.after_write,
    rules_in_words=(
        "audit_date is not in the future, and the LA existed on it.",
        "order_ref, where given, names an order of the LA already returned, made on or before audit_date.",
        "framework names a known audit framework; domain_grades.<code> columns name only that framework's domains.",
        "moderation.result says how moderation.moderated_grade compares with overall_grade: supported (the same), "
        "downgraded (worse) or upgraded (better); the two moderation columns go together.",
    ),
)
