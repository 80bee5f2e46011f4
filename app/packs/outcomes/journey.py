"""The child's journey through proceedings, from child-level orders: who the children on the orders made
were, how long proceedings took to a final hearing, how often the court followed the LA's plans and the
guardian, and how long discharged children were on the order at home.

Medians and quartiles are `statistics.quantiles(method="inclusive")`: the median of an even count is the
mean of the two middle values, a quartile is interpolated between the two nearest ranks (as a
spreadsheet's QUARTILE.INC). Each is declared over the count of its records, so disclosure hides it when
those are too few."""

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, get_args

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.orders.models import CareOrder as Order
from app.orders.schemas import Communication, Ethnicity, OrderType, PlanOrOutcome, ProceedingsType
from app.packs.cells import About, Cell, Figures, Relations, Row
from app.packs.distribution import DistributionCells, grouped
from app.packs.request import PackRequest
from app.records.state import in_force
from app.ssda903.codes import DIMENSIONS
from app.ssda903.derive import AGE_BANDS, TIME_BANDS, whole_years

NOT_RECORDED = "not_recorded"
YES_NO = ("yes", "no")
PLANS = get_args(PlanOrOutcome)
PAIRS = tuple(f"{a}|{b}" for a in PLANS for b in PLANS)
AGREEMENT = ("matched", "differed")
TIME_ON_ORDER = ("under_1_year", "1_to_2_years", "2_to_5_years", "5_years_plus")
WITHIN = ("within_26_weeks", "over_26_weeks")
LIMIT_WEEKS = 26  # days / 7 is exact at whole weeks: 182 days is 26.0
QUARTILES = ("lower_quartile_weeks", "median_weeks", "upper_quartile_weeks")
ORDERS_MADE = "orders_made"
# Sparse categories merged (each is a cell in every LA's row of every year's table, and a small count to
# protect): sex other, not known or not recorded; ethnicity other, not known or not recorded; the
# categories of need but the three most common (N1 abuse or neglect, N4 acute stress, N5 dysfunction).
OTHER_OR_NOT_KNOWN = "other_or_not_known"
ETHNIC_GROUPS = tuple(g for g in get_args(Ethnicity) if g not in ("other", "not_known"))
NEEDS = ("N1", "N4", "N5")
OTHER_NEED = "other_need"

# Orders made in the range, one dimension at a time: every order in exactly one category, so each adds up
# to the orders made.
BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "by_age_band": DIMENSIONS["age_band"], "by_order_type": get_args(OrderType),
    "by_sex": ("male", "female", OTHER_OR_NOT_KNOWN), "by_ethnicity": (*ETHNIC_GROUPS, OTHER_OR_NOT_KNOWN),
    "by_disability": (*YES_NO, NOT_RECORDED), "by_category_of_need": (*NEEDS, OTHER_NEED, NOT_RECORDED),
    "by_proceedings_type": (*get_args(ProceedingsType), NOT_RECORDED),
}
RANGE_SECTIONS: dict[str, tuple[str, ...]] = {
    **BREAKDOWNS, "initial_vs_final_plan": PAIRS, "guardian_vs_outcome": PAIRS,
    "agreement_initial_plan": AGREEMENT, "agreement_final_plan": AGREEMENT, "agreement_guardian": AGREEMENT,
    "contested_final_hearing": YES_NO, "professional_communication": (*get_args(Communication), NOT_RECORDED),
    "independent_social_worker": YES_NO, "time_on_order": TIME_ON_ORDER, "re_referred_within_12_months": YES_NO,
}
# Sections counting the same orders as another share its total cell: one figure, however many lines use it.
SHARED_TOTALS = {**{section: ORDERS_MADE for section in (*BREAKDOWNS, "professional_communication")},
                 "agreement_final_plan": "plan_vs_outcome.total", "agreement_guardian": "guardian_vs_outcome.total"}
ON_ORDER_STATISTIC = "median_years_on_order"
AWAITING = "awaiting_final_hearing"


