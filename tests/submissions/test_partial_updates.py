"""A bulk file changes only what it has: items it has no column for keep their stored values."""

from sqlalchemy import func, select

from app.care_order_counts.models import CareOrderCount
from app.submissions import service
from tests.payloads import LIVERPOOL, audit, counts, url
from tests.submissions.files import XLSX, csv_body, submit_url, xlsx_body

DATE = "2021-03-31"
CORE = ["snapshot_date", "cla_total", "placed_with_parents", "full_care_orders_at_home", "interim_care_orders_at_home"]
CORE_ROW = [DATE, 1500, 190, 120, 35]


async def stored_counts(la) -> dict:
    assert (await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=counts())).status_code == 201
    return (await la.get(url(LIVERPOOL, "care-order-counts", DATE))).json()


async def send_csv(la, dataset: str, header: list[str], rows: list[list], **query: str):
    return await la.post(submit_url(LIVERPOOL, dataset, **query), content=csv_body(header, rows),
                         headers={"Content-Type": "text/csv"})


async def test_a_file_leaving_out_a_column_keeps_its_stored_value(api):
    la = api("la", la=LIVERPOOL)
    before = await stored_counts(la)
    response = await send_csv(la, "care-order-counts", CORE, [CORE_ROW])
    assert response.status_code == 201 and response.json()["revised"] == 1
    after = (await la.get(url(LIVERPOOL, "care-order-counts", DATE))).json()
    assert (after["cla_total"], after["orders_made_in_year"], after["discharges"]) == (1500, 48, before["discharges"])


async def test_an_xlsx_leaving_out_a_column_keeps_its_stored_value(api):
    la = api("la", la=LIVERPOOL)
    await stored_counts(la)
    response = await la.post(submit_url(LIVERPOOL, "care-order-counts"), content=xlsx_body(CORE, [CORE_ROW]),
                             headers={"Content-Type": XLSX})
    assert response.status_code == 201, response.text
    assert (await la.get(url(LIVERPOOL, "care-order-counts", DATE))).json()["orders_made_in_year"] == 48


async def test_an_empty_cell_means_not_returned(api):
    la = api("la", la=LIVERPOOL)
    await stored_counts(la)
    response = await send_csv(la, "care-order-counts", [*CORE, "orders_made_in_year"], [[*CORE_ROW, ""]])
    assert response.status_code == 201
    assert (await la.get(url(LIVERPOOL, "care-order-counts", DATE))).json()["orders_made_in_year"] is None


async def test_nested_columns_change_only_their_own_parts(api):
    la = api("la", la=LIVERPOOL)
    await stored_counts(la)
    response = await send_csv(la, "care-order-counts", [*CORE, "discharges.to_no_order", "discharges.to_supervision_order"],
                              [[*CORE_ROW, 25, ""]])
    assert response.status_code == 201, response.text
    discharges = (await la.get(url(LIVERPOOL, "care-order-counts", DATE))).json()["discharges"]
    assert (discharges["total"], discharges["to_no_order"], discharges["to_supervision_order"],
            discharges["to_family_assistance_order"]) == (40, 25, None, 1)


async def test_clearing_every_stored_part_of_a_nested_item_leaves_it_not_returned(api):
    la = api("la", la=LIVERPOOL)
    await stored_counts(la)
    header = [*CORE, "discharges.total", "discharges.to_no_order", "discharges.to_supervision_order",
              "discharges.to_family_assistance_order"]
    response = await send_csv(la, "care-order-counts", header, [[*CORE_ROW, "", "", "", ""]])
    assert response.status_code == 201, response.text
    assert (await la.get(url(LIVERPOOL, "care-order-counts", DATE))).json()["discharges"] is None


async def test_a_domain_column_changes_only_that_domains_grade(api):
    la = api("la", la=LIVERPOOL)
    assert (await la.put(url(LIVERPOOL, "audits", "A1"), json=audit())).status_code == 201
    header = ["audit_ref", "audit_date", "audit_type", "overall_grade", "domain_grades.plans"]
    response = await send_csv(la, "audits", header, [["A1", "2021-02-10", "individual", "good", "good"]])
    assert response.status_code == 201, response.text
    assert response.json()["changes"] == [
        {"key": "A1", "fields": {"domain_grades.plans": {"from": "requires_improvement", "to": "good"}}}]
    grades = (await la.get(url(LIVERPOOL, "audits", "A1"))).json()["domain_grades"]
    assert grades == {"response_to_risk": "good", "plans": "good"}


async def test_a_json_record_keeps_what_it_leaves_out_and_nulls_what_it_gives_as_null(api):
    la = api("la", la=LIVERPOOL)
    await stored_counts(la)
    record = {"snapshot_date": DATE, "cla_total": 1500, "orders_made_in_year": None}
    response = await la.post(submit_url(LIVERPOOL, "care-order-counts"), json={"records": [record]})
    assert response.status_code == 201, response.text
    after = (await la.get(url(LIVERPOOL, "care-order-counts", DATE))).json()
    assert (after["cla_total"], after["placed_with_parents"], after["orders_made_in_year"]) == (1500, 190, None)


