"""Which of a compare pack's cells a suppressed reader may not see.

Every figure of compare is a sum of one measure's yearly figures (an LA's, or the matched LAs'), so it is
hidden whenever a year behind it is hidden in the published tables. Measures the care-orders pack shows
(its counts per 31 March) take that pack's published years, so the two packs cannot be set against each
other; the others (orders made and discharged, counted from child-level orders, and the interim-order
items) are published as compare's own tables, one per measure and financial year.
"""

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from app.packs.cells import Cell, Relations, Row
from app.packs.compare.figures import CompareFigures
from app.packs.compare.query import COUNT_MEASURES
from app.packs.disclosure import Hidden
from app.packs.published import Period, Table, period_of, publisher
from app.packs.request import PackRequest
from app.packs.spec import PackSpec

# Returned counts the care-orders pack shows per 31 March (the interim-order items it does not).
IN_CARE_ORDERS_PACK = frozenset(COUNT_MEASURES) - {
    "interim_orders_from_private_law", "interim_orders_for_parent_assessment", "interim_orders_became_full_orders"}
# The outcomes pack's totals that equal a compare measure whenever every order records what they count.
SAME_AS_OUTCOMES = {
    "orders_made": ("orders_made", *(f"{section}.total" for section in (
        "pre_proceedings", "assessments_in_proceedings", "plan_vs_outcome", "plans", "court_outcomes"))),
    "orders_discharged": ("discharge_outcomes.total", "time_on_order.total"),
}
# Whether the published tables hide (code, year label): code an LA's or an area's.
YearHidden = Callable[[str, str], bool]


def _period(label: str) -> Period:
    """A year of compare: a 31 March ("2018-03-31") or a financial year of orders ("2017-18")."""
    found = period_of("financial_year", Row("years", "", label if len(label) == 7 else date.fromisoformat(label)))
    assert found is not None
    return found


def _year_hidden(spec: PackSpec, session: Session, req: PackRequest, f: CompareFigures, used: list[Table]) -> YearHidden:
    """`used` gathers the tables read, so that the pack can say when one of them ran out of work for the bound."""
    measure = f.query.measure
    # Packs are entered through the registry alone; it is complete by the time a pack is read.
    from app.packs.registry import PACKS

    if measure in IN_CARE_ORDERS_PACK:
        shown_with = publisher(session, PACKS["care-orders-at-home"], req.reader)

        def in_care_orders(code: str, label: str) -> bool:
            day = date.fromisoformat(label)
            row = Row("las" if code.isdigit() else "area", code, day)
            used.append(table := shown_with.table(_period(label)))
            return table.withholds(Cell(row, measure))
        return in_care_orders
    own = publisher(session, spec, req.reader, f.query)
    outcomes = publisher(session, PACKS["outcomes"], req.reader) if measure in SAME_AS_OUTCOMES else None

    def in_own_tables(code: str, label: str) -> bool:
        row = Row("las" if code.isdigit() else "area", code)
        used.append(mine := own.table(_period(label)))
        if mine.withholds(Cell(row, "before")):
            return True
        # Orders made in a year are, when every order says so, the outcomes pack's totals of orders made:
        # a count the outcomes tables hide must not be shown here.
        table = outcomes.table(_period(label)) if outcomes else None
        used.extend([table] if table else [])
        return table is not None and any(table.withholds(Cell(row, total)) for total in SAME_AS_OUTCOMES[measure])
    return in_own_tables


def decide(spec: PackSpec, session: Session, req: PackRequest, f: CompareFigures, relations: Relations) -> Hidden:
    used: list[Table] = []
    year_hidden = _year_hidden(spec, session, req, f, used)
    area = f.area[0]
    hidden: set[Cell] = set()
    for name, side in f.sides.items():
        for la, values in side.by_la.items():
            if any(year_hidden(la, year) for year in values):
                hidden.add(Row("las", la).cell(name))
        for year in side.years:
            if not _year_shown(f, year_hidden, area.code, name, year):
                hidden.add(Row("years", area.code, year).cell(name))
        if any(Row("years", area.code, year).cell(name) in hidden for year in side.years):
            hidden.add(area.cell(name))
    hidden |= {cell for cell, inputs in relations.derived.items() if any(i in hidden for i in inputs)}
    return Hidden(frozenset(hidden), any(t.fallback for t in used))


def _year_shown(f: CompareFigures, year_hidden: YearHidden, area: str, side: str, year: str) -> bool:
    """The matched LAs' sum for a year is shown when each of their figures is, or when they are every LA that
    returned that year and the published table shows the area's figure."""
    if all(not year_hidden(la, year) for la in f.matched):
        return True
    returned = {la for la, values in f.sides[side].by_la.items() if year in values}
    return set(f.matched) == returned and not year_hidden(area, year)