@dataclass
class Journey:
    """Per row (an LA's or the area's): the sections' counts, and the values statistics are taken over."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    weeks: dict[date, list[float]] = field(default_factory=dict)  # by financial year of final hearing
    years_on_order: list[float] = field(default_factory=list)
    awaiting: int = 0


def distributions(row: Row) -> dict[str, DistributionCells]:
    return {section: DistributionCells(row, section, categories, SHARED_TOTALS.get(section), implied_shares=True)
            for section, categories in RANGE_SECTIONS.items()}


def year_row(row: Row, year: date) -> Row:
    return Row(row.table, row.code, year)


def proceedings(row: Row) -> DistributionCells:
    return DistributionCells(row, "time_in_proceedings", WITHIN, implied_shares=True)


def financial_years(req: PackRequest) -> list[date]:
    first = req.date_from.year - (req.date_from.month < 4)
    last = req.date_to.year - (req.date_to.month < 4)
    return [date(year, 4, 1) for year in range(first, last + 1)]


def read(session: Session, req: PackRequest) -> dict[str, Journey]:
    """Every LA's journey figures (an LA with no order in the range has none)."""
    la_codes = list(req.la_codes)
    base = [Order.la_code.in_(la_codes), in_force(Order, req.as_of)]
    made = [*base, Order.order_date >= req.date_from, Order.order_date <= req.date_to]
    discharged = [*base, Order.discharge_date >= req.date_from, Order.discharge_date <= req.date_to]
    journeys: dict[str, Journey] = {}
    for section, (category, where) in _categories(made, discharged).items():
        for la, counts in grouped(session.execute(select(Order.la_code, category, func.count()).where(*where)
                                                  .group_by(Order.la_code, category))).items():
            journeys.setdefault(la, Journey()).counts[section] = counts
    for la, issued, heard in session.execute(select(Order.la_code, Order.proceedings_issued, Order.final_hearing).where(
            *base, Order.final_hearing >= req.date_from, Order.final_hearing <= req.date_to,
            Order.proceedings_issued.is_not(None))):
        year = date(heard.year - (heard.month < 4), 4, 1)
        journeys.setdefault(la, Journey()).weeks.setdefault(year, []).append((heard - issued).days / 7)
    for la, n in session.execute(select(Order.la_code, func.count()).where(*made, Order.final_hearing.is_(None))
                                 .group_by(Order.la_code)):
        journeys.setdefault(la, Journey()).awaiting = int(n)
    for la, made_on, ended in session.execute(select(Order.la_code, Order.order_date, Order.discharge_date)
                                              .where(*discharged)):
        journeys.setdefault(la, Journey()).years_on_order.append((ended - made_on).days / 365.25)
        bands = journeys[la].counts.setdefault("time_on_order", {})
        band = _time_band(made_on, ended)
        bands[band] = bands.get(band, 0) + 1
    return journeys


def _categories(made: list[Any], discharged: list[Any]) -> dict[str, tuple[Any, list[Any]]]:
    """Each section's category as SQL, and which orders it counts."""
    age = case(*((Order.age_at_order < below, name) for below, name in AGE_BANDS), else_=DIMENSIONS["age_band"][-1])

    def recorded(column: Any) -> Any:
        return func.coalesce(column, NOT_RECORDED)

    def yes_no(column: Any) -> Any:
        return case((column.is_(True), "yes"), (column.is_(False), "no"), else_=NOT_RECORDED)

    def agreed(plan: Any) -> Any:
        return case((plan == Order.court_outcome, "matched"), else_="differed")

    both = {"initial": [Order.la_initial_care_plan.is_not(None), Order.court_outcome.is_not(None)],
            "final": [Order.la_final_care_plan.is_not(None), Order.court_outcome.is_not(None)],
            "guardian": [Order.guardian_recommendation.is_not(None), Order.court_outcome.is_not(None)]}
    initial_final = [Order.la_initial_care_plan.is_not(None), Order.la_final_care_plan.is_not(None)]
    contested = case((Order.contested_final_hearing.is_(True), "yes"), (Order.contested_final_hearing.is_(False), "no"))
    return {
        "by_age_band": (age, made), "by_order_type": (Order.order_type, made),
        "by_sex": (case((Order.sex.in_(("male", "female")), Order.sex), else_=OTHER_OR_NOT_KNOWN), made),
        "by_ethnicity": (case((Order.ethnicity.in_(ETHNIC_GROUPS), Order.ethnicity), else_=OTHER_OR_NOT_KNOWN), made),
        "by_disability": (yes_no(Order.disability), made),
        "by_category_of_need": (case((Order.category_of_need.in_(NEEDS), Order.category_of_need),
                                     (Order.category_of_need.is_not(None), OTHER_NEED), else_=NOT_RECORDED), made),
        "by_proceedings_type": (recorded(Order.proceedings_type), made),
        "initial_vs_final_plan": (Order.la_initial_care_plan + "|" + Order.la_final_care_plan, [*made, *initial_final]),
        "guardian_vs_outcome": (Order.guardian_recommendation + "|" + Order.court_outcome, [*made, *both["guardian"]]),
        "agreement_initial_plan": (agreed(Order.la_initial_care_plan), [*made, *both["initial"]]),
        "agreement_final_plan": (agreed(Order.la_final_care_plan), [*made, *both["final"]]),
        "agreement_guardian": (agreed(Order.guardian_recommendation), [*made, *both["guardian"]]),
        "contested_final_hearing": (contested, [*made, Order.contested_final_hearing.is_not(None)]),
        "professional_communication": (recorded(Order.professional_communication), made),
        "independent_social_worker": (yes_no(Order.independent_social_worker),
                                      [*made, Order.independent_social_worker.is_not(None)]),
        "re_referred_within_12_months": (yes_no(Order.re_referred_within_12_months),
                                         [*discharged, Order.re_referred_within_12_months.is_not(None)]),
    }


def _time_band(made_on: date, ended: date) -> str:
    years = whole_years(made_on, ended)
    return next((name for (below, _), name in zip(TIME_BANDS, TIME_ON_ORDER, strict=False) if years < below),
                TIME_ON_ORDER[-1])


