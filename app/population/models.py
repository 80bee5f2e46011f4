from sqlalchemy.orm import Mapped

from app.core.db import Base
from app.records.models import VersionedRecord, versioned_table_args


class PopulationEstimate(VersionedRecord, Base):
    __tablename__ = "population_estimates"
    __table_args__ = versioned_table_args("population_estimates", "year")

    year: Mapped[int]
    children_0_17: Mapped[int]
