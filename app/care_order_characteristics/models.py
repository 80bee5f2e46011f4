from datetime import date

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.records.models import VersionedRecord, versioned_table_args


class CareOrderCharacteristic(VersionedRecord, Base):
    """Children on care orders at home on a snapshot date in one category of one dimension."""

    __tablename__ = "care_order_characteristics"
    __table_args__ = versioned_table_args("care_order_characteristics", "snapshot_date", "dimension", "category")

    snapshot_date: Mapped[date]
    dimension: Mapped[str] = mapped_column(String(30))
    category: Mapped[str] = mapped_column(String(30))
    full_care_orders_at_home: Mapped[int]
    interim_care_orders_at_home: Mapped[int]
    notes: Mapped[str | None] = mapped_column(String(2000))
