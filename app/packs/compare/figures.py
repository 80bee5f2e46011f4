"""The compare pack's figures: one measure summed over two periods, and the change between them."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.orders.models import CareOrder
from app.packs.cells import Figures, Relations, Row
from app.packs.compare.query import COUNT_MEASURES, ORDER_MEASURES, CompareQuery, M, Span
from app.packs.compare.schemas import ComparePack, Comparison, Period
from app.packs.disclosure import Hidden
from app.packs.request import PackRequest
from app.packs.rounding import percentage
from app.packs.schemas import Source
from app.packs.sources import keyed_sources, summarised_sources
from app.records.state import in_force
from app.reference.models import LocalAuthority

SIDES = ("before", "after")


@dataclass
class CompareFigures:
    cells: Figures
    sources: list[Source]
    query: CompareQuery
    las: list[tuple[Row, str]]
    area: tuple[Row, str]
    area_is_la: bool
    records: dict[Row, dict[str, int]]   # per row and side, how many returns or records were summed


def _sums(session: Session, req: PackRequest, measure: str, period: Span) -> dict[str, tuple[int | None, int]]:
    la_codes = list(req.la_codes)
    if measure in ORDER_MEASURES:
        column = ORDER_MEASURES[measure]
        rows = session.execute(select(CareOrder.la_code, func.count(), func.count())
                               .where(CareOrder.la_code.in_(la_codes), in_force(CareOrder, req.as_of),
                                      column >= period[0], column <= period[1]).group_by(CareOrder.la_code))
    else:
        value = COUNT_MEASURES[measure]
        rows = session.execute(select(M.la_code, func.sum(value), func.count(value))
                               .where(M.la_code.in_(la_codes), in_force(M, req.as_of), M.snapshot_date >= period[0],
                                      M.snapshot_date <= period[1]).group_by(M.la_code))
    return {la: (None if n == 0 else int(total), int(n)) for la, total, n in rows}


def figures(session: Session, req: PackRequest) -> CompareFigures:
    query = req.query
    assert isinstance(query, CompareQuery)
    cells = Figures()
    la_codes = sorted(req.la_codes)
    names = dict(session.execute(select(LocalAuthority.code, LocalAuthority.name)
                                 .where(LocalAuthority.code.in_(la_codes))).all())
    sums = {side: _sums(session, req, query.measure, getattr(query, side)) for side in SIDES}
    area = Row("area", req.area.code)
    records: dict[Row, dict[str, int]] = {}
    for code in la_codes:
        row = cells.show(Row("las", code))
        records[row] = {}
        for side in SIDES:
            value, records[row][side] = sums[side].get(code, (None, 0))
            cells.count(row.cell(side), value, code)
    cells.show(area)
    records[area] = {}
    for side in SIDES:
        present = [v for v, _ in sums[side].values() if v is not None]
        records[area][side] = sum(n for _, n in sums[side].values())
        cells.count(area.cell(side), sum(present) if present else None, req.area.la_codes)
    if query.measure in ORDER_MEASURES:
        sources = summarised_sources(session, CareOrder, "orders", "order_ref", la_codes, req.as_of)
    else:
        sources = keyed_sources(session, M, "care-order-counts", "snapshot_date", la_codes, req.as_of,
                                M.snapshot_date >= min(query.before[0], query.after[0]),
                                M.snapshot_date <= max(query.before[1], query.after[1]))
    return CompareFigures(cells, sources, query, [(Row("las", c), names.get(c, c)) for c in la_codes],
                          (area, req.area.name), req.area.kind == "la", records)


def relations(f: CompareFigures, req: PackRequest) -> Relations:
    relations = Relations()
    for row in [*(r for r, _ in f.las), f.area[0]]:
        for name in ("change", "pct_change"):
            relations.derives(row.cell(name), [row.cell(side) for side in SIDES])
    area = f.area[0]
    for side in SIDES:
        relations.adds_up([row.cell(side) for row, _ in f.las], area.cell(side))
    if f.area_is_la:
        for side in SIDES:
            relations.adds_up([Row("las", area.code).cell(side)], area.cell(side))
    return relations


def _comparison(f: CompareFigures, row: Row, name: str, hidden: Hidden) -> Comparison:
    b, a = f.cells[row.cell("before")], f.cells[row.cell("after")]
    change = None if a is None or b is None else a - b
    marks = {name_: "c" for name_ in ("change", "pct_change") if row.cell(name_) in hidden}
    periods = {side: Period(date_from=span[0], date_to=span[1],
                            value=None if row.cell(side) in hidden else f.cells[row.cell(side)],
                            snapshots=f.records[row][side],
                            suppressed={"value": "c"} if row.cell(side) in hidden else {})
               for side, span in (("before", f.query.before), ("after", f.query.after))}
    return Comparison(code=row.code, name=name, **periods, change=None if "change" in marks else change,
                      pct_change=None if change is None or "pct_change" in marks else percentage(change, b),
                      suppressed=marks)


def rows(f: CompareFigures, hidden: Hidden, header: dict[str, Any]) -> ComparePack:
    return ComparePack(**header, measure=f.query.measure, las=[_comparison(f, row, name, hidden) for row, name in f.las],
                       total=_comparison(f, *f.area, hidden))
