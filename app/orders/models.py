from datetime import date

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.records.models import VersionedRecord, versioned_table_args


class CareOrder(VersionedRecord, Base):
    """A care order at home, one row per version (child level, pseudonymous)."""

    __tablename__ = "care_orders"
    __table_args__ = versioned_table_args("care_orders", "order_ref")

    order_ref: Mapped[str] = mapped_column(String(64))
    child_ref: Mapped[str] = mapped_column(String(64))
    order_type: Mapped[str] = mapped_column(String(20))
    order_date: Mapped[date]
    age_at_order: Mapped[int]
    pre_proceedings: Mapped[bool | None]
    assessments_in_proceedings: Mapped[int | None]
    independent_social_worker: Mapped[bool | None]
    professional_communication: Mapped[str | None] = mapped_column(String(20))
    la_final_care_plan: Mapped[str | None] = mapped_column(String(30))
    court_outcome: Mapped[str | None] = mapped_column(String(30))
    current_status: Mapped[str] = mapped_column(String(30))
    status_date: Mapped[date]
    discharge_date: Mapped[date | None]
    discharge_outcome: Mapped[str | None] = mapped_column(String(30))
    # The child and the court journey (0009): optional, so orders returned before them read as not returned.
    sex: Mapped[str | None] = mapped_column(String(10))
    ethnicity: Mapped[str | None] = mapped_column(String(10))
    disability: Mapped[bool | None]
    proceedings_issued: Mapped[date | None]
    final_hearing: Mapped[date | None]
    la_initial_care_plan: Mapped[str | None] = mapped_column(String(30))
    guardian_recommendation: Mapped[str | None] = mapped_column(String(30))
    contested_final_hearing: Mapped[bool | None]
    category_of_need: Mapped[str | None] = mapped_column(String(2))
    proceedings_type: Mapped[str | None] = mapped_column(String(12))
    re_referred_within_12_months: Mapped[bool | None]
