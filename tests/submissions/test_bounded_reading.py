"""Every submission is refused as soon as it passes a limit, in words that say how to get under it."""

import json

import httpx
from sqlalchemy import func, select

from app.audit_programme.models import AuditProgrammeMonth
from app.clients.schemas import ClientCreate
from app.clients.service import create_client
from app.core.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROW_BYTES
from app.main import create_app
from app.submissions import service
from tests.conftest import secret_of
from tests.faults import crafted
from tests.payloads import LIVERPOOL
from tests.submissions.files import XLSX, csv_body, submit_url, xlsx_body

HEADER = crafted.PROGRAMME_HEADER


async def post(client, body: bytes, content_type: str = "text/csv"):
    return await client.post(submit_url(LIVERPOOL, "audit-programme"), content=body,
                             headers={"Content-Type": content_type})


async def test_blank_csv_lines_count_towards_the_row_limit(api, settings):
    body = b"month,planned,exempted,returned\n2021-01,40,4,15\n" + b",,,\n" * settings.max_submission_rows
    response = await post(api("la", la=LIVERPOOL), body)
    assert response.status_code == 413 and "blank rows count too" in response.json()["detail"]


async def test_blank_workbook_rows_count_towards_the_row_limit(api, settings):
    body = crafted.xlsx_of_blank_rows(6 * (settings.max_submission_rows + 1))
    response = await post(api("la", la=LIVERPOOL), body, XLSX)
    assert response.status_code == 413 and "blank rows count too" in response.json()["detail"]


async def test_a_workbook_row_numbered_past_the_row_limit_is_refused(api, settings):
    far = settings.max_submission_rows + 2
    body = crafted.workbook([b'<row r="1"><c r="A1" t="inlineStr"><is><t>month</t></is></c></row>',
                             f'<row r="{far}"><c r="A{far}"><v>1</v></c></row>'.encode()])
    response = await post(api("la", la=LIVERPOOL), body, XLSX)
    assert response.status_code == 413


async def test_json_records_count_towards_the_row_limit(api, settings):
    records = [{"month": "2021-01", "planned": 1, "exempted": 0, "returned": 1}] * (settings.max_submission_rows + 1)
    response = await post(api("la", la=LIVERPOOL), json.dumps({"records": records}).encode(), "application/json")
    assert response.status_code == 413


async def test_a_header_of_more_columns_than_the_limit_is_refused_in_a_few_words(api):
    response = await post(api("la", la=LIVERPOOL), crafted.csv_of_wide_header(MAX_COLUMNS + 1))
    assert response.status_code == 422 and f"more than the {MAX_COLUMNS}" in response.json()["detail"]
    assert len(response.json()["errors"]) == 1


async def test_a_workbook_header_past_the_column_limit_is_refused(api):
    header = [*HEADER, *(f"extra{i}" for i in range(MAX_COLUMNS))]
    response = await post(api("la", la=LIVERPOOL), xlsx_body(header, [["2021-01", 40, 4, 15]]), XLSX)
    assert response.status_code == 422 and f"more than the {MAX_COLUMNS}" in response.json()["detail"]


async def test_an_overlong_column_name_is_reported_cut_short(api):
    response = await post(api("la", la=LIVERPOOL), csv_body([*HEADER, "x" * 5000], [["2021-01", 40, 4, 15, 1]]))
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert "at most 100" in error["message"] and len(error["field"]) < 110


