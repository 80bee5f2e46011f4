"""The care-orders-at-home pack's figures: every LA of the area per snapshot date, the area, every
region and England; how they add up; and the rows a reader is shown."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, case, extract, func, select
from sqlalchemy.orm import Session

from app.care_order_characteristics.models import CareOrderCharacteristic
from app.care_order_counts.models import CareOrderCount
from app.packs.care_orders import characteristics as breakdowns
from app.packs.care_orders.schemas import (
    COUNT_FIELDS,
    INTERIM_ITEMS,
    AreaCareOrders,
    CareOrdersAtDate,
    CareOrdersPack,
    CharacteristicRow,
    LaCareOrders,
    LaNote,
)
from app.packs.cells import MANY_LAS, About, Figures, Relations, Row
from app.packs.disclosure import Hidden
from app.packs.request import PackRequest, region_names
from app.packs.rounding import percentage, rate_per_10k
from app.packs.schemas import Source
from app.packs.sources import keyed_sources, summarised_sources
from app.population.models import PopulationEstimate
from app.records.state import in_force
from app.reference.models import LocalAuthority
from app.reference.shipped import ENGLAND_CODE

M = CareOrderCount
DISCHARGE_PARTS = tuple(f for f in COUNT_FIELDS if f.startswith("discharges_to_"))
OPTIONAL = ("orders_made_in_year", "discharges_total", *DISCHARGE_PARTS, *INTERIM_ITEMS)
ASSESSED, REMAINED = "interim_orders_for_parent_assessment", "interim_orders_for_parent_assessment_child_remained"
SUCCESS_RATE = "pct_parent_assessment_child_remained"
AT_HOME = M.full_care_orders_at_home + M.interim_care_orders_at_home
AREA_LABELS = ("area", "name", "las_returned", "las_expected", "matched_las", "item_las_returned")
RETURNED = "__las_returned"
# Plain columns, not ORM objects: England over ten dates is thousands of rows, and building an
# instance for each cost more than the rest of the pack.
LA_ROW_COLUMNS = (M.la_code, M.snapshot_date, *(getattr(M, name) for name in COUNT_FIELDS if name != "total_at_home"))


@dataclass
class DateBlock:
    day: date
    las: list[dict[str, Any]]                 # each LA's figures, with its `row`
    total: dict[str, Any] | None              # the area's, with its `row`
    comparators: list[dict[str, Any]]         # every region's and England's, each with its `row`
    # The LAs behind the area's change on its previous snapshot: their rows on both dates.
    change_over: list[Row] = field(default_factory=list)


@dataclass
class CareOrdersFigures:
    cells: Figures
    sources: list[Source]
    blocks: list[DateBlock]
    # For relations: each LA row with the row of its previous snapshot, and every other LA's rows by region.
    previous: dict[Row, Row] = field(default_factory=dict)
    other_las: list[Row] = field(default_factory=list)
    members: dict[tuple[date, str], list[str]] = field(default_factory=dict)
    # Each LA's counts row and values on a shown date, which its breakdown by characteristics may add up to.
    counted: dict[tuple[str, date], tuple[Row, dict[str, Any]]] = field(default_factory=dict)
    characteristics: breakdowns.CharacteristicsFigures = field(default_factory=breakdowns.CharacteristicsFigures)


def _population(as_of: Any) -> Any:
    P = PopulationEstimate
    return select(P.la_code, P.year, P.children_0_17).where(in_force(P, as_of)).subquery()


def _aggregate(session: Session, req: PackRequest, first: date, last: date, *, la_codes: tuple[str, ...] | None,
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
        measures[f"{name}{RETURNED}"] = func.count(getattr(M, name))
    statement = (select(*groups, *(m.label(n) for n, m in measures.items()))
                 .join(LocalAuthority, LocalAuthority.code == M.la_code)
                 .outerjoin(pop, and_(pop.c.la_code == M.la_code,
                                      pop.c.year == extract("year", M.snapshot_date)))
                 .where(in_force(M, req.as_of), M.snapshot_date >= first, M.snapshot_date <= last)
                 .group_by(*groups))
    if la_codes is not None:
        statement = statement.where(M.la_code.in_(list(la_codes)))
    return {tuple(row[:len(groups)]): dict(row._mapping) for row in session.execute(statement)}


def _la_rows(session: Session, req: PackRequest) -> dict[str, list[Any]]:
    pop = _population(req.as_of)
    statement = (select(*LA_ROW_COLUMNS, M.notes, pop.c.children_0_17)
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


def _record(cells: Figures, row: Row, values: dict[str, Any], about: About) -> None:
    for name in COUNT_FIELDS:
        cells.count(row.cell(name), values.get(name), about)


def _counted(values: dict[str, Any], population: int | None, rate_numerator: int | None) -> dict[str, Any]:
    """A row's counts, with what its rate per 10,000 is computed from once disclosure has run."""
    return {name: values.get(name) for name in COUNT_FIELDS} | {"population": population,
                                                                 "rate_numerator": rate_numerator}


