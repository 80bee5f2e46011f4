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
    by_age_band: Distribution = Field(description="Orders made in the range by the child's age at the order, in the "
                                      "care-order-characteristics bands; `total` is the orders made, as in every `by_`.")
    by_order_type: Distribution = Field(description="Orders made in the range, full or interim.")
    by_sex: Distribution = Field(description="Orders made in the range by the child's sex (`not_recorded`: not returned).")
    by_ethnicity: Distribution = Field(description="Orders made in the range by the child's ethnic group.")
    by_disability: Distribution = Field(description="Orders made in the range: was the child disabled?")
    by_category_of_need: Distribution = Field(description="Orders made in the range by category of need (N1-N8).")
    by_proceedings_type: Distribution = Field(description="Orders made in the range, public or private law.")
    initial_vs_final_plan: Distribution = Field(description="Orders made in the range with both plans recorded, by "
                                                "'LA initial care plan|LA final care plan'.")
    guardian_vs_outcome: Distribution = Field(description="Orders made in the range with both recorded, by "
                                              "'guardian's recommendation|court outcome'.")
    agreement_initial_plan: Distribution = Field(description="Orders made in the range with both recorded: did the "
                                                 "court make the order of the LA's initial plan? `shares.matched` is the rate.")
    agreement_final_plan: Distribution = Field(description="The same for the LA's final plan (`plan_vs_outcome`'s diagonal).")
    agreement_guardian: Distribution = Field(description="The same for the guardian's recommendation.")
    contested_final_hearing: Distribution = Field(description="Orders made in the range with it recorded: was the "
                                                  "final hearing contested?")
    professional_communication: Distribution = Field(description="Orders made in the range by how much the "
                                                     "professionals communicated (none, limited, some, extensive; "
                                                     "`not_recorded`: not returned); `total` is the orders made.")
    independent_social_worker: Distribution = Field(description="Orders made in the range with it recorded: was an "
                                                    "independent social worker involved? `shares.yes` is the share "
                                                    "with one.")
    awaiting_final_hearing: int | None = Field(description="Orders made in the range with no final hearing yet: left "
                                               "out of `proceedings_years`.")
    time_on_order: Distribution = Field(description="Orders discharged in the range by time from order to discharge.")
    median_years_on_order: float | None = Field(description="Median years from order to discharge of those orders "
                                                "(hidden from a suppressed reader over fewer than 10).")
    re_referred_within_12_months: Distribution = Field(description="Orders discharged in the range with it recorded: "
                                                       "was the child re-referred within 12 months?")
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class ProceedingsYear(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "code": "341", "name": "Liverpool", "year": "2019-20",
        "time_in_proceedings": {"counts": {"within_26_weeks": 12, "over_26_weeks": 30}, "total": 42,
                                "shares": {"within_26_weeks": 28.6, "over_26_weeks": 71.4}, "suppressed": {}},
        "lower_quartile_weeks": 24.5, "median_weeks": 31.0, "upper_quartile_weeks": 40.3, "suppressed": {}}]})

    code: str = Field(description="The LA's DfE code, or the area's code for the area row.")
    name: str
    year: str = Field(description="The financial year of the final hearing, e.g. 2019-20.")
    time_in_proceedings: Distribution = Field(description="Orders whose final hearing was in the year (proceedings "
                                              "issued recorded), within or over 26 weeks from issue.")
    lower_quartile_weeks: float | None = Field(description="Weeks from issue to final hearing: lower quartile "
                                               "(inclusive method, as QUARTILE.INC).")
    median_weeks: float | None = Field(description="Median weeks (the mean of the two middle values for an even count); "
                                       "hidden from a suppressed reader over fewer than 10 orders.")
    upper_quartile_weeks: float | None = Field(description="Upper quartile (inclusive method).")
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
    proceedings_years: list[ProceedingsYear] = Field(
        default_factory=list, description="Time in proceedings by financial year of final hearing: each LA's "
                                          "years, then the area's.")
