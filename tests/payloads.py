"""Valid records of each dataset, for tests to vary one field at a time."""

from typing import Any

LIVERPOOL, KNOWSLEY, CUMBRIA = "341", "340", "909"
NORTH_WEST, LONDON, ENGLAND = "E12000002", "E12000007", "E92000001"


def counts(**changes: Any) -> dict[str, Any]:
    record = {
        "cla_total": 1450, "placed_with_parents": 190, "full_care_orders_at_home": 120,
        "interim_care_orders_at_home": 35, "orders_made_in_year": 48,
        "discharges": {"total": 40, "to_no_order": 28, "to_supervision_order": 11, "to_family_assistance_order": 1},
    }
    record.update(changes)
    return record


def characteristics(**changes: Any) -> dict[str, Any]:
    record = {"full_care_orders_at_home": 31, "interim_care_orders_at_home": 9}
    record.update(changes)
    return record


def order(**changes: Any) -> dict[str, Any]:
    record = {
        "child_ref": "C-004512", "order_type": "full_care_order", "order_date": "2019-06-14", "age_at_order": 7,
        "pre_proceedings": True, "assessments_in_proceedings": 4, "independent_social_worker": False,
        "professional_communication": "some", "la_final_care_plan": "supervision_order",
        "court_outcome": "care_order_at_home", "current_status": "at_home_on_order", "status_date": "2020-01-10",
    }
    record.update(changes)
    return record


def audit(**changes: Any) -> dict[str, Any]:
    record = {
        "audit_date": "2021-02-10", "audit_type": "individual",
        "domain_grades": {"response_to_risk": "good", "plans": "requires_improvement"},
        "overall_grade": "good",
    }
    record.update(changes)
    return record


def programme(**changes: Any) -> dict[str, Any]:
    record = {"planned": 40, "exempted": 4, "returned": 15}
    record.update(changes)
    return record


def url(la: str, dataset: str, key: str | None = None) -> str:
    base = f"/api/v1/local-authorities/{la}/{dataset}"
    return base if key is None else f"{base}/{key}"


def journey(**changes: Any) -> dict[str, Any]:
    """The child and court journey fields of an `order()`, dates in step with its order_date."""
    record = {
        "sex": "female", "ethnicity": "mixed", "disability": True, "proceedings_issued": "2019-01-07",
        "final_hearing": "2019-06-14", "la_initial_care_plan": "care_order_removal",
        "guardian_recommendation": "care_order_at_home", "contested_final_hearing": True, "category_of_need": "N5",
        "proceedings_type": "public_law",
    }
    record.update(changes)
    return record


DISCHARGED = {"current_status": "discharged", "status_date": "2020-05-01", "discharge_date": "2020-05-01",
              "discharge_outcome": "supervision_order"}
