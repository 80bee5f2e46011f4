"""The outcomes pack's figures, from child-level orders: aggregates only, never a record."""

from dataclasses import dataclass
from datetime import date
from typing import Any, get_args

from sqlalchemy import String, case, cast, func, select
from sqlalchemy.orm import Session

from app.orders.models import CareOrder
from app.orders.schemas import DischargeOutcome, PlanOrOutcome
from app.packs.cells import About, Cell, Figures, Relations, Row
from app.packs.disclosure import Hidden
from app.packs.distribution import DistributionCells, add_counts, grouped
from app.packs.outcomes import journey, status
from app.packs.outcomes.schemas import OutcomesPack, OutcomesRow, OutcomesTotal, ProceedingsYear
from app.packs.request import PackRequest
from app.packs.rounding import percentage
from app.packs.schemas import Source
from app.packs.sources import summarised_sources
from app.records.state import in_force
from app.reference.models import LocalAuthority

Order = CareOrder
DISCHARGES = get_args(DischargeOutcome)
PLANS = get_args(PlanOrOutcome)
PAIRS = tuple(f"{plan}|{outcome}" for plan in PLANS for outcome in PLANS)
ASSESSMENT_BUCKETS = (*(str(n) for n in range(10)), "10+")
YES_NO = ("yes", "no")
SECTIONS: dict[str, tuple[str, ...]] = {
    "discharge_outcomes": DISCHARGES, "pre_proceedings": YES_NO, "assessments_in_proceedings": ASSESSMENT_BUCKETS,
    "plan_vs_outcome": PAIRS, "plans": PLANS, "court_outcomes": PLANS, status.SECTION: status.STATUSES,
}


@dataclass
class OutcomesFigures:
    cells: Figures
    sources: list[Source]
    las: list[tuple[Row, str]]      # each LA's row and name
    area: tuple[Row, str]
    area_is_la: bool
    coverage: dict[str, int]      # the area's las_returned and las_expected
    statistics: dict[Cell, float | None]  # medians and quartiles, outside the counts disclosure searches
    years: list[date]             # the financial years of final hearing shown
    earlier_years: list[date]     # the last days of the years before, whose current status each year's table relates


def _distributions(row: Row) -> dict[str, DistributionCells]:
    return {section: DistributionCells(row, section, categories) for section, categories in SECTIONS.items()}


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
        return grouped(session.execute(select(Order.la_code, category, func.count()).where(*where)
                                       .group_by(Order.la_code, category)))

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


def _record(cells: Figures, row: Row, counts: dict[str, Any], about: About) -> None:
    cells.show(row)
    for section, distribution in _distributions(row).items():
        distribution.record(cells, counts.get(section), about)


def figures(session: Session, req: PackRequest) -> OutcomesFigures:
    cells = Figures()
    counts = _counts(session, req)
    names = dict(session.execute(select(LocalAuthority.code, LocalAuthority.name)
                                 .where(LocalAuthority.code.in_(req.la_codes))).all())
    la_codes = sorted(req.la_codes)
    returning = _returning(session, req)
    journeys, statistics, years = journey.read(session, req), {}, journey.financial_years(req)
    for code in la_codes:
        # In the table already. Its earlier years' rows are still recorded (`status.record`): the area's rows of
        # those years add up the LAs' rows that are in `values`.
        if code in req.las_declared:
            continue
        _record(cells, Row("las", code), {s: counts[s].get(code, {}) if code in returning else None for s in SECTIONS},
                code)
        journey.record(cells, statistics, Row("las", code),
                       journeys.get(code, journey.Journey()) if code in returning else None, code, years)
    area = Row("area", req.area.code)
    _record(cells, area, {s: _sum(counts[s].values()) if returning else None for s in SECTIONS}, req.area.la_codes)
    journey.record(cells, statistics, area, journey.combined(journeys.values()) if returning else None,
                   req.area.la_codes, years)
    # Only what protects a hidden count: a full reader's pack hides none.
    earlier_years = [] if req.reader.sees_everything else status.record(session, cells, req, area)
    sources = summarised_sources(session, Order, "orders", "order_ref", la_codes, req.as_of, Order.order_date <= req.date_to)
    return OutcomesFigures(cells, sources, [(Row("las", code), names.get(code, code)) for code in la_codes],
                           (area, req.area.name), req.area.kind == "la",
                           {"las_returned": len(returning), "las_expected": len(la_codes)}, statistics, years,
                           earlier_years)


