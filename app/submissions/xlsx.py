"""An .xlsx's first sheet, read as it inflates: rows one at a time, with work and memory bounded by the upload.

A workbook is a zip of XML. Each part is fed to expat a chunk at a time, so nothing holds a whole
part, an element tree, or any row but the last few; the shared strings are kept as one UTF-8 buffer.
Only what the values need is read: the first sheet, its shared strings, and which cell styles are dates.
"""

import posixpath
import zipfile
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, Any
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

from app.core.errors import ApiError, validation_failed
from app.core.limits import MAX_CELL_CHARS, MAX_COLUMNS, XLSX_ELEMENTS_PER_BYTE, ReadLimits
from app.submissions.rows import too_many_rows

CHUNK = 64 * 1024
EXCEL_COLUMNS = 16_384     # XFD: no sheet Excel writes has a cell past it
EXCEL_STYLES = 65_536      # Excel allows about 64,000 cell formats
REL_TYPES = ("officeDocument", "worksheet", "sharedStrings", "styles")
DIGITS = "0123456789"


class NotAWorkbook(Exception):
    pass


class TooLong:
    """A text past MAX_CELL_CHARS, kept only as its length."""

    def __init__(self, length: int) -> None:
        self.length = length


def _refuse_dtd(*_: Any) -> None:
    # No part of a workbook has a DTD; one could declare entities that expand without end.
    raise NotAWorkbook("a document type declaration")


def _chunks(member: IO[bytes], start: Callable, end: Callable | None = None,
            text: Callable | None = None) -> Iterator[None]:
    """Feed one part to expat a chunk at a time, pausing after each; handlers get names with their
    namespace (see local_name)."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        for chunk in iter(lambda: member.read(CHUNK), b""):
            parser.Parse(chunk, False)
            yield
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise NotAWorkbook(str(exc)) from None
    yield


def _read(archive: zipfile.ZipFile, path: str, start: Callable, end: Callable | None = None,
          text: Callable | None = None) -> None:
    with archive.open(path) as member:
        for _ in _chunks(member, start, end, text):
            pass


class _Text:
    """Collects the text of the element being read, keeping no more than a cell may hold."""

    collecting = False
    parts: list[str]
    length = 0

    def text(self, data: str) -> None:
        if self.collecting:
            self.length += len(data)
            if self.length <= MAX_CELL_CHARS:
                self.parts.append(data)


class SharedStrings(_Text):
    """The workbook's shared strings as one UTF-8 buffer and their end offsets: about a byte a character."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.ends = array("Q")
        self.too_long: dict[int, int] = {}
        self.parts: list[str] = []
        self.length = 0
        self.depth = 0          # inside <si>; <t> counts only outside phonetic runs (<rPh>)
        self.collecting = False

    def start(self, name: str, _: dict) -> None:
        name = local_name(name)
        if name == "si":
            self.parts, self.length = [], 0
        elif name == "t" and self.depth == 0:
            self.collecting = True
        elif name == "rPh":
            self.depth += 1

    def end(self, name: str) -> None:
        name = local_name(name)
        if name == "t":
            self.collecting = False
        elif name == "rPh":
            self.depth -= 1
        elif name == "si":
            if self.length > MAX_CELL_CHARS:
                self.too_long[len(self.ends)] = self.length
            else:
                self.buffer += "".join(self.parts).encode()
            self.ends.append(len(self.buffer))

    def __getitem__(self, index: int) -> str | TooLong:
        if index in self.too_long:
            return TooLong(self.too_long[index])
        start = self.ends[index - 1] if index else 0
        return self.buffer[start:self.ends[index]].decode()


@dataclass
class Styles:
    """Which cell styles show a number as a date (or a duration)."""

    custom: dict[int, str] = field(default_factory=dict)
    formats: list[int] = field(default_factory=list)
    in_cell_xfs: bool = False

    def start(self, name: str, attrs: dict) -> None:
        name = local_name(name)
        if name == "numFmt" and len(self.custom) < EXCEL_STYLES:
            self.custom[int(attrs.get("numFmtId", 0))] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            self.in_cell_xfs = True
        elif name == "xf" and self.in_cell_xfs:
            if len(self.formats) >= EXCEL_STYLES:
                raise NotAWorkbook("more cell styles than Excel allows")
            self.formats.append(int(attrs.get("numFmtId", 0)))

    def end(self, name: str) -> None:
        if local_name(name) == "cellXfs":
            self.in_cell_xfs = False

    def dates(self) -> tuple[set[str], set[str]]:
        """The styles (as a cell's `s` names them) that show dates, and those that show durations."""
        codes = [self.custom.get(number, BUILTIN_FORMATS.get(number, "General")) for number in self.formats]
        return ({str(i) for i, code in enumerate(codes) if is_date_format(code)},
                {str(i) for i, code in enumerate(codes) if is_timedelta_format(code)})