class _Operational:
    """How many LAs of each region (None: England) were operational on a date."""

    def __init__(self, session: Session) -> None:
        self.every_la = session.scalars(select(LocalAuthority)).all()
        self.by_day: dict[date, Counter[str | None]] = {}

    def __call__(self, day: date, region: str | None) -> int:
        if day not in self.by_day:
            in_region = Counter(la.region_code for la in self.every_la if la.operational_on(day))
            self.by_day[day] = in_region + Counter({None: sum(in_region.values())})
        return self.by_day[day][region]


def figures(session: Session, req: PackRequest) -> CareOrdersFigures:
    # Cells matter only to a reader who may not see small numbers: the pack's figures are presented
    # from the rows themselves, and England over ten dates is 20,000 cells.
    cells = Figures()
    track = not req.reader.sees_everything
    area = req.area
    las = {la.code: la for la in session.scalars(select(LocalAuthority).where(LocalAuthority.code.in_(area.la_codes)))}
    by_la = _la_rows(session, req)
    dates = sorted({r.snapshot_date for rows in by_la.values() for r in rows
                    if req.date_from <= r.snapshot_date <= req.date_to})
    result = CareOrdersFigures(cells, [], [])
    la_figures = _la_figures(req, cells, result, by_la, dates, las, track)
    if track:
        _other_las(session, req, cells, result, dates)
    totals = _aggregate(session, req, date.min, req.date_to, la_codes=area.la_codes, by_region=False)
    regional = _aggregate(session, req, req.date_from, req.date_to, la_codes=None, by_region=True)
    national = _aggregate(session, req, req.date_from, req.date_to, la_codes=None, by_region=False)
    names = region_names(session)
    operational = _Operational(session)
    area_dates = sorted(day for (day,) in totals)
    at_home = {(code, row.snapshot_date): _counts_of(row)["total_at_home"] for code, rows in by_la.items() for row in rows}
    for day in dates:
        block = DateBlock(day, la_figures[day], None, [])
        block.total = _area_row(cells, Row("area", area.code, day), totals.get((day,)), area.code, area.name,
                                area.la_codes, track)
        if block.total is not None:
            block.total["las_expected"] = sum(1 for la in las.values() if la.operational_on(day))
            earlier = [x for x in area_dates if x < day]
            if earlier:
                _area_change(block, earlier[-1], at_home)
        for code in sorted(c for c in names if c != ENGLAND_CODE):
            row = _area_row(cells, Row("cmp", code, day), regional.get((day, code)), code, names[code], MANY_LAS, track,
                            always=True)
            block.comparators.append(row | {"las_expected": operational(day, code)})
        england = _area_row(cells, Row("cmp", ENGLAND_CODE, day), national.get((day,)), ENGLAND_CODE,
                            names[ENGLAND_CODE], MANY_LAS, track)
        if england is not None:
            block.comparators.append(england | {"las_expected": operational(day, None)})
        result.blocks.append(block)
    result.characteristics = breakdowns.figures(
        session, req, cells, dates, result.counted, names, operational,
        lambda day: sum(1 for la in las.values() if la.operational_on(day)), track)
    # Comparators use every LA's returns, so every LA's returns are sources.
    result.sources = keyed_sources(session, M, "care-order-counts", "snapshot_date", None, req.as_of,
                                   M.snapshot_date >= req.date_from, M.snapshot_date <= req.date_to)
    result.sources += summarised_sources(session, CareOrderCharacteristic, "care-order-characteristics",
                                         ("snapshot_date", "dimension", "category"), _every_la(session), req.as_of,
                                         CareOrderCharacteristic.snapshot_date.in_(dates))
    result.sources += keyed_sources(session, PopulationEstimate, "population", "year", None, req.as_of,
                                    PopulationEstimate.year.in_({day.year for day in dates}))
    return result


def _every_la(session: Session) -> list[str]:
    return list(session.scalars(select(LocalAuthority.code)))


