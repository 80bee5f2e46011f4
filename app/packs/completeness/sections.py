"""What the completeness page shows."""

from typing import Any

from app.packs.render.page import HtmlTable, Section


def sections(pack: Any) -> list[Section]:
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
    checks = Section("Returns that do not agree with each other")
    found = HtmlTable(["Local authority", "Check that fails"], text_columns=2)
    for row in pack.las:
        for warning in row.warnings:
            found.add([row.name, warning])
    if not found.rows:
        found.add(["every LA", "none: each programme month's audits returned match the audits stored, and every "
                               "audit names an order returned before it"])
    checks.tables.append(found)
    return [section, checks]