async def test_an_overlong_csv_cell_is_a_fault_of_its_row(api, db):
    response = await post(api("la", la=LIVERPOOL), csv_body(HEADER, [["2021-01", 40, 4, "1" * (MAX_CELL_CHARS + 1)]]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["row"] == 2 and "at most 10,000" in response.json()["errors"][0]["message"]
    assert db.scalar(select(func.count()).select_from(AuditProgrammeMonth)) == 0


async def test_an_overlong_workbook_cell_is_a_fault_of_its_row(api):
    body = xlsx_body(HEADER, [["2021-01", 40, 4, 15], ["2021-02", 40, 4, "x" * (MAX_CELL_CHARS + 1)]])
    response = await post(api("la", la=LIVERPOOL), body, XLSX)
    assert response.status_code == 422 and response.json()["errors"][0]["row"] == 3


async def test_a_csv_line_over_the_row_limit_is_refused(api):
    body = b"month,planned,exempted,returned\n2021-01,40,4,15" + b" " * MAX_ROW_BYTES + b"\n"
    response = await post(api("la", la=LIVERPOOL), body)
    assert response.status_code == 422 and "longer than" in response.json()["detail"]


async def test_a_json_record_over_the_row_limit_is_413(api):
    body = b'{"records": [{"month": "' + b"1" * MAX_ROW_BYTES + b'"}]}'
    response = await post(api("la", la=LIVERPOOL), body, "application/json")
    assert response.status_code == 413 and "Record 1 is longer than" in response.json()["detail"]


async def test_a_json_submission_nested_past_the_limit_is_a_400(api):
    response = await post(api("la", la=LIVERPOOL), crafted.nested_json(40), "application/json")
    assert response.status_code == 400 and "more than 32 deep" in response.json()["detail"]


async def test_a_json_submission_with_more_than_records_is_422(api):
    body = b'{"records": [{"month": "2021-01", "planned": 1, "exempted": 0, "returned": 1}], "extra": 1}'
    response = await post(api("la", la=LIVERPOOL), body, "application/json")
    assert response.status_code == 422


async def test_text_after_a_json_submission_is_400(api):
    body = b'{"records": [{"month": "2021-01", "planned": 1, "exempted": 0, "returned": 1}]} trailing'
    response = await post(api("la", la=LIVERPOOL), body, "application/json")
    assert response.status_code == 400


async def test_a_workbook_inflating_past_100_times_its_upload_is_413(api):
    response = await post(api("la", la=LIVERPOOL), crafted.xlsx_of_blank_rows(20 * 1024 * 1024), XLSX)
    assert response.status_code == 413 and "100 times the upload" in response.json()["detail"]


async def test_a_workbook_inflating_past_the_configured_total_is_413(settings):
    app = create_app(settings.model_copy(update={"max_xlsx_inflated_bytes": 1024 * 1024}))
    with app.state.sessionmaker() as session, session.begin():
        _, key = create_client(session, ClientCreate(name="capped", role="admin"), secret_of(app))
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test",
                               headers={"Authorization": f"Bearer {key}"})
    body = crafted.padded(crafted.xlsx_of_blank_rows(2 * 1024 * 1024), 100_000)
    response = await post(client, body, XLSX)
    app.state.engine.dispose()
    assert response.status_code == 413 and "at most 1,048,576" in response.json()["detail"]


async def test_a_sheet_of_more_rows_and_cells_than_its_upload_may_hold_is_413(api):
    body = crafted.padded(crafted.xlsx_of_empty_cells(4 * 1024 * 1024, per_row=1000), 40_000)
    response = await post(api("la", la=LIVERPOOL), body, XLSX)
    assert response.status_code == 413 and "rows and cells" in response.json()["detail"]


async def test_a_file_with_more_faults_than_are_listed_is_refused_without_reading_on(api, monkeypatch):
    monkeypatch.setattr(service, "MAX_REPORTED_ERRORS", 8)
    monkeypatch.setattr(service, "BATCH_ROWS", 2)
    rows = [["2021-01", "x", "x", "x"]] * 10 + [["2021-01", 1, 0, 1, "unreadable"]]
    response = await post(api("la", la=LIVERPOOL), csv_body(HEADER, rows))
    assert response.status_code == 422 and "the rest of the file was not read" in response.json()["detail"]
    assert {e["row"] for e in response.json()["errors"]} == {2, 3, 4}
