"""A pack as an .xlsx workbook: a sheet per table with headers and number formats, and a notes sheet."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.access.reader import Reader
from app.packs.render.page import disclosure_note
from app.packs.render.tables import tables
from app.packs.schemas import PackBase
from app.packs.spec import PackSpec

HEADER = Font(bold=True)
HIDDEN_FILL = PatternFill("solid", fgColor="EEEEEE")
HIDDEN_ALIGNMENT = Alignment(horizontal="right")
PARTIAL_FILL = PatternFill("solid", fgColor="FFF4E5")
PARTIAL_NOTE = ("Rows shaded orange are partial totals: fewer LAs returned than the area has (columns las_returned "
                "and las_expected).")


def _is_partial(columns: list[str], row: list) -> bool:
    values = dict(zip(columns, row, strict=True))
    returned, expected = values.get("las_returned"), values.get("las_expected")
    return isinstance(returned, int) and isinstance(expected, int) and returned < expected


def _number_format(column: str) -> str | None:
    last = column.rsplit(".", 1)[-1]
    if last.startswith(("pct_", "rate_", "return_rate")) or ".shares." in column or last.endswith("_rate"):
        return "0.0"
    return None


def to_xlsx(spec: PackSpec, pack: PackBase, reader: Reader | None = None) -> bytes:
    from app.packs.render import neutralised

    workbook = Workbook()
    notes = workbook.active
    notes.title = "Notes"
    for line in _notes(spec, pack, reader):
        notes.append([neutralised(line)])
    notes.column_dimensions["A"].width = 110
    notes["A1"].font = Font(bold=True, size=14)
    for table in tables(spec, pack):
        sheet = workbook.create_sheet(table.title[:31])
        sheet.append(table.columns)
        for cell in sheet[1]:
            cell.font = HEADER
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "D2"
        formats = [_number_format(c) for c in table.columns]
        # Numbered here: `sheet.max_row` looks at every cell written so far, and asked once a row it made England's
        # outcomes workbook (some 110,000 cells) take 30 s to write.
        for number, (row, hidden) in enumerate(zip(table.rows, table.hidden, strict=True), start=2):
            sheet.append(["c" if column in hidden else neutralised(value)
                          for column, value in zip(table.columns, row, strict=True)])
            partial = _is_partial(table.columns, row)
            for position, column in enumerate(table.columns, start=1):
                cell = sheet.cell(row=number, column=position)
                if partial and column not in hidden:
                    cell.fill = PARTIAL_FILL
                if column in hidden:
                    cell.fill = HIDDEN_FILL
                    cell.alignment = HIDDEN_ALIGNMENT
                elif formats[position - 1] and isinstance(cell.value, int | float):
                    cell.number_format = formats[position - 1]
                elif isinstance(cell.value, int):
                    cell.number_format = "#,##0"
        for position in range(1, len(table.columns) + 1):
            sheet.column_dimensions[get_column_letter(position)].width = 12 if position > 3 else (28 if position == 3 else 14)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _notes(spec: PackSpec, pack: PackBase, reader: Reader | None) -> list[str]:
    lines = [
        f"{pack.pack} pack: {pack.area.name} ({pack.area.code})",
        f"Period: {pack.date_from} to {pack.date_to}",
        f"Returns as of: {pack.as_of.isoformat() if pack.as_of else 'the latest version of every return'}",
        f"Generated: {pack.generated_at.isoformat()}",
        "",
        *(f"Suppression: {line}" if i == 0 else line for i, line in enumerate(disclosure_note(spec, pack, reader))),
    ]
    if pack.suppression.applied:
        lines.append("A suppressed figure's cell says \"c\" and is shaded grey. Zero is shown as zero.")
    lines += ["", "Percentages are rounded to one decimal place. An empty cell means the figure was not returned."]
    if spec.suppresses:
        lines.append(PARTIAL_NOTE)
    lines.append(f"Sources: {len(pack.sources)} returns; the JSON form of this pack lists each with its version.")
    return lines
