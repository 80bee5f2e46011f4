"""Care-order characteristics: a record per (snapshot date, dimension, category), through the shared machinery."""

import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.care_order_characteristics.models import CareOrderCharacteristic
from tests.payloads import CUMBRIA, KNOWSLEY, LIVERPOOL, characteristics, url
from tests.submissions.files import XLSX, csv_body, submit_url, xlsx_body

DATASET = "care-order-characteristics"
DATE = "2021-03-31"
HEADER = ["snapshot_date", "dimension", "category", "full_care_orders_at_home", "interim_care_orders_at_home", "notes"]


def item(la: str = LIVERPOOL, day: str = DATE, dimension: str = "age_band", category: str = "5_to_9") -> str:
    return url(la, DATASET, f"{day}/{dimension}/{category}")


async def post_csv(client, rows: list[list], header: list[str] = HEADER, **query: str):
    return await client.post(submit_url(LIVERPOOL, DATASET, **query), content=csv_body(header, rows),
                             headers={"Content-Type": "text/csv"})


def stored(db) -> int:
    return db.scalar(select(func.count()).select_from(CareOrderCharacteristic))


async def test_first_return_is_created_as_version_1_with_its_whole_key(api):
    la = api("la", la=LIVERPOOL)
    response = await la.put(item(), json=characteristics())
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["snapshot_date"], body["dimension"], body["category"], body["version"]) == (DATE, "age_band", "5_to_9", 1)
    assert (body["full_care_orders_at_home"], body["interim_care_orders_at_home"], body["notes"]) == (31, 9, None)
    assert response.headers["etag"] == '"1"' and response.headers["location"] == item()


async def test_a_revision_is_version_2_and_keeps_the_first_in_the_history(api):
    la = api("la", la=LIVERPOOL)
    await la.put(item(), json=characteristics())
    revised = await la.put(item(), json=characteristics(interim_care_orders_at_home=11, notes="after audit"))
    assert revised.status_code == 200 and revised.json()["version"] == 2
    history = (await la.get(item() + "/versions")).json()
    assert [(v["version"], v["interim_care_orders_at_home"]) for v in history["items"]] == [(2, 11), (1, 9)]
    assert history["items"][1]["superseded_at"] is not None
    current = await la.get(item())
    assert (current.json()["notes"], current.headers["etag"]) == ("after audit", '"2"')


async def test_records_of_one_date_and_dimension_are_apart_by_category(api):
    la = api("la", la=LIVERPOOL)
    await la.put(item(category="5_to_9"), json=characteristics(full_care_orders_at_home=31))
    await la.put(item(category="1_to_4"), json=characteristics(full_care_orders_at_home=12))
    assert (await la.get(item(category="5_to_9"))).json()["full_care_orders_at_home"] == 31
    assert (await la.get(item(category="1_to_4"))).json()["version"] == 1
    assert (await la.get(item(category="under_1"))).status_code == 404


async def test_the_list_is_in_date_then_dimension_then_category_order_as_listed(api):
    la = api("la", la=LIVERPOOL)
    for day, dimension, category in (("2021-03-31", "sex", "female"), ("2021-03-31", "sex", "male"),
                                     ("2021-03-31", "age_band", "16_and_over"), ("2021-03-31", "age_band", "1_to_4"),
                                     ("2021-03-31", "age_band", "under_1"), ("2020-03-31", "ethnicity", "white")):
        assert (await la.put(item(day=day, dimension=dimension, category=category), json=characteristics())).status_code == 201
    listing = (await la.get(url(LIVERPOOL, DATASET))).json()
    assert listing["total"] == 6
    assert [(i["snapshot_date"], i["dimension"], i["category"]) for i in listing["items"]] == [
        ("2020-03-31", "ethnicity", "white"), ("2021-03-31", "age_band", "under_1"),
        ("2021-03-31", "age_band", "1_to_4"), ("2021-03-31", "age_band", "16_and_over"),
        ("2021-03-31", "sex", "male"), ("2021-03-31", "sex", "female")]


async def test_a_category_of_another_dimension_is_422_naming_both(api, db):
    la = api("la", la=LIVERPOOL)
    response = await la.put(item(dimension="age_band", category="male"), json=characteristics())
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["loc"] == ["path", "category"]
    assert 'category ("male")' in error["message"] and 'dimension ("age_band")' in error["message"]
    assert stored(db) == 0


async def test_an_unknown_dimension_in_the_path_is_422(api):
    response = await api("la", la=LIVERPOOL).put(item(dimension="religion", category="male"), json=characteristics())
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert any(e["loc"] == ["path", "dimension"] for e in response.json()["errors"])


