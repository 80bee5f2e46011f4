from datetime import datetime

from tests.payloads import LIVERPOOL, url
from tests.submissions.files import XLSX, submit_url, xlsx_body


async def test_workbook_first_sheet_is_read_with_excel_types(api):
    la = api("la", la=LIVERPOOL)
    header = ["snapshot_date", "cla_total", "placed_with_parents", "full_care_orders_at_home",
              "interim_care_orders_at_home", "discharges.total"]
    rows = [[datetime(2021, 3, 31), 1450.0, 190, 120, 35, None], [datetime(2020, 3, 31), 1400, 180, 110, 30, 12]]
    response = await la.post(submit_url(LIVERPOOL, "care-order-counts"), content=xlsx_body(header, rows),
                             headers={"Content-Type": XLSX})
    assert response.status_code == 201, response.text
    stored = (await la.get(url(LIVERPOOL, "care-order-counts", "2021-03-31"))).json()
    assert stored["cla_total"] == 1450 and stored["discharges"] is None


async def test_workbook_faults_carry_sheet_row_numbers(api):
    la = api("la", la=LIVERPOOL)
    header = ["month", "planned", "exempted", "returned"]
    rows = [["2021-01", 40, 4, 15], ["2021-02", 40, 50, 1], ["2021-03", 1.5, 0, 0]]
    response = await la.post(submit_url(LIVERPOOL, "audit-programme"), content=xlsx_body(header, rows),
                             headers={"Content-Type": XLSX})
    assert response.status_code == 422
    assert sorted((e["row"], e["field"]) for e in response.json()["errors"]) == [(3, "exempted"), (4, "planned")]


async def test_a_cell_of_rich_text_is_read_whole_not_its_last_run(api):
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    la = api("la", la=LIVERPOOL)
    header = ["order_ref", "child_ref", "order_type", "order_date", "age_at_order", "current_status", "status_date"]
    reference = CellRichText(TextBlock(InlineFont(b=True), "ORD"), "-001")
    body = xlsx_body(header, [[reference, "C1", "full_care_order", "2019-06-14", 7, "at_home_on_order", "2020-01-10"]])
    response = await la.post(submit_url(LIVERPOOL, "orders"), content=body, headers={"Content-Type": XLSX})
    assert response.status_code == 201, response.text
    assert (await la.get(url(LIVERPOOL, "orders", "ORD-001"))).status_code == 200