def _row_relations(relations: Relations, distributions: dict[str, DistributionCells]) -> None:
    for distribution in distributions.values():
        distribution.relate(relations)
    # The cross-table's rows add up to the plans, its columns to the court outcomes.
    pairs, plans, outcomes = distributions["plan_vs_outcome"], distributions["plans"], distributions["court_outcomes"]
    for plan in PLANS:
        relations.adds_up([pairs.count(f"{plan}|{o}") for o in PLANS], plans.count(plan))
        relations.shares_of(pairs.row.cell(f"care_order_at_home_when_planned.{plan}"),
                            [pairs.count(f"{plan}|care_order_at_home")], plans.count(plan))
    for outcome in PLANS:
        relations.adds_up([pairs.count(f"{p}|{outcome}") for p in PLANS], outcomes.count(outcome))


# Totals of other sections counting the same orders wherever each order records them: discharges (every
# discharged order has a time on order, most a re-referral) and orders made.
SAME_ORDERS = {
    "discharge_outcomes.total": ("time_on_order.total", "re_referred_within_12_months.total"),
    journey.ORDERS_MADE: ("pre_proceedings.total", "assessments_in_proceedings.total", "plan_vs_outcome.total",
                          "contested_final_hearing.total", "agreement_initial_plan.total",
                          "independent_social_worker.total", "initial_vs_final_plan.total"),
}


def _same_counts(relations: Relations, values: dict[Cell, int | None], row: Row) -> None:
    """Totals equal in this data, declared as one: a reader who knows the sections count the same orders (an
    LP attacker that took them as equal narrowed discharge counts hidden beside a shown time on order)."""
    for measure, others in SAME_ORDERS.items():
        relations.same_where_equal(values, row.cell(measure), [row.cell(other) for other in others])


def relations(f: OutcomesFigures, req: PackRequest) -> Relations:
    relations = Relations()
    area = f.area[0]
    las = [row for row, _ in f.las]
    # An LA's own pack: its area row is its LA row's figures too.
    own = [Row("las", area.code)] if f.area_is_la else []
    # One set per row, so that each count's cell is made once however many lines name it.
    distributions = {row: _distributions(row) for row in [*las, area, *own]}
    # An LA's row declared by another area's pack of the same table relates the same there (`PackRequest.las_declared`).
    for row in [*(la for la in las if la.code not in req.las_declared), area]:
        _row_relations(relations, distributions[row])
        journey.relate(relations, row, f.years, distributions[row]["plan_vs_outcome"])
        _same_counts(relations, f.cells.values, row)
    for parts in [las, own] if own else [las]:
        for section, whole in distributions[area].items():
            whole.sum_of(relations, [distributions[row][section] for row in parts])
        journey.sum_of(relations, area, parts, f.years)
    status.relate(relations, f.cells.values, area, req.area.la_codes, f.earlier_years, req.las_declared)
    return relations


def _present(f: OutcomesFigures, row: Row, name: str, hidden: Hidden) -> OutcomesRow:
    distributions = _distributions(row)
    sections = {s: d.present(f.cells, hidden) for s, d in distributions.items()}
    rates: dict[str, float | None] = {}
    marks: dict[str, Any] = {}
    for plan in PLANS:
        if row.cell(f"care_order_at_home_when_planned.{plan}") in hidden:
            rates[plan] = None
            marks[f"care_order_at_home_when_planned.{plan}"] = "c"
        else:
            rates[plan] = percentage(f.cells[distributions["plan_vs_outcome"].count(f"{plan}|care_order_at_home")],
                                     f.cells[distributions["plans"].count(plan)])
    journey_fields = journey.present(f.cells, f.statistics, row, hidden)
    marks |= journey_fields.pop("suppressed")
    return OutcomesRow.model_construct(code=row.code, name=name, care_order_at_home_when_planned=rates,
                                       suppressed=marks, **sections, **journey_fields)


def _years(f: OutcomesFigures, hidden: Hidden) -> list[ProceedingsYear]:
    return [ProceedingsYear.model_construct(code=row.code, name=name,
                                            **journey.present_year(f.cells, f.statistics, row, year, hidden))
            for row, name in [*f.las, f.area] for year in f.years]


def rows(f: OutcomesFigures, hidden: Hidden, header: dict[str, Any]) -> OutcomesPack:
    return OutcomesPack(**header, las=[_present(f, row, name, hidden) for row, name in f.las],
                        total=OutcomesTotal(**dict(_present(f, *f.area, hidden)), **f.coverage),
                        proceedings_years=_years(f, hidden))


def _sum(per_la: Any) -> dict[str, int]:
    total: dict[str, int] = {}
    for counts in per_la:
        total = add_counts(total, counts)
    return total
