from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.records.models import VersionedRecord, versioned_table_args


class Audit(VersionedRecord, Base):
    __tablename__ = "audits"
    __table_args__ = versioned_table_args("audits", "audit_ref")

    audit_ref: Mapped[str] = mapped_column(String(64))
    framework: Mapped[str] = mapped_column(ForeignKey("audit_frameworks.code"))
    audit_date: Mapped[date]
    audit_type: Mapped[str] = mapped_column(String(20))
    theme: Mapped[str | None] = mapped_column(String(200))
    auditor_role: Mapped[str | None] = mapped_column(String(100))
    overall_grade: Mapped[str] = mapped_column(String(24))
    outcome_grade: Mapped[str | None] = mapped_column(String(24))
    order_ref: Mapped[str | None] = mapped_column(String(64))
    moderated_grade: Mapped[str | None] = mapped_column(String(24))
    moderation_result: Mapped[str | None] = mapped_column(String(12))


class AuditDomainGrade(Base):
    __tablename__ = "audit_domain_grades"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True)
    domain_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    grade: Mapped[str] = mapped_column(String(24))
