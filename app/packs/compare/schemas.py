"""The compare pack's response."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from app.packs.schemas import SUPPRESSED_DESCRIPTION, PackBase, Suppressed


class Period(BaseModel):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [
        {"from": "2009-04-01", "to": "2014-03-31", "value": 84, "snapshots": 5, "suppressed": {}}]})

    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")
    value: int | None = Field(description="The measure summed over the period.")
    snapshots: int = Field(description="Returns (snapshot dates × LAs) or records summed.")
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class Comparison(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "341", "name": "Liverpool"}]})

    code: str
    name: str
    before: Period
    after: Period
    change: int | None
    pct_change: float | None = Field(description="(after − before) / before, as a percentage.")
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class ComparePack(PackBase):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "pack": "compare", "area": {"code": "341", "name": "Liverpool", "kind": "la"}, "from": "2009-04-01",
        "to": "2019-03-31", "as_of": None, "generated_at": "2026-11-23T09:00:00Z",
        "suppression": {"applied": False, "threshold": 5, "cells_hidden": 0}, "sources": [],
        "measure": "orders_made", "las": [], "total": None}]})

    measure: str
    las: list[Comparison]
    total: Comparison