def combined(journeys: Iterable[Journey]) -> Journey:
    """The area's journey: its LAs' put together (medians are taken again over every LA's values)."""
    whole = Journey()
    for part in journeys:
        for section, counts in part.counts.items():
            into = whole.counts.setdefault(section, {})
            for category, n in counts.items():
                into[category] = into.get(category, 0) + n
        for year, weeks in part.weeks.items():
            whole.weeks.setdefault(year, []).extend(weeks)
        whole.years_on_order.extend(part.years_on_order)
        whole.awaiting += part.awaiting
    return whole


def record(cells: Figures, values: dict[Cell, float | None], row: Row, journey: Journey | None, about: About,
           years: Sequence[date]) -> None:
    """`journey` None: the LA returned no orders, so every figure is null."""
    for section, distribution in distributions(row).items():
        distribution.record(cells, None if journey is None else journey.counts.get(section, {}), about)
    cells.count(row.cell(AWAITING), None if journey is None else journey.awaiting, about)
    values[row.cell(ON_ORDER_STATISTIC)] = None if journey is None else _quartiles(journey.years_on_order)[1]
    for year in years:
        dated = cells.show(year_row(row, year))
        weeks = None if journey is None else journey.weeks.get(year, [])
        split = None if weeks is None else {"within_26_weeks": sum(w <= LIMIT_WEEKS for w in weeks),
                                            "over_26_weeks": sum(w > LIMIT_WEEKS for w in weeks)}
        proceedings(dated).record(cells, split, about)
        for name, value in zip(QUARTILES, _quartiles(weeks or []), strict=True):
            values[dated.cell(f"time_in_proceedings.{name}")] = None if weeks is None else value


def _quartiles(values: list[float]) -> tuple[float | None, float | None, float | None]:
    if not values:
        return None, None, None
    if len(values) == 1:
        return (round(values[0], 1),) * 3
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return round(q1, 1), round(median, 1), round(q3, 1)


def relate(relations: Relations, row: Row, years: Sequence[date], plan_vs_outcome: DistributionCells) -> None:
    mine = distributions(row)
    for distribution in mine.values():
        distribution.relate(relations)
    # Seven breakdowns add up to the orders made: hidden first, it would close them all at once.
    relations.prefer_shown([row.cell(ORDERS_MADE)])
    # Agreement is the cross table's diagonal: the final plan's is the one the pack already shows.
    for agreement, pairs in (("agreement_final_plan", plan_vs_outcome), ("agreement_guardian", mine["guardian_vs_outcome"])):
        relations.adds_up([pairs.count(f"{p}|{p}") for p in PLANS], mine[agreement].count("matched"))
    relations.summarises(row.cell(ON_ORDER_STATISTIC), mine["time_on_order"].total)
    for year in years:
        split = proceedings(year_row(row, year))
        split.relate(relations)
        for name in QUARTILES:
            relations.summarises(split.row.cell(f"time_in_proceedings.{name}"), split.total)


def sum_of(relations: Relations, whole: Row, parts: Sequence[Row], years: Sequence[date]) -> None:
    """The area's row adds up its LAs' rows, section by section and year by year."""
    each = [distributions(p) for p in parts]
    for section, distribution in distributions(whole).items():
        if distribution.total_measure is None:
            distribution.sum_of(relations, [d[section] for d in each])
        else:  # a shared total is added up once, by its owner (orders made below)
            for category in distribution.categories:
                relations.adds_up([d[section].count(category) for d in each], distribution.count(category))
    relations.adds_up([p.cell(ORDERS_MADE) for p in parts], whole.cell(ORDERS_MADE))
    relations.adds_up([p.cell(AWAITING) for p in parts], whole.cell(AWAITING))
    for year in years:
        proceedings(year_row(whole, year)).sum_of(relations, [proceedings(year_row(p, year)) for p in parts])


def present(cells: Figures, values: dict[Cell, float | None], row: Row, hidden: Any) -> dict[str, Any]:
    """The row's journey fields, and their marks for the row's `suppressed`."""
    fields: dict[str, Any] = {s: d.present(cells, hidden) for s, d in distributions(row).items()}
    marks: dict[str, str] = {}
    for name, cell, value in ((AWAITING, row.cell(AWAITING), cells[row.cell(AWAITING)]),
                              (ON_ORDER_STATISTIC, row.cell(ON_ORDER_STATISTIC), values[row.cell(ON_ORDER_STATISTIC)])):
        fields[name] = None if cell in hidden else value
        if cell in hidden:
            marks[name] = "c"
    return fields | {"suppressed": marks}


def present_year(cells: Figures, values: dict[Cell, float | None], row: Row, year: date, hidden: Any) -> dict[str, Any]:
    dated = year_row(row, year)
    fields: dict[str, Any] = {"year": f"{year.year}-{(year.year + 1) % 100:02d}",
                              "time_in_proceedings": proceedings(dated).present(cells, hidden)}
    marks: dict[str, str] = {}
    for name in QUARTILES:
        cell = dated.cell(f"time_in_proceedings.{name}")
        fields[name] = None if cell in hidden else values[cell]
        if cell in hidden:
            marks[name] = "c"
    return fields | {"suppressed": marks}
