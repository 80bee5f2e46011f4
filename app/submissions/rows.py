"""A row as every format's reader hands it on, and the refusal all of them share."""

from dataclasses import dataclass
from typing import Any

from app.core.errors import ApiError, FieldError


@dataclass
class Row:
    number: int                      # as the user sees it: header is row 1 in a file
    values: dict[str, Any]           # nested like the JSON form, ready for the record schema
    loc_prefix: tuple[str | int, ...]
    problem: str | None = None       # a fault of the row's shape, found before any field is read
    size: int = 0                    # characters read for it, so a batch is bounded in memory as well as rows
    # A CSV or XLSX file's columns, each null (merging.header_patch): a stored record's items the file
    # has no column for keep their values. None for a JSON record, whose absent keys do the same.
    header: dict[str, Any] | None = None
    field: str | None = None         # the column the problem is in, where it is one

    def as_error(self) -> FieldError | None:
        return None if self.problem is None else FieldError(loc=list(self.loc_prefix), row=self.number,
                                                            field=self.field, message=self.problem)


def too_many_rows(max_rows: int) -> ApiError:
    return ApiError(413, f"More than {max_rows:,} rows in one submission (blank rows count too); split the file. "
                         "Nothing was stored.")
