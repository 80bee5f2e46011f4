"""What the compare page shows."""

from typing import Any

from app.packs.render import charts, yearly
from app.packs.render.page import HtmlTable, Section, label


def sections(pack: Any) -> list[Section]:
    how = "summed over each period" if pack.kind == "flow" else "the mean over each period's 31 March snapshots"
    covered = f"{pack.matched_las} LAs returned it for the whole of both periods"
    left_out = f"; left out: {', '.join(la.name for la in pack.left_out)}" if pack.left_out else ""
    section = Section(f"{label(pack.measure)}: before and after",
                      f"Before: {pack.total.before.date_from} to {pack.total.before.date_to}; "
                      f"after: {pack.total.after.date_from} to {pack.total.after.date_to}. {label(pack.measure)}, "
                      f"{how}. {covered}{left_out}.")
    if pack.years:
        section.charts.append(yearly.year_bars(
            f"{pack.area.name}: {label(pack.measure).lower()} each year, matched LAs",
            [(_year(year.year, pack.kind), charts.SUPPRESSED if year.suppressed else year.value) for year in pack.years],
            sides=[year.side for year in pack.years]))
    table = HtmlTable(["Area", "Matched", "Before", "After", "Change", "% change", "Years before", "Years after"])
    for row in [*pack.las, pack.total]:
        hidden = {**{f"before.{k}": v for k, v in row.before.suppressed.items()},
                  **{f"after.{k}": v for k, v in row.after.suppressed.items()}, **row.suppressed}
        table.add([row.name, row.matched, row.before.value, row.after.value, row.change, row.pct_change,
                   ", ".join(row.before.used) or "none", ", ".join(row.after.used) or "none"], hidden,
                  [None, None, "before.value", "after.value", "change", "pct_change", None, None],
                  "total" if row is pack.total else "")
    section.tables.append(table)
    return [section]


def _year(text: str, kind: str) -> str:
    """A flow's 31 March snapshot named by the financial year it counts (a stock's is a count on the date)."""
    return yearly.financial_year(text) if kind == "flow" and len(text) == 10 else text
