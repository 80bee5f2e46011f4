from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from app.care_order_counts.schemas import EXAMPLE as COUNTS_EXAMPLE
from app.care_order_counts.schemas import CareOrderCountsCreate
from app.records.schemas import Count, Outcome
from app.submissions.schemas import FILE_EXAMPLES, SubmittedFile

DERIVED_COUNTS_EXAMPLE = {**COUNTS_EXAMPLE, "discharges": {
    "total": 40, "to_no_order": None, "to_supervision_order": None, "to_family_assistance_order": None,
    "to_special_guardianship_order": 6, "to_child_arrangements_order": 2},
    "interim_orders_from_private_law": None, "interim_orders_for_parent_assessment": None,
    "interim_orders_for_parent_assessment_child_remained": None}
CHARACTERISTIC_EXAMPLE = {"dimension": "age_band", "category": "1_to_4", "full_care_orders_at_home": 31,
                          "interim_care_orders_at_home": 9, "outcome": "created"}
YEAR_EXAMPLE = {"year": 2021, "snapshot_date": "2021-03-31", "care_order_counts": DERIVED_COUNTS_EXAMPLE,
                "care_order_counts_outcome": "created", "characteristics": [CHARACTERISTIC_EXAMPLE]}


class DerivedCharacteristic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [CHARACTERISTIC_EXAMPLE]})

    dimension: str
    category: str
    full_care_orders_at_home: Count
    interim_care_orders_at_home: Count
    outcome: Outcome = Field(description="What storing it did (in a dry run: would do).")


class DerivedYear(BaseModel):
    """One collection year's records, as derived from the extract."""

    model_config = ConfigDict(json_schema_extra={"examples": [YEAR_EXAMPLE]})

    year: int = Field(description="Collection year Y: 1 April Y-1 to 31 March Y.")
    snapshot_date: date
    care_order_counts: CareOrderCountsCreate = Field(description="The `care-order-counts` record for the snapshot "
                                                                 "date; items the 903 cannot tell are null.")
    care_order_counts_outcome: Outcome
    characteristics: list[DerivedCharacteristic] = Field(description="The `care-order-characteristics` records for "
                                                                      "the date: every category of every dimension.")


class Ssda903SubmissionRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 31, "la": "341", "years": "2017:2021", "dry_run": False, "files": FILE_EXAMPLES,
        "created": 18, "revised": 1, "unchanged": 76, "source": "ssda903:31",
        "submitted_at": "2026-11-30T09:30:00Z", "submitted_by": "Liverpool BI", "derived": [YEAR_EXAMPLE],
        "warnings": [],
    }]})

    id: int | None = Field(description="Null for a dry run, which stores nothing.")
    la: str
    years: str = Field(description="The collection years derived, FROM:TO.")
    dry_run: bool
    files: list[SubmittedFile]
    created: int = Field(description="Records stored for the first time, over both datasets.")
    revised: int
    unchanged: int
    source: str | None = Field(description="What the records this submission created or revised name as their "
                                           "source: `ssda903:<id>` (an unchanged record keeps the version it had, "
                                           "and so its source); null for a dry run.")
    submitted_at: datetime
    submitted_by: str
    derived: list[DerivedYear]
    warnings: list[str] = Field(default_factory=list, description=(
        "Named years in which no episode starts or ends: derived and stored as asked, but most often the extract "
        "does not reach them; check before relying on their figures."))
