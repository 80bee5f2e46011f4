"""The audits pack's tidy rows (CSV, and a sheet each in XLSX): its LAs, months and total, and each item beside
the overall grade as a table of its own, so a sheet stays readable and each count keeps its "c"."""

from collections.abc import Iterator
from typing import Any

from app.packs.render.tables import default_rows, tables_apart
from app.packs.spec import TidyRow

# A table each: its name, and the fields of an LA's (or the area's) row it holds.
ITEM_TABLES = {
    "outcome_grades": ("outcome_grades", "pct_outcome_good_or_better"),
    "moderated_grades": ("moderated_grades",),
    "audit_types": ("audit_types", "type_grades"),
    "themes": ("themes",),
    "auditor_roles": ("auditor_roles",),
    "domain_agreement": ("domain_agreement",),
}
ITEM_FIELDS = {name for fields in ITEM_TABLES.values() for name in fields}
TABLE_TITLES = {"outcome_grades": "Outcome grades", "moderated_grades": "Moderated grades",
                "audit_types": "Audits by type", "themes": "Themed audits by theme",
                "auditor_roles": "Auditor's role", "domain_agreement": "LA–Cafcass agreement by domain"}


def tidy_rows(pack: dict[str, Any]) -> Iterator[TidyRow]:
    yield from tables_apart(default_rows(pack), ITEM_TABLES)
