"""Children on care orders at home by age band, sex, ethnicity and time on the order: the area, every region
and England on each snapshot date, from the LAs' care-order-characteristics returns.

Each LA's breakdown is a row of cells of its own (`LA_TABLE`): not shown in a region's pack, but what every
area's breakdown adds up from, so the published tables protect an LA's small counts from being worked
back by subtracting a group's breakdown from its region's. Where an LA's breakdown adds up to its counts,
that is declared too: a reader who sees the counts can make the sum. A category's children are shown as one
count (full and interim orders together): split in two, each LA's breakdowns tie its small counts to its full
and interim counts alike, and deciding England's tables took 37 s a year instead of 5 s, hiding nearly every
figure of the region.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.care_order_characteristics.models import CareOrderCharacteristic
from app.packs.cells import MANY_LAS, Figures, Relations, Row
from app.packs.disclosure import Hidden
from app.packs.rounding import percentage
from app.records.state import in_force
from app.reference.models import LocalAuthority
from app.reference.shipped import ENGLAND_CODE
from app.ssda903.codes import DIMENSIONS

C = CareOrderCharacteristic
LA_TABLE = "la_characteristics"
PREFIX = "characteristics"
# One dimension's categories, as (dimension, category), in the order the contract lists them.
CATEGORIES = tuple((dimension, category) for dimension, categories in DIMENSIONS.items() for category in categories)
Breakdown = dict[tuple[str, str], tuple[int, int]]


def measure(dimension: str, category: str, count: str) -> str:
    return f"{PREFIX}.{dimension}.{category}.{count}"


def children_in(dimension: str) -> str:
    """The children a dimension's shares are of: its categories' totals added up."""
    return f"{PREFIX}.{dimension}.children"


@dataclass
class AreaBreakdown:
    row: Row
    area: str
    name: str
    las_returned: int
    las_expected: int
    values: Breakdown


@dataclass
class CharacteristicsFigures:
    by_day: dict[date, list[AreaBreakdown]] = field(default_factory=dict)
    # For relations: each LA's breakdown row by date, and which LAs of each region returned one.
    la_rows: dict[date, dict[str, Row]] = field(default_factory=dict)
    region_of: dict[str, str] = field(default_factory=dict)
    consistent: list[tuple[Row, Row, str]] = field(default_factory=list)   # (breakdown row, counts row, count)


def _sums(session: Session, req: Any, days: list[date], la_codes: tuple[str, ...] | None,
          by_region: bool) -> tuple[dict[tuple[Any, ...], Breakdown], dict[tuple[Any, ...], int]]:
    """Per date (and region), each category's counts summed in SQL, and how many LAs returned a breakdown."""
    groups = [C.snapshot_date] + ([LocalAuthority.region_code] if by_region else [])
    def grouped(*columns: Any):
        statement = (select(*groups, *columns).join(LocalAuthority, LocalAuthority.code == C.la_code)
                     .where(in_force(C, req.as_of), C.snapshot_date.in_(days)))
        return statement if la_codes is None else statement.where(C.la_code.in_(list(la_codes)))

    sums: dict[tuple[Any, ...], Breakdown] = defaultdict(dict)
    for row in session.execute(grouped(C.dimension, C.category, func.sum(C.full_care_orders_at_home),
                                       func.sum(C.interim_care_orders_at_home))
                               .group_by(*groups, C.dimension, C.category)):
        dimension, category, full, interim = row[len(groups):]
        sums[tuple(row[:len(groups)])][(dimension, category)] = (full, interim)
    # Counted apart: an LA may return one dimension and not another, so no one category counts them all.
    returned = {tuple(row[:len(groups)]): row[-1]
                for row in session.execute(grouped(func.count(func.distinct(C.la_code))).group_by(*groups))}
    return sums, returned


