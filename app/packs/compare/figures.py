"""The compare pack's figures: one measure over two periods, like with like.

A flow (counted in the year) is summed over a period; a stock (a count on a date) is the mean over the
period's 31 March snapshots. An LA is matched when it returned the measure for the whole of both periods
(every 31 March of each, or, for child-level orders, any orders at all); only matched LAs make up the
area's figure and have a change, so a change never compares different sets of LAs.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any, cast

from sqlalchemy import case, extract, func, select
from sqlalchemy.orm import Session

from app.orders.models import CareOrder
from app.packs.cells import Figures, Relations, Row
from app.packs.compare.query import COUNT_MEASURES, ORDER_MEASURES, STOCKS, CompareQuery, M, Span
from app.packs.compare.schemas import ComparePack, Comparison, LaRef, Period, YearValue
from app.packs.disclosure import Hidden
from app.packs.request import PackRequest
from app.packs.rounding import one_decimal
from app.packs.schemas import Source
from app.packs.sources import keyed_sources, summarised_sources
from app.records.state import in_force
from app.reference.models import LocalAuthority

SIDES = ("before", "after")
Values = dict[str, int]  # the LA's (or area's) figure per year of one side: {year label: value}


@dataclass
class Side:
    span: Span
    years: list[str]                                         # what a complete return covers
    by_la: dict[str, Values] = field(default_factory=dict)   # what each LA returned


@dataclass
class CompareFigures:
    cells: Figures
    sources: list[Source]
    query: CompareQuery
    stock: bool
    sides: dict[str, Side]
    las: list[tuple[Row, str]]
    matched: list[str]
    area: tuple[Row, str]
    area_is_la: bool
    records: dict[Row, dict[str, int]]   # per row and side, how many returns or records were summed
    counts_shown: bool                   # whether the reader may see those numbers (full disclosure)


def _march_snapshots(span: Span) -> list[date]:
    return [date(y, 3, 31) for y in range(span[0].year, span[1].year + 1) if span[0] <= date(y, 3, 31) <= span[1]]


def _financial_years(span: Span) -> list[str]:
    first = span[0].year if span[0].month >= 4 else span[0].year - 1
    last = span[1].year if span[1].month >= 4 else span[1].year - 1
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(first, last + 1)]


def _returned_counts(session: Session, req: PackRequest, measure: str, side: Side) -> None:
    value = COUNT_MEASURES[measure]
    rows = session.execute(select(M.la_code, M.snapshot_date, value)
                           .where(M.la_code.in_(list(req.la_codes)), in_force(M, req.as_of),
                                  M.snapshot_date.in_([date.fromisoformat(y) for y in side.years]), value.is_not(None)))
    for la, day, v in rows:
        side.by_la.setdefault(la, {})[day.isoformat()] = int(v)


def _counted_orders(session: Session, req: PackRequest, measure: str, side: Side, returning: set[str]) -> None:
    column = ORDER_MEASURES[measure]
    ends = extract("year", column) + case((extract("month", column) >= 4, 1), else_=0)
    rows = session.execute(select(CareOrder.la_code, ends, func.count())
                           .where(CareOrder.la_code.in_(list(req.la_codes)), in_force(CareOrder, req.as_of),
                                  column >= side.span[0], column <= side.span[1]).group_by(CareOrder.la_code, ends))
    counted: dict[str, Values] = defaultdict(dict)
    for la, end, n in rows:
        counted[la][f"{int(end) - 1}-{int(end) % 100:02d}"] = int(n)
    # An LA that returns orders returned every year: a year with none counts 0.
    side.by_la = {la: {year: counted[la].get(year, 0) for year in side.years} for la in returning}


def _sides(session: Session, req: PackRequest, query: CompareQuery) -> dict[str, Side]:
    sides = {}
    returning = set(session.scalars(select(CareOrder.la_code).where(
        CareOrder.la_code.in_(list(req.la_codes)), in_force(CareOrder, req.as_of)).distinct()))
    for name in SIDES:
        span = getattr(query, name)
        if query.measure in ORDER_MEASURES:
            side = Side(span, _financial_years(span))
            _counted_orders(session, req, query.measure, side, returning)
        else:
            side = Side(span, [d.isoformat() for d in _march_snapshots(span)])
            _returned_counts(session, req, query.measure, side)
        sides[name] = side
    return sides


def _is_matched(sides: dict[str, Side], la: str) -> bool:
    return all(side.years and set(side.by_la.get(la, {})) == set(side.years) for side in sides.values())


def figures(session: Session, req: PackRequest) -> CompareFigures:
    query = cast(CompareQuery, req.query)  # the compare route's query dependency made it
    cells = Figures()
    la_codes = sorted(req.la_codes)
    names = dict(session.execute(select(LocalAuthority.code, LocalAuthority.name)
                                 .where(LocalAuthority.code.in_(la_codes))).all())
    sides = _sides(session, req, query)
    matched = [la for la in la_codes if _is_matched(sides, la)]
    area = Row("area", req.area.code)
    records: dict[Row, dict[str, int]] = {}
    for code in la_codes:
        row = cells.show(Row("las", code))
        records[row] = {}
        for name, side in sides.items():
            returned = side.by_la.get(code)
            # Orders are records, one each; a returned count is one return a snapshot.
            records[row][name] = sum((returned or {}).values()) if query.measure in ORDER_MEASURES else len(returned or {})
            cells.count(row.cell(name), None if not returned else sum(returned.values()), code)
    cells.show(area)
    records[area] = {}
    for name, side in sides.items():
        records[area][name] = sum(records[Row("las", la)][name] for la in matched)
        cells.count(area.cell(name), sum(sum(side.by_la[la].values()) for la in matched) if matched else None,
                    req.area.la_codes)
        for year in side.years:
            cells.count(cells.show(Row("years", req.area.code, year)).cell(name),
                        sum(side.by_la[la][year] for la in matched) if matched else None, req.area.la_codes)
    if query.measure in ORDER_MEASURES:
        sources = summarised_sources(session, CareOrder, "orders", "order_ref", la_codes, req.as_of)
    else:
        sources = keyed_sources(session, M, "care-order-counts", "snapshot_date", la_codes, req.as_of,
                                M.snapshot_date.in_([date.fromisoformat(y) for s in sides.values() for y in s.years]))
    return CompareFigures(cells, sources, query, query.measure in STOCKS, sides,
                          [(Row("las", c), names.get(c, c)) for c in la_codes], matched, (area, req.area.name),
                          req.area.kind == "la", records, req.reader.sees_everything)


def relations(f: CompareFigures, req: PackRequest) -> Relations:
    relations = Relations()
    area = f.area[0]
    for row in [*(r for r, _ in f.las), area]:
        for name in ("change", "pct_change"):
            relations.derives(row.cell(name), [row.cell(side) for side in SIDES])
    for name, side in f.sides.items():
        relations.adds_up([Row("las", la).cell(name) for la in f.matched], area.cell(name))
        relations.adds_up([Row("years", area.code, year).cell(name) for year in side.years], area.cell(name))
        if f.area_is_la and f.matched:
            relations.adds_up([Row("las", area.code).cell(name)], area.cell(name))
    return relations


def _value(f: CompareFigures, total: int | None, years: int) -> Fraction | None:
    if total is None or not years:
        return None
    return Fraction(total, years) if f.stock else Fraction(total)


def _shown(value: Fraction | None) -> int | float | None:
    if value is None:
        return None
    return value.numerator if value.denominator == 1 else one_decimal(value)


def _comparison(f: CompareFigures, row: Row, name: str, matched: bool, used: dict[str, list[str]],
                hidden: Hidden) -> Comparison:
    values = {side: _value(f, f.cells[row.cell(side)], len(used[side])) for side in SIDES}
    b, a = values["before"], values["after"]
    change = a - b if matched and a is not None and b is not None else None
    pct = None if change is None or not b else one_decimal(change / b * 100)
    marks = {m: "c" for m in ("change", "pct_change") if row.cell(m) in hidden}
    periods = {side: Period(date_from=f.sides[side].span[0], date_to=f.sides[side].span[1],
                            value=None if row.cell(side) in hidden else _shown(values[side]), used=used[side],
                            snapshots=f.records[row][side] if f.counts_shown else None,
                            suppressed={"value": "c"} if row.cell(side) in hidden else {}) for side in SIDES}
    return Comparison(code=row.code, name=name, matched=matched, **periods,
                      change=None if "change" in marks else _shown(change),
                      pct_change=None if "pct_change" in marks else pct, suppressed=marks)


def rows(f: CompareFigures, hidden: Hidden, header: dict[str, Any]) -> ComparePack:
    las = [_comparison(f, row, name, row.code in f.matched,
                       {side: sorted(f.sides[side].by_la.get(row.code, {})) for side in SIDES}, hidden)
           for row, name in f.las]
    area_used = {side: f.sides[side].years if f.matched else [] for side in SIDES}
    total = _comparison(f, f.area[0], f.area[1], bool(f.matched), area_used, hidden)
    years = []
    for side, data in f.sides.items():
        for year in data.years:
            cell = Row("years", f.area[0].code, year).cell(side)
            years.append(YearValue(year=year, side=side, value=None if cell in hidden else f.cells[cell],  # type: ignore[arg-type]
                                   suppressed={"value": "c"} if cell in hidden else {}))
    left_out = [LaRef(code=row.code, name=name) for row, name in f.las if row.code not in f.matched]
    return ComparePack(**header, measure=f.query.measure, kind="stock" if f.stock else "flow",
                       matched_las=len(f.matched), las_expected=len(f.las), left_out=left_out, years=years, las=las, total=total)
