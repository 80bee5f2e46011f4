"""Input types shared by every schema."""

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
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
