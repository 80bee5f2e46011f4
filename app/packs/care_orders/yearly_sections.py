"""What the care-orders-at-home page shows year by year: each flow measure (counted in the year to a 31 March
snapshot, so a financial year) for the area and for each of its LAs, discharges with the share to each
outcome, the interim-order items with how often a parent assessment ended with the child at home, and what
the LAs wrote beside their returns."""

from typing import Any

from app.packs.care_orders.schemas import DISCHARGE_SHARES, INTERIM_ITEMS
from app.packs.render import charts, yearly
from app.packs.render.charts import value_of
from app.packs.render.page import HtmlTable, Section, label, total_row

DISCHARGE_PARTS = tuple(share.removeprefix("pct_") for share in DISCHARGE_SHARES)
FLOWS = ("orders_made_in_year", "discharges_total", *DISCHARGE_PARTS, *INTERIM_ITEMS)
SUCCESS_RATE = "pct_parent_assessment_child_remained"
NAMES = {"orders_made_in_year": "Care orders at home made", "discharges_total": "Discharges",
         "interim_orders_from_private_law": "Interim orders from private law",
         "interim_orders_for_parent_assessment": "Interim orders for a parent assessment",
         "interim_orders_for_parent_assessment_child_remained": "Of which the child remained at home",
         "interim_orders_became_full_orders": "Interim orders that became full orders",
         SUCCESS_RATE: "% of parent assessments where the child remained"}
PER_YEAR = ("orders_made_in_year", "discharges_total", *INTERIM_ITEMS, SUCCESS_RATE)


def name_of(measure: str) -> str:
    if measure.startswith("discharges_to_"):
        return f"Discharges to {label(measure.removeprefix('discharges_to_')).lower()}"
    if measure.startswith("pct_discharges_to_"):
        return f"% to {label(measure.removeprefix('pct_discharges_to_')).lower()}"
    return NAMES.get(measure) or label(measure)


def sections(pack: Any) -> list[Section]:
    """The year-by-year sections of what the LAs returned (a chart of nothing returned is left out), then the
    LAs' notes, always last."""
    if not pack.dates:
        return []
    drawn = []
    if _returned(pack, "orders_made_in_year") or _returned(pack, "discharges_total"):
        drawn.append(_flows(pack))
    if any(_returned(pack, measure) for measure in FLOWS):
        drawn.append(_per_la(pack))
    if any(_returned(pack, measure) for measure in INTERIM_ITEMS):
        drawn.append(_interim(pack))
    return [*drawn, _notes(pack)]


def _returned(pack: Any, measure: str) -> bool:
    """Whether any LA returned the item on any date (a hidden figure was returned)."""
    return any(value_of(row, measure) is not None for d in pack.dates for row in [*d.las, d.total])


def _years(pack: Any) -> list[str]:
    return [yearly.financial_year(d.snapshot_date) for d in pack.dates]


def _flows(pack: Any) -> Section:
    years, totals = _years(pack), [d.total for d in pack.dates]
    section = Section("Year by year: orders made and discharges",
                      f"{pack.area.name}: each financial year ending on a 31 March snapshot, over the LAs that "
                      "returned the item (a partial year is marked in the table).")
    for measure in ("orders_made_in_year", "discharges_total"):
        section.charts.append(yearly.year_bars(f"{pack.area.name}: {name_of(measure).lower()} each year",
                                               [(y, value_of(t, measure)) for y, t in zip(years, totals, strict=True)]))
    section.charts.append(charts.stacked_bars(f"{pack.area.name}: share of discharges to each outcome", [
        (y, _discharge_shares(t)) for y, t in zip(years, totals, strict=True)],
        [label(p.removeprefix("discharges_to_")) for p in DISCHARGE_PARTS]))
    table = HtmlTable(["Year", "LAs returned", "Orders made", "Discharges", *map(name_of, DISCHARGE_SHARES)])
    for year, total in zip(years, totals, strict=True):
        if total is None:
            continue
        names = ["orders_made_in_year", "discharges_total", *DISCHARGE_SHARES]
        items = ("orders_made_in_year", "discharges_total", *DISCHARGE_PARTS)
        table.add([year, _las_returned(total, *items), *(getattr(total, n) for n in names)], total.suppressed,
                  [None, None, *names], "partial" if _partial(total, *items) else "")
    section.tables.append(table)
    return section


