from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped

from app.core.db import Base
from app.records.models import VersionedRecord


class PopulationEstimate(VersionedRecord, Base):
    __tablename__ = "population_estimates"
    __table_args__ = (UniqueConstraint("la_code", "year", "version"),)

    year: Mapped[int]
    children_0_17: Mapped[int]
