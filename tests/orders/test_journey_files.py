"""The journey fields in bulk returns (CSV, XLSX, JSON) and in the catalogue and templates that describe them."""

import io
from datetime import datetime

from openpyxl import load_workbook

from tests.payloads import DISCHARGED, LIVERPOOL, journey, order, url
from tests.submissions.files import XLSX, csv_body, submit_url, xlsx_body

BASE = ["order_ref", "child_ref", "order_type", "order_date", "age_at_order", "current_status", "status_date"]
BASE_ROW = ["O1", "C1", "full_care_order", "2019-06-14", 7, "at_home_on_order", "2020-01-10"]
JOURNEY = ["sex", "ethnicity", "disability", "proceedings_issued", "final_hearing", "la_initial_care_plan",
           "guardian_recommendation", "contested_final_hearing", "category_of_need", "proceedings_type"]
# As an analyst's spreadsheet writes them: yes/no words, UK dates, codes in words.
JOURNEY_ROW = ["Female", "mixed", "Y", "07/01/2019", "14/06/2019", "Care order removal", "care_order_at_home", "no",
               "n5", "Public law"]
ENUMERATIONS = {
    "sex": ["male", "female", "other", "not_known"],
    "ethnicity": ["white", "mixed", "asian", "black", "other", "not_known"],
    "category_of_need": ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"],
    "proceedings_type": ["public_law", "private_law"],
}


async def _send(la, header: list[str], rows: list[list]):
    return await la.post(submit_url(LIVERPOOL, "orders"), content=csv_body(header, rows),
                         headers={"Content-Type": "text/csv"})


async def _stored(la, ref: str = "O1") -> dict:
    return (await la.get(url(LIVERPOOL, "orders", ref))).json()


async def test_a_csv_with_the_journey_columns_is_stored_as_the_put_would_store_it(api):
    la = api("la", la=LIVERPOOL)
    response = await _send(la, [*BASE, *JOURNEY], [[*BASE_ROW, *JOURNEY_ROW]])
    assert response.status_code == 201, response.text
    stored = await _stored(la)
    assert {f: stored[f] for f in JOURNEY} == journey(contested_final_hearing=False)


async def test_a_csv_journey_yes_no_cell_is_read_as_the_other_yes_no_columns_are(api):
    la = api("la", la=LIVERPOOL)
    rows = [[f"O{n}", *BASE_ROW[1:], answer] for n, answer in enumerate(["yes", "1", "N", "False", "2"], start=1)]
    response = await _send(la, [*BASE, "disability"], rows)
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [(6, "disability")]


async def test_a_csv_row_breaking_a_journey_rule_is_refused_at_its_row_and_column(api):
    la = api("la", la=LIVERPOOL)
    response = await _send(la, [*BASE, "proceedings_issued", "re_referred_within_12_months"],
                           [[*BASE_ROW, "", ""], ["O2", *BASE_ROW[1:], "2019-07-01", "no"]])
    assert response.status_code == 422
    assert sorted((e["row"], e["field"]) for e in response.json()["errors"]) == [
        (3, "proceedings_issued"), (3, "re_referred_within_12_months")]


async def test_a_file_without_the_journey_columns_is_still_accepted(api):
    la = api("la", la=LIVERPOOL)
    response = await _send(la, BASE, [BASE_ROW])
    assert response.status_code == 201, response.text
    assert (await _stored(la))["proceedings_issued"] is None


async def test_a_file_without_the_journey_columns_keeps_the_journey_stored_before(api):
    la = api("la", la=LIVERPOOL)
    await _send(la, [*BASE, *JOURNEY], [[*BASE_ROW, *JOURNEY_ROW]])
    response = await _send(la, BASE, [[*BASE_ROW[:4], 8, *BASE_ROW[5:]]])
    assert response.status_code == 201 and response.json()["revised"] == 1, response.text
    stored = await _stored(la)
    assert (stored["age_at_order"], stored["category_of_need"], stored["final_hearing"]) == (8, "N5", "2019-06-14")


async def test_a_workbook_with_the_journey_columns_takes_date_cells(api):
    la = api("la", la=LIVERPOOL)
    row = [*BASE_ROW, "male", "white", False, datetime(2019, 1, 7), datetime(2019, 6, 14)]
    response = await la.post(submit_url(LIVERPOOL, "orders"), headers={"Content-Type": XLSX},
                             content=xlsx_body([*BASE, *JOURNEY[:5]], [row]))
    assert response.status_code == 201, response.text
    stored = await _stored(la)
    assert (stored["proceedings_issued"], stored["final_hearing"], stored["disability"]) == (
        "2019-01-07", "2019-06-14", False)


async def test_json_records_carry_the_journey_with_re_referral_for_a_discharged_order(api):
    la = api("la", la=LIVERPOOL)
    record = {"order_ref": "O1", **order(**DISCHARGED, **journey(re_referred_within_12_months=True))}
    response = await la.post(submit_url(LIVERPOOL, "orders"), json={"records": [record]})
    assert response.status_code == 201, response.text
    assert (await _stored(la))["re_referred_within_12_months"] is True


async def test_the_catalogue_lists_the_journey_fields_and_their_allowed_values(api):
    catalogue = (await api("admin").get("/api/v1/datasets/orders")).json()
    fields = {f["column"]: f for f in catalogue["fields"]}
    assert {name: fields[name]["allowed"] for name in ENUMERATIONS} == ENUMERATIONS
    assert fields["guardian_recommendation"]["allowed"] == fields["la_final_care_plan"]["allowed"]
    assert fields["la_initial_care_plan"]["allowed"] == fields["la_final_care_plan"]["allowed"]
    assert {fields[name]["type"] for name in ("disability", "contested_final_hearing",
                                              "re_referred_within_12_months")} == {"yes_no"}
    assert not any(fields[name]["required"] for name in [*JOURNEY, "re_referred_within_12_months"])
    assert "proceedings_issued is not after order_date, nor after final_hearing." in catalogue["rules"]


async def test_the_xlsx_template_offers_the_journey_drop_downs_and_date_checks(api):
    response = await api("admin").get("/api/v1/datasets/orders/template", params={"format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    sheet, lists = workbook["records"], workbook["lists"]
    column = {cell.value: cell.column_letter for cell in sheet[1]}
    checks = {str(dv.sqref).split(":")[0]: dv for dv in sheet.data_validations.dataValidation}
    offered = {name: [c.value for c in lists[column[name]][1:] if c.value] for name in ENUMERATIONS}
    assert offered == ENUMERATIONS and all(checks[f"{column[n]}2"].type == "list" for n in ENUMERATIONS)
    assert [c.value for c in lists[column["disability"]][1:] if c.value] == ["yes", "no"]
    assert {checks[f"{column[n]}2"].type for n in ("proceedings_issued", "final_hearing")} == {"date"}


async def test_the_csv_template_has_every_journey_column(api):
    response = await api("admin").get("/api/v1/datasets/orders/template", params={"format": "csv"})
    header = response.text.strip().split(",")
    assert set(JOURNEY) | {"re_referred_within_12_months"} <= set(header)
