"""A file to start a return from: the dataset's header row, and in XLSX the checks a spreadsheet can make
as the analyst types (drop-down lists, whole numbers within bounds, dates) and a guidance sheet."""

import csv
import io
from datetime import datetime
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from app.datasets.schemas import DatasetField, DatasetRead

STEADY_TIME = datetime(2020, 1, 1)
EXCEL_TITLE_CHARS, EXCEL_MESSAGE_CHARS = 32, 225
# Rows the checks cover: a year of an LA's orders or audits with room to spare.
VALIDATED_ROWS = 5000
YES_NO = ["yes", "no"]
# Typed as text, so a spreadsheet keeps "2021-02" and "0031" as written instead of making a date or a number.
TEXT_FORMAT = "@"


def csv_template(dataset: DatasetRead) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([f.column for f in dataset.fields])
    return buffer.getvalue().encode()


def xlsx_template(dataset: DatasetRead) -> bytes:
    workbook = Workbook()
    records = workbook.active
    records.title = "records"  # the first sheet is the one a submission reads
    lists = workbook.create_sheet("lists")
    lists.sheet_state = "hidden"
    for position, field in enumerate(dataset.fields, start=1):
        _column(records, lists, position, field)
    records.freeze_panes = "A2"
    _guidance(workbook.create_sheet("guidance"), dataset)
    workbook.properties.created = workbook.properties.modified = STEADY_TIME
    buffer = io.BytesIO()
    with _SteadyZip(buffer, "w", ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return buffer.getvalue()


class _SteadyZip(ZipFile):
    """Every part dated alike: the same template is the same bytes (a HEAD's length is its GET's, and two
    workers serve one file), where openpyxl's own save stamps the moment into the zip and the workbook."""

    def writestr(self, zinfo_or_arcname: str | ZipInfo, data: str | bytes, compress_type: int | None = None,
                 compresslevel: int | None = None) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = ZipInfo(zinfo_or_arcname, date_time=STEADY_TIME.timetuple()[:6])
            zinfo_or_arcname.compress_type = self.compression
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: str, arcname: str | None = None, compress_type: int | None = None,  # type: ignore[override]
              compresslevel: int | None = None) -> None:
        # openpyxl writes each sheet to a temporary file first; the file's own time must not get in.
        with open(filename, "rb") as part:
            self.writestr(arcname or filename, part.read(), compress_type, compresslevel)


def _column(records: Worksheet, lists: Worksheet, position: int, field: DatasetField) -> None:
    letter = get_column_letter(position)
    header = records.cell(row=1, column=position, value=field.column)
    header.font = Font(bold=True)
    records.column_dimensions[letter].width = max(12, len(field.column) + 2)
    cells = f"{letter}2:{letter}{VALIDATED_ROWS + 1}"
    check = _validation(lists, position, field)
    if check is not None:
        # Excel drops a check (and "repairs" the file) whose title passes 32 characters or message 255.
        title, message = field.column[:EXCEL_TITLE_CHARS], field.accepted[:EXCEL_MESSAGE_CHARS]
        check.error, check.errorTitle, check.prompt, check.promptTitle = message, title, message, title
        check.showErrorMessage = check.showInputMessage = True
        records.add_data_validation(check)
        check.add(cells)
    if field.type in ("text", "month", "code"):
        for (cell,) in records.iter_rows(min_row=2, max_row=VALIDATED_ROWS + 1, min_col=position, max_col=position):
            cell.number_format = TEXT_FORMAT
    elif field.type == "date":
        for (cell,) in records.iter_rows(min_row=2, max_row=VALIDATED_ROWS + 1, min_col=position, max_col=position):
            cell.number_format = "yyyy-mm-dd"


def _validation(lists: Worksheet, position: int, field: DatasetField) -> DataValidation | None:
    if field.type in ("code", "yes_no"):
        values = field.allowed if field.type == "code" else YES_NO
        letter = get_column_letter(position)
        lists.cell(row=1, column=position, value=field.column)
        for row, value in enumerate(values or [], start=2):
            lists.cell(row=row, column=position, value=value)
        # From a sheet, not inline: an inline list is capped at 255 characters.
        source = f"{quote_sheetname(lists.title)}!${letter}$2:${letter}${len(values or []) + 1}"
        return DataValidation(type="list", formula1=source, allow_blank=True)
    if field.type == "whole_number":
        return DataValidation(type="whole", operator="between", formula1=str(field.minimum or 0),
                              formula2=str(field.maximum if field.maximum is not None else 2_147_483_647),
                              allow_blank=True)
    if field.type == "date":
        return DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
    if field.max_length is not None:
        return DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(field.max_length),
                              allow_blank=True)
    return None


def _named_by(columns: list[str]) -> str:
    if len(columns) == 1:
        return f"A record is named by {columns[0]}: sending the same {columns[0]} again revises it."
    return (f"A record is named by {', '.join(columns[:-1])} and {columns[-1]} together: sending the same "
            "values of all of them again revises it.")


def _guidance(sheet: Worksheet, dataset: DatasetRead) -> None:
    sheet.append([f"{dataset.name}: fill in the 'records' sheet, one record a row, and submit the file as it is."])
    sheet.append([f"{_named_by(dataset.key_columns)} Every row is checked; the file is stored whole or not at all."])
    sheet.append(["An empty cell means not returned. An optional column deleted from the sheet leaves that item of "
                  "records already stored as it is; a required column must stay."])
    sheet.append([])
    sheet.append(["column", "required", "what a cell may hold", "meaning"])
    for cell in sheet[5]:
        cell.font = Font(bold=True)
    for field in dataset.fields:
        sheet.append([field.column, "yes" if field.required else "no", field.accepted, field.description or ""])
    sheet.append([])
    sheet.append(["Checks across columns"])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    for rule in dataset.rules:
        sheet.append([rule])
    for letter, width in zip("ABCD", (34, 10, 60, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=6):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
