"""What each pack's HTML page shows: its charts and tables, from the pack's own (suppressed) figures."""

from typing import Any

from app.packs.render import charts
from app.packs.render.page import HtmlTable, Section, _label

COUNT_COLUMNS = ("full_care_orders_at_home", "interim_care_orders_at_home", "total_at_home", "cla_total", "pct_of_cla",
                 "pct_placed_with_parents",
                 "rate_per_10k", "change_on_previous")


def _value(row: Any, name: str) -> Any:
    return None if name in row.suppressed else getattr(row, name)


def care_orders_at_home(pack: Any) -> list[Section]:
    dates = [d.snapshot_date.isoformat() for d in pack.dates]
    codes = sorted({r.la for d in pack.dates for r in d.las})
    names = {r.la: r.name for d in pack.dates for r in d.las}
    series = {names[c]: [next((_value(r, "total_at_home") for r in d.las if r.la == c), None) for d in pack.dates]
              for c in codes}
    trend = Section("Trend per local authority", "Children on care orders at home (S.31 and S.38) at each snapshot date.")
    if dates:
        trend.charts.append(charts.line_chart("Children on care orders at home, per LA", dates, series))
        totals = [d.total for d in pack.dates]
        trend.charts.append(charts.line_chart(f"{pack.area.name}: total", dates, {
            pack.area.name: [None if t is None else _value(t, "total_at_home") for t in totals]}))
    sections = [trend]
    if pack.dates:
        latest = pack.dates[-1]
        compared = Section("Compared with other regions and England",
                           f"% of children looked after who are on a care order at home, {dates[-1]}.")
        compared.charts.append(charts.bar_chart("% of CLA on a care order at home", [
            (c.name, _value(c, "pct_of_cla"), c.area == pack.area.code) for c in latest.comparators], "%"))
        table = HtmlTable(["Area", "LAs returned", *map(_label, COUNT_COLUMNS)], text_columns=1)
        for c in latest.comparators:
            table.add([c.name, f"{c.las_returned} of {c.las_expected}", *(getattr(c, n) for n in COUNT_COLUMNS)],
                      c.suppressed, [None, None, *COUNT_COLUMNS], "total" if c.area == pack.area.code else "")
        compared.tables.append(table)
        sections.append(compared)
    for at in reversed(pack.dates):
        section = Section(f"Local authorities at {at.snapshot_date.strftime('%-d %B %Y')}")
        table = HtmlTable(["Local authority", *map(_label, COUNT_COLUMNS)])
        for r in at.las:
            table.add([r.name, *(getattr(r, n) for n in COUNT_COLUMNS)], r.suppressed, [None, *COUNT_COLUMNS])
        if at.total is not None:
            table.add([f"{at.total.name} ({at.total.las_returned} of {at.total.las_expected} LAs)",
                       *(getattr(at.total, n) for n in COUNT_COLUMNS)], at.total.suppressed, [None, *COUNT_COLUMNS], "total")
        section.tables.append(table)
        sections.append(section)
    return sections


def _dist(distribution: Any, category: str, part: str = "shares") -> Any:
    return getattr(distribution, part)[category]


def _dist_hidden(distribution: Any) -> dict[str, str]:
    return distribution.suppressed


def outcomes(pack: Any) -> list[Section]:
    total = pack.total
    discharges = Section("Discharge outcomes", "Orders discharged in the period, by what replaced the care order.")
    categories = list(total.discharge_outcomes.counts)
    discharges.charts.append(charts.bar_chart(f"{pack.area.name}: share of discharges", [
        (_label(c), _dist(total.discharge_outcomes, c), False) for c in categories], "%"))
    table = HtmlTable(["Local authority", "Discharges", *(f"% {_label(c).lower()}" for c in categories)])
    for row in [*pack.las, total]:
        d = row.discharge_outcomes
        table.add([row.name, d.total, *(d.shares[c] for c in categories)], d.suppressed,
                  [None, "total", *(f"shares.{c}" for c in categories)], "total" if row is total else "")
    discharges.tables.append(table)

    plans = Section("LA final care plan and the court's order", "Orders made in the period.")
    plan_names = list(total.plans.counts)
    cross = HtmlTable(["LA plan \\ court made", *map(_label, plan_names), "All"])
    plan_hidden = {k.replace("counts.", "plan."): v for k, v in total.plans.suppressed.items()}
    for plan in plan_names:
        cross.add([_label(plan), *(total.plan_vs_outcome.counts[f"{plan}|{o}"] for o in plan_names),
                   total.plans.counts[plan]], total.plan_vs_outcome.suppressed | plan_hidden,
                  [None, *(f"counts.{plan}|{o}" for o in plan_names), f"plan.{plan}"])
    plans.tables.append(cross)
    when = HtmlTable(["Local authority", *(f"% care order at home when plan was {_label(p).lower()}"
                                          for p in ("supervision_order", "care_order_removal"))])
    for row in [*pack.las, total]:
        when.add([row.name, *(row.care_order_at_home_when_planned[p] for p in ("supervision_order", "care_order_removal"))],
                 {k.split(".", 1)[1]: v for k, v in row.suppressed.items()}, [None, "supervision_order", "care_order_removal"],
                 "total" if row is total else "")
    plans.tables.append(when)

    practice = Section("Pre-proceedings and assessments", "Orders made in the period.")
    buckets = list(total.assessments_in_proceedings.counts)
    practice.charts.append(charts.bar_chart(f"{pack.area.name}: assessments during proceedings", [
        (b, total.assessments_in_proceedings.counts[b], False) for b in buckets]))
    pre = HtmlTable(["Local authority", "Orders with pre-proceedings recorded", "% preceded by pre-proceedings"])
    for row in [*pack.las, total]:
        pre.add([row.name, row.pre_proceedings.total, row.pre_proceedings.shares["yes"]], row.pre_proceedings.suppressed,
                [None, "total", "shares.yes"], "total" if row is total else "")
    practice.tables.append(pre)

    status = Section("Current legal status", "Every order made on or before the end of the period.")
    statuses = list(total.current_status.counts)
    status.charts.append(charts.bar_chart(f"{pack.area.name}: current status", [
        (_label(s), total.current_status.counts[s], False) for s in statuses]))
    table = HtmlTable(["Local authority", "Orders", *map(_label, statuses)])
    for row in [*pack.las, total]:
        d = row.current_status
        table.add([row.name, d.total, *(d.counts[s] for s in statuses)], d.suppressed,
                  [None, "total", *(f"counts.{s}" for s in statuses)], "total" if row is total else "")
    status.tables.append(table)
    return [discharges, plans, practice, status]


