"""What the compare page shows."""

from typing import Any

from app.packs.render import charts
from app.packs.render.page import HtmlTable, Section, label


def sections(pack: Any) -> list[Section]:
    section = Section(f"{label(pack.measure)}: before and after",
                      f"Before: {pack.total.before.date_from} to {pack.total.before.date_to}; "
                      f"after: {pack.total.after.date_from} to {pack.total.after.date_to}.")
    section.charts.append(charts.bar_chart(f"{pack.area.name}: {label(pack.measure).lower()}", [
        ("Before", pack.total.before.value, False), ("After", pack.total.after.value, True)]))
    table = HtmlTable(["Area", "Before", "After", "Change", "% change"])
    for row in [*pack.las, pack.total]:
        hidden = {**{f"before.{k}": v for k, v in row.before.suppressed.items()},
                  **{f"after.{k}": v for k, v in row.after.suppressed.items()}, **row.suppressed}
        table.add([row.name, row.before.value, row.after.value, row.change, row.pct_change], hidden,
                  [None, "before.value", "after.value", "change", "pct_change"], "total" if row is pack.total else "")
    section.tables.append(table)
    return [section]
