import io
import zipfile

from sqlalchemy import func, select

from app.audit_programme.models import AuditProgrammeMonth
from tests.payloads import KNOWSLEY, LIVERPOOL
from tests.submissions.files import XLSX, csv_body, submit_url

HEADER = ["month", "planned", "exempted", "returned"]


async def post(client, body: bytes, content_type: str = "text/csv", dataset: str = "audit-programme"):
    return await client.post(submit_url(LIVERPOOL, dataset), content=body, headers={"Content-Type": content_type})


async def test_empty_body_is_422(api):
    response = await post(api("la", la=LIVERPOOL), b"")
    assert response.status_code == 422 and "empty" in response.json()["detail"]


async def test_header_only_file_is_422(api):
    response = await post(api("la", la=LIVERPOOL), b"month,planned,exempted,returned\n")
    assert response.status_code == 422 and "no rows" in response.json()["detail"]


async def test_non_utf8_file_says_how_to_fix_it(api):
    body = "month,planned,exempted,returned\n2021-01,40,4,15 \xa3\n".encode("cp1252")
    response = await post(api("la", la=LIVERPOOL), body)
    assert response.status_code == 422 and "UTF-8" in response.json()["detail"]
    assert response.json()["errors"][0]["row"] == 2


async def test_unknown_missing_and_repeated_columns_are_all_reported(api):
    body = csv_body(["month", "planned", "planned", "returnd"], [["2021-01", 1, 1, 1]])
    response = await post(api("la", la=LIVERPOOL), body)
    assert response.status_code == 422
    messages = " | ".join(e["message"] for e in response.json()["errors"])
    assert "appears more than once" in messages and "unknown column 'returnd'" in messages
    assert "'exempted' is missing" in messages and "'returned' is missing" in messages


async def test_row_with_extra_cells_is_reported(api):
    body = b"month,planned,exempted,returned\n2021-01,40,4,15,oops\n"
    response = await post(api("la", la=LIVERPOOL), body)
    assert response.status_code == 422 and response.json()["errors"][0]["row"] == 2


async def test_body_that_is_not_a_workbook_is_422(api):
    response = await post(api("la", la=LIVERPOOL), b"PK\x03\x04 definitely not a zip", XLSX)
    assert response.status_code == 422 and "not an .xlsx" in response.json()["detail"]


async def test_zip_that_is_not_a_workbook_is_422(api):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    response = await post(api("la", la=LIVERPOOL), buffer.getvalue(), XLSX)
    assert response.status_code == 422


async def test_body_over_the_limit_is_413(api, settings):
    body = b"month,planned,exempted,returned\n" + b"2021-01,40,4,15\n" * (settings.max_upload_bytes // 10)
    response = await post(api("la", la=LIVERPOOL), body)
    assert response.status_code == 413 and response.headers["content-type"] == "application/problem+json"


async def test_more_rows_than_the_cap_is_413(api, settings, db):
    rows = [[f"{2000 + i // 12:04d}-{i % 12 + 1:02d}", 10, 1, 1] for i in range(settings.max_submission_rows + 1)]
    response = await post(api("la", la=LIVERPOOL), csv_body(HEADER, rows))
    assert response.status_code == 413
    assert db.scalar(select(func.count()).select_from(AuditProgrammeMonth)) == 0


async def test_unsupported_content_type_is_415(api):
    response = await post(api("la", la=LIVERPOOL), b"<xml/>", "application/xml")
    assert response.status_code == 415


async def test_unknown_dataset_is_422(api):
    response = await post(api("la", la=LIVERPOOL), csv_body(HEADER, [["2021-01", 1, 0, 1]]), dataset="widgets")
    assert response.status_code == 422


async def test_la_client_cannot_submit_for_another_la(api):
    client = api("la", la=KNOWSLEY)
    response = await client.post(submit_url(LIVERPOOL, "audit-programme"), content=csv_body(HEADER, [["2021-01", 1, 0, 1]]),
                                 headers={"Content-Type": "text/csv"})
    assert response.status_code == 403


def _workbook_with(member: str, content: bytes) -> bytes:
    from tests.submissions.files import xlsx_body

    source = zipfile.ZipFile(io.BytesIO(xlsx_body(HEADER, [["2021-01", 40, 4, 15]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == member else source.read(info.filename))
    return buffer.getvalue()


async def test_a_decompression_bomb_is_refused_before_it_is_inflated(api, settings, db, monkeypatch):
    bomb = _workbook_with("xl/worksheets/sheet1.xml", b"<a/>" + b" " * (25 * settings.max_upload_bytes))
    assert len(bomb) < settings.max_upload_bytes
    # Before any member is opened, so before a byte is inflated (a wall-clock bound here failed under a busy CI).
    opened: list[str] = []
    open_member = zipfile.ZipFile.open

    def recording_open(archive: zipfile.ZipFile, name: object, *args: object, **kwargs: object) -> object:
        opened.append(str(name))
        return open_member(archive, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)
    response = await post(api("la", la=LIVERPOOL), bomb, XLSX)
    assert response.status_code == 413 and "would inflate" in response.json()["detail"]
    assert opened == []
    assert db.scalar(select(func.count()).select_from(AuditProgrammeMonth)) == 0


async def test_an_xml_entity_expansion_is_refused(api):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                         for i in range(1, 10))
              + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    response = await post(api("la", la=LIVERPOOL), _workbook_with("xl/worksheets/sheet1.xml", laughs), XLSX)
    assert response.status_code == 422
