"""Turning an uploaded CSV, XLSX or JSON body into records with row numbers a user can find."""

import codecs
import csv
import itertools
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from pydantic import BaseModel

from app.core import messages
from app.core.errors import ApiError, FieldError, validation_failed
from app.core.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_HEADER_CHARS, MAX_ROW_BYTES, ReadLimits
from app.core.separators import separator_of
from app.submissions.json_records import json_rows
from app.submissions.merging import header_patch
from app.submissions.rows import Row, too_many_rows
from app.submissions.xlsx import TooLong, sheet_rows

CSV_TYPES = {"text/csv", "application/csv", "text/plain"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON_TYPE = "application/json"

INTEGER = re.compile(r"^[+-]?\d+$")
# Thousands separated by commas, as spreadsheets show them: "1,502" can only be 1502.
GROUPED_INTEGER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")
TRUE_WORDS, FALSE_WORDS = {"true", "yes", "y", "1"}, {"false", "no", "n", "0"}
CODE_GAPS = re.compile(r"[\s-]+")


@dataclass
class Columns:
    kinds: dict[str, str] = field(default_factory=dict)      # flat column name -> int|bool|date|code|capital_code|str
    map_prefixes: set[str] = field(default_factory=set)      # e.g. "domain_grades" takes "domain_grades.x"
    map_kinds: dict[str, str] = field(default_factory=dict)  # the kind of a prefix's values
    map_keys: dict[str, frozenset[str]] = field(default_factory=dict)  # the x a prefix may take, where known
    required: set[str] = field(default_factory=set)

    def names(self) -> list[str]:
        mapped = [f"{prefix}.{key}" for prefix in sorted(self.map_prefixes)
                  for key in sorted(self.map_keys.get(prefix, {"<code>"}))]
        return sorted(self.kinds) + mapped

    def kind_of(self, column: str) -> str | None:
        if column in self.kinds:
            return self.kinds[column]
        prefix, _, rest = column.partition(".")
        if prefix not in self.map_prefixes or not rest:
            return None
        known = self.map_keys.get(prefix)
        return self.map_kinds.get(prefix, "str") if known is None or rest in known else None


def detect_format(content_type: str | None) -> str:
    media = (content_type or "").split(";")[0].strip().lower()
    if media in CSV_TYPES:
        return "csv"
    if media == XLSX_TYPE:
        return "xlsx"
    if media == JSON_TYPE:
        return "json"
    raise ApiError(415, f"Send text/csv, {XLSX_TYPE} or application/json (got {media or 'no Content-Type'}).",
                   headers={"Accept-Post": f"text/csv, {XLSX_TYPE}, application/json"})


def _base_kind(annotation: Any) -> tuple[str, Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _base_kind(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _base_kind(options[0])
    if origin is dict:
        return "map", _base_kind(typing.get_args(annotation)[1])[0]
    if origin is typing.Literal:
        # The 903's codes (N1 to N8) are capitals where the service's own are lower case; a file may write either
        # in any case, as the catalogue says.
        return ("capital_code" if all(str(a).isupper() for a in typing.get_args(annotation)) else "code"), None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    if annotation is bool:
        return "bool", None
    if annotation is int:
        return "int", None
    if annotation is date:
        return "date", None
    return "str", None


def columns_of(schema: type[BaseModel], map_keys: dict[str, frozenset[str]] | None = None) -> Columns:
    columns = Columns(map_keys=dict(map_keys or {}))
    for name, info in schema.model_fields.items():
        kind, nested = _base_kind(info.annotation)
        if kind == "model":
            for sub_name, sub_info in nested.model_fields.items():
                columns.kinds[f"{name}.{sub_name}"] = _base_kind(sub_info.annotation)[0]
        elif kind == "map":
            columns.map_prefixes.add(name)
            columns.map_kinds[name] = nested
        else:
            columns.kinds[name] = kind
            if info.is_required():
                columns.required.add(name)
    return columns


def coerce_cell(kind: str, value: Any) -> Any:
    """Spreadsheet text to the JSON value it stands for; anything unclear is left for validation to reject
    (and to word: app/core/messages.py). Dates are read by the date type itself, as JSON's are."""
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
        if kind == "capital_code":
            return value.upper()
        if kind == "code":
            # Codes are lower case with '_': "Good" and "Requires improvement" can only mean one code each.
            lowered = value.lower()
            return lowered if " " not in lowered and "-" not in lowered else CODE_GAPS.sub("_", lowered)
        if kind == "int" and (INTEGER.match(value) or GROUPED_INTEGER.match(value)):
            return int(value.replace(",", ""))
        if kind == "bool" and value.lower() in TRUE_WORDS | FALSE_WORDS:
            return value.lower() in TRUE_WORDS
        return value
    if isinstance(value, float) and kind == "int" and value.is_integer():
        return int(value)
    if kind == "bool" and type(value) in (int, float) and value in (0, 1):
        return bool(value)
    if isinstance(value, datetime) and kind == "date":
        return value.date()
    return value


def too_many_columns(count: int | str, columns: Columns) -> ApiError:
    count = f"{count:,}" if isinstance(count, int) else count
    return validation_failed(
        [FieldError(loc=["header"], row=1, field=None, message=f"the header names {count} columns")],
        f"The header row names {count} columns, more than the {MAX_COLUMNS} a submission may have (this dataset "
        f"has {len(columns.names())}); delete the columns it does not take. Nothing was stored.")


def check_header(header: list[Any], columns: Columns) -> list[str]:
    names = ["" if cell is None else str(cell).strip() for cell in header]
    while names and names[-1] == "":
        names.pop()
    errors: list[FieldError] = []
    unknown: list[str] = []

    def problem(column: str, message: str, position: int | None = None) -> None:
        where: list[str | int] = ["header", position if position is not None else column]
        errors.append(FieldError(loc=where, row=1, field=column or None, message=message))

    if not names:
        raise validation_failed([FieldError(loc=["header"], row=1, field=None,
                                            message="The file is empty: the first row must name the columns.")],
                                "The file has no header row; nothing was stored.")
    if len(names) > MAX_COLUMNS:
        raise too_many_columns(len(names), columns)
    first_at: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if len(name) > MAX_HEADER_CHARS:
            problem(name[:MAX_HEADER_CHARS] + "...", messages.column_name_too_long(position, len(name), MAX_HEADER_CHARS),
                    position)
        elif name == "":
            problem(name, messages.unnamed_column(position), position)
        elif name in first_at:
            problem(name, messages.repeated_column(name, first_at[name], position))
        elif columns.kind_of(name) is None:
            unknown.append(name)
        first_at.setdefault(name, position)
    for missing in sorted(columns.required - set(names)):
        problem(missing, messages.missing_column(missing))
    if errors:
        errors += [error for row in unknown_columns(unknown, columns) if (error := row.as_error())]
        raise validation_failed(errors, "The header row is not right for this dataset; nothing was stored.")
    return names


def unknown_columns(unknown: list[str], columns: Columns) -> list[Row]:
    """Unknown columns as faults of row 1. Where the header has no other fault they are reported with the
    rows' faults, the rows being checked without them, so one response lists everything to put right."""
    return [Row(1, {}, ("header", name), problem=messages.unknown_column(name, columns.names()), field=name)
            for name in unknown]


def _known(names: list[str], columns: Columns) -> list[str]:
    """The columns a row is read from: an unknown one is reported once, not merged into every row."""
    return [name for name in names if columns.kind_of(name) is not None]


def _unknown_in(names: list[str], columns: Columns) -> list[Row]:
    return unknown_columns([name for name in dict.fromkeys(names) if columns.kind_of(name) is None], columns)


@dataclass(frozen=True)
class Cell:
    """Where a column's cell goes in the nested record, and how its text is read."""

    position: int
    kind: str
    name: str
    child: str | None   # `moderation.result` goes to values["moderation"]["result"]


def cells_of(names: list[str], columns: Columns) -> list[Cell]:
    """Worked out once per file from its header, so reading a row only places and coerces its cells."""
    found = []
    for position, column in enumerate(names):
        name, _, child = column.partition(".")
        if (kind := columns.kind_of(column)) is not None:  # an unknown column is reported once, not per row
            found.append(Cell(position, kind, name, child or None))
    return found


def nest(cells: list[Any], layout: list[Cell]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    width = len(cells)
    for cell in layout:
        if cell.position >= width:
            break
        value = cells[cell.position]
        # Most cells are text read as text: they skip coerce_cell, which costs a call per cell.
        value = value.strip() or None if cell.kind == "str" and type(value) is str else coerce_cell(cell.kind, value)
        if value is None:
            continue
        if cell.child is None:
            values[cell.name] = value
        else:
            values.setdefault(cell.name, {})[cell.child] = value
    return values


def _text_lines(file: IO[bytes]) -> Iterator[str]:
    """The file's lines as text, one at a time, so the whole file is never decoded at once."""
    offset = 0
    for number, raw in enumerate(iter(lambda: file.readline(MAX_ROW_BYTES + 1), b""), start=1):
        if len(raw) > MAX_ROW_BYTES:
            raise validation_failed([FieldError(loc=["row", number], row=number, field=None,
                                                message=f"line {number} is longer than {MAX_ROW_BYTES:,} bytes")],
                                    f"Line {number} is longer than {MAX_ROW_BYTES:,} bytes, the most one row may take; "
                                    "nothing was stored.")
        start = 3 if number == 1 and raw.startswith(codecs.BOM_UTF8) else 0
        try:
            line = raw[start:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise validation_failed([FieldError(loc=["row", number], row=number, field=None,
                                                message=f"byte {offset + start + exc.start} is not UTF-8")],
                                    "The file is not UTF-8 text. In Excel, save as 'CSV UTF-8 (Comma delimited)'; "
                                    "nothing was stored.") from None
        if "\x00" in line:
            raise validation_failed([], "The file contains NUL bytes: it is not a CSV text file; nothing was stored.")
        offset += len(raw)
        yield line


def _shape_problem(cells: list[Any], width: int, beyond: int = 0) -> str | None:
    """What makes a row unreadable before its fields are: values past the header, or an overlong cell."""
    if beyond:
        return messages.value_beyond_header(beyond, width)
    if len(cells) > width and any(isinstance(c, str) and c.strip() for c in cells[width:]):
        return messages.cells_beyond_header(len(cells), width)
    for position, cell in enumerate(cells[:width], start=1):
        length = cell.length if isinstance(cell, TooLong) else len(cell) if isinstance(cell, str) else 0
        if length > MAX_CELL_CHARS:
            return f"the cell in column {position} holds {length:,} characters; a cell may hold at most {MAX_CELL_CHARS:,}"
    return None


def csv_rows(file: IO[bytes], columns: Columns, limits: ReadLimits) -> Iterator[Row]:
    lines = _text_lines(file)
    first = next(lines, "")
    reader = csv.reader(itertools.chain([first], lines), delimiter=separator_of(first))
    try:
        names = check_header(next(reader, []), columns)
        layout, patch = cells_of(names, columns), header_patch(_known(names, columns))
        yield from _unknown_in(names, columns)
        for number, cells in enumerate(reader, start=2):
            if number > limits.max_rows + 1:
                raise too_many_rows(limits.max_rows)
            size = sum(map(len, cells))
            if (len(cells) > len(names) or size > MAX_CELL_CHARS) and (problem := _shape_problem(cells, len(names))):
                yield Row(number, {}, ("row", number), problem=problem)
                continue
            values = nest(cells, layout)
            if values:  # else every cell is blank: a spacer row, skipped
                yield Row(number, values, ("row", number), size=size, header=patch)
    except csv.Error as exc:
        raise validation_failed([], f"The CSV cannot be read near line {reader.line_num}: {exc}; "
                                    "nothing was stored.") from None


def xlsx_rows(file: IO[bytes], columns: Columns, limits: ReadLimits) -> Iterator[Row]:
    rows = sheet_rows(file, limits)
    first = next(rows, None)
    header = first.cells if first is not None and first.number == 1 else []
    if first is not None and first.beyond:
        raise too_many_columns(f"more than {MAX_COLUMNS}", columns)
    if any(isinstance(cell, TooLong) for cell in header):
        raise validation_failed([], f"A header cell is longer than {MAX_CELL_CHARS:,} characters; nothing was stored.")
    names = check_header(header, columns)   # refuses an empty first row: the header must be row 1
    layout, patch = cells_of(names, columns), header_patch(_known(names, columns))
    yield from _unknown_in(names, columns)
    for row in rows:
        if problem := _shape_problem(row.cells, len(names), row.beyond):
            yield Row(row.number, {}, ("row", row.number), problem=problem)
        elif values := nest(row.cells, layout):  # else every cell is blank: skipped
            yield Row(row.number, values, ("row", row.number), size=row.size, header=patch)


def _is_blank(file: IO[bytes]) -> bool:
    for chunk in iter(lambda: file.read(64 * 1024), b""):
        if chunk.strip():
            file.seek(0)
            return False
    return True


def parse(file: IO[bytes], file_format: str, record_schema: type[BaseModel],
          map_keys: dict[str, frozenset[str]] | None = None, limits: ReadLimits | None = None) -> Iterator[Row]:
    """Rows one at a time from a seekable file positioned at its start; refused as soon as a limit is passed."""
    limits = limits or ReadLimits()
    if _is_blank(file):
        raise validation_failed([], "The body is empty; nothing was stored.")
    if file_format == "json":
        return json_rows(file, limits)
    columns = columns_of(record_schema, map_keys)
    if file_format == "csv":
        return csv_rows(file, columns, limits)
    return xlsx_rows(file, columns, limits)