def _area_change(block: DateBlock, before: date, at_home: dict[tuple[str, date], int]) -> None:
    """The change on the previous snapshot over the LAs that returned both: a change of the totals would
    count an LA that returned only one of the dates as children arriving or leaving."""
    assert block.total is not None
    matched = [r["la"] for r in block.las if (r["la"], before) in at_home]
    block.total["change_between"] = (sum(at_home[(c, block.day)] for c in matched),
                                      sum(at_home[(c, before)] for c in matched)) if matched else None
    block.total["matched_las"] = len(matched)
    block.change_over = [Row("las", c, d) for c in matched for d in (block.day, before)]


def _la_figures(req: PackRequest, cells: Figures, result: CareOrdersFigures, by_la: dict[str, list[Any]],
                dates: list[date], las: dict[str, Any], track: bool) -> dict[date, list[dict[str, Any]]]:
    la_figures: dict[date, list[dict[str, Any]]] = {day: [] for day in dates}
    for code, rows in sorted(by_la.items()):
        previous: tuple[Row, int] | None = None
        for row in rows:
            values = _counts_of(row)
            key = Row("las", code, row.snapshot_date)
            if row.snapshot_date in la_figures:
                cells.show(key)
                if track:
                    _record(cells, key, values, code)
                    result.counted[(code, row.snapshot_date)] = (key, values)
                figures = _counted(values, row.children_0_17, values["total_at_home"]) | {
                    "la": code, "name": las[code].name, "row": key, "notes": row.notes}
                figures["change_between"] = None
                if previous is not None:
                    if track:
                        cells.count(previous[0].cell("total_at_home"), previous[1], code)
                    figures["change_between"] = (values["total_at_home"], previous[1])
                    result.previous[key] = previous[0]
                la_figures[row.snapshot_date].append(figures)
            previous = (key, values["total_at_home"])
    return la_figures


def _other_las(session: Session, req: PackRequest, cells: Figures, result: CareOrdersFigures, dates: list[date]) -> None:
    """Every other LA's cells, though not shown: region totals minus the LAs shown must not give away a small
    count of an LA outside the area, so those cells take part in suppression like the shown ones."""
    rows = session.execute(select(*LA_ROW_COLUMNS, LocalAuthority.region_code)
                           .join(LocalAuthority, LocalAuthority.code == M.la_code)
                           .where(in_force(M, req.as_of), M.snapshot_date.in_(dates)))
    for row in rows:
        result.members.setdefault((row.snapshot_date, row.region_code), []).append(row.la_code)
        if row.la_code not in req.area.la_codes:
            key = Row("las", row.la_code, row.snapshot_date)
            values = _counts_of(row)
            _record(cells, key, values, row.la_code)
            result.counted[(row.la_code, row.snapshot_date)] = (key, values)
            result.other_las.append(key)


def _area_row(cells: Figures, key: Row, sums: dict[str, Any] | None, code: str, name: str, about: About, track: bool,
              *, always: bool = False) -> dict[str, Any] | None:
    if sums is None:
        if not always:
            return None
        sums = {name: None for name in COUNT_FIELDS} | {"las_returned": 0, "population": None,
                                                           "at_home_with_population": None}
    cells.show(key)
    if track:
        _record(cells, key, sums, about)
    # Rates over the LAs with a population estimate for the year, so a missing estimate does not lower them.
    numerator = sums["total_at_home"] if sums["at_home_with_population"] is None else sums["at_home_with_population"]
    figures = _counted(sums, sums["population"], numerator)
    figures |= {"area": code, "name": name, "las_returned": sums["las_returned"],
                "las_expected": sums["las_returned"], "change_between": None, "matched_las": None, "row": key,
                # An optional item is summed over the LAs that returned it: say so where that is fewer.
                "item_las_returned": {item: sums[f"{item}{RETURNED}"] for item in OPTIONAL
                                      if sums.get(f"{item}{RETURNED}") is not None
                                      and sums[f"{item}{RETURNED}"] < sums["las_returned"]}}
    return figures


def _row_relations(relations: Relations, row: Row, previous: Row | None = None) -> None:
    relations.adds_up([row.cell("full_care_orders_at_home"), row.cell("interim_care_orders_at_home")],
                      row.cell("total_at_home"))
    relations.adds_up([row.cell(part) for part in DISCHARGE_PARTS], row.cell("discharges_total"))
    for part in DISCHARGE_PARTS:
        relations.shares_of(row.cell(f"pct_{part}"), [row.cell(part)], row.cell("discharges_total"))
    relations.shares_of(row.cell(SUCCESS_RATE), [row.cell(REMAINED)], row.cell(ASSESSED))
    relations.at_most([row.cell(REMAINED)], row.cell(ASSESSED))
    relations.shares_of(row.cell("pct_of_cla"), [row.cell("total_at_home")], row.cell("cla_total"))
    relations.shares_of(row.cell("pct_placed_with_parents"), [row.cell("placed_with_parents")], row.cell("cla_total"))
    relations.derives(row.cell("rate_per_10k"), [row.cell("total_at_home")])
    if previous is not None:
        relations.derives(row.cell("change_on_previous"), [row.cell("total_at_home"), previous.cell("total_at_home")])


