"""The care-orders-at-home pack's response."""

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.packs.benchmark import BENCHMARKS_DESCRIPTION, Benchmarks
from app.packs.schemas import SUPPRESSED_DESCRIPTION, PackBase, Suppressed

INTERIM_ITEMS = (
    "interim_orders_from_private_law", "interim_orders_for_parent_assessment",
    "interim_orders_for_parent_assessment_child_remained", "interim_orders_became_full_orders",
)
COUNT_FIELDS = (
    "full_care_orders_at_home", "interim_care_orders_at_home", "total_at_home", "cla_total", "placed_with_parents",
    "orders_made_in_year",
    "discharges_total", "discharges_to_no_order", "discharges_to_supervision_order",
    "discharges_to_family_assistance_order", "discharges_to_special_guardianship_order",
    "discharges_to_child_arrangements_order",
    *INTERIM_ITEMS,
)
# Shares of the discharges in the year to each outcome, derived from the counts.
DISCHARGE_SHARES = tuple(f"pct_{name}" for name in COUNT_FIELDS if name.startswith("discharges_to_"))


_SHARE = ("Discharges in the year to {}, as a percentage of discharges_total. For an area, only where the LAs "
          "that returned the part are those that returned the total (else null: see item_las_returned).")


class CareOrderFigures(BaseModel):
    full_care_orders_at_home: int | None = None
    interim_care_orders_at_home: int | None = None
    total_at_home: int | None = None
    cla_total: int | None = None
    pct_of_cla: float | None = Field(default=None, description="total_at_home / cla_total, as a percentage.")
    placed_with_parents: int | None = Field(default=None, description="CLA placed with parents or others with PR, "
                                                                      "any legal status.")
    pct_placed_with_parents: float | None = Field(default=None, description="placed_with_parents / cla_total, "
                                                                            "as a percentage.")
    rate_per_10k: float | None = Field(default=None, description="total_at_home per 10,000 children aged 0–17.")
    change_on_previous: int | None = Field(default=None, description="total_at_home minus that of the previous "
                                                                       "snapshot date; null where there is none.")
    orders_made_in_year: int | None = None
    discharges_total: int | None = None
    discharges_to_no_order: int | None = None
    discharges_to_supervision_order: int | None = None
    discharges_to_family_assistance_order: int | None = None
    discharges_to_special_guardianship_order: int | None = None
    discharges_to_child_arrangements_order: int | None = None
    pct_discharges_to_no_order: float | None = Field(default=None, description=_SHARE.format("no order"))
    pct_discharges_to_supervision_order: float | None = Field(default=None, description=_SHARE.format(
        "a supervision order"))
    pct_discharges_to_family_assistance_order: float | None = Field(default=None, description=_SHARE.format(
        "a family assistance order"))
    pct_discharges_to_special_guardianship_order: float | None = Field(default=None, description=_SHARE.format(
        "a special guardianship order"))
    pct_discharges_to_child_arrangements_order: float | None = Field(default=None, description=_SHARE.format(
        "a child arrangements order"))
    interim_orders_from_private_law: int | None = Field(default=None, description="Interim care orders at home in "
                                                        "the year that arose from private law proceedings.")
    interim_orders_for_parent_assessment: int | None = Field(default=None, description="Interim care orders at home "
                                                             "in the year made to assess a parent.")
    interim_orders_for_parent_assessment_child_remained: int | None = Field(
        default=None, description="Of those, the assessments that ended with the child remaining at home.")
    interim_orders_became_full_orders: int | None = Field(default=None, description="Interim care orders at home in "
                                                          "the year that became full care orders.")
    pct_parent_assessment_child_remained: float | None = Field(default=None, description=(
        "interim_orders_for_parent_assessment_child_remained / interim_orders_for_parent_assessment, as a percentage: "
        "how often a parent assessment on an interim order ended with the child remaining at home."))
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)
    benchmark: Benchmarks = Field(default_factory=dict, description=BENCHMARKS_DESCRIPTION)


FIGURES_EXAMPLE = {
    "full_care_orders_at_home": 120, "interim_care_orders_at_home": 35, "total_at_home": 155, "cla_total": 1450,
    "pct_of_cla": 10.7, "placed_with_parents": 190, "pct_placed_with_parents": 13.1,
    "rate_per_10k": 14.7, "change_on_previous": 6, "orders_made_in_year": 48,
    "discharges_total": 40, "discharges_to_no_order": 28, "discharges_to_supervision_order": 11,
    "discharges_to_family_assistance_order": None, "discharges_to_special_guardianship_order": 0,
    "discharges_to_child_arrangements_order": 0, "pct_discharges_to_no_order": 70.0,
    "pct_discharges_to_supervision_order": 27.5, "pct_discharges_to_family_assistance_order": None,
    "pct_discharges_to_special_guardianship_order": 0.0, "pct_discharges_to_child_arrangements_order": 0.0,
    "interim_orders_from_private_law": 0, "interim_orders_for_parent_assessment": 12,
    "interim_orders_for_parent_assessment_child_remained": 8, "interim_orders_became_full_orders": 21,
    "pct_parent_assessment_child_remained": 66.7,
    "suppressed": {"discharges_to_family_assistance_order": "c", "pct_discharges_to_family_assistance_order": "c"},
}


