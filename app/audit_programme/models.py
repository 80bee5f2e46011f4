from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.records.models import VersionedRecord


class AuditProgrammeMonth(VersionedRecord, Base):
    __tablename__ = "audit_programme_months"
    __table_args__ = (
        UniqueConstraint("la_code", "month", "version"),
        Index("ix_audit_programme_months_current", "la_code", "month", "superseded_at"),
    )

    month: Mapped[str] = mapped_column(String(7))
    planned: Mapped[int]
    exempted: Mapped[int]
    returned: Mapped[int]
