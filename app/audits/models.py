from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.records.models import VersionedRecord, versioned_table_args


class Audit(VersionedRecord, Base):
    __tablename__ = "audits"
    # The second index finds an order's LA audit and Cafcass dip sample, paired for agreement. It is
    # partial, so a lookup of keys can only use the key's index: inside a large submission's own
    # transaction PostgreSQL's statistics still say the table is empty, and it had looked 500 keys up
    # through this index by scanning every current audit of the LA.
    __table_args__ = (*versioned_table_args("audits", "audit_ref"),
                      Index("ix_audits_order_ref", "la_code", "order_ref", "superseded_at",
                            sqlite_where=text("order_ref IS NOT NULL"),
                            postgresql_where=text("order_ref IS NOT NULL")))

    audit_ref: Mapped[str] = mapped_column(String(64))
    framework: Mapped[str] = mapped_column(ForeignKey("audit_frameworks.code"))
    audit_date: Mapped[date]
    audit_type: Mapped[str] = mapped_column(String(20))
    theme: Mapped[str | None] = mapped_column(String(200))
    auditor_role: Mapped[str | None] = mapped_column(String(100))
    # On the audit's own row, not a row per domain: a bulk return then writes one row per audit.
    domain_grades: Mapped[dict[str, Any]] = mapped_column(JSON().with_variant(JSONB(), "postgresql"),
                                                          server_default=text("'{}'"))
    overall_grade: Mapped[str] = mapped_column(String(24))
    outcome_grade: Mapped[str | None] = mapped_column(String(24))
    order_ref: Mapped[str | None] = mapped_column(String(64))
    moderated_grade: Mapped[str | None] = mapped_column(String(24))
    moderation_result: Mapped[str | None] = mapped_column(String(12))


class _MonthSummary:
    """What the audits pack needs of one LA's audits dated in one month, pre-aggregated when the
    audits are written, so the pack reads a row per LA-month instead of every audit. A row holds
    from `valid_from` until the next write to that LA-month (`valid_to`), so `as_of` works too."""

    id: Mapped[int] = mapped_column(primary_key=True)
    la_code: Mapped[str] = mapped_column(String(3))
    month: Mapped[str] = mapped_column(String(7))
    valid_from: Mapped[datetime]
    valid_to: Mapped[datetime | None]


class AuditMonthSummary(_MonthSummary, Base):
    __tablename__ = "audit_month_summaries"
    __table_args__ = (Index("ix_audit_month_summaries_lookup", "la_code", "month", "valid_to"),)

    records: Mapped[int] = mapped_column(doc="every audit, Cafcass dip samples too")
    audited: Mapped[int] = mapped_column(doc="LA audits (not Cafcass dip samples)")
    outstanding: Mapped[int]
    good: Mapped[int]
    requires_improvement: Mapped[int]
    inadequate: Mapped[int]
    moderated: Mapped[int]
    supported: Mapped[int]
    downgraded: Mapped[int]
    upgraded: Mapped[int]
    pairs: Mapped[int]
    agreed: Mapped[int]
    frameworks: Mapped[str] = mapped_column(String(400), doc="space-separated codes of the frameworks used")
    digest: Mapped[str] = mapped_column(String(64), doc="sha256 of the month's (audit_ref, version) in order")
    last_submitted_at: Mapped[datetime]


class AuditDomainMonthSummary(_MonthSummary, Base):
    __tablename__ = "audit_domain_month_summaries"
    __table_args__ = (Index("ix_audit_domain_month_summaries_lookup", "la_code", "month", "valid_to"),)

    domain_code: Mapped[str] = mapped_column(String(64))
    outstanding: Mapped[int]
    good: Mapped[int]
    requires_improvement: Mapped[int]
    inadequate: Mapped[int]


class AuditItemMonthSummary(_MonthSummary, Base):
    """One LA-month's audits counted by an item other than the overall grade: `item` names what is counted
    (`type`, `theme`, `role`, `outcome`, `moderated`: audits by category, with their grades; `agreement`: LA and
    Cafcass pairs that both graded the domain `category`, and how many agreed)."""

    __tablename__ = "audit_item_month_summaries"
    __table_args__ = (Index("ix_audit_item_month_summaries_lookup", "la_code", "month", "valid_to"),)

    item: Mapped[str] = mapped_column(String(12))
    category: Mapped[str] = mapped_column(String(200))
    records: Mapped[int] = mapped_column(doc="audits counted (agreement: pairs)")
    outstanding: Mapped[int]
    good: Mapped[int]
    requires_improvement: Mapped[int]
    inadequate: Mapped[int]
    agreed: Mapped[int]
