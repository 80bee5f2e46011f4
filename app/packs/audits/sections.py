"""What the audits page shows."""

from typing import Any

from app.packs.audits import benchmark, item_sections
from app.packs.render import charts
from app.packs.render.charts import shares_of
from app.packs.render.page import HtmlTable, Section, label, rows_with_total


def sections(pack: Any) -> list[Section]:
    total = pack.total
    grades = list(total.grades.counts)
    by_domain = Section("Grades by domain", "LA case-file audits dated in the period; grades after moderation.")
    by_domain.charts.append(charts.stacked_bars(f"{pack.area.name}: grade distribution by domain", [
        ("Overall", shares_of(total.grades)), *((label(d), shares_of(total.domains[d])) for d in pack.domains)],
        grades, charts.GRADE_COLOURS,
        partial=["Overall", *map(label, pack.domains)] if total.las_returned < total.las_expected else []))
    by_domain.charts.append(charts.stacked_bars("Overall grades per local authority", [
        (row.name, shares_of(row.grades)) for row in pack.las if row.grades.total != 0], grades, charts.GRADE_COLOURS))
    table = HtmlTable(["Local authority", "Audits", *map(label, grades), "% good or better"])
    for row, name, css in rows_with_total(pack):
        table.add([name, row.grades.total, *(row.grades.counts[g] for g in grades), row.pct_good_or_better],
                  row.grades.suppressed | row.suppressed, [None, "total", *(f"counts.{g}" for g in grades),
                                                           "pct_good_or_better"], css)
    by_domain.tables.append(table)

    months = Section("Audit programme by month", "Return rate = returned / scheduled; scheduled = planned − exempted.")
    labels = [m.month for m in pack.months]
    if labels:
        months.charts.append(charts.line_chart(f"{pack.area.name}: return rate by month (%)", labels, {
            "Return rate": [charts.SUPPRESSED if "return_rate" in m.programme.suppressed else m.programme.return_rate
                            for m in pack.months]},
            partial=[i for i, m in enumerate(pack.months) if m.las_returned < m.las_expected]))
    programme = ("planned", "exempted", "scheduled", "returned", "return_rate")
    table = HtmlTable(["Month", "Audits", "% good or better", *map(label, programme)])
    for m in pack.months:
        table.add([m.month, m.grades.total, m.pct_good_or_better, *(getattr(m.programme, p) for p in programme)],
                  {**({"audits": "c"} if "total" in m.grades.suppressed else {}), **m.suppressed,
                   **m.programme.suppressed}, [None, "audits", "pct_good_or_better", *programme],
                  "partial" if m.las_returned < m.las_expected else "")
    months.tables.append(table)

    quality = Section("Moderation and agreement with Cafcass")
    moderation = ("moderated", "pct_moderated", "supported", "downgraded", "upgraded", "pct_downgraded")
    table = HtmlTable(["Local authority", "Return rate", *map(label, moderation), "LA–Cafcass pairs", "% agreed"])
    for row, name, css in rows_with_total(pack):
        table.add([name, row.programme.return_rate, *(getattr(row.moderation, n) for n in moderation),
                   row.agreement.pairs, row.agreement.pct_agreed],
                  {**row.programme.suppressed, **row.moderation.suppressed,
                   **{f"agreement.{k}": v for k, v in row.agreement.suppressed.items()}},
                  [None, "return_rate", *moderation, "agreement.pairs", "agreement.pct_agreed"],
                  css)
    quality.tables.append(table)
    return [by_domain, months, quality, *item_sections.sections(pack), benchmark.html_section(pack)]
