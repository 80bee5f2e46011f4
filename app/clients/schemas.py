from datetime import datetime
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, GetPydanticSchema, model_validator
from pydantic_core import core_schema

from app.access.roles import Disclosure, Role
from app.reference.schemas import LA_CODE_PATTERN

DisclosureName = Annotated[str, GetPydanticSchema(
    lambda _type, _handler: core_schema.literal_schema([level.value for level in Disclosure]))]
DISCLOSURE_DESCRIPTION = ("`suppressed`: small numbers hidden in packs (the default for `la` and `portal`); `full`: "
                          "every figure (admins; an `la` or `portal` client under a data-sharing agreement, "
                          "whose every pack read is then in the access log).")
# One of Role's values, documented (and reported against) inline, as the API always has: a field typed
# Role would make the enum a schema component of its own. Role members compare equal to these strings.
RoleName = Annotated[str, GetPydanticSchema(lambda _type, _handler: core_schema.literal_schema([role.value for role in Role]))]


class ClientCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "Liverpool BI", "role": "la", "la": "341"}]},
    )

    name: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f]+$")
    role: RoleName
    la: str | None = Field(default=None, pattern=LA_CODE_PATTERN, description="DfE code of the LA, for role `la`.")
    area: str | None = Field(default=None, min_length=2, max_length=64, pattern=r"^[A-Za-z0-9-]+$",
                             description="Area code, for role `portal`.")
    disclosure: DisclosureName | None = Field(default=None, description=DISCLOSURE_DESCRIPTION + " Default: the role's.")

    @model_validator(mode="after")
    def _scope_matches_role(self) -> Self:
        if self.role == Role.LA and (self.la is None or self.area is not None):
            raise ValueError("an `la` client needs `la` (and no `area`)")
        if self.role == Role.PORTAL and (self.area is None or self.la is not None):
            raise ValueError("a `portal` client needs `area` (and no `la`)")
        if self.role == Role.ADMIN and (self.la is not None or self.area is not None):
            raise ValueError("an `admin` client takes neither `la` nor `area`")
        if self.role == Role.ADMIN and self.disclosure == Disclosure.SUPPRESSED:
            raise ValueError("an `admin` client sees every figure: its disclosure is `full`")
        return self


class ClientRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{
            "id": 3, "name": "Liverpool BI", "role": "la", "la": "341", "area": None, "disclosure": "suppressed",
            "key_prefix": "dpk_Xy12ab", "created_at": "2026-11-23T09:00:00Z", "revoked_at": None,
        }]}
    )

    id: int
    name: str
    role: RoleName
    la: str | None
    area: str | None
    disclosure: DisclosureName = Field(description=DISCLOSURE_DESCRIPTION)
    key_prefix: str = Field(description="First characters of the key, to tell keys apart.")
    created_at: datetime
    revoked_at: datetime | None


class ClientCreated(ClientRead):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{
            "id": 3, "name": "Liverpool BI", "role": "la", "la": "341", "area": None, "disclosure": "suppressed",
            "key_prefix": "dpk_Xy12ab", "created_at": "2026-11-23T09:00:00Z", "revoked_at": None,
            "api_key": "dpk_Xy12ab...",
        }]}
    )

    api_key: str = Field(description="Shown once, never again: only its hash is stored.")