def audits(pack: Any) -> list[Section]:
    total = pack.total
    grades = list(total.grades.counts)
    by_domain = Section("Grades by domain", "LA case-file audits dated in the period; grades after moderation.")
    by_domain.charts.append(charts.stacked_bars(f"{pack.area.name}: grade distribution by domain", [
        ("Overall", total.grades.shares), *((_label(d), total.domains[d].shares) for d in pack.domains)],
        grades, charts.GRADE_COLOURS))
    by_domain.charts.append(charts.stacked_bars("Overall grades per local authority", [
        (row.name, row.grades.shares) for row in pack.las if row.grades.total != 0], grades, charts.GRADE_COLOURS))
    table = HtmlTable(["Local authority", "Audits", *map(_label, grades), "% good or better"])
    for row in [*pack.las, total]:
        table.add([row.name, row.grades.total, *(row.grades.counts[g] for g in grades), row.pct_good_or_better],
                  row.grades.suppressed | row.suppressed, [None, "total", *(f"counts.{g}" for g in grades),
                                                           "pct_good_or_better"], "total" if row is total else "")
    by_domain.tables.append(table)

    months = Section("Audit programme by month", "Return rate = returned / scheduled; scheduled = planned − exempted.")
    labels = [m.month for m in pack.months]
    if labels:
        months.charts.append(charts.line_chart(f"{pack.area.name}: return rate by month (%)", labels, {
            "Return rate": [m.programme.return_rate for m in pack.months]}))
    programme = ("planned", "exempted", "scheduled", "returned", "return_rate")
    table = HtmlTable(["Month", "Audits", "% good or better", *map(_label, programme)])
    for m in pack.months:
        table.add([m.month, m.grades.total, m.pct_good_or_better, *(getattr(m.programme, p) for p in programme)],
                  {**({"audits": "c"} if "total" in m.grades.suppressed else {}), **m.suppressed,
                   **m.programme.suppressed}, [None, "audits", "pct_good_or_better", *programme])
    months.tables.append(table)

    quality = Section("Moderation and agreement with Cafcass")
    moderation = ("moderated", "pct_moderated", "supported", "downgraded", "upgraded", "pct_downgraded")
    table = HtmlTable(["Local authority", "Return rate", *map(_label, moderation), "LA–Cafcass pairs", "% agreed"])
    for row in [*pack.las, total]:
        table.add([row.name, row.programme.return_rate, *(getattr(row.moderation, n) for n in moderation),
                   row.agreement.pairs, row.agreement.pct_agreed],
                  {**row.programme.suppressed, **row.moderation.suppressed,
                   **{f"agreement.{k}": v for k, v in row.agreement.suppressed.items()}},
                  [None, "return_rate", *moderation, "agreement.pairs", "agreement.pct_agreed"],
                  "total" if row is total else "")
    quality.tables.append(table)
    return [by_domain, months, quality]


def compare(pack: Any) -> list[Section]:
    section = Section(f"{_label(pack.measure)}: before and after",
                      f"Before: {pack.total.before.date_from} to {pack.total.before.date_to}; "
                      f"after: {pack.total.after.date_from} to {pack.total.after.date_to}.")
    section.charts.append(charts.bar_chart(f"{pack.area.name}: {_label(pack.measure).lower()}", [
        ("Before", pack.total.before.value, False), ("After", pack.total.after.value, True)]))
    table = HtmlTable(["Area", "Before", "After", "Change", "% change"])
    for row in [*pack.las, pack.total]:
        hidden = {**{f"before.{k}": v for k, v in row.before.suppressed.items()},
                  **{f"after.{k}": v for k, v in row.after.suppressed.items()}, **row.suppressed}
        table.add([row.name, row.before.value, row.after.value, row.change, row.pct_change], hidden,
                  [None, "before.value", "after.value", "change", "pct_change"], "total" if row is pack.total else "")
    section.tables.append(table)
    return [section]


def completeness(pack: Any) -> list[Section]:
    section = Section("Returns missing in the period")
    table = HtmlTable(["Local authority", "Complete", "Snapshot dates missing", "Items not returned",
                       "Population years missing", "Programme months missing", "Orders", "Audits"], text_columns=6)
    for row in pack.las:
        items = "; ".join(f"{d}: {', '.join(v)}" for d, v in row.items_not_returned.items())
        table.add([row.name, row.complete, ", ".join(row.care_order_counts.missing) or "none", items or "none",
                   ", ".join(row.population.missing) or "none",
                   f"{len(row.audit_programme.missing)} of {row.audit_programme.expected}",
                   row.orders_returned, row.audits_returned])
    section.tables.append(table)
    return [section]
