"""What the audits page shows beside the overall grade: outcome and moderated grades, Cafcass's grades, audits by
type, theme and auditor's role, and agreement per domain. Each cell hidden in the JSON is "c" here too."""

from typing import Any

from app.packs.render import charts
from app.packs.render.charts import shares_of
from app.packs.render.page import HtmlTable, Section, label, rows_with_total

GRADES = ("outstanding", "good", "requires_improvement", "inadequate")
TYPES = ("individual", "themed", "dip_sample", "cafcass_dip_sample")


def _grades_table(pack: Any, first: str, field: str, pct: str | None = None) -> HtmlTable:
    """Per LA and the area: one distribution of grades, its total first, and its % good or better."""
    table = HtmlTable(["Local authority", first, *map(label, GRADES), *(["% good or better"] if pct else [])])
    for row, name, css in rows_with_total(pack):
        dist = _field(row, field)
        table.add([name, dist.total, *(dist.counts[g] for g in GRADES), *([getattr(row, pct)] if pct else [])],
                  dist.suppressed | ({"pct": "c"} if pct and pct in row.suppressed else {}),
                  [None, "total", *(f"counts.{g}" for g in GRADES), *(["pct"] if pct else [])], css)
    return table


def _field(row: Any, path: str) -> Any:
    value = row
    for part in path.split("."):
        value = value[part] if isinstance(value, dict) else getattr(value, part)
    return value


def _counts_table(heading: str, dist: Any, categories: list[str]) -> HtmlTable:
    table = HtmlTable([heading, "Audits", "% of total"])
    for category in categories:
        table.add([category, dist.counts.get(category), dist.shares.get(category)], dist.suppressed,
                  [None, f"counts.{category}", f"shares.{category}"])
    table.add(["Total", dist.total, None], dist.suppressed, [None, "total", None], "total")
    return table


def outcome_section(pack: Any) -> Section:
    total = pack.total
    section = Section("Outcomes, moderation and Cafcass's grades",
                      "Outcome: the outcome for the child, where an LA grades it apart from the quality of the work "
                      "(% good or better is over the audits that graded one). Moderated: the grades moderation gave. "
                      "Cafcass: the grades of Cafcass's own dip samples.")
    section.charts.append(charts.stacked_bars(f"{pack.area.name}: quality, outcome, moderated and Cafcass grades", [
        ("Quality (after moderation)", shares_of(total.grades)), ("Outcome", shares_of(total.outcome_grades)),
        ("Moderated", shares_of(total.moderated_grades)),
        ("Cafcass dip samples", shares_of(total.type_grades["cafcass_dip_sample"]))], GRADES, charts.GRADE_COLOURS))
    section.tables.append(_grades_table(pack, "Outcomes graded", "outcome_grades", "pct_outcome_good_or_better"))
    section.tables.append(_grades_table(pack, "Moderated", "moderated_grades"))
    section.tables.append(_grades_table(pack, "Cafcass dip samples", "type_grades.cafcass_dip_sample"))
    return section


def types_section(pack: Any) -> Section:
    total = pack.total
    section = Section("Audits by type, theme and auditor's role",
                      "Every audit dated in the period by type; themes and roles as the LAs returned them.")
    table = HtmlTable(["Local authority", *map(label, TYPES), "All audits"])
    for row, name, css in rows_with_total(pack):
        table.add([name, *(row.audit_types.counts[t] for t in TYPES), row.audit_types.total], row.audit_types.suppressed,
                  [None, *(f"counts.{t}" for t in TYPES), "total"], css)
    section.tables.append(table)
    by_type = HtmlTable(["Type", "Audits", *map(label, GRADES)])
    for kind in TYPES:
        dist = total.type_grades[kind]
        by_type.add([label(kind), dist.total, *(dist.counts[g] for g in GRADES)], dist.suppressed,
                    [None, "total", *(f"counts.{g}" for g in GRADES)])
    section.tables.append(by_type)
    section.charts.append(charts.stacked_bars(f"{pack.area.name}: grades by audit type", [
        (label(kind), shares_of(total.type_grades[kind])) for kind in TYPES], GRADES, charts.GRADE_COLOURS))
    section.tables.append(_counts_table("Theme (themed audits)", total.themes, list(total.themes.counts)))
    per_la = HtmlTable(["Local authority", "Theme", "Themed audits"])
    for row in pack.las:
        for theme in row.themes.counts:
            per_la.add([row.name, theme, row.themes.counts[theme]], row.themes.suppressed,
                       [None, None, f"counts.{theme}"])
    section.tables.append(per_la)
    section.tables.append(_counts_table("Auditor's role (LA audits)", total.auditor_roles,
                                        list(total.auditor_roles.counts)))
    return section


def agreement_section(pack: Any) -> Section:
    section = Section("LA–Cafcass agreement by domain",
                      "Pairs: an LA audit and a Cafcass dip sample of the same order that both graded the domain; "
                      "agreed: the same grade.")
    table = HtmlTable(["Domain", "Pairs", "Agreed", "% agreed"])
    for domain in pack.domains:
        agreement = pack.total.domain_agreement[domain]
        table.add([label(domain), agreement.pairs, agreement.agreed, agreement.pct_agreed], agreement.suppressed,
                  [None, "pairs", "agreed", "pct_agreed"])
    section.tables.append(table)
    return section


def sections(pack: Any) -> list[Section]:
    return [outcome_section(pack), types_section(pack), agreement_section(pack)]
