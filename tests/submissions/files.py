"""Building upload bodies the way LA analysts produce them."""

import io
from typing import Any

from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_body(header: list[str], rows: list[list[Any]]) -> bytes:
    lines = [",".join(header)] + [",".join("" if v is None else str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def xlsx_body(header: list[str], rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def submit_url(la: str, dataset: str, **query: str) -> str:
    extra = "".join(f"&{k}={v}" for k, v in query.items())
    return f"/api/v1/local-authorities/{la}/submissions?dataset={dataset}{extra}"