class LaCareOrders(CareOrderFigures):
    model_config = ConfigDict(json_schema_extra={"examples": [{"la": "341", "name": "Liverpool", **FIGURES_EXAMPLE}]})

    la: str
    name: str


class AreaCareOrders(CareOrderFigures):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "area": "E12000002", "name": "North West", "las_returned": 23, "las_expected": 23, "matched_las": 23,
        **FIGURES_EXAMPLE}]})

    area: str
    name: str
    las_returned: int = Field(description="LAs whose return for the date is included.")
    las_expected: int = Field(description="LAs of the area that were operational on the date.")
    item_las_returned: dict[str, int] = Field(default_factory=dict, description=(
        "Optional items (orders made, discharges, the interim-order items) that fewer LAs returned than "
        "`las_returned`: how many did. "
        "Such an item is the sum over those LAs only."))
    matched_las: int | None = Field(default=None, description="The area's change on its previous snapshot is over "
                                                              "the LAs that returned both dates: how many they are "
                                                              "(null where no change is given).")


class CharacteristicRow(BaseModel):
    """One category of one dimension for one area on a date: the children on care orders at home in it."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "role": "area", "area": "E12000002", "name": "North West", "las_returned": 21, "las_expected": 23,
        "dimension": "age_band",
        "category": "1_to_4", "total_at_home": 274, "children_in_dimension": 1210, "pct_of_dimension": 22.6, "suppressed": {}}]})

    role: Literal["area", "region", "england"] = Field(description="`area`: the pack's own area; `region` and "
                                                                     "`england`: the comparators (a region's pack "
                                                                     "has its own region among them too).")
    area: str
    name: str
    las_returned: int = Field(description="LAs whose breakdown for the date is included: the figures are theirs only.")
    las_expected: int = Field(description="LAs of the area that were operational on the date.")
    dimension: str = Field(description="`age_band`, `sex`, `ethnicity` or `time_at_home_on_order`.")
    category: str
    total_at_home: int | None = Field(default=None, description="Children on a full or interim care order at home "
                                                                "in the category.")
    children_in_dimension: int | None = Field(default=None, description="The dimension's categories added up: "
                                                                         "what its shares are of.")
    pct_of_dimension: float | None = Field(default=None, description="total_at_home / children_in_dimension, "
                                                                     "as a percentage.")
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class LaNote(BaseModel):
    """What an LA wrote for the board beside its counts for a date, as it wrote it."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "la": "341", "name": "Liverpool", "notes": "Two large sibling groups were discharged together in March."}]})

    la: str
    name: str
    notes: str = Field(description="The LA's `notes` on its care-order-counts return for the date, as returned.")


class CareOrdersAtDate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "snapshot_date": "2021-03-31", "las": [], "total": None, "comparators": [], "characteristics": [],
        "notes": []}]})

    snapshot_date: date
    las: list[LaCareOrders]
    total: AreaCareOrders | None
    comparators: list[AreaCareOrders] = Field(description="Every region and England, for comparison.")
    characteristics: list[CharacteristicRow] = Field(default_factory=list, description=(
        "Children on care orders at home by age band, sex, ethnicity and time on the order: the area first, then "
        "every region and England, each over the LAs that returned a breakdown for the date."))
    notes: list[LaNote] = Field(default_factory=list, description=(
        "What the LAs told us: each LA of the area whose return for the date has `notes`, with them as returned "
        "(free text an LA writes for the board, published as such; no count is worked from it)."))


class CareOrdersPack(PackBase):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "pack": "care-orders-at-home", "area": {"code": "E12000002", "name": "North West", "kind": "region"},
        "from": "2017-04-01", "to": "2021-03-31", "as_of": None, "generated_at": "2026-11-23T09:00:00Z",
        "suppression": {"applied": True, "threshold": 5, "cells_hidden": 4}, "sources": [], "dates": [],
    }]})

    dates: list[CareOrdersAtDate]
    groups: dict[str, str] = Field(default_factory=dict, description="The groups each `benchmark` sets beside a "
                                                                      "row, by code: their names.")