@lru_cache(maxsize=1024)
def local_name(qualified: str) -> str:
    """"row" for "http://schemas.openxmlformats.org/spreadsheetml/2006/main}row"."""
    return qualified.rpartition("}")[2]


@lru_cache(maxsize=EXCEL_COLUMNS)
def column_number(letters: str) -> int:
    """1 for "A", 28 for "AB"."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter.upper()) - 64
    return number


class Budget:
    """The rows and cells a sheet may have: no more rows than a submission may, and no more rows and
    cells together than a few for each byte uploaded, so that reading costs what the upload is worth."""

    def __init__(self, limits: ReadLimits, upload_size: int) -> None:
        self.allowed = limits.elements_allowed(upload_size)
        self.upload_size, self.max_rows = upload_size, limits.max_rows

    def refuse(self) -> None:
        raise ApiError(413, f"The sheet has more than {self.allowed:,} rows and cells, the most a "
                            f"{self.upload_size:,}-byte workbook may hold ({XLSX_ELEMENTS_PER_BYTE} for each byte). "
                            "Delete the empty rows and columns below and beside the data, or send it as CSV. "
                            "Nothing was stored.")


@dataclass
class SheetRow:
    number: int
    cells: list[Any]          # the values up to the header's width, None where empty
    beyond: int = 0           # the first column past that width that has a value, if any
    size: int = 0             # characters of text read


class Sheet(_Text):
    """The sheet's rows that hold anything, gathered a chunk of XML at a time. Blank rows and empty cells
    are counted and let go: they cost two calls each, and may be most of a hostile sheet."""

    def __init__(self, shared: SharedStrings, styles: tuple[set[str], set[str]], epoch: Any, budget: "Budget") -> None:
        self.shared, (self.dates, self.durations), self.epoch, self.budget = shared, styles, epoch, budget
        # The first row is read up to one column past the most a header may name, to see that it names
        # too many; the rows after it only as wide as it is.
        self.width, self.first = MAX_COLUMNS + 1, True
        self.done: list[SheetRow] = []
        self.number = self.column = self.in_row = self.beyond = self.size = 0
        self.cells: list[Any] = []
        self.kind, self.style, self.parts, self.length, self.collecting = "n", None, [], 0, False
        self.phonetic = False
        self.left, self.last_row = budget.allowed, budget.max_rows + 1   # the header is row 1

    def start(self, name: str, attrs: dict) -> None:
        # Called for every element of the sheet: kept to a few attribute reads on the common path.
        tag = local_name(name)
        if tag == "c":
            self.left -= 1
            self.in_row += 1
            reference = attrs.get("r")
            column = column_number(reference.rstrip(DIGITS)) if reference else self.column + 1
            if self.left < 0 or column > EXCEL_COLUMNS or self.in_row > EXCEL_COLUMNS:
                self._refuse(column)
            self.column, self.kind, self.style, self.length = column, attrs.get("t", "n"), attrs.get("s"), 0
            self.parts, self.phonetic = [], False
        elif tag == "v":
            self.collecting = True
        elif tag == "t":
            # An inline string's text is every run's <t> together ("ORD" in bold, then "-001"); a phonetic
            # reading (<rPh>) is not part of it.
            self.collecting = not self.phonetic
        elif tag == "rPh":
            self.phonetic = True
        elif tag == "row":
            self.left -= 1
            reference = attrs.get("r")
            number = int(reference) if reference and reference.isdigit() else self.number + 1
            if self.left < 0 or number <= self.number or number > self.last_row:
                self._refuse(0, number)
            self.number, self.cells, self.column, self.in_row, self.beyond, self.size = number, [], 0, 0, 0, 0

    def _refuse(self, column: int, row: int = 0) -> None:
        if self.left < 0:
            self.budget.refuse()
        if row and row <= self.number:
            raise NotAWorkbook(f"row {row} comes after row {self.number}")
        if row:
            raise too_many_rows(self.last_row - 1)
        raise NotAWorkbook(f"a cell past column {EXCEL_COLUMNS} on row {self.number}")

    def end(self, name: str) -> None:
        tag = local_name(name)
        if tag == "c":
            if self.length or self.kind == "inlineStr":   # else an empty cell: nothing to place
                self._place(self._value())
        elif tag == "v" or tag == "t":
            self.collecting = False
        elif tag == "rPh":
            self.phonetic = False
        elif tag == "row":
            if self.first:
                self.first, self.width = False, len(self.cells)
            elif not (self.cells or self.beyond):
                return
            self.done.append(SheetRow(self.number, self.cells, self.beyond, self.size))

    def _value(self) -> Any:
        if self.length > MAX_CELL_CHARS:
            return TooLong(self.length)
        text, kind = "".join(self.parts), self.kind
        if kind == "s":
            try:
                return self.shared[int(text)]
            except (ValueError, IndexError):
                raise NotAWorkbook(f"a cell names shared string {text!r}, which is not there") from None
        if kind in ("inlineStr", "str", "e"):
            return text
        if kind == "b":
            return text == "1"
        try:
            if kind == "d":
                return from_ISO8601(text)
            number = float(text) if "." in text or "e" in text or "E" in text else int(text)
            if self.style in self.dates:
                return from_excel(number, self.epoch, timedelta=self.style in self.durations)
        except (ValueError, OverflowError):
            return text     # left for validation to reject, in the user's own words
        return number

    def _place(self, value: Any) -> None:
        if isinstance(value, str) and not value.strip():
            return
        self.size += self.length
        if self.column > self.width:
            self.beyond = self.beyond or self.column
            return
        if len(self.cells) < self.column:
            self.cells.extend([None] * (self.column - len(self.cells)))
        self.cells[self.column - 1] = value


@dataclass
class Parts:
    sheet: str
    shared_strings: str | None
    styles: str | None
    epoch: Any


def _relationships(archive: zipfile.ZipFile, source: str) -> dict[str, tuple[str, str]]:
    """The relationships of one part that this reader follows: Id -> (type, target path)."""
    folder, base = posixpath.split(source)
    found: dict[str, tuple[str, str]] = {}

    def start(name: str, attrs: dict) -> None:
        name = local_name(name)
        kind = attrs.get("Type", "").rpartition("/")[2]
        if name == "Relationship" and kind in REL_TYPES and len(found) < EXCEL_STYLES:
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[attrs.get("Id", "")] = (kind, path)

    _read(archive, posixpath.join(folder, "_rels", base + ".rels"), start)
    return found


def _parts(archive: zipfile.ZipFile) -> Parts:
    workbook = next((path for kind, path in _relationships(archive, "").values() if kind == "officeDocument"),
                    "xl/workbook.xml")
    first: dict[str, str] = {}

    def start(name: str, attrs: dict) -> None:
        name = local_name(name)
        if name == "sheet" and "id" not in first:
            first["id"] = next((v for k, v in attrs.items() if k.endswith("}id")), "")
        elif name == "workbookPr" and attrs.get("date1904", "0").lower() in ("1", "true"):
            first["1904"] = "yes"

    _read(archive, workbook, start)
    related = _relationships(archive, workbook)
    if first.get("id") not in related:
        raise NotAWorkbook("no first sheet")
    by_kind = {kind: path for kind, path in related.values()}
    return Parts(related[first["id"]][1], by_kind.get("sharedStrings"), by_kind.get("styles"),
                 CALENDAR_MAC_1904 if "1904" in first else CALENDAR_WINDOWS_1900)


def _open(file: IO[bytes], limits: ReadLimits) -> tuple[zipfile.ZipFile, int]:
    size = file.seek(0, 2)
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
        inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise validation_failed([], "The body is not an .xlsx workbook; nothing was stored.") from None
    # zipfile never inflates a member past the size its directory declares, so checking those is enough.
    allowed = limits.inflation_allowed(size)
    if inflated > allowed:
        raise ApiError(413, f"The workbook would inflate to {inflated:,} bytes, more than the {allowed:,} allowed "
                            f"for a {size:,}-byte upload (at most {limits.max_inflated:,}, and 100 times the upload). "
                            "Save it again from Excel, or send it as CSV. Nothing was stored.")
    return archive, size


def sheet_rows(file: IO[bytes], limits: ReadLimits) -> Iterator[SheetRow]:
    """Every <row> element of the first sheet in order, blank ones too."""
    archive, size = _open(file, limits)
    try:
        parts = _parts(archive)
        shared, styles = SharedStrings(), Styles()
        for path, reader in ((parts.shared_strings, shared), (parts.styles, styles)):
            if path is not None and path in archive.NameToInfo:
                _read(archive, path, reader.start, reader.end, getattr(reader, "text", None))
        yield from _sheet(archive, parts, shared, styles, Budget(limits, size))
    except (NotAWorkbook, KeyError, ValueError, zipfile.BadZipFile):
        raise validation_failed([], "The body is not an .xlsx workbook Excel could open; nothing was stored.") from None


def _sheet(archive: zipfile.ZipFile, parts: Parts, shared: SharedStrings, styles: Styles,
           budget: Budget) -> Iterator[SheetRow]:
    sheet = Sheet(shared, styles.dates(), parts.epoch, budget)
    with archive.open(parts.sheet) as member:
        for _ in _chunks(member, sheet.start, sheet.end, sheet.text):
            yield from sheet.done
            sheet.done.clear()
