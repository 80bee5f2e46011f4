from pydantic import BaseModel, ConfigDict, Field

from app.records.schemas import META_EXAMPLE, Count, VersionMeta

MONTH_PATTERN = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$"
EXAMPLE = {"planned": 40, "exempted": 4, "returned": 15}


class AuditProgrammeCreate(BaseModel):
    """One LA's audit programme for one month: scheduled = planned − exempted."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})

    planned: Count
    exempted: Count
    returned: Count


class AuditProgrammeRecord(AuditProgrammeCreate):
    model_config = ConfigDict(json_schema_extra={"examples": [{"month": "2021-02", **EXAMPLE}]})

    month: str = Field(pattern=MONTH_PATTERN, description="YYYY-MM")


class AuditProgrammeRead(AuditProgrammeRecord, VersionMeta):
    model_config = ConfigDict(json_schema_extra={"examples": [{"month": "2021-02", **EXAMPLE, **META_EXAMPLE}]})
