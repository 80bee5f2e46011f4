"""A pack in the format asked for: JSON, a tidy CSV, an XLSX workbook or a printable HTML page."""

import csv
import io
from typing import Any

from fastapi.responses import Response

from app.access.reader import Reader
from app.packs.render.tables import measures
from app.packs.schemas import PackBase
from app.packs.spec import PackSpec

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet runs a cell that starts with one of these as a formula; a leading apostrophe keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def filename(pack: PackBase, extension: str) -> str:
    return f"{pack.pack}_{pack.area.code}_{pack.date_from}_{pack.date_to}.{extension}"


def to_csv(spec: PackSpec, pack: PackBase) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["pack", "section", "period", "code", "name", "measure", "value", "suppressed"])
    for m in measures(spec, pack):
        writer.writerow([pack.pack, m.section, m.period, neutralised(m.code), neutralised(m.name), m.measure,
                         "" if m.value is None else neutralised(m.value), "c" if m.suppressed else ""])
    return buffer.getvalue()


def render(spec: PackSpec, pack: PackBase, file_format: str, reader: Reader | None = None) -> Response:
    """`reader`: who the pack is for, so that its notes speak to them (None: told from the pack alone)."""
    if file_format == "csv":
        return Response(to_csv(spec, pack), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename(pack, "csv")}"'})
    if file_format == "xlsx":
        from app.packs.render.workbook import to_xlsx

        return Response(to_xlsx(spec, pack, reader), media_type=XLSX_MEDIA_TYPE,
                        headers={"Content-Disposition": f'attachment; filename="{filename(pack, "xlsx")}"'})
    if file_format == "html":
        from app.packs.render.page import CONTENT_SECURITY_POLICY, to_html

        return Response(to_html(spec, pack, reader), media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY})
    # Straight to JSON bytes in pydantic-core: a region's pack through dicts and the json module took
    # several times as long.
    return Response(pack.model_dump_json(by_alias=True), media_type="application/json")
