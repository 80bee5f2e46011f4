"""The compare pack's response."""

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.packs.schemas import SUPPRESSED_DESCRIPTION, PackBase, Suppressed


class Period(BaseModel):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [
        {"from": "2016-04-01", "to": "2019-03-31", "value": 139.7, "used": ["2017-03-31", "2018-03-31", "2019-03-31"],
         "snapshots": None, "suppressed": {}}]})

    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")
    value: int | float | None = Field(description="A flow (counted in the year) summed over the period; a stock (a "
                                                  "count on a date) the mean over the period's 31 March snapshots, "
                                                  "to one decimal place.")
    used: list[str] = Field(description="The 31 March snapshots returned in the period (returned counts), or the "
                                        "financial years it covers (child-level orders, e.g. 2019-20).")
    snapshots: int | None = Field(description="Returns (snapshot dates × LAs) or records summed; null unless the "
                                              "reader has full disclosure (a number of records is a count too).")
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class Comparison(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "341", "name": "Liverpool", "matched": True}]})

    code: str
    name: str
    matched: bool = Field(description="An LA: it returned the measure for the whole of both periods, so its change "
                                      "compares like with like. The total: it covers at least one matched LA "
                                      "(`matched_las`); the LAs left out are listed in `left_out`.")
    before: Period
    after: Period
    change: int | float | None = Field(description="after − before; null unless matched.")
    pct_change: float | None = Field(description="(after − before) / before, as a percentage; null unless matched.")
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class LaRef(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "909", "name": "Cumbria"}]})

    code: str
    name: str


class YearValue(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"year": "2018-03-31", "side": "before", "value": 2659, "suppressed": {}}]})

    year: str = Field(description="A 31 March snapshot (returned counts) or a financial year (child-level orders).")
    side: Literal["before", "after"]
    value: int | None = Field(description="The area's figure for that year, over the matched LAs.")
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class ComparePack(PackBase):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "pack": "compare", "area": {"code": "341", "name": "Liverpool", "kind": "la"}, "from": "2009-04-01",
        "to": "2019-03-31", "as_of": None, "generated_at": "2026-11-23T09:00:00Z",
        "suppression": {"applied": False, "threshold": 5, "cells_hidden": 0}, "sources": [],
        "measure": "orders_made", "kind": "flow", "matched_las": 1, "las_expected": 1, "left_out": [], "years": [], "las": [],
        "total": None}]})

    measure: str
    kind: Literal["flow", "stock"] = Field(description="flow: summed over each period; stock: the mean over its "
                                                       "snapshots.")
    matched_las: int = Field(description="LAs of the area the total covers: those matched on both sides.")
    las_expected: int = Field(description="LAs of the area that were operational at some time in the periods.")
    left_out: list[LaRef] = Field(description="LAs of the area left out of the total: not returned for the whole "
                                              "of both periods.")
    years: list[YearValue] = Field(description="The area's figure (matched LAs) for each year behind both periods.")
    las: list[Comparison]
    total: Comparison