def _record(cells: Figures, row: Row, values: Breakdown, about: Any) -> None:
    for dimension, category in CATEGORIES:
        full, interim = values.get((dimension, category), (None, None))
        cells.count(row.cell(measure(dimension, category, "total_at_home")),
                    None if full is None else full + interim, about)
    for dimension, categories in DIMENSIONS.items():
        totals = [values[(dimension, c)] for c in categories if (dimension, c) in values]
        cells.count(row.cell(children_in(dimension)), sum(f + i for f, i in totals) if totals else None, about)


def _la_breakdowns(session: Session, req: Any, days: list[date]) -> dict[tuple[str, date], Breakdown]:
    rows = session.execute(select(C.la_code, C.snapshot_date, C.dimension, C.category, C.full_care_orders_at_home,
                                  C.interim_care_orders_at_home)
                           .where(in_force(C, req.as_of), C.snapshot_date.in_(days)))
    found: dict[tuple[str, date], Breakdown] = defaultdict(dict)
    for la, day, dimension, category, full, interim in rows:
        found[(la, day)][(dimension, category)] = (full, interim)
    return found


def figures(session: Session, req: Any, cells: Figures, days: list[date], counted: dict[tuple[str, date], Any],
            names: dict[str, str], expected: Callable[[date, str | None], int],
            area_expected: Callable[[date], int], track: bool) -> CharacteristicsFigures:
    """`counted`: each LA's counts row and values on a date; `expected(day, region)` and `area_expected(day)`:
    how many LAs were operational."""
    result = CharacteristicsFigures()
    if not days:
        return result
    area = req.area
    if track:
        result.region_of = dict(session.execute(select(LocalAuthority.code, LocalAuthority.region_code)).all())
        for (la, day), values in _la_breakdowns(session, req, days).items():
            row = Row(LA_TABLE, la, day)
            _record(cells, row, values, la)
            result.la_rows.setdefault(day, {})[la] = row
            if la in area.la_codes and area.kind == "la":
                cells.show(row)
            if (la, day) in counted:
                _declare_consistent(result, row, values, *counted[(la, day)])
    own, own_returned = _sums(session, req, days, area.la_codes, by_region=False)
    regional, regional_returned = _sums(session, req, days, None, by_region=True)
    national, national_returned = _sums(session, req, days, None, by_region=False)
    for day in days:
        blocks = []
        if (day,) in own:
            # An LA's own area is its LA row: the one cell that every pack showing it names alike.
            row = Row(LA_TABLE, area.code, day) if area.kind == "la" else Row("area", area.code, day)
            blocks.append(_area(cells, row, area.code, area.name, own_returned[(day,)], area_expected(day),
                                own[(day,)], area.la_codes, track and area.kind != "la"))
        for code in sorted(c for c in names if c != ENGLAND_CODE):
            if (day, code) in regional:
                blocks.append(_area(cells, Row("cmp", code, day), code, names[code], regional_returned[(day, code)],
                                    expected(day, code), regional[(day, code)], MANY_LAS, track))
        if (day,) in national:
            blocks.append(_area(cells, Row("cmp", ENGLAND_CODE, day), ENGLAND_CODE, names[ENGLAND_CODE],
                                national_returned[(day,)], expected(day, None), national[(day,)], MANY_LAS, track))
        result.by_day[day] = blocks
    return result


def _declare_consistent(result: CharacteristicsFigures, row: Row, values: Breakdown, counts_row: Row,
                        counts: dict[str, Any]) -> None:
    for dimension, categories in DIMENSIONS.items():
        parts = [values.get((dimension, c)) for c in categories]
        if all(p is not None for p in parts) and sum(f + i for f, i in parts) == counts.get("total_at_home"):  # type: ignore[misc]
            result.consistent.append((row, counts_row, dimension))


def _area(cells: Figures, row: Row, code: str, name: str, returned: int, expected: int, values: Breakdown,
          about: Any, track: bool) -> AreaBreakdown:
    cells.show(row)
    if track:
        _record(cells, row, values, about)
    return AreaBreakdown(row, code, name, returned, expected, values)


