"""The care-orders-at-home pack: every LA of the area per snapshot date, the area, every region, England."""

from collections import Counter
from collections.abc import Hashable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, case, extract, func, select
from sqlalchemy.orm import Session

from app.care_order_counts.models import CareOrderCount
from app.packs.common import cells, header, keyed_sources, new_disclosure
from app.packs.disclosure import Disclosure
from app.packs.figures import percentage, rate_per_10k
from app.packs.schemas import COUNT_FIELDS, AreaCareOrders, CareOrdersAtDate, CareOrdersPack, LaCareOrders
from app.packs.scope import PackRequest, region_names
from app.population.models import PopulationEstimate
from app.records.state import in_force
from app.reference.models import LocalAuthority
from app.reference.shipped import ENGLAND_CODE

M = CareOrderCount
DISCHARGE_PARTS = tuple(f for f in COUNT_FIELDS if f.startswith("discharges_to_"))
OPTIONAL = ("orders_made_in_year", "discharges_total", *DISCHARGE_PARTS)
AT_HOME = M.full_care_orders_at_home + M.interim_care_orders_at_home


def _population(as_of: Any) -> Any:
    P = PopulationEstimate
    return select(P.la_code, P.year, P.children_0_17).where(in_force(P, as_of)).subquery()


def _aggregate(session: Session, req: PackRequest, first: date, last: date, *, la_codes: Sequence[str] | None,
               by_region: bool) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Sums per snapshot date (and region) in SQL; optional items summed over the LAs that returned them."""
    pop = _population(req.as_of)
    groups = [M.snapshot_date] + ([LocalAuthority.region_code] if by_region else [])
    measures = {
        "full_care_orders_at_home": func.sum(M.full_care_orders_at_home),
        "interim_care_orders_at_home": func.sum(M.interim_care_orders_at_home),
        "total_at_home": func.sum(AT_HOME), "cla_total": func.sum(M.cla_total), "las_returned": func.count(M.id),
        "placed_with_parents": func.sum(M.placed_with_parents),
        "at_home_with_population": func.sum(case((pop.c.children_0_17.is_not(None), AT_HOME))),
        "population": func.sum(pop.c.children_0_17),
    }
    for name in OPTIONAL:
        measures[name] = func.sum(getattr(M, name))
    statement = (select(*groups, *(m.label(n) for n, m in measures.items()))
                 .join(LocalAuthority, LocalAuthority.code == M.la_code)
                 .outerjoin(pop, and_(pop.c.la_code == M.la_code,
                                      pop.c.year == extract("year", M.snapshot_date)))
                 .where(in_force(M, req.as_of), M.snapshot_date >= first, M.snapshot_date <= last)
                 .group_by(*groups))
    if la_codes is not None:
        statement = statement.where(M.la_code.in_(list(la_codes)))
    return {tuple(row[:len(groups)]): dict(row._mapping) for row in session.execute(statement)}


# Plain columns, not ORM objects: England over ten dates is thousands of rows, and building an
# instance for each cost more than the rest of the pack.
LA_ROW_COLUMNS = (M.la_code, M.snapshot_date, *(getattr(M, name) for name in COUNT_FIELDS if name != "total_at_home"))


def _la_rows(session: Session, req: PackRequest) -> dict[str, list[Any]]:
    pop = _population(req.as_of)
    statement = (select(*LA_ROW_COLUMNS, pop.c.children_0_17)
                 .outerjoin(pop, and_(pop.c.la_code == M.la_code, pop.c.year == extract("year", M.snapshot_date)))
                 .where(M.la_code.in_(list(req.area.la_codes)), in_force(M, req.as_of), M.snapshot_date <= req.date_to)
                 .order_by(M.la_code, M.snapshot_date))
    by_la: dict[str, list[Any]] = {}
    for row in session.execute(statement):
        by_la.setdefault(row.la_code, []).append(row)
    return by_la


def _counts_of(row: Any) -> dict[str, int | None]:
    values = {name: getattr(row, name) for name in COUNT_FIELDS if name != "total_at_home"}
    values["total_at_home"] = row.full_care_orders_at_home + row.interim_care_orders_at_home
    return values


def _register(d: Disclosure, key: tuple[Hashable, ...], values: dict[str, int | None], protected: bool) -> None:
    # The cells matter only to a reader who may not see small numbers: the pack's figures are
    # presented from the rows themselves, and England over ten dates is 20,000 cells.
    if not d.enabled:
        return
    for name in COUNT_FIELDS:
        d.count((*key, name), values.get(name), protected=protected)
    d.line([(*key, "full_care_orders_at_home"), (*key, "interim_care_orders_at_home")], (*key, "total_at_home"))
    d.line([(*key, part) for part in DISCHARGE_PARTS], (*key, "discharges_total"))
    d.derive((*key, "pct_of_cla"), [(*key, "total_at_home"), (*key, "cla_total")])
    d.derive((*key, "pct_placed_with_parents"), [(*key, "placed_with_parents"), (*key, "cla_total")])
    d.derive((*key, "rate_per_10k"), [(*key, "total_at_home")])


def _figures(values: dict[str, Any], population: int | None, at_home_with_population: int | None = None) -> dict[str, Any]:
    figures = {name: values.get(name) for name in COUNT_FIELDS}
    figures["pct_of_cla"] = percentage(values.get("total_at_home"), values.get("cla_total"))
    figures["pct_placed_with_parents"] = percentage(values.get("placed_with_parents"), values.get("cla_total"))
    numerator = values.get("total_at_home") if at_home_with_population is None else at_home_with_population
    figures["rate_per_10k"] = rate_per_10k(numerator, population)
    return figures


def build(session: Session, req: PackRequest) -> CareOrdersPack:
    d = new_disclosure(req)
    viewer, area = req.viewer, req.area
    las = {la.code: la for la in session.scalars(select(LocalAuthority).where(LocalAuthority.code.in_(area.la_codes)))}
    by_la = _la_rows(session, req)
    dates = sorted({r.snapshot_date for rows in by_la.values() for r in rows
                    if req.date_from <= r.snapshot_date <= req.date_to})
    totals = _aggregate(session, req, date.min, req.date_to, la_codes=area.la_codes, by_region=False)
    regional = _aggregate(session, req, req.date_from, req.date_to, la_codes=None, by_region=True)
    national = _aggregate(session, req, req.date_from, req.date_to, la_codes=None, by_region=False)
    names = region_names(session)
    every_la = session.scalars(select(LocalAuthority)).all()

    operational_by_day: dict[date, Counter[str | None]] = {}

    def operational(day: date, region: str | None) -> int:
        if day not in operational_by_day:
            in_region = Counter(la.region_code for la in every_la if la.operational_on(day))
            operational_by_day[day] = in_region + Counter({None: sum(in_region.values())})
        return operational_by_day[day][region]

    la_figures: dict[date, list[dict[str, Any]]] = {day: [] for day in dates}
    for code, rows in sorted(by_la.items()):
        previous: tuple[date, int] | None = None
        for row in rows:
            values = _counts_of(row)
            key = (row.snapshot_date, code)
            if row.snapshot_date in la_figures:
                _register(d, key, values, viewer.protects(code))
                figures = _figures(values, row.children_0_17) | {"la": code, "name": las[code].name}
                figures["change_on_previous"] = None
                if previous is not None:
                    d.count((previous[0], code, "total_at_home"), previous[1], protected=viewer.protects(code))
                    figures["change_on_previous"] = values["total_at_home"] - previous[1]
                    d.derive((*key, "change_on_previous"), [(*key, "total_at_home"), (previous[0], code, "total_at_home")])
                la_figures[row.snapshot_date].append(figures)
            previous = (row.snapshot_date, values["total_at_home"])

    members = _register_other_las(session, req, d, dates)
    area_dates = sorted(day for (day,) in totals)
    blocks = []
    for day in dates:
        total = _area_row(d, (day, "area", area.code), totals.get((day,)), area.code, area.name, viewer.protects(None, area))
        if total is not None:
            total["las_expected"] = sum(1 for la in las.values() if la.operational_on(day))
            earlier = [x for x in area_dates if x < day]
            if earlier:
                before = totals[(earlier[-1],)]["total_at_home"]
                d.count((earlier[-1], "area", area.code, "total_at_home"), before, protected=viewer.protects(None, area))
                total["change_on_previous"] = total["total_at_home"] - before
                d.derive((day, "area", area.code, "change_on_previous"),
                         [(day, "area", area.code, "total_at_home"), (earlier[-1], "area", area.code, "total_at_home")])
            for name in COUNT_FIELDS:
                d.line([(day, row["la"], name) for row in la_figures[day]], (day, "area", area.code, name))
        comparators = []
        for code in sorted(c for c in names if c != ENGLAND_CODE):
            row = _area_row(d, (day, "cmp", code), regional.get((day, code)), code, names[code],
                            viewer.role != "admin", always=True)
            comparators.append(row | {"las_expected": operational(day, code)})
        england = _area_row(d, (day, "cmp", ENGLAND_CODE), national.get((day,)), ENGLAND_CODE, names[ENGLAND_CODE],
                            viewer.role != "admin")
        for region in names:
            for name in COUNT_FIELDS:
                d.line([(day, code, name) for code in members.get((day, region), ())], (day, "cmp", region, name))
        if england is not None:
            comparators.append(england | {"las_expected": operational(day, None)})
            for name in COUNT_FIELDS:
                d.line([(day, "cmp", c["area"], name) for c in comparators if c["area"] != ENGLAND_CODE],
                       (day, "cmp", ENGLAND_CODE, name))
        if total is not None and any(c["area"] == area.code for c in comparators):
            for name in COUNT_FIELDS:
                d.line([(day, "area", area.code, name)], (day, "cmp", area.code, name))
        if area.kind == "la" and total is not None and la_figures[day]:
            for name in COUNT_FIELDS:
                d.line([(day, area.code, name)], (day, "area", area.code, name))
        blocks.append((day, total, comparators))

    hidden = d.hidden()
    # Comparators use every LA's returns, so every LA's returns are sources.
    sources = keyed_sources(session, M, "care-order-counts", "snapshot_date", None, req.as_of,
                            M.snapshot_date >= req.date_from, M.snapshot_date <= req.date_to)
    sources += keyed_sources(session, PopulationEstimate, "population", "year", None, req.as_of,
                             PopulationEstimate.year.in_({day.year for day in dates}))
    result = []
    for day, total, comparators in blocks:
        result.append(CareOrdersAtDate(
            snapshot_date=day,
            las=[LaCareOrders(**cells(_without(f, "la", "name"), (day, f["la"]), hidden), la=f["la"], name=f["name"])
                 for f in la_figures[day]],
            total=None if total is None else AreaCareOrders(**_area_cells(total, (day, "area", area.code), hidden)),
            comparators=[AreaCareOrders(**_area_cells(c, (day, "cmp", c["area"]), hidden)) for c in comparators],
        ))
    return CareOrdersPack(**header(req, "care-orders-at-home", d, hidden, sources), dates=result)


def _register_other_las(session: Session, req: PackRequest, d: Disclosure,
                        dates: list[date]) -> dict[tuple[date, str], list[str]]:
    """Every other LA's cells, though not shown: region totals minus the LAs shown must not give away a small
    count of an LA outside the area, so those cells take part in suppression like the shown ones."""
    if not d.enabled:
        return {}  # a reader who sees every figure needs none of this
    rows = session.execute(select(*LA_ROW_COLUMNS, LocalAuthority.region_code)
                           .join(LocalAuthority, LocalAuthority.code == M.la_code)
                           .where(in_force(M, req.as_of), M.snapshot_date.in_(dates)))
    members: dict[tuple[date, str], list[str]] = {}
    for row in rows:
        members.setdefault((row.snapshot_date, row.region_code), []).append(row.la_code)
        if row.la_code not in req.area.la_codes:
            _register(d, (row.snapshot_date, row.la_code), _counts_of(row), req.viewer.protects(row.la_code))
    return members


AREA_LABELS = ("area", "name", "las_returned", "las_expected")


def _without(values: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in names}


def _area_cells(values: dict[str, Any], prefix: tuple[Hashable, ...], hidden: set[Hashable]) -> dict[str, Any]:
    return cells(_without(values, *AREA_LABELS), prefix, hidden) | {k: values[k] for k in AREA_LABELS}


def _area_row(d: Disclosure, key: tuple[Hashable, ...], sums: dict[str, Any] | None, code: str, name: str,
              protected: bool, *, always: bool = False) -> dict[str, Any] | None:
    if sums is None:
        if not always:
            return None
        sums = {name: None for name in COUNT_FIELDS} | {"las_returned": 0, "population": None,
                                                           "at_home_with_population": None}
    _register(d, key, sums, protected)
    figures = _figures(sums, sums["population"], sums["at_home_with_population"])
    figures |= {"area": code, "name": name, "las_returned": sums["las_returned"],
                "las_expected": sums["las_returned"], "change_on_previous": None}
    return figures
