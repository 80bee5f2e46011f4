"""The completeness pack's response."""

from pydantic import BaseModel, ConfigDict, Field

from app.packs.schemas import PackBase


class Gap(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"expected": 5, "returned": 4, "missing": ["2019-03-31"]}]})

    expected: int
    returned: int
    missing: list[str]


class LaCompleteness(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "341", "name": "Liverpool", "complete": False}]})

    code: str
    name: str
    complete: bool = Field(description="Every expected return and item is in.")
    care_order_counts: Gap = Field(description="31 March snapshots (and any other date an LA of the area returned).")
    items_not_returned: dict[str, list[str]] = Field(description="Per snapshot date, optional items left null.")
    population: Gap = Field(description="Mid-year estimates for the years of the snapshot dates.")
    audit_programme: Gap = Field(description="Months of the range.")
    orders_returned: bool = Field(description="Any order made or discharged in the range, or still open.")
    audits_returned: bool = Field(description="Any audit dated in the range.")
    warnings: list[str] = Field(default_factory=list, description=(
        "Checks across datasets that fail in the range: a month whose audit programme's `returned` differs from "
        "the LA audits stored for it; audits naming an order not stored or made after them. How many audits, "
        "only at full disclosure."), examples=[["2021-02: audits returned in the programme: 15; audits stored: 3"]])


class CompletenessPack(PackBase):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "pack": "completeness", "area": {"code": "E12000002", "name": "North West", "kind": "region"},
        "from": "2017-04-01", "to": "2021-03-31", "as_of": None, "generated_at": "2026-11-23T09:00:00Z",
        "suppression": {"applied": False, "threshold": 5, "cells_hidden": 0}, "sources": [], "las": []}]})

    las: list[LaCompleteness]