async def test_counts_must_be_whole_numbers_of_at_least_0_and_are_required(api):
    response = await api("la", la=LIVERPOOL).put(item(), json={"full_care_orders_at_home": -1, "notes": "x"})
    assert response.status_code == 422
    assert sorted(e["field"] for e in response.json()["errors"]) == ["full_care_orders_at_home",
                                                                     "interim_care_orders_at_home"]


async def test_a_future_date_or_one_the_la_did_not_exist_on_is_refused(api):
    admin = api("admin")
    future = await admin.put(item(day="2999-03-31"), json=characteristics())
    assert future.status_code == 422 and future.json()["errors"][0]["loc"] == ["path", "snapshot_date"]
    gone = await admin.put(item(la=CUMBRIA, day="2024-03-31"), json=characteristics())
    assert gone.status_code == 422 and "was not a local authority" in gone.json()["errors"][0]["message"]
    assert (await admin.put(item(la=CUMBRIA, day="2021-03-31"), json=characteristics())).status_code == 201


async def test_a_stale_if_match_is_412_and_changes_nothing(api):
    la = api("la", la=LIVERPOOL)
    await la.put(item(), json=characteristics())
    await la.put(item(), json=characteristics(full_care_orders_at_home=32), headers={"If-Match": '"1"'})
    stale = await la.put(item(), json=characteristics(full_care_orders_at_home=99), headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert (await la.get(item())).json()["full_care_orders_at_home"] == 32


async def test_an_la_client_may_not_write_or_read_another_las_records(api):
    la = api("la", la=LIVERPOOL)
    await api("admin").put(item(la=KNOWSLEY), json=characteristics())
    assert (await la.put(item(la=KNOWSLEY), json=characteristics())).status_code == 403
    assert (await la.get(item(la=KNOWSLEY))).status_code == 403
    assert (await la.get(url(KNOWSLEY, DATASET))).status_code == 403


async def test_a_csv_file_is_stored_whole(api):
    la = api("la", la=LIVERPOOL)
    rows = [[DATE, "sex", "male", 20, 6, ""], [DATE, "sex", "female", 11, 3, "two sibling groups"],
            ["31/03/2020", "Time at home on order", "Under 1 year", 4, 0, ""]]
    response = await post_csv(la, rows)
    assert response.status_code == 201, response.text
    assert (response.json()["rows"], response.json()["created"]) == (3, 3)
    stored_now = (await la.get(item(day="2020-03-31", dimension="time_at_home_on_order", category="under_1_year"))).json()
    assert stored_now["full_care_orders_at_home"] == 4 and stored_now["submission_id"] == response.json()["id"]
    assert (await la.get(item(dimension="sex", category="female"))).json()["notes"] == "two sibling groups"


async def test_a_file_with_one_bad_row_stores_nothing_and_names_the_row(api, db):
    la = api("la", la=LIVERPOOL)
    rows = [[DATE, "sex", "male", 20, 6, ""], [DATE, "sex", "under_1", 2, 0, ""], [DATE, "sex", "female", 11, 3, ""]]
    response = await post_csv(la, rows)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["row"], error["field"]) == (3, "category")
    assert "dimension (\"sex\")" in error["message"] and "under_1" in error["message"]
    assert stored(db) == 0


async def test_a_key_given_twice_in_a_file_names_every_key_column(api, db):
    la = api("la", la=LIVERPOOL)
    rows = [[DATE, "sex", "male", 20, 6, ""], [DATE, "sex", "female", 11, 3, ""], [DATE, "sex", "male", 21, 6, ""],
            ["2020-03-31", "sex", "male", 18, 5, ""]]
    response = await post_csv(la, rows)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["row"], error["loc"]) == (4, ["row", 4])
    assert all(part in error["message"] for part in ("snapshot_date 2021-03-31", "dimension sex", "category male", "row 2"))
    assert stored(db) == 0


async def test_a_json_submission_is_stored_and_replayed_for_its_idempotency_key(api, db):
    la = api("la", la=LIVERPOOL)
    body = {"records": [{"snapshot_date": DATE, "dimension": "ethnicity", "category": code, **characteristics()}
                        for code in ("white", "mixed", "not_known")]}
    headers = {"Idempotency-Key": "characteristics-2021"}
    first = await la.post(submit_url(LIVERPOOL, DATASET), json=body, headers=headers)
    again = await la.post(submit_url(LIVERPOOL, DATASET), json=body, headers=headers)
    assert first.status_code == 201 and first.json()["created"] == 3
    assert again.json() == first.json() and stored(db) == 3


