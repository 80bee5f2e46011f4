from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.core.patterns import TEXT_PATTERN
from app.core.types import bounded_whole_number

Count = bounded_whole_number(0, 1_000_000)
Grade = Literal["outstanding", "good", "requires_improvement", "inadequate"]


def free_text(max_length: int, **kwargs: object) -> object:
    return Field(max_length=max_length, pattern=TEXT_PATTERN, **kwargs)  # type: ignore[call-overload]


class VersionMeta(BaseModel):
    la: str = Field(description="DfE code of the LA the record belongs to.")
    version: int = Field(description="1 for the first return of this key, then +1 per revision.")
    submitted_at: datetime
    submitted_by: str = Field(description="Name of the API client that sent this version.")
    submission_id: int | None = Field(description="Bulk submission that carried it, if any.")
    source: str = Field(description="Where the figures come from: `ssda903:<submission id>` for a version derived "
                                    "from the LA's SSDA903 extract, otherwise the client that sent it (as "
                                    "`submitted_by`).")
    superseded_at: datetime | None = Field(description="When a later version replaced it; null while current.")


META_EXAMPLE = {
    "la": "341", "version": 2, "submitted_at": "2026-11-23T09:30:00Z",
    "submitted_by": "Liverpool BI", "submission_id": None, "source": "Liverpool BI", "superseded_at": None,
}

Outcome = Literal["created", "revised", "unchanged"]