def relations(relations: Relations, f: CharacteristicsFigures, area: Any) -> None:
    for day, la_rows in f.la_rows.items():
        members: dict[str, list[Row]] = defaultdict(list)
        for code, row in la_rows.items():
            members[f.region_of[code]].append(row)
        for row in la_rows.values():
            _row_relations(relations, row)
        for block in f.by_day.get(day, ()):
            _row_relations(relations, block.row)
            if block.row.table == "area":
                _sums_to(relations, [la_rows[c] for c in area.la_codes if c in la_rows], block.row)
            elif block.area != ENGLAND_CODE:
                _sums_to(relations, members.get(block.area, []), block.row)
                if block.area == area.code:
                    _sums_to(relations, [Row("area", area.code, day)], block.row)
        regions = [b.row for b in f.by_day.get(day, ()) if b.row.table == "cmp" and b.area != ENGLAND_CODE]
        if any(b.area == ENGLAND_CODE for b in f.by_day.get(day, ())):
            _sums_to(relations, regions, Row("cmp", ENGLAND_CODE, day))
    for row, counts_row, dimension in f.consistent:
        relations.adds_up([row.cell(measure(dimension, c, "total_at_home")) for c in DIMENSIONS[dimension]],
                          counts_row.cell("total_at_home"))
        relations.prefer_shown([counts_row.cell("total_at_home")])


def _row_relations(relations: Relations, row: Row) -> None:
    for dimension, categories in DIMENSIONS.items():
        for category in categories:
            relations.shares_of(row.cell(measure(dimension, category, "pct_of_dimension")),
                                [row.cell(measure(dimension, category, "total_at_home"))], row.cell(children_in(dimension)))
        relations.adds_up([row.cell(measure(dimension, c, "total_at_home")) for c in categories],
                          row.cell(children_in(dimension)))


def _sums_to(relations: Relations, parts: list[Row], whole: Row) -> None:
    if not parts:
        return
    for dimension, category in CATEGORIES:
        relations.adds_up([p.cell(measure(dimension, category, "total_at_home")) for p in parts],
                          whole.cell(measure(dimension, category, "total_at_home")))
    for dimension in DIMENSIONS:
        relations.adds_up([p.cell(children_in(dimension)) for p in parts], whole.cell(children_in(dimension)))


def _role(block: AreaBreakdown) -> str:
    # A region's own pack lists it twice, as the area and among the regions: `role` tells the two apart.
    if block.row.table in ("area", LA_TABLE):
        return "area"
    return "england" if block.area == ENGLAND_CODE else "region"


def shown_rows(f: CharacteristicsFigures, day: date, hidden: Hidden) -> list[dict[str, Any]]:
    """The breakdowns on a date as a reader sees them: a row per area and category, hidden cells nulled and marked."""
    shown = []
    for block in f.by_day.get(day, ()):
        for dimension, categories in DIMENSIONS.items():
            present = [block.values[(dimension, c)] for c in categories if (dimension, c) in block.values]
            children = sum(full + interim for full, interim in present) if present else None
            for category in categories:
                full, interim = block.values.get((dimension, category), (None, None))
                total = None if full is None else full + interim
                values = {"total_at_home": total, "children_in_dimension": children,
                          "pct_of_dimension": percentage(total, children)}
                cells = {name: block.row.cell(measure(dimension, category, name)) for name in values}
                cells["children_in_dimension"] = block.row.cell(children_in(dimension))
                marks = {name: "c" for name, cell in cells.items() if cell in hidden and values[name] is not None}
                shown.append({"role": _role(block), "area": block.area, "name": block.name,
                              "las_returned": block.las_returned,
                              "las_expected": block.las_expected, "dimension": dimension, "category": category,
                              **{name: None if name in marks else value for name, value in values.items()},
                              "suppressed": marks})
    return shown
