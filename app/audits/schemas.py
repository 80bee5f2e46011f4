from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.patterns import REF_PATTERN
from app.core.types import IsoDate
from app.records.schemas import META_EXAMPLE, Grade, VersionMeta, free_text
from app.reference.schemas import CODE_PATTERN, DOMAIN_CODE_PATTERN
from app.reference.shipped import DEFAULT_FRAMEWORK

AuditType = Literal["individual", "themed", "dip_sample", "cafcass_dip_sample"]
ModerationResult = Literal["supported", "downgraded", "upgraded"]
DomainCode = Annotated[str, Field(pattern=DOMAIN_CODE_PATTERN)]
Ref = Annotated[str, Field(pattern=REF_PATTERN)]

EXAMPLE = {
    "framework": "nw-adcs-2017", "audit_date": "2021-02-10", "audit_type": "individual",
    "theme": None, "auditor_role": "team manager",
    "domain_grades": {"response_to_risk": "good", "child_centred": "good", "plans": "requires_improvement"},
    "overall_grade": "good", "outcome_grade": None, "order_ref": "LIV-2019-0031",
    "moderation": {"moderated_grade": "requires_improvement", "result": "downgraded"},
}


class Moderation(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE["moderation"]]})

    moderated_grade: Grade
    result: ModerationResult


class AuditCreate(BaseModel):
    """One case-file audit, graded against an audit framework's domains."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})

    framework: str = Field(default=DEFAULT_FRAMEWORK, pattern=CODE_PATTERN)
    audit_date: IsoDate
    audit_type: AuditType
    theme: str | None = free_text(200, default=None, description=(
        "Themed audits: the theme of the audit programme (e.g. neglect). Published in the audits pack as "
        "returned: never a child's, family's or worker's name or anything that identifies one."))
    auditor_role: str | None = free_text(100, default=None, description=(
        "The auditor's role (e.g. team manager), published in the audits pack as returned: never a name."))
    domain_grades: dict[DomainCode, Grade] = Field(default_factory=dict, max_length=50,
                                                   description="Grades by domain code of the framework.")
    overall_grade: Grade
    outcome_grade: Grade | None = Field(default=None, description="Outcome for the child, where graded separately.")
    order_ref: Ref | None = Field(default=None, description="The order audited; LA and Cafcass audits of one child share it.")
    moderation: Moderation | None = None


class AuditRecord(AuditCreate):
    model_config = ConfigDict(json_schema_extra={"examples": [{"audit_ref": "A-2021-0107", **EXAMPLE}]})

    audit_ref: Ref


class AuditRead(AuditRecord, VersionMeta):
    model_config = ConfigDict(json_schema_extra={"examples": [{"audit_ref": "A-2021-0107", **EXAMPLE, **META_EXAMPLE}]})