async def test_a_record_not_stored_yet_is_made_of_what_the_row_gives(api):
    la = api("la", la=LIVERPOOL)
    response = await send_csv(la, "care-order-counts", CORE, [CORE_ROW])
    assert response.status_code == 201 and response.json()["created"] == 1
    assert (await la.get(url(LIVERPOOL, "care-order-counts", DATE))).json()["orders_made_in_year"] is None


async def test_the_response_lists_each_changed_field_from_what_to_what(api):
    la = api("la", la=LIVERPOOL)
    await stored_counts(la)
    response = await send_csv(la, "care-order-counts", [*CORE, "orders_made_in_year", "discharges.to_no_order"],
                              [[*CORE_ROW, "", 25]])
    assert response.json()["changes"] == [{"key": DATE, "fields": {
        "cla_total": {"from": 1450, "to": 1500}, "discharges.to_no_order": {"from": 28, "to": 25},
        "orders_made_in_year": {"from": 48, "to": None}}}]
    assert response.json()["changes_unlisted"] == 0


async def test_a_dry_run_lists_what_would_change_and_stores_nothing(api, db):
    la = api("la", la=LIVERPOOL)
    await stored_counts(la)
    response = await send_csv(la, "care-order-counts", CORE, [CORE_ROW], dry_run="true")
    assert response.status_code == 200
    assert response.json()["changes"] == [{"key": DATE, "fields": {"cla_total": {"from": 1450, "to": 1500}}}]
    assert db.scalar(select(func.count()).select_from(CareOrderCount)) == 1


async def test_changes_past_the_cap_are_counted_not_listed(api, monkeypatch):
    monkeypatch.setattr(service, "MAX_LISTED_CHANGES", 2)
    la = api("la", la=LIVERPOOL)
    dates = [f"{year}-03-31" for year in range(2017, 2022)]
    await send_csv(la, "care-order-counts", [*CORE, "orders_made_in_year"], [[day, *CORE_ROW[1:], 40] for day in dates])
    response = await send_csv(la, "care-order-counts", [*CORE, "orders_made_in_year"],
                              [[day, *CORE_ROW[1:], 41] for day in dates])
    body = response.json()
    assert (body["revised"], [c["key"] for c in body["changes"]], body["changes_unlisted"]) == (5, dates[:2], 3)


async def test_a_merged_record_breaking_a_rule_is_refused_on_its_row(api, db):
    la = api("la", la=LIVERPOOL)
    body = counts(interim_orders_for_parent_assessment=6, interim_orders_for_parent_assessment_child_remained=4)
    assert (await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=body)).status_code == 201
    # Fewer assessments than the stored count of children who remained: neither alone is at fault.
    response = await send_csv(la, "care-order-counts", [*CORE, "interim_orders_for_parent_assessment"],
                              [[*CORE_ROW, 3]])
    assert response.status_code == 422
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [
        (2, "interim_orders_for_parent_assessment_child_remained")]
    assert db.scalar(select(func.count()).select_from(CareOrderCount)) == 1


async def test_a_replay_returns_the_same_changes(api):
    la = api("la", la=LIVERPOOL)
    await stored_counts(la)
    headers = {"Content-Type": "text/csv", "Idempotency-Key": "partial-1"}
    first = await la.post(submit_url(LIVERPOOL, "care-order-counts"), content=csv_body(CORE, [CORE_ROW]), headers=headers)
    again = await la.post(submit_url(LIVERPOOL, "care-order-counts"), content=csv_body(CORE, [CORE_ROW]), headers=headers)
    assert first.json()["changes"] and again.json() == first.json()


async def test_a_single_record_put_still_replaces_the_whole_record(api):
    la = api("la", la=LIVERPOOL)
    await stored_counts(la)
    body = counts()
    del body["orders_made_in_year"]
    assert (await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=body)).status_code == 200
    assert (await la.get(url(LIVERPOOL, "care-order-counts", DATE))).json()["orders_made_in_year"] is None


async def test_a_submission_read_back_lists_no_changes(api):
    la = api("la", la=LIVERPOOL)
    await stored_counts(la)
    sent = await send_csv(la, "care-order-counts", CORE, [CORE_ROW])
    read = (await la.get(f"/api/v1/local-authorities/{LIVERPOOL}/submissions/{sent.json()['id']}")).json()
    assert (read["revised"], read["changes"], read["changes_unlisted"]) == (1, None, None)


async def test_a_row_keyed_by_a_uk_date_keeps_the_stored_values_of_its_record(api):
    la = api("la", la=LIVERPOOL)
    await stored_counts(la)
    response = await send_csv(la, "care-order-counts", CORE, [["31/03/2021", *CORE_ROW[1:]]])
    assert (response.json()["revised"], response.json()["created"]) == (1, 0)
    assert (await la.get(url(LIVERPOOL, "care-order-counts", DATE))).json()["orders_made_in_year"] == 48


async def test_a_json_nested_object_is_patched_part_by_part(api):
    la = api("la", la=LIVERPOOL)
    await stored_counts(la)
    record = {"snapshot_date": DATE, "discharges": {"to_no_order": 25, "to_family_assistance_order": None}}
    response = await la.post(submit_url(LIVERPOOL, "care-order-counts"), json={"records": [record]})
    assert response.json()["changes"] == [{"key": DATE, "fields": {
        "discharges.to_family_assistance_order": {"from": 1, "to": None},
        "discharges.to_no_order": {"from": 28, "to": 25}}}]
