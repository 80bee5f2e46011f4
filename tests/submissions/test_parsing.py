"""What a file's cells may say: the unambiguous forms analysts' spreadsheets produce are read as they were meant."""

from tests.payloads import LIVERPOOL, url
from tests.submissions.files import XLSX, csv_body, submit_url, xlsx_body

PROGRAMME = ["month", "planned", "exempted", "returned"]
COUNTS = ["snapshot_date", "cla_total", "placed_with_parents", "full_care_orders_at_home",
          "interim_care_orders_at_home"]
AUDIT = ["audit_ref", "audit_date", "audit_type", "overall_grade", "domain_grades.plans", "moderation.moderated_grade",
         "moderation.result"]


async def post(la, dataset: str, body: bytes, content_type: str = "text/csv"):
    return await la.post(submit_url(LIVERPOOL, dataset), content=body, headers={"Content-Type": content_type})


async def test_months_in_words_are_read_as_yyyy_mm(api):
    la = api("la", la=LIVERPOOL)
    rows = [["April 2021", 40, 4, 15], ["May 2021", 40, 4, 15], ["Jun 2021", 40, 4, 15], ["2021-07", 40, 4, 15]]
    response = await post(la, "audit-programme", csv_body(PROGRAMME, rows))
    assert response.status_code == 201, response.text
    assert (await la.get(url(LIVERPOOL, "audit-programme", "2021-04"))).status_code == 200
    assert (await la.get(url(LIVERPOOL, "audit-programme", "2021-06"))).status_code == 200


async def test_a_month_excel_turned_into_a_date_is_read_as_that_month(api):
    from datetime import datetime

    la = api("la", la=LIVERPOOL)
    response = await post(la, "audit-programme", xlsx_body(PROGRAMME, [[datetime(2021, 4, 1), 40, 4, 15]]), XLSX)
    assert response.status_code == 201, response.text
    assert (await la.get(url(LIVERPOOL, "audit-programme", "2021-04"))).status_code == 200


async def test_whole_numbers_with_thousands_separators_are_read(api):
    la = api("la", la=LIVERPOOL)
    body = csv_body(COUNTS, [["2021-03-31", '"1,502"', 190, 120, 35]])
    response = await post(la, "care-order-counts", body)
    assert response.status_code == 201, response.text
    assert (await la.get(url(LIVERPOOL, "care-order-counts", "2021-03-31"))).json()["cla_total"] == 1502


async def test_misplaced_separators_are_not_read_as_thousands(api):
    la = api("la", la=LIVERPOOL)
    response = await post(la, "care-order-counts", csv_body(COUNTS, [["2021-03-31", '"15,02"', 190, 120, 35]]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"].startswith('"15,02" is not a whole number')


async def test_codes_and_grades_are_read_in_any_case_and_with_spaces(api):
    la = api("la", la=LIVERPOOL)
    body = csv_body(AUDIT, [["A1", "10/02/2021", "Individual", "Good", "Requires improvement", "REQUIRES_IMPROVEMENT",
                             "Downgraded"]])
    response = await post(la, "audits", body)
    assert response.status_code == 201, response.text
    stored = (await la.get(url(LIVERPOOL, "audits", "A1"))).json()
    assert (stored["audit_type"], stored["overall_grade"], stored["domain_grades"]["plans"]) == (
        "individual", "good", "requires_improvement")
    assert stored["moderation"] == {"moderated_grade": "requires_improvement", "result": "downgraded"}


async def test_a_code_written_in_capitals_by_its_source_is_read_in_any_case(api):
    """The 903's categories of need are N1 to N8, where the service's own codes are lower case."""
    la = api("la", la=LIVERPOOL)
    header = ["order_ref", "child_ref", "order_type", "order_date", "age_at_order", "current_status", "status_date",
              "category_of_need"]
    rows = [[f"O{n}", "C1", "full_care_order", "14/06/2019", 7, "at_home_on_order", "2020-01-10", need]
            for n, need in enumerate(["n1", "N2", " n3 "], start=1)]
    response = await post(la, "orders", csv_body(header, rows))
    assert response.status_code == 201, response.text
    stored = [(await la.get(url(LIVERPOOL, "orders", f"O{n}"))).json()["category_of_need"] for n in (1, 2, 3)]
    assert stored == ["N1", "N2", "N3"]


async def test_yes_no_cells_of_a_spreadsheet_may_be_1_or_0(api):
    la = api("la", la=LIVERPOOL)
    header = ["order_ref", "child_ref", "order_type", "order_date", "age_at_order", "current_status", "status_date",
              "pre_proceedings", "independent_social_worker"]
    row = ["O1", "C1", "full_care_order", "14/06/2019", 7, "at_home_on_order", "2020-01-10", 1, 0]
    response = await post(la, "orders", xlsx_body(header, [row]), XLSX)
    assert response.status_code == 201, response.text
    stored = (await la.get(url(LIVERPOOL, "orders", "O1"))).json()
    assert (stored["pre_proceedings"], stored["independent_social_worker"]) == (True, False)


async def test_a_semicolon_separated_file_is_read(api):
    la = api("la", la=LIVERPOOL)
    body = b"month;planned;exempted;returned\r\n2021-01;40;4;15\r\n2021-02;38;2;20\r\n"
    response = await post(la, "audit-programme", body)
    assert response.status_code == 201, response.text
    assert response.json()["rows"] == 2


async def test_a_tab_separated_file_is_read(api):
    la = api("la", la=LIVERPOOL)
    response = await post(la, "audit-programme", b"month\tplanned\texempted\treturned\n2021-01\t40\t4\t15\n")
    assert response.status_code == 201, response.text


async def test_unknown_columns_and_row_faults_come_in_one_response(api):
    la = api("la", la=LIVERPOOL)
    body = csv_body([*PROGRAMME, "comment", "notes"], [["2021-01", 40, 4, 15, "", ""], ["2021-02", "lots", 2, 20, "", ""]])
    response = await post(la, "audit-programme", body)
    assert response.status_code == 422
    problem = response.json()
    assert [(e["row"], e["field"]) for e in problem["errors"]] == [(1, "comment"), (1, "notes"), (3, "planned")]
    assert problem["errors"][0]["message"].startswith("unknown column 'comment'; rename or delete it: this dataset's")
    assert problem["detail"] == "3 problems found in 2 rows; nothing was stored."