def _discharge_shares(total: Any) -> dict[str, yearly.Value]:
    """A year's shares as a bar: hidden ones "c"; none at all where some share is over other LAs than the
    discharges (not there, not hidden: an LA returned the total alone)."""
    shares = {label(p.removeprefix("discharges_to_")): None if total is None else value_of(total, f"pct_{p}")
              for p in DISCHARGE_PARTS}
    return dict.fromkeys(shares) if any(v is None for v in shares.values()) else shares


def _per_la(pack: Any) -> Section:
    """Every flow measure for each LA, a line each, the area's total as the last line."""
    years = _years(pack)
    codes = sorted({r.la for d in pack.dates for r in d.las})
    names = {r.la: r.name for d in pack.dates for r in d.las}
    by_la = {(r.la, d.snapshot_date): r for d in pack.dates for r in d.las}
    section = Section("Year by year for each local authority", "Each bar is scaled to the largest of the LAs' "
                      "figures in its table; the area's total, on the last line, to its own largest.")
    for measure in filter(lambda m: _returned(pack, m), FLOWS):
        rows = [(names[c], [value_of(by_la.get((c, d.snapshot_date)), measure) for d in pack.dates]) for c in codes]
        total = (pack.area.name, [value_of(d.total, measure) for d in pack.dates])
        section.charts.append(yearly.year_table(f"{name_of(measure)}, each year", years, rows, total))
    return section


def _interim(pack: Any) -> Section:
    section = Section("Interim care orders at home, year by year",
                      "Interim orders in the year to each 31 March: from private law, made to assess a parent (and "
                      "how often that assessment ended with the child remaining at home), and those that became "
                      "full care orders.")
    years, totals = _years(pack), [d.total for d in pack.dates]
    section.charts.append(yearly.year_bars(f"{pack.area.name}: {name_of(SUCCESS_RATE).lower()}",
                                           [(y, value_of(t, SUCCESS_RATE)) for y, t in zip(years, totals, strict=True)],
                                           "%"))
    table = HtmlTable(["Year", "LAs returned", *map(name_of, (*INTERIM_ITEMS, SUCCESS_RATE))])
    for year, total in zip(years, totals, strict=True):
        if total is not None:
            shown = (*INTERIM_ITEMS, SUCCESS_RATE)
            table.add([year, _las_returned(total, *INTERIM_ITEMS), *(getattr(total, n) for n in shown)],
                      total.suppressed, [None, None, *shown],
                      "partial" if _partial(total, *INTERIM_ITEMS) else "")
    section.tables.append(table)
    return section


def _fewest(total: Any, items: tuple[str, ...]) -> int:
    """The LAs behind a line of the table: the fewest that returned any item it shows (an item none returned
    shows nothing, so it counts for nothing)."""
    returned = [total.item_las_returned.get(item, total.las_returned) for item in items]
    return min((n for n in returned if n), default=0)


def _las_returned(total: Any, *items: str) -> str:
    name, _ = total_row("", _fewest(total, items), total.las_expected)
    return name.strip(" ()")


def _partial(total: Any, *items: str) -> bool:
    return _fewest(total, items) < total.las_expected


def _notes(pack: Any) -> Section:
    section = Section("What the LAs told us", "Each LA's notes on its return, in its own words, as it returned them.")
    table = HtmlTable(["Snapshot date", "Local authority", "Notes"], text_columns=3)
    for at in reversed(pack.dates):
        for note in at.notes:
            table.add([at.snapshot_date.strftime("%-d %B %Y"), note.name, note.notes])
    for row in table.rows:
        for cell in row["cells"]:
            cell.css = "text"
    if table.rows:
        section.tables.append(table)
    else:
        section.text = "No LA wrote notes on its returns for these dates."
    return section


def year_columns() -> tuple[str, ...]:
    """The per-LA table's figures for the year to the date, beside its figures at the date."""
    return ("orders_made_in_year", "discharges_total", "pct_discharges_to_no_order",
            "pct_discharges_to_supervision_order", *INTERIM_ITEMS, SUCCESS_RATE)
