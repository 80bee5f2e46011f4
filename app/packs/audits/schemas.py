"""The audits pack's response."""

from pydantic import BaseModel, ConfigDict, Field

from app.packs.benchmark import BENCHMARKS_DESCRIPTION, Benchmarks
from app.packs.distribution import Distribution
from app.packs.schemas import SUPPRESSED_DESCRIPTION, Coverage, PackBase, Suppressed


class Programme(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "planned": 40, "exempted": 4, "scheduled": 36, "returned": 15, "return_rate": 41.7, "suppressed": {}}]})

    planned: int | None
    exempted: int | None
    scheduled: int | None = Field(description="planned − exempted")
    returned: int | None
    return_rate: float | None = Field(description="returned / scheduled, as a percentage")
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class ModerationSummary(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "audits_returned": 60, "moderated": 12, "pct_moderated": 20.0, "supported": 9, "downgraded": None,
        "upgraded": None, "pct_downgraded": None, "suppressed": {"downgraded": "c", "upgraded": "c",
                                                                  "pct_downgraded": "c"}}]})

    audits_returned: int | None = Field(description="LA audits (not Cafcass dip samples) dated in the range.")
    moderated: int | None
    pct_moderated: float | None = Field(description="moderated / audits returned")
    supported: int | None
    downgraded: int | None
    upgraded: int | None
    pct_downgraded: float | None = Field(description="downgraded / moderated")
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class Agreement(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"pairs": 14, "agreed": 10, "pct_agreed": 71.4,
                                                               "suppressed": {}}]})

    pairs: int | None = Field(description="LA audit and Cafcass dip sample of the same order_ref.")
    agreed: int | None = Field(description="Pairs where Cafcass's grade equals the LA's (after moderation).")
    pct_agreed: float | None
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class AuditFigures(BaseModel):
    grades: Distribution = Field(description="Overall grades after moderation, LA audits dated in the range.")
    pct_good_or_better: float | None
    domains: dict[str, Distribution] = Field(description="Grades per domain of the frameworks used.")
    programme: Programme
    moderation: ModerationSummary
    agreement: Agreement
    outcome_grades: Distribution = Field(description=(
        "Outcome grades (the outcome for the child, where an LA grades it apart from the quality of the work) of "
        "LA audits dated in the range; `total`: how many of them graded an outcome."))
    pct_outcome_good_or_better: float | None = Field(description="Outcomes graded good or outstanding / outcomes "
                                                                 "graded, as a percentage")
    moderated_grades: Distribution = Field(description=(
        "The grades moderation gave, among moderated LA audits (`total` = `moderation.moderated`)."))
    audit_types: Distribution = Field(description=(
        "Audits dated in the range by type, Cafcass dip samples included; the LA types add up to the audits "
        "returned (`grades.total`)."))
    type_grades: dict[str, Distribution] = Field(description=(
        "Grades per audit type (`total` = that type's count): LA audits after moderation; `cafcass_dip_sample` is "
        "Cafcass's own grade distribution."))
    themes: Distribution = Field(description=(
        "Themed audits by theme as the LA returned it (trimmed; none given: \"not stated\"); `total` = themed "
        "audits. An LA's row lists its own themes, the area's every LA's."))
    auditor_roles: Distribution = Field(description=(
        "LA audits by the auditor's role as returned (trimmed; none given: \"not stated\"); `total` = audits "
        "returned."))
    domain_agreement: dict[str, Agreement] = Field(description=(
        "Per domain, the LA audits and Cafcass dip samples of one order_ref that both graded it, and how many "
        "gave it the same grade."))
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)
    benchmark: Benchmarks = Field(default_factory=dict, description=BENCHMARKS_DESCRIPTION + (
        " Measures: `pct_good_or_better` and `return_rate` (the programme's), over the pack's period."))


class AuditRow(AuditFigures):
    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "341", "name": "Liverpool"}]})

    code: str
    name: str


class AuditTotal(Coverage, AuditRow):
    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "E12000002", "name": "North West",
                                                               "las_returned": 22, "las_expected": 23}]})


class MonthRow(Coverage):
    model_config = ConfigDict(json_schema_extra={"examples": [{"month": "2021-02", "las_returned": 20,
                                                               "las_expected": 23}]})

    month: str
    grades: Distribution
    pct_good_or_better: float | None
    programme: Programme
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class AuditsPack(PackBase):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "pack": "audits", "area": {"code": "E12000002", "name": "North West", "kind": "region"},
        "from": "2019-04-01", "to": "2021-03-31", "as_of": None, "generated_at": "2026-11-23T09:00:00Z",
        "suppression": {"applied": True, "threshold": 5, "cells_hidden": 120}, "sources": [],
        "domains": ["response_to_risk"], "las": [], "months": [], "total": None}]})

    domains: list[str]
    las: list[AuditRow]
    months: list[MonthRow]
    total: AuditTotal
    groups: dict[str, str] = Field(default_factory=dict, description="The groups each `benchmark` sets beside a "
                                                                      "row, by code: their names.")
