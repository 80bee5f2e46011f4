"""The dataset catalogue: what a client may return, described from the schemas that check a submission."""

from tests.payloads import LIVERPOOL
from tests.submissions.files import csv_body, submit_url


def _by_column(dataset: dict) -> dict[str, dict]:
    return {field["column"]: field for field in dataset["fields"]}


async def test_an_la_client_is_told_every_dataset_it_returns(api):
    response = await api("la", la=LIVERPOOL).get("/api/v1/datasets")
    assert response.status_code == 200
    assert [d["name"] for d in response.json()["items"]] == [
        "care-order-counts", "care-order-characteristics", "orders", "audits", "audit-programme"]


async def test_a_portal_returns_no_datasets_and_gets_no_template(api):
    portal = api("portal", area="E12000002")
    assert (await portal.get("/api/v1/datasets")).json() == {"items": [], "total": 0, "limit": 100, "offset": 0}
    refused = await portal.get("/api/v1/datasets/orders/template")
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"


async def test_an_unknown_dataset_is_404_naming_the_datasets(api):
    response = await api("admin").get("/api/v1/datasets/order")
    assert response.status_code == 404 and "orders" in response.json()["detail"]


async def test_each_field_says_its_type_bounds_allowed_values_and_whether_required(api):
    orders = (await api("admin").get("/api/v1/datasets/orders")).json()
    fields = _by_column(orders)
    assert orders["key"] == "order_ref" and orders["key_columns"] == ["order_ref"] and orders["child_level"] is True
    assert list(fields)[0] == "order_ref"
    assert fields["age_at_order"] | {"description": None} == {
        "column": "age_at_order", "type": "whole_number", "required": True, "allowed": None, "minimum": 0,
        "maximum": 17, "max_length": None, "accepted": "a whole number from 0 to 17", "description": None}
    assert fields["order_type"]["allowed"] == ["full_care_order", "interim_care_order"]
    assert fields["order_date"]["type"] == "date" and "DD/MM/YYYY" in fields["order_date"]["accepted"]
    assert fields["pre_proceedings"]["type"] == "yes_no" and fields["pre_proceedings"]["required"] is False
    assert "no names" in fields["child_ref"]["accepted"]


async def test_nested_and_per_domain_fields_are_named_as_a_file_names_its_columns(api):
    admin = api("admin")
    counts = _by_column((await admin.get("/api/v1/datasets/care-order-counts")).json())
    audits = _by_column((await admin.get("/api/v1/datasets/audits")).json())
    programme = _by_column((await admin.get("/api/v1/datasets/audit-programme")).json())
    assert counts["discharges.total"]["type"] == "whole_number"
    assert audits["domain_grades.plans"]["allowed"] == ["outstanding", "good", "requires_improvement", "inadequate"]
    assert audits["moderation.result"]["allowed"] == ["supported", "downgraded", "upgraded"]
    assert programme["month"]["type"] == "month" and programme["month"]["required"] is True


async def test_every_rule_the_catalogue_states_is_one_a_submission_enforces(api):
    """The words are checked against the behaviour they describe, for one rule of each kind."""
    la = api("la", la=LIVERPOOL)
    rules = (await la.get("/api/v1/datasets/audit-programme")).json()["rules"]
    assert "exempted is at most planned." in rules
    refused = await la.post(submit_url(LIVERPOOL, "audit-programme"), headers={"Content-Type": "text/csv"},
                            content=csv_body(["month", "planned", "exempted", "returned"], [["2021-01", 4, 5, 0]]))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "exempted"


async def test_the_catalogue_is_a_list_like_every_other(api):
    page = (await api("admin").get("/api/v1/datasets", params={"limit": 2, "offset": 1})).json()
    assert [d["name"] for d in page["items"]] == ["care-order-characteristics", "orders"]
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 1)


async def test_a_coded_field_shows_how_a_file_may_write_one_of_its_own_codes(api):
    orders = _by_column((await api("admin").get("/api/v1/datasets/orders")).json())
    audits = _by_column((await api("admin").get("/api/v1/datasets/audits")).json())
    assert orders["order_type"]["accepted"].endswith("e.g. Full care order)")
    assert audits["overall_grade"]["accepted"].endswith("e.g. Requires improvement)")
