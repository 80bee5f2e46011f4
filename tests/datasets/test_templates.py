"""Templates: a file with the dataset's columns that, filled in, is accepted as it is."""

import asyncio
import io

from openpyxl import load_workbook

from tests.payloads import LIVERPOOL
from tests.submissions.files import XLSX, submit_url

ORDER = {"order_ref": "LIV-1", "child_ref": "C-1", "order_type": "full_care_order", "order_date": "2019-06-14",
         "age_at_order": 7, "current_status": "at_home_on_order", "status_date": "2020-01-10"}


async def _template(client, dataset: str, file_format: str) -> bytes:
    response = await client.get(f"/api/v1/datasets/{dataset}/template", params={"format": file_format})
    assert response.status_code == 200, response.text
    assert f'filename="{dataset}-template.{file_format}"' in response.headers["content-disposition"]
    return response.content


async def test_the_csv_template_is_the_catalogue_columns_and_filled_in_is_accepted(api):
    la = api("la", la=LIVERPOOL)
    header = (await _template(la, "orders", "csv")).decode().strip().split(",")
    catalogue = (await la.get("/api/v1/datasets/orders")).json()
    assert header == [f["column"] for f in catalogue["fields"]]
    row = ",".join(str(ORDER.get(column, "")) for column in header)
    stored = await la.post(submit_url(LIVERPOOL, "orders"), content=f"{','.join(header)}\n{row}\n".encode(),
                           headers={"Content-Type": "text/csv"})
    assert stored.status_code == 201, stored.text


async def test_the_xlsx_template_filled_in_a_spreadsheet_is_accepted(api):
    la = api("la", la=LIVERPOOL)
    workbook = load_workbook(io.BytesIO(await _template(la, "orders", "xlsx")))
    sheet = workbook["records"]
    header = [cell.value for cell in sheet[1]]
    for position, column in enumerate(header, start=1):
        sheet.cell(row=2, column=position, value=ORDER.get(column))
    filled = io.BytesIO()
    workbook.save(filled)
    stored = await la.post(submit_url(LIVERPOOL, "orders"), content=filled.getvalue(), headers={"Content-Type": XLSX})
    assert stored.status_code == 201, stored.text


async def test_the_xlsx_template_offers_drop_downs_and_checks_bounds_and_dates(api):
    workbook = load_workbook(io.BytesIO(await _template(api("admin"), "orders", "xlsx")))
    sheet = workbook["records"]
    column = {cell.value: cell.column_letter for cell in sheet[1]}
    checks = {str(dv.sqref).split(":")[0]: dv for dv in sheet.data_validations.dataValidation}
    order_type = checks[f"{column['order_type']}2"]
    listed = [c.value for c in workbook["lists"][column["order_type"]][1:] if c.value]
    assert order_type.type == "list" and listed == ["full_care_order", "interim_care_order"]
    age = checks[f"{column['age_at_order']}2"]
    assert (age.type, age.formula1, age.formula2) == ("whole", "0", "17")
    assert checks[f"{column['order_date']}2"].type == "date"
    assert workbook["lists"].sheet_state == "hidden" and workbook.sheetnames[0] == "records"


async def test_the_xlsx_guidance_sheet_lists_every_column_and_rule(api):
    admin = api("admin")
    workbook = load_workbook(io.BytesIO(await _template(admin, "audit-programme", "xlsx")))
    text = [row[0] for row in workbook["guidance"].iter_rows(values_only=True) if row[0]]
    catalogue = (await admin.get("/api/v1/datasets/audit-programme")).json()
    assert all(f["column"] in text for f in catalogue["fields"]) and all(rule in text for rule in catalogue["rules"])


async def test_a_month_column_is_text_so_a_spreadsheet_keeps_2021_02_as_written(api):
    workbook = load_workbook(io.BytesIO(await _template(api("admin"), "audit-programme", "xlsx")))
    sheet = workbook["records"]
    month = next(cell.column_letter for cell in sheet[1] if cell.value == "month")
    assert sheet[f"{month}2"].number_format == "@"


async def test_the_same_template_is_the_same_bytes_each_time(api):
    admin = api("admin")
    first = await _template(admin, "audits", "xlsx")
    await asyncio.sleep(1.1)  # openpyxl alone stamps the second into the file
    assert await _template(admin, "audits", "xlsx") == first


async def test_every_check_of_every_template_is_within_what_excel_keeps(api):
    admin = api("admin")
    for dataset in ("care-order-counts", "care-order-characteristics", "orders", "audits", "audit-programme"):
        sheet = load_workbook(io.BytesIO(await _template(admin, dataset, "xlsx")))["records"]
        for check in sheet.data_validations.dataValidation:
            assert len(check.errorTitle or "") <= 32 and len(check.promptTitle or "") <= 32, (dataset, check.errorTitle)
            assert len(check.error or "") <= 225 and len(check.prompt or "") <= 225, (dataset, check.error)
