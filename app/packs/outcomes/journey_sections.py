"""What the outcomes page shows of the child's journey through proceedings."""

from typing import Any

from app.packs.outcomes.journey import BREAKDOWNS, LIMIT_WEEKS, PLANS
from app.packs.render import charts
from app.packs.render.page import HtmlTable, Section, label, rows_with_total

AGREEMENTS = {"agreement_initial_plan": "LA initial plan", "agreement_final_plan": "LA final plan",
              "agreement_guardian": "Guardian's recommendation"}
FLOW = (("initial_vs_final_plan", "LA initial plan", "LA final plan"),
        ("guardian_vs_outcome", "Guardian recommended", "Court made"))


def sections(pack: Any) -> list[Section]:
    return [_children(pack), _proceedings(pack), _plans(pack), _communication(pack), _after(pack)]


def _communication(pack: Any) -> Section:
    """Professional communication as a distribution (not recorded counted), and the share with an independent
    social worker over the orders that recorded it."""
    section = Section("Professional communication and independent social workers",
                      "Orders made in the period: how much the professionals communicated, and whether an "
                      "independent social worker (ISW) was involved, over the orders that recorded it.")
    levels = list(pack.total.professional_communication.counts)
    section.charts.append(charts.stacked_bars("Professional communication: share of orders made", [
        (name, {label(c): share for c, share in charts.shown(row.professional_communication.shares,
                                                               row.professional_communication.suppressed,
                                                               "shares.").items()})
        for row, name, _ in rows_with_total(pack)], [label(c) for c in levels]))
    table = HtmlTable(["Local authority", "Orders made", *(f"% {label(c).lower()}" for c in levels),
                       "ISW recorded", "% with an ISW"])
    for row, name, css in rows_with_total(pack):
        d, isw = row.professional_communication, row.independent_social_worker
        marks = {f"p.{k}": v for k, v in d.suppressed.items()} | {f"i.{k}": v for k, v in isw.suppressed.items()}
        table.add([name, d.total, *(d.shares[c] for c in levels), isw.total, isw.shares["yes"]], marks,
                  [None, "p.total", *(f"p.shares.{c}" for c in levels), "i.total", "i.shares.yes"], css)
    section.tables.append(table)
    return section


def _children(pack: Any) -> Section:
    section = Section("The children on the orders made", "Orders made in the period, one dimension at a time: "
                      "each adds up to the orders made.")
    table = HtmlTable(["Breakdown", "Category", "Orders", "%"], text_columns=2)
    for name in BREAKDOWNS:
        d = getattr(pack.total, name)
        for category in d.counts:
            table.add([label(name.removeprefix("by_")), label(category), d.counts[category], d.shares[category]],
                      d.suppressed, [None, None, f"counts.{category}", f"shares.{category}"])
    section.tables.append(table)
    return section


def _proceedings(pack: Any) -> Section:
    section = Section("Time in proceedings", f"Weeks from proceedings issued to final hearing, by financial year of "
                      f"the final hearing, against the {LIMIT_WEEKS}-week limit. Orders with no final hearing yet are "
                      f"left out and counted apart: {_shown(pack.total, 'awaiting_final_hearing')} in the area.")
    area = [y for y in pack.proceedings_years if y.code == pack.total.code]
    section.charts.append(charts.bar_chart(f"{pack.area.name}: median weeks in proceedings", [
        (y.year, charts.SUPPRESSED if "median_weeks" in y.suppressed else y.median_weeks, False) for y in area],
        marked=(LIMIT_WEEKS, f"{LIMIT_WEEKS} weeks")))
    table = HtmlTable(["Local authority", "Year of final hearing", "Orders", f"% within {LIMIT_WEEKS} weeks",
                       "Lower quartile", "Median weeks", "Upper quartile"], text_columns=2)
    for y in pack.proceedings_years:
        d = y.time_in_proceedings
        table.add([y.name, y.year, d.total, d.shares["within_26_weeks"], y.lower_quartile_weeks, y.median_weeks,
                   y.upper_quartile_weeks], d.suppressed | y.suppressed,
                  [None, None, "total", "shares.within_26_weeks", "lower_quartile_weeks", "median_weeks",
                   "upper_quartile_weeks"], "total" if y.code == pack.total.code else "")
    section.tables.append(table)
    return section


def _plans(pack: Any) -> Section:
    section = Section("Plans, the guardian and the court", "Orders made in the period with both recorded: how "
                      "often the court made the order planned or recommended, and how plans changed on the way.")
    rates = HtmlTable(["Local authority", *(f"% court followed {what.lower()}" for what in AGREEMENTS.values()),
                       "% final hearings contested"])
    for row, name, css in rows_with_total(pack):
        shown = [getattr(row, a) for a in AGREEMENTS] + [row.contested_final_hearing]
        rates.add([name, *(d.shares["matched"] for d in shown[:-1]), shown[-1].shares["yes"]],
                  {f"{i}": "c" for i, d in enumerate(shown) if f"shares.{'yes' if i == 3 else 'matched'}" in d.suppressed},
                  [None, "0", "1", "2", "3"], css)
    section.tables.append(rates)
    # The flow as one table: each step's plan (rows) against the next step's (columns).
    flow = HtmlTable(["From", "To: " + label(PLANS[0]).lower(), *map(label, PLANS[1:])], text_columns=1)
    for pairs, before, after in FLOW:
        d = getattr(pack.total, pairs)
        for plan in PLANS:
            flow.add([f"{before}: {label(plan).lower()} → {after}", *(d.counts[f"{plan}|{o}"] for o in PLANS)],
                     d.suppressed, [None, *(f"counts.{plan}|{o}" for o in PLANS)])
    section.tables.append(flow)
    return section


def _after(pack: Any) -> Section:
    section = Section("Time on the order at home", "Orders discharged in the period: time from order to discharge, "
                      "and re-referral within 12 months (where recorded).")
    bands = list(pack.total.time_on_order.counts)
    table = HtmlTable(["Local authority", "Discharged", *map(label, bands), "Median years", "% re-referred"])
    for row, name, css in rows_with_total(pack):
        d, again = row.time_on_order, row.re_referred_within_12_months
        marks = {f"t.{k}": v for k, v in d.suppressed.items()} | {f"r.{k}": v for k, v in again.suppressed.items()}
        marks |= {"median": "c"} if "median_years_on_order" in row.suppressed else {}
        table.add([name, d.total, *(d.counts[b] for b in bands), row.median_years_on_order, again.shares["yes"]], marks,
                  [None, "t.total", *(f"t.counts.{b}" for b in bands), "median", "r.shares.yes"], css)
    section.tables.append(table)
    return section


def _shown(row: Any, field: str) -> str:
    return "c" if field in row.suppressed else f"{getattr(row, field) or 0:,}"
