
from pydantic import BaseModel, ConfigDict, Field

from app.core.types import IsoDate
from app.records.schemas import META_EXAMPLE, Count, VersionMeta, free_text

DISCHARGE_PARTS = (
    "to_no_order", "to_supervision_order", "to_family_assistance_order",
    "to_special_guardianship_order", "to_child_arrangements_order",
)
OPTIONAL_COUNTS = (
    "orders_made_in_year", "interim_orders_from_private_law", "interim_orders_for_parent_assessment",
    "interim_orders_for_parent_assessment_child_remained", "interim_orders_became_full_orders",
)

EXAMPLE = {
    "cla_total": 1450, "placed_with_parents": 190, "full_care_orders_at_home": 120,
    "interim_care_orders_at_home": 35, "orders_made_in_year": 48,
    "discharges": {"total": 40, "to_no_order": 28, "to_supervision_order": 11,
                   "to_family_assistance_order": 1, "to_special_guardianship_order": 0,
                   "to_child_arrangements_order": 0},
    "interim_orders_from_private_law": 3, "interim_orders_for_parent_assessment": 6,
    "interim_orders_for_parent_assessment_child_remained": 4, "interim_orders_became_full_orders": 21,
    "notes": None,
}


class Discharges(BaseModel):
    """Discharges of care orders at home in the 12 months to the snapshot date."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE["discharges"]]})

    total: Count
    to_no_order: Count | None = None
    to_supervision_order: Count | None = None
    to_family_assistance_order: Count | None = None
    to_special_guardianship_order: Count | None = None
    to_child_arrangements_order: Count | None = None


class CareOrderCountsCreate(BaseModel):
    """One LA's counts at one snapshot date. Optional items may be null: not returned."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})

    cla_total: Count = Field(description="Children looked after at the date.")
    placed_with_parents: Count = Field(description="CLA placed with parents or others with PR, any legal status.")
    full_care_orders_at_home: Count = Field(description="S.31 full care orders, placed with parents.")
    interim_care_orders_at_home: Count = Field(description="S.38 interim care orders, placed with parents.")
    orders_made_in_year: Count | None = Field(default=None, description="Care orders at home made in the 12 months to the date.")
    discharges: Discharges | None = None
    interim_orders_from_private_law: Count | None = None
    interim_orders_for_parent_assessment: Count | None = None
    interim_orders_for_parent_assessment_child_remained: Count | None = None
    interim_orders_became_full_orders: Count | None = None
    notes: str | None = free_text(2000, default=None, description=(
        "The LA's own words for the board beside its counts. Shown as returned, under the LA's name, in the "
        "care-orders-at-home pack (\"What the LAs told us\") to every reader of a pack that covers the LA, "
        "including readers held to small-number suppression: write no figure about a child here."))


class CareOrderCountsRecord(CareOrderCountsCreate):
    model_config = ConfigDict(json_schema_extra={"examples": [{"snapshot_date": "2021-03-31", **EXAMPLE}]})

    snapshot_date: IsoDate


class CareOrderCountsRead(CareOrderCountsRecord, VersionMeta):
    model_config = ConfigDict(json_schema_extra={"examples": [{"snapshot_date": "2021-03-31", **EXAMPLE, **META_EXAMPLE}]})
