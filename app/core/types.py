"""Input types shared by every schema."""

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from app.core import messages
from app.core.patterns import MONTH_PATTERN, TEXT_PATTERN

__all__ = ["TEXT_PATTERN", "IsoDate", "calendar_date", "Moment", "Month", "WholeNumber", "bounded_whole_number"]

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}:?\d{2})?$")


def calendar_date(value: Any) -> Any:
    # Pydantic alone would read 0 or "1617148800" as a Unix time, and "2021-03-31T00:00" as a
    # date; a return that says either is far likelier a mistake than a date, so only a
    # calendar date is taken: YYYY-MM-DD, or DD/MM/YYYY as UK spreadsheets write it (day first: a UK
    # return never means month first).
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if match := ISO_DATE.match(text):
            year, month, day = (int(g) for g in match.groups())
        elif match := UK_DATE.match(text):
            day, month, year = (int(g) for g in match.groups())
        else:
            raise ValueError(messages.not_a_date(value))
        try:
            return date(year, month, day)
        except ValueError:
            raise ValueError(messages.not_a_real_date(text, year, month)) from None
    raise ValueError(messages.not_a_date(value))


IsoDate = Annotated[date, BeforeValidator(calendar_date)]


def _whole_number(value: Any) -> Any:
    # JSON Schema counts 12.0 as an integer, so it is taken; true, "12" and 12.5 are not numbers of things.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(messages.not_a_whole_number(value))
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(messages.not_a_whole_number(value))
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


MONTH_WORDS = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")
MONTHS_BY_NAME = {name.lower()[:length]: number for number, name in enumerate(messages.MONTH_NAMES, start=1)
                  for length in (3, len(name))} | {"sept": 9}


def _month(value: Any) -> Any:
    # "April 2021" and "Apr 2021" can only mean 2021-04; Excel turns a typed "Apr 2021" into 1 April 2021.
    if isinstance(value, datetime | date) and value.day == 1:
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, str) and (match := MONTH_WORDS.match(value.strip())):
        number = MONTHS_BY_NAME.get(match.group(1).lower())
        if number is not None:
            return f"{match.group(2)}-{number:02d}"
    if isinstance(value, str):
        return value.strip()
    raise ValueError(messages.not_a_month(value))


# A month, stored as YYYY-MM.
Month = Annotated[str, Field(pattern=MONTH_PATTERN, description="YYYY-MM"), BeforeValidator(_month)]
