from pydantic import BaseModel, ConfigDict

from app.core.types import Month
from app.records.schemas import META_EXAMPLE, Count, VersionMeta

EXAMPLE = {"planned": 40, "exempted": 4, "returned": 15}


class AuditProgrammeCreate(BaseModel):
    """One LA's audit programme for one month: scheduled = planned − exempted."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})

    planned: Count
    exempted: Count
    returned: Count


class AuditProgrammeRecord(AuditProgrammeCreate):
    model_config = ConfigDict(json_schema_extra={"examples": [{"month": "2021-02", **EXAMPLE}]})

    month: Month


class AuditProgrammeRead(AuditProgrammeRecord, VersionMeta):
    model_config = ConfigDict(json_schema_extra={"examples": [{"month": "2021-02", **EXAMPLE, **META_EXAMPLE}]})