async def test_an_xlsx_submission_is_stored(api):
    la = api("la", la=LIVERPOOL)
    body = xlsx_body(HEADER, [[date(2021, 3, 31), "age_band", "10_to_15", 8, 2, None]])
    response = await la.post(submit_url(LIVERPOOL, DATASET), content=body, headers={"Content-Type": XLSX})
    assert response.status_code == 201, response.text
    assert (await la.get(item(category="10_to_15"))).json()["full_care_orders_at_home"] == 8


async def test_a_file_without_the_notes_column_keeps_the_stored_notes_and_lists_the_change_by_the_whole_key(api):
    la = api("la", la=LIVERPOOL)
    await la.put(item(), json=characteristics(notes="kept"))
    response = await post_csv(la, [[DATE, "age_band", "5_to_9", 31, 12]], header=HEADER[:-1])
    assert response.status_code == 201 and response.json()["revised"] == 1
    assert response.json()["changes"] == [{"key": f"{DATE}/age_band/5_to_9",
                                           "fields": {"interim_care_orders_at_home": {"from": 9, "to": 12}}}]
    current = (await la.get(item())).json()
    assert (current["full_care_orders_at_home"], current["interim_care_orders_at_home"], current["notes"]) == (31, 12, "kept")


async def test_the_same_file_again_revises_nothing(api):
    la = api("la", la=LIVERPOOL)
    rows = [[DATE, "sex", "male", 20, 6, ""], [DATE, "sex", "female", 11, 3, ""]]
    await post_csv(la, rows)
    again = await post_csv(la, rows)
    assert (again.json()["created"], again.json()["revised"], again.json()["unchanged"]) == (0, 0, 2)


async def test_the_catalogue_names_the_three_key_columns_and_the_rule(api):
    dataset = (await api("la", la=LIVERPOOL).get(f"/api/v1/datasets/{DATASET}")).json()
    assert dataset["key_columns"] == ["snapshot_date", "dimension", "category"]
    assert dataset["key"] == "snapshot_date, dimension, category" and dataset["child_level"] is False
    fields = {f["column"]: f for f in dataset["fields"]}
    assert fields["dimension"]["allowed"] == ["age_band", "sex", "ethnicity", "time_at_home_on_order"]
    assert fields["category"]["allowed"][:3] == ["under_1", "1_to_4", "5_to_9"] and len(fields["category"]["allowed"]) == 17
    assert fields["full_care_orders_at_home"]["required"] and not fields["notes"]["required"]
    assert any(rule.startswith("category is one of its dimension's") for rule in dataset["rules"])


async def test_the_csv_template_is_the_header_and_filled_in_is_accepted(api):
    la = api("la", la=LIVERPOOL)
    template = await la.get(f"/api/v1/datasets/{DATASET}/template", params={"format": "csv"})
    assert template.content.decode().strip().split(",") == HEADER
    filled = template.content + f"{DATE},sex,male,20,6,\n".encode()
    response = await la.post(submit_url(LIVERPOOL, DATASET), content=filled, headers={"Content-Type": "text/csv"})
    assert response.status_code == 201, response.text


async def test_the_xlsx_template_offers_dimension_and_category_lists_and_filled_in_is_accepted(api):
    la = api("la", la=LIVERPOOL)
    template = await la.get(f"/api/v1/datasets/{DATASET}/template", params={"format": "xlsx"})
    workbook = load_workbook(io.BytesIO(template.content))
    sheet = workbook["records"]
    column = {cell.value: cell.column_letter for cell in sheet[1]}
    lists = {str(dv.sqref).split(":")[0] for dv in sheet.data_validations.dataValidation if dv.type == "list"}
    assert {f"{column['dimension']}2", f"{column['category']}2"} <= lists
    assert [c.value for c in workbook["lists"][column["dimension"]][1:] if c.value] == [
        "age_band", "sex", "ethnicity", "time_at_home_on_order"]
    values = {"snapshot_date": date(2021, 3, 31), "dimension": "time_at_home_on_order", "category": "5_years_and_over",
              "full_care_orders_at_home": 3, "interim_care_orders_at_home": 0}
    for position, name in enumerate([cell.value for cell in sheet[1]], start=1):
        sheet.cell(row=2, column=position, value=values.get(name))
    filled = io.BytesIO()
    workbook.save(filled)
    response = await la.post(submit_url(LIVERPOOL, DATASET), content=filled.getvalue(), headers={"Content-Type": XLSX})
    assert response.status_code == 201, response.text
    assert (await la.get(item(dimension="time_at_home_on_order", category="5_years_and_over"))).status_code == 200