def _sums_to(relations: Relations, parts: list[Row], whole: Row) -> None:
    for name in COUNT_FIELDS:
        relations.adds_up([p.cell(name) for p in parts], whole.cell(name))


def relations(f: CareOrdersFigures, req: PackRequest) -> Relations:
    relations = Relations()
    for row in sorted((r["row"] for block in f.blocks for r in block.las), key=lambda r: (r.code, r.period)):
        _row_relations(relations, row, f.previous.get(row))
    for row in f.other_las:
        _row_relations(relations, row)
    area = req.area
    for block in f.blocks:
        shown = [r["row"] for r in block.las]
        if block.total is not None:
            _row_relations(relations, block.total["row"])
            relations.derives(block.total["row"].cell("change_on_previous"),
                              [row.cell("total_at_home") for row in block.change_over])
            _sums_to(relations, shown, block.total["row"])
        for comparator in block.comparators:
            _row_relations(relations, comparator["row"])
        regions = [c["row"] for c in block.comparators if c["area"] != ENGLAND_CODE]
        for region in regions:
            members = f.members.get((block.day, region.code), ())
            _sums_to(relations, [Row("las", code, block.day) for code in members], region)
        if any(c["area"] == ENGLAND_CODE for c in block.comparators):
            _sums_to(relations, regions, Row("cmp", ENGLAND_CODE, block.day))
        if block.total is not None and any(c["area"] == area.code for c in block.comparators):
            _sums_to(relations, [block.total["row"]], Row("cmp", area.code, block.day))
        if area.kind == "la" and block.total is not None and shown:
            _sums_to(relations, [Row("las", area.code, block.day)], block.total["row"])
    breakdowns.relations(relations, f.characteristics, area)
    return relations


def _marked(values: dict[str, Any], row: Row, hidden: Hidden, *labels: str) -> dict[str, Any]:
    """A row as shown: its counts, the figures derived from them, the hidden ones nulled and marked, its labels."""
    shown = {name: values[name] for name in COUNT_FIELDS}
    # The total at home now and at the previous snapshot, over the same LAs (an LA's own, or those matched).
    shown["change_on_previous"] = None if values["change_between"] is None else \
        values["change_between"][0] - values["change_between"][1]
    shown["pct_of_cla"] = percentage(values["total_at_home"], values["cla_total"])
    shown["pct_placed_with_parents"] = percentage(values["placed_with_parents"], values["cla_total"])
    shown["rate_per_10k"] = rate_per_10k(values["rate_numerator"], values["population"])
    # An aggregate's share only where its part and its whole are over the same LAs: over 22 LAs' discharges to
    # no order and 23 LAs' discharges, the shares did not add up to 100.
    coverage = values.get("item_las_returned") or {}
    for part in DISCHARGE_PARTS:
        shown[f"pct_{part}"] = percentage(values[part], values["discharges_total"]) \
            if coverage.get(part) == coverage.get("discharges_total") else None
    shown[SUCCESS_RATE] = percentage(values[REMAINED], values[ASSESSED]) \
        if coverage.get(REMAINED) == coverage.get(ASSESSED) else None
    marks = {}
    for name in shown:
        if row.cell(name) in hidden:
            shown[name] = None
            marks[name] = "c"
    return shown | {"suppressed": marks} | {k: values[k] for k in labels}


def rows(f: CareOrdersFigures, hidden: Hidden, header: dict[str, Any]) -> CareOrdersPack:
    return CareOrdersPack(**header, dates=[CareOrdersAtDate(
        snapshot_date=block.day,
        las=[LaCareOrders(**_marked(r, r["row"], hidden, "la", "name")) for r in block.las],
        total=None if block.total is None else AreaCareOrders(**_marked(block.total, block.total["row"], hidden,
                                                                        *AREA_LABELS)),
        comparators=[AreaCareOrders(**_marked(c, c["row"], hidden, *AREA_LABELS)) for c in block.comparators],
        characteristics=[CharacteristicRow(**row) for row in breakdowns.shown_rows(f.characteristics, block.day,
                                                                                         hidden)],
        notes=[LaNote(la=r["la"], name=r["name"], notes=r["notes"]) for r in block.las
               if r["notes"] and r["notes"].strip()],
    ) for block in f.blocks])
