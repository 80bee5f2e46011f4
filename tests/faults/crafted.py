"""Hostile request bodies, made small to send and large to read: each stands for one way a body
could make the server do far more work than its size suggests."""

import io
import os
import zipfile
from collections.abc import Iterable

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PROGRAMME_HEADER = ["month", "planned", "exempted", "returned"]
MB = 1024 * 1024

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def _header_row(names: list[str]) -> bytes:
    cells = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{name}</t></is></c>' for i, name in enumerate(names))
    return f'<row r="1">{cells}</row>'.encode()


def _repeat(piece: bytes, total: int) -> Iterable[bytes]:
    """`total` bytes of `piece` over and over, a megabyte at a time, so the generator itself stays small."""
    block = piece * max(MB // len(piece), 1)
    for _ in range(total // len(block)):
        yield block
    yield piece * ((total % len(block)) // len(piece))


def workbook(sheet_body: Iterable[bytes], shared_strings: Iterable[bytes] = (b"",)) -> bytes:
    """A minimal .xlsx whose first sheet's <sheetData> and whose shared strings are the given bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", PACKAGE_RELS),
                           ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)):
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>'.encode())
            for chunk in sheet_body:
                member.write(chunk)
            member.write(b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}">'.encode())
            for chunk in shared_strings:
                member.write(chunk)
            member.write(b"</sst>")
    return buffer.getvalue()


def xlsx_of_blank_rows(inflated: int = 100 * MB) -> bytes:
    """A header, then `inflated` bytes of empty <row/> elements."""
    return workbook([_header_row(PROGRAMME_HEADER), *_repeat(b"<row/>", inflated)])


def xlsx_of_empty_cells(inflated: int, per_row: int = 10) -> bytes:
    """A header, then rows of empty <c/> elements: nothing to store, everything to read."""
    return workbook([_header_row(PROGRAMME_HEADER), *_repeat(b"<row>" + b"<c/>" * per_row + b"</row>", inflated)])


def padded(workbook_body: bytes, size: int) -> bytes:
    """The workbook with `size` random bytes stored beside it: an upload large enough that what the rest
    inflates to passes the check on inflation, so that what comes after it is what is tested."""
    buffer = io.BytesIO(workbook_body)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("padding.bin", os.urandom(size), zipfile.ZIP_STORED)
    return buffer.getvalue()


def xlsx_with_a_long_shared_string(length: int = 1024 * MB) -> bytes:
    """A header, and one row whose first cell is a shared string `length` characters long."""
    row = b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return workbook([_header_row(PROGRAMME_HEADER), row], [b"<si><t>", *_repeat(b"a", length), b"</t></si>"])


def json_of_empty_records(size: int = 189 * MB) -> bytes:
    return b'{"records": [' + b"{}," * (size // 3) + b"{}]}"


def csv_of_wide_header(columns: int = 100_000) -> bytes:
    return (",".join(f"c{i}" for i in range(columns)) + "\n" + "," * (columns - 1) + "\n").encode()


def nested_json(depth: int = 1000, key: str = "records") -> bytes:
    """An object whose `key` holds arrays nested `depth` deep (about 2 bytes a level)."""
    return b'{"' + key.encode() + b'": ' + b"[" * depth + b"]" * depth + b"}"
