"""The outcomes pack's tidy rows (CSV, and a sheet each in XLSX): the LAs and the area, then each group of
related distributions as a table of its own, and time in proceedings by year. In one table an LA's row ran to
some 490 columns."""

from collections.abc import Iterator
from typing import Any

from app.packs.render.tables import default_rows, tables_apart
from app.packs.spec import TidyRow

TABLES = {
    "orders_made": ("by_age_band", "by_order_type", "by_sex", "by_ethnicity", "by_disability", "by_category_of_need",
                    "by_proceedings_type"),
    "proceedings": ("pre_proceedings", "assessments_in_proceedings", "contested_final_hearing",
                    "professional_communication", "independent_social_worker", "awaiting_final_hearing"),
    "final_plan": ("plans", "court_outcomes", "plan_vs_outcome", "care_order_at_home_when_planned"),
    "initial_plan_and_guardian": ("initial_vs_final_plan", "guardian_vs_outcome", "agreement_initial_plan",
                                  "agreement_final_plan", "agreement_guardian"),
    "discharges": ("discharge_outcomes", "time_on_order", "median_years_on_order", "re_referred_within_12_months"),
    "current_status": ("current_status",),
}
# Sheet names: Excel allows 31 characters.
TABLE_TITLES = {
    "orders_made": "Orders made by characteristic", "proceedings": "Pre-proceedings and hearings",
    "final_plan": "Final plan and court outcome", "initial_plan_and_guardian": "Initial plan, guardian, court",
    "discharges": "Discharges and time on order", "current_status": "Current status",
    "proceedings_years": "Weeks in proceedings by year",
}


def tidy_rows(pack: dict[str, Any]) -> Iterator[TidyRow]:
    yield from tables_apart(default_rows(pack), TABLES)
    for row in pack.get("proceedings_years", []):
        # The row's year is its period: not a measure too.
        yield "proceedings_years", row["year"], {k: v for k, v in row.items() if k != "year"}
