from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.types import TEXT_PATTERN

LA_CODE_PATTERN = r"^[0-9]{3}$"
CODE_PATTERN = r"^[a-z0-9][a-z0-9-]{1,63}$"
# Any area a request may name: an LA's DfE code, an ONS code (E12000002) or a group's code.
AREA_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{1,63}$"
DOMAIN_CODE_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"


class LocalAuthorityRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "code": "341", "ons_code": "E08000012", "name": "Liverpool", "region": "E12000002",
        "operational_from": "2009-01-01", "operational_to": None,
    }]})

    code: str = Field(description="DfE three-digit code.")
    ons_code: str = Field(description="Latest ONS code.")
    name: str
    region: str = Field(description="ONS code of the region.")
    operational_from: date
    operational_to: date | None


class AreaRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "code": "cheshire-merseyside-lfjb", "name": "Cheshire and Merseyside LFJB", "kind": "group",
        "members": ["340", "341", "342", "343", "344", "876", "877", "895", "896"],
    }]})

    code: str
    name: str
    kind: Literal["england", "region", "group"]
    members: list[str] = Field(description="DfE codes of the LAs in the area, past and present.")


class AreaPut(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "Cheshire and Merseyside LFJB",
        "members": ["340", "341", "342", "343", "344", "876", "877", "895", "896"],
    }]})

    name: str = Field(min_length=1, max_length=200, pattern=TEXT_PATTERN)
    members: list[Annotated[str, Field(pattern=r"^[0-9]{3}$")]] = Field(min_length=1, max_length=400,
                                                                     description="DfE codes of the LAs.")


class DomainSchema(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"code": "response_to_risk", "name": "Response to risk"}]})

    code: str = Field(pattern=DOMAIN_CODE_PATTERN)
    name: str = Field(min_length=1, max_length=200, pattern=TEXT_PATTERN)


class AuditFrameworkPut(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "Four-domain framework",
        "domains": [
            {"code": "assessment_planning_review", "name": "Assessment, permanency planning and review"},
            {"code": "direct_work", "name": "Involvement of and direct work with children"},
        ],
    }]})

    name: str = Field(min_length=1, max_length=200, pattern=TEXT_PATTERN)
    domains: list[DomainSchema] = Field(default_factory=list, max_length=50)


class AuditFrameworkRead(AuditFrameworkPut):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "code": "overall-only", "name": "Overall grade only", "domains": [],
    }]})

    code: str
