"""What the care-orders-at-home page shows."""

from typing import Any

from app.packs.care_orders import benchmark, yearly_sections
from app.packs.care_orders.yearly_sections import name_of
from app.packs.render import charts
from app.packs.render.charts import value_of
from app.packs.render.page import HtmlTable, Section, label, total_row

COUNT_COLUMNS = ("full_care_orders_at_home", "interim_care_orders_at_home", "total_at_home", "cla_total", "pct_of_cla",
                 "pct_placed_with_parents",
                 "rate_per_10k", "change_on_previous")


def sections(pack: Any) -> list[Section]:
    dates = [d.snapshot_date.isoformat() for d in pack.dates]
    names = {r.la: r.name for d in pack.dates for r in d.las}
    codes = sorted(names, key=lambda code: (names[code], code))
    series = {names[c]: [next((value_of(r, "total_at_home") for r in d.las if r.la == c), None) for d in pack.dates]
              for c in codes}
    trend = Section("Trend per local authority", "Children on care orders at home (S.31 and S.38) at each snapshot date.")
    if dates:
        trend.charts.append(charts.line_chart("Children on care orders at home, per LA", dates, series))
        totals = [d.total for d in pack.dates]
        trend.charts.append(charts.line_chart(f"{pack.area.name}: total", dates, {
            pack.area.name: [value_of(t, "total_at_home") for t in totals]},
            partial=[i for i, t in enumerate(totals) if t is not None and t.las_returned < t.las_expected]))
    sections = [trend]
    if pack.dates:
        latest = pack.dates[-1]
        compared = Section("Compared with other regions and England",
                           f"% of children looked after who are on a care order at home, {dates[-1]}.")
        compared.charts.append(charts.bar_chart("% of CLA on a care order at home", [
            (c.name, charts.SUPPRESSED if "pct_of_cla" in c.suppressed else c.pct_of_cla, c.area == pack.area.code)
            for c in latest.comparators], "%",
            partial=[c.name for c in latest.comparators if c.las_returned < c.las_expected]))
        table = HtmlTable(["Area", "LAs returned", *map(label, COUNT_COLUMNS)], text_columns=1)
        for c in latest.comparators:
            partial = " partial" if c.las_returned < c.las_expected else ""
            returned = f"{c.las_returned} of {c.las_expected}" + (": partial" if partial else "")
            table.add([c.name, returned, *(getattr(c, n) for n in COUNT_COLUMNS)],
                      c.suppressed, [None, None, *COUNT_COLUMNS], ("total" if c.area == pack.area.code else "") + partial)
        compared.tables.append(table)
        sections.append(compared)
    if pack.dates and pack.dates[-1].characteristics:
        sections.append(_characteristics(pack.area, pack.dates[-1]))
    yearly = yearly_sections.sections(pack)
    sections += yearly[:-1]
    for at in reversed(pack.dates):
        section = Section(f"Local authorities at {at.snapshot_date.strftime('%-d %B %Y')}")
        table = HtmlTable(["Local authority", *map(label, COUNT_COLUMNS)])
        for r in at.las:
            table.add([r.name, *(getattr(r, n) for n in COUNT_COLUMNS)], r.suppressed, [None, *COUNT_COLUMNS])
        if at.total is not None:
            name, css = total_row(at.total.name, at.total.las_returned, at.total.las_expected)
            table.add([name, *(getattr(at.total, n) for n in COUNT_COLUMNS)], at.total.suppressed, [None, *COUNT_COLUMNS],
                      css)
        section.tables.append(table)
        section.tables.append(_in_the_year(at))
        sections.append(section)
    if pack.dates:
        sections.append(benchmark.html_section(pack))
    return sections + yearly[-1:]


def _in_the_year(at: Any) -> HtmlTable:
    """Each LA's flows in the year to the date, the JSON's other half of its row."""
    columns = yearly_sections.year_columns()
    table = HtmlTable(["Local authority", *map(name_of, columns)],
                      caption=f"In the year to {at.snapshot_date.strftime('%-d %B %Y')}")
    for r in at.las:
        table.add([r.name, *(getattr(r, n) for n in columns)], r.suppressed, [None, *columns])
    if at.total is not None:
        name, css = total_row(at.total.name, at.total.las_returned, at.total.las_expected)
        table.add([name, *(getattr(at.total, n) for n in columns)], at.total.suppressed, [None, *columns], css)
    return table


def _characteristics(area: Any, at: Any) -> Section:
    """The latest date's breakdowns: the area's children and share in each category, beside England's share."""
    own = [r for r in at.characteristics if r.role == "area"]
    england = {(r.dimension, r.category): r for r in at.characteristics if r.role == "england"}
    returned = f"{own[0].las_returned} of {own[0].las_expected} LAs" if own else "no LA"
    section = Section(f"Characteristics at {at.snapshot_date.strftime('%-d %B %Y')}",
                      f"Children on care orders at home (S.31 and S.38) by characteristic, over the LAs that returned "
                      f"a breakdown ({area.name}: {returned}); each share is of the dimension's children.")
    table = HtmlTable(["Characteristic", "Category", f"{area.name}: children", f"{area.name}: %", "England: %"],
                      text_columns=2)
    for row in own:
        national = england.get((row.dimension, row.category))
        marks = {f"own_{k}": v for k, v in row.suppressed.items()} | \
                ({f"england_{k}": v for k, v in national.suppressed.items()} if national else {})
        table.add([label(row.dimension), label(row.category), row.total_at_home, row.pct_of_dimension,
                   national.pct_of_dimension if national else None],
                  marks, [None, None, "own_total_at_home", "own_pct_of_dimension", "england_pct_of_dimension"])
    section.tables.append(table)
    return section
