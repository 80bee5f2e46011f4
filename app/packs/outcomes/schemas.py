"""The outcomes pack's response."""

from pydantic import BaseModel, ConfigDict, Field

from app.packs.distribution import Distribution
from app.packs.schemas import SUPPRESSED_DESCRIPTION, Coverage, PackBase, Suppressed


class OutcomesRow(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "code": "341", "name": "Liverpool", "discharge_outcomes": Distribution.model_json_schema()["examples"][0]}]})

    code: str = Field(description="The LA's DfE code, or the area's code for the area row.")
    name: str
    discharge_outcomes: Distribution = Field(description="Discharges whose discharge_date is in the range.")
    pre_proceedings: Distribution = Field(description="Orders made in the range: preceded by pre-proceedings?")
    assessments_in_proceedings: Distribution = Field(description="Orders made in the range, by assessments.")
    plan_vs_outcome: Distribution = Field(description="Orders made in the range by 'LA final care plan|court outcome'.")
    plans: Distribution = Field(description="Orders made in the range, by the LA's final care plan.")
    court_outcomes: Distribution = Field(description="Orders made in the range, by the order the court made.")
    care_order_at_home_when_planned: dict[str, float | None] = Field(
        description="For each LA plan: % of those orders where the court made a care order at home.")
    current_status: Distribution = Field(description="Every order made on or before `to`, by current status.")
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class OutcomesTotal(Coverage, OutcomesRow):
    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "E12000002", "name": "North West",
                                                               "las_returned": 22, "las_expected": 23}]})


class OutcomesPack(PackBase):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "pack": "outcomes", "area": {"code": "E12000002", "name": "North West", "kind": "region"},
        "from": "2016-04-01", "to": "2021-03-31", "as_of": None, "generated_at": "2026-11-23T09:00:00Z",
        "suppression": {"applied": True, "threshold": 5, "cells_hidden": 40}, "sources": [], "las": [], "total": None}]})

    las: list[OutcomesRow]
    total: OutcomesTotal
