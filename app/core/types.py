"""Input types shared by every schema."""

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}:?\d{2})?$")
# Free text may hold any printable character but no control characters (PostgreSQL refuses NUL).
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


def _calendar_date(value: Any) -> Any:
    # Pydantic alone would read 0 or "1617148800" as a Unix time, and "2021-03-31T00:00" as a
    # date; a return that says either is far likelier a mistake than a date, so only a
    # calendar date (YYYY-MM-DD) is taken.
    if isinstance(value, date):
        return value
    if isinstance(value, str) and ISO_DATE.match(value):
        return value
    raise ValueError("expected a date as YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_calendar_date)]


def _whole_number(value: Any) -> Any:
    # JSON Schema counts 12.0 as an integer, so it is taken; true, "12" and 12.5 are not numbers of things.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a whole number")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("expected a whole number")
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole_number)]


def bounded_whole_number(ge: int, le: int) -> Any:
    """A whole number within bounds that OpenAPI states as minimum/maximum.

    Bounds placed after the check (`Annotated[WholeNumber, Field(ge=...)]`) cannot be expressed in JSON
    Schema, and pydantic then writes its own "ge"/"le" keys, which no client generator reads."""
    return Annotated[int, Field(ge=ge, le=le), BeforeValidator(_whole_number)]


def _iso_moment(value: Any) -> Any:
    # Pydantic alone reads 0, 0.5 or 2020 as seconds since 1970: `as_of=2020` meant the year, not 00:33 on
    # 1 January 1970. Only an ISO 8601 date or date and time is taken.
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and ISO_MOMENT.match(value):
        return value
    raise ValueError(f"{str(value)[:40]!r} is not a moment; use ISO 8601, e.g. 2026-11-30T10:00:00Z, or a date "
                     "such as 2026-11-30 (midnight); without an offset it is UTC")


def _in_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


# A moment in a query: ISO 8601 only, and without an offset taken as UTC (as every stored time is).
Moment = Annotated[datetime, BeforeValidator(_iso_moment), AfterValidator(_in_utc)]
