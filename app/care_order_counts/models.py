from datetime import date

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.records.models import VersionedRecord, versioned_table_args


class CareOrderCount(VersionedRecord, Base):
    __tablename__ = "care_order_counts"
    __table_args__ = versioned_table_args("care_order_counts", "snapshot_date")

    snapshot_date: Mapped[date]
    cla_total: Mapped[int]
    placed_with_parents: Mapped[int]
    full_care_orders_at_home: Mapped[int]
    interim_care_orders_at_home: Mapped[int]
    orders_made_in_year: Mapped[int | None]
    discharges_total: Mapped[int | None]
    discharges_to_no_order: Mapped[int | None]
    discharges_to_supervision_order: Mapped[int | None]
    discharges_to_family_assistance_order: Mapped[int | None]
    discharges_to_special_guardianship_order: Mapped[int | None]
    discharges_to_child_arrangements_order: Mapped[int | None]
    interim_orders_from_private_law: Mapped[int | None]
    interim_orders_for_parent_assessment: Mapped[int | None]
    interim_orders_for_parent_assessment_child_remained: Mapped[int | None]
    interim_orders_became_full_orders: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(String(2000))
