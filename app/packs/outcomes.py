"""The outcomes pack, from child-level orders: aggregates only, never a record."""

from collections.abc import Hashable
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import String, case, cast, func, select
from sqlalchemy.orm import Session

from app.orders.models import CareOrder
from app.orders.schemas import CurrentStatus, DischargeOutcome, PlanOrOutcome
from app.packs import distribution as dist
from app.packs.common import header, new_disclosure, summarised_sources
from app.packs.disclosure import Disclosure
from app.packs.distribution import Distribution
from app.packs.figures import percentage
from app.packs.schemas import SUPPRESSED_DESCRIPTION, PackBase, Suppressed
from app.packs.scope import PackRequest
from app.records.state import in_force
from app.reference.models import LocalAuthority

Order = CareOrder
DISCHARGES = get_args(DischargeOutcome)
PLANS = get_args(PlanOrOutcome)
PAIRS = tuple(f"{plan}|{outcome}" for plan in PLANS for outcome in PLANS)
STATUSES = get_args(CurrentStatus)
ASSESSMENT_BUCKETS = (*(str(n) for n in range(10)), "10+")
YES_NO = ("yes", "no")


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


class OutcomesPack(PackBase):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "pack": "outcomes", "area": {"code": "E12000002", "name": "North West", "kind": "region"},
        "from": "2016-04-01", "to": "2021-03-31", "as_of": None, "generated_at": "2026-11-23T09:00:00Z",
        "suppression": {"applied": True, "threshold": 5, "cells_hidden": 40}, "sources": [], "las": [], "total": None}]})

    las: list[OutcomesRow]
    total: OutcomesRow


SECTIONS: dict[str, tuple[str, ...]] = {
    "discharge_outcomes": DISCHARGES, "pre_proceedings": YES_NO, "assessments_in_proceedings": ASSESSMENT_BUCKETS,
    "plan_vs_outcome": PAIRS, "plans": PLANS, "court_outcomes": PLANS, "current_status": STATUSES,
}


def _returning(session: Session, req: PackRequest) -> set[str]:
    """LAs with any order in force: for the others every figure is "not returned", not zero."""
    return set(session.scalars(select(Order.la_code).where(Order.la_code.in_(list(req.la_codes)),
                                                          in_force(Order, req.as_of)).distinct()))


def _counts(session: Session, req: PackRequest) -> dict[str, dict[str, dict[str, int]]]:
    """Per section: {la: {category: count}}, each counted by one GROUP BY."""
    la_codes = list(req.la_codes)
    base = [Order.la_code.in_(la_codes), in_force(Order, req.as_of)]
    made_in_range = [*base, Order.order_date >= req.date_from, Order.order_date <= req.date_to]
    bucket = case((Order.assessments_in_proceedings >= 10, "10+"), else_=cast(Order.assessments_in_proceedings, String))
    pre = case((Order.pre_proceedings.is_(True), "yes"), (Order.pre_proceedings.is_(False), "no"))

    def by(category: Any, *where: Any) -> dict[str, dict[str, int]]:
        rows = session.execute(select(Order.la_code, category, func.count()).where(*where).group_by(Order.la_code, category))
        return dist.grouped(rows)

    pair = Order.la_final_care_plan + "|" + Order.court_outcome
    return {
        "discharge_outcomes": by(Order.discharge_outcome, *base, Order.discharge_date >= req.date_from,
                                 Order.discharge_date <= req.date_to),
        "pre_proceedings": by(pre, *made_in_range),
        "assessments_in_proceedings": by(bucket, *made_in_range, Order.assessments_in_proceedings.is_not(None)),
        "plan_vs_outcome": by(pair, *made_in_range),
        "plans": by(Order.la_final_care_plan, *made_in_range, Order.court_outcome.is_not(None)),
        "court_outcomes": by(Order.court_outcome, *made_in_range, Order.la_final_care_plan.is_not(None)),
        "current_status": by(Order.current_status, *base, Order.order_date <= req.date_to),
    }


def _register_row(d: Disclosure, prefix: tuple[Hashable, ...], counts: dict[str, Any], protected: bool) -> None:
    for section, categories in SECTIONS.items():
        dist.register(d, (*prefix, section), counts.get(section), categories, protected)
    # The cross-table's rows add up to the plans, its columns to the court outcomes.
    for plan in PLANS:
        d.line([(*prefix, "plan_vs_outcome", "counts", f"{plan}|{o}") for o in PLANS], (*prefix, "plans", "counts", plan))
        d.derive((*prefix, "care_order_at_home_when_planned", plan),
                 [(*prefix, "plan_vs_outcome", "counts", f"{plan}|care_order_at_home"), (*prefix, "plans", "counts", plan)])
    for outcome in PLANS:
        d.line([(*prefix, "plan_vs_outcome", "counts", f"{p}|{outcome}") for p in PLANS],
               (*prefix, "court_outcomes", "counts", outcome))


def _present(d: Disclosure, prefix: tuple[Hashable, ...], code: str, name: str, hidden: set[Hashable]) -> OutcomesRow:
    sections = {s: dist.present(d, (*prefix, s), categories, hidden) for s, categories in SECTIONS.items()}
    rates: dict[str, float | None] = {}
    marks: dict[str, Any] = {}
    for plan in PLANS:
        if (*prefix, "care_order_at_home_when_planned", plan) in hidden:
            rates[plan] = None
            marks[f"care_order_at_home_when_planned.{plan}"] = "c"
        else:
            rates[plan] = percentage(d.values[(*prefix, "plan_vs_outcome", "counts", f"{plan}|care_order_at_home")],
                                     d.values[(*prefix, "plans", "counts", plan)])
    return OutcomesRow(code=code, name=name, care_order_at_home_when_planned=rates, suppressed=marks, **sections)


def build(session: Session, req: PackRequest) -> OutcomesPack:
    d = new_disclosure(req)
    counts = _counts(session, req)
    names = dict(session.execute(select(LocalAuthority.code, LocalAuthority.name)
                                 .where(LocalAuthority.code.in_(req.la_codes))).all())
    la_codes = sorted(req.la_codes)
    returning = _returning(session, req)
    for code in la_codes:
        _register_row(d, (code,), {s: counts[s].get(code, {}) if code in returning else None for s in SECTIONS},
                      req.viewer.protects(code))
    area_counts = {s: _sum(counts[s].values()) if returning else None for s in SECTIONS}
    area_key = ("area", req.area.code)
    _register_row(d, area_key, area_counts, req.viewer.protects(None, req.area))
    for section, categories in SECTIONS.items():
        dist.link(d, [(code, section) for code in la_codes], (*area_key, section), categories)
    if req.area.kind == "la":
        for section, categories in SECTIONS.items():
            dist.link(d, [(req.area.code, section)], (*area_key, section), categories)
    hidden = d.hidden()
    sources = summarised_sources(session, Order, "orders", "order_ref", la_codes, req.as_of, Order.order_date <= req.date_to)
    return OutcomesPack(
        **header(req, "outcomes", d, hidden, sources),
        las=[_present(d, (code,), code, names.get(code, code), hidden) for code in la_codes],
        total=_present(d, area_key, req.area.code, req.area.name, hidden),
    )


def _sum(per_la: Any) -> dict[str, int]:
    total: dict[str, int] = {}
    for counts in per_la:
        for category, n in counts.items():
            total[category] = total.get(category, 0) + n
    return total
