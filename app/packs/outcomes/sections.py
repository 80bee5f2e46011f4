"""What the outcomes page shows."""

from typing import Any

from app.packs.render import charts
from app.packs.render.page import HtmlTable, Section, label, rows_with_total


def _dist(distribution: Any, category: str, part: str = "shares") -> Any:
    if f"{part}.{category}" in distribution.suppressed:
        return charts.SUPPRESSED
    return getattr(distribution, part)[category]


def _area_chart(pack: Any, title: str, bars: list[Any], unit: str = "") -> str:
    """A chart of the area's total: each bar drawn partial when the total is over fewer LAs than the area has."""
    partial = [bar[0] for bar in bars] if pack.total.las_returned < pack.total.las_expected else []
    return charts.bar_chart(title, bars, unit, partial=partial)


def sections(pack: Any) -> list[Section]:
    total = pack.total
    discharges = Section("Discharge outcomes", "Orders discharged in the period, by what replaced the care order.")
    categories = list(total.discharge_outcomes.counts)
    discharges.charts.append(_area_chart(pack, f"{pack.area.name}: share of discharges", [
        (label(c), _dist(total.discharge_outcomes, c), False) for c in categories], "%"))
    table = HtmlTable(["Local authority", "Discharges", *(f"% {label(c).lower()}" for c in categories)])
    for row, name, css in rows_with_total(pack):
        d = row.discharge_outcomes
        table.add([name, d.total, *(d.shares[c] for c in categories)], d.suppressed,
                  [None, "total", *(f"shares.{c}" for c in categories)], css)
    discharges.tables.append(table)

    plans = Section("LA final care plan and the court's order", "Orders made in the period.")
    plan_names = list(total.plans.counts)
    cross = HtmlTable(["LA plan \\ court made", *map(label, plan_names), "All"])
    plan_hidden = {k.replace("counts.", "plan."): v for k, v in total.plans.suppressed.items()}
    for plan in plan_names:
        cross.add([label(plan), *(total.plan_vs_outcome.counts[f"{plan}|{o}"] for o in plan_names),
                   total.plans.counts[plan]], total.plan_vs_outcome.suppressed | plan_hidden,
                  [None, *(f"counts.{plan}|{o}" for o in plan_names), f"plan.{plan}"])
    plans.tables.append(cross)
    when = HtmlTable(["Local authority", *(f"% care order at home when plan was {label(p).lower()}"
                                          for p in ("supervision_order", "care_order_removal"))])
    for row, name, css in rows_with_total(pack):
        when.add([name, *(row.care_order_at_home_when_planned[p] for p in ("supervision_order", "care_order_removal"))],
                 {k.split(".", 1)[1]: v for k, v in row.suppressed.items()
                                                  if "." in k}, [None, "supervision_order", "care_order_removal"],
                 css)
    plans.tables.append(when)

    practice = Section("Pre-proceedings and assessments", "Orders made in the period.")
    buckets = list(total.assessments_in_proceedings.counts)
    practice.charts.append(_area_chart(pack, f"{pack.area.name}: assessments during proceedings", [
        (b, _dist(total.assessments_in_proceedings, b, "counts"), False) for b in buckets]))
    pre = HtmlTable(["Local authority", "Orders with pre-proceedings recorded", "% preceded by pre-proceedings"])
    for row, name, css in rows_with_total(pack):
        pre.add([name, row.pre_proceedings.total, row.pre_proceedings.shares["yes"]], row.pre_proceedings.suppressed,
                [None, "total", "shares.yes"], css)
    practice.tables.append(pre)

    status = Section("Current legal status", "Every order made on or before the end of the period.")
    statuses = list(total.current_status.counts)
    status.charts.append(_area_chart(pack, f"{pack.area.name}: current status", [
        (label(s), _dist(total.current_status, s, "counts"), False) for s in statuses]))
    table = HtmlTable(["Local authority", "Orders", *map(label, statuses)])
    for row, name, css in rows_with_total(pack):
        d = row.current_status
        table.add([name, d.total, *(d.counts[s] for s in statuses)], d.suppressed,
                  [None, "total", *(f"counts.{s}" for s in statuses)], css)
    status.tables.append(table)
    return [discharges, plans, practice, status]
