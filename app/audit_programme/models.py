from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.records.models import VersionedRecord, versioned_table_args


class AuditProgrammeMonth(VersionedRecord, Base):
    __tablename__ = "audit_programme_months"
    __table_args__ = versioned_table_args("audit_programme_months", "month")

    month: Mapped[str] = mapped_column(String(7))
    planned: Mapped[int]
    exempted: Mapped[int]
    returned: Mapped[int]
