from pydantic import BaseModel, ConfigDict, Field

from app.core.types import WholeNumber
from app.records.schemas import META_EXAMPLE, VersionMeta


class PopulationCreate(BaseModel):
    """Mid-year estimate of children aged 0–17 in the LA, for rates per 10,000 children."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"children_0_17": 105400}]})

    children_0_17: WholeNumber = Field(ge=1, le=5_000_000)


class PopulationRecord(PopulationCreate):
    model_config = ConfigDict(json_schema_extra={"examples": [{"year": 2021, "children_0_17": 105400}]})

    year: WholeNumber = Field(ge=1990, le=2100)


class PopulationRead(PopulationRecord, VersionMeta):
    model_config = ConfigDict(json_schema_extra={"examples": [{"year": 2021, "children_0_17": 105400, **META_EXAMPLE}]})
