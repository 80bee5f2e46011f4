"""Every message an analyst reads about their data, in one place so the wording stays consistent.

A message says the value that was sent, what was expected and the forms that are accepted, so it can be
acted on without reading the API's schema. The datasets' rules word their findings here too, naming every
field a rule compares with the value it had (sum_more_than, before, ...).
"""

import calendar
import json
import re
from datetime import date
from typing import Any

from app.core.patterns import MONTH_PATTERN, REF_PATTERN, TEXT_PATTERN

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
DATE_FORMS = "YYYY-MM-DD or DD/MM/YYYY (day first)"
YES_NO_FORMS = "yes or no (in a file also Y/N, 1/0 or true/false; in JSON true or false)"
MONTH_FORMS = "YYYY-MM, e.g. 2021-04, or the month in words, e.g. April 2021 or Apr 2021"
# A field's own code as a person would type it in a file, e.g. "Requires improvement" for `requires_improvement`.
CODES_IN_FILES = " (in a file, in any case and with spaces for '_', e.g. {example})"
LOOKS_LIKE_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
SHOWN_CHARS = 40


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else words or word + 's'}"


def shown(value: Any) -> str:
    """The value as the analyst sent it: text in double quotes (cut short), numbers and yes/no as they are."""
    if isinstance(value, str):
        return json.dumps(value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "...", ensure_ascii=False)
    if isinstance(value, date):
        return value.isoformat()
    try:
        text = json.dumps(value, default=str)
    except ValueError:
        text = str(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "..."


def not_a_date(value: Any) -> str:
    return f"{shown(value)} is not a date; write it as {DATE_FORMS}, e.g. 2023-02-28 or 28/02/2023"


def not_a_real_date(value: str, year: int, month: int) -> str:
    if not 1 <= month <= 12:
        return f"{shown(value)} is not a real date: there is no month {month}; write dates as {DATE_FORMS}"
    last = _days_in(year, month)
    return (f"{shown(value)} is not a real date: {MONTH_NAMES[month - 1]} {year} has {last} days; use "
            f"{year:04d}-{month:02d}-{last:02d} or {last:02d}/{month:02d}/{year:04d}")


def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def not_a_whole_number(value: Any) -> str:
    return (f"{shown(value)} is not a whole number; write digits only, e.g. 1502 (a file may also write "
            "1,502)")


def not_yes_no(value: Any) -> str:
    return f"{shown(value)} is not yes or no; use {YES_NO_FORMS}"


def not_a_month(value: Any) -> str:
    return f"{shown(value)} is not a month; use {MONTH_FORMS}"


def not_one_of(value: Any, expected: str) -> str:
    """`expected` as pydantic words a Literal's options: "'a', 'b' or 'c'"."""
    options = re.findall(r"'([^']*)'", expected)
    message = f"{shown(value)} is not one of the accepted codes: {', '.join(options) or expected}"
    if isinstance(value, str):
        meant = re.sub(r"[\s-]+", "_", value.strip().lower())
        if meant in options:
            message += f' (did you mean "{meant}"? In JSON codes are lower case; a file may use any case)'
    return message


def not_matching(value: Any, pattern: str, in_path: bool = False) -> str:
    if pattern == REF_PATTERN:
        return not_a_reference(value)
    if pattern == MONTH_PATTERN:
        # A record's path names its key exactly as it is stored; only its fields are read in other forms.
        return f"{shown(value)} is not a month; in a path use YYYY-MM, e.g. 2021-04" if in_path else not_a_month(value)
    if pattern == TEXT_PATTERN:
        return "the text holds a control character (such as a tab or a NUL byte); remove it"
    return f"{shown(value)} is not in the expected form ({PATTERNS_IN_WORDS.get(pattern, pattern)})"


# Patterns defined by features are described here by their text, so app/core need not import them.
PATTERNS_IN_WORDS = {
    r"^[0-9]{3}$": "three digits, an LA's DfE code such as 341",
    r"^[a-z0-9][a-z0-9-]{1,63}$": "lower-case letters, digits and '-', e.g. nw-adcs-2017",
    r"^[a-z][a-z0-9_]{0,63}$": "lower-case letters, digits and '_', starting with a letter, e.g. child_centred",
    r"^[A-Za-z0-9][A-Za-z0-9-]{1,63}$": "letters, digits and '-'",
}


def not_a_reference(value: Any) -> str:
    rule = "letters, digits, '_', '-' and '.', starting with a letter or digit, at most 64 characters"
    if isinstance(value, str) and LOOKS_LIKE_DATE.search(value):
        return (f"{shown(value)} looks like a date; a reference is the LA's own pseudonymous identifier "
                f"({rule}), never a date of birth")
    if isinstance(value, str) and " " in value.strip():
        return (f"{shown(value)} has a space; a reference is the LA's own pseudonymous identifier ({rule}), "
                "never a child's name")
    return f"{shown(value)} is not a reference; use {rule}, e.g. C-004512"


def too_small(value: Any, least: Any) -> str:
    return f"{shown(value)} is less than {least}, the least this field takes"


def too_large(value: Any, most: Any) -> str:
    return f"{shown(value)} is more than {f'{most:,}' if isinstance(most, int) else most}, the most this field takes"


def too_long(value: Any, most: int) -> str:
    if isinstance(value, str):
        return f"{shown(value)} has {plural(len(value), 'character')}; at most {most:,} are taken"
    given = f"{plural(len(value), 'item')} given; " if isinstance(value, list | dict) else ""
    return f"{given}at most {plural(most, 'item')} are taken"


UNKNOWN_FIELD = "unknown field; it is not part of this dataset"
FIELD_REQUIRED = "required: this field must be given a value"


def from_pydantic(err: dict[str, Any]) -> str:
    """A pydantic validation error in the analyst's words; an unforeseen kind keeps pydantic's own message."""
    kind, value, ctx = err.get("type"), err.get("input"), err.get("ctx") or {}
    in_path = tuple(err.get("loc", ()))[:1] == ("path",)
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    worded = {
        "extra_forbidden": lambda: UNKNOWN_FIELD,
        "missing": lambda: FIELD_REQUIRED,
        "literal_error": lambda: not_one_of(value, str(ctx.get("expected", ""))),
        "string_pattern_mismatch": lambda: not_matching(value, str(ctx.get("pattern", "")), in_path),
        "bool_type": lambda: not_yes_no(value),
        "bool_parsing": lambda: not_yes_no(value),
        "greater_than_equal": lambda: too_small(value, ctx.get("ge")),
        "less_than_equal": lambda: too_large(value, ctx.get("le")),
        "string_too_long": lambda: too_long(value, int(ctx.get("max_length", 0))),
        "too_long": lambda: too_long(value, int(ctx.get("max_length", 0))),
    }.get(str(kind))
    return worded() if worded else str(err.get("msg", "invalid value"))


def problems_found(problems: int, rows: int) -> str:
    return f"{plural(problems, 'problem')} found in {plural(rows, 'row')}"


def column_name_too_long(position: int, length: int, most: int) -> str:
    return f"column {position}'s name is {length:,} characters long; a column name may have at most {most}"


def unnamed_column(position: int) -> str:
    return f"column {position} has no name; name it or delete the column"


def repeated_column(name: str, first: int, again: int) -> str:
    return f"column {name!r} appears more than once (columns {first} and {again}); keep one"


def missing_column(name: str) -> str:
    return f"required column {name!r} is missing; every row must give it"


def value_beyond_header(position: int, width: int) -> str:
    return f"row has a value in column {position} but the header names {plural(width, 'column')}"


def cells_beyond_header(cells: int, width: int) -> str:
    return f"row has {plural(cells, 'cell')} but the header names {plural(width, 'column')}"


def unknown_column(name: str, known: list[str]) -> str:
    for separator, called in ((";", "';'"), ("\t", "tabs")):
        if separator in name:
            # A header with no comma is read with its own separator; this one mixes them.
            return (f"unknown column {shown(name)}: the file looks separated by {called}, not commas; save it "
                    "from Excel as 'CSV UTF-8 (Comma delimited)', or send it as XLSX")
    return f"unknown column {name!r}; rename or delete it: this dataset's columns are {', '.join(known)}"


# Dataset rules: a rule that compares fields names every one of them, with the value each had.
def sum_more_than(parts: dict[str, int], limits: dict[str, int]) -> str:
    over = " and ".join(f"{name} ({value})" for name, value in limits.items())
    if len(parts) == 1:
        return f"{named(parts)} is more than {over}"
    return f"{' + '.join(named({name: value}) for name, value in parts.items())} is {sum(parts.values())}, more than {over}"


def named(values: dict[str, Any]) -> str:
    return ", ".join(f"{name} ({shown(value)})" for name, value in values.items())


def returned_more_than_scheduled(returned: int, planned: int, exempted: int) -> str:
    return (f"returned ({returned}) is more than the audits scheduled: planned ({planned}) - exempted ({exempted}) "
            f"= {planned - exempted}")


def before(name: str, value: date, other: str, other_value: date) -> str:
    return f"{name} ({value.isoformat()}) is before {other} ({other_value.isoformat()})"


def after(name: str, value: date, other: str, other_value: date) -> str:
    return f"{name} ({value.isoformat()}) is after {other} ({other_value.isoformat()})"


def key_repeated(key: dict[str, Any], first_row: int) -> str:
    """A bulk file gives one key twice; every column of the key is named, with its value."""
    parts = [f"{name} {value!s}" for name, value in key.items()]
    named_key = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"{named_key} {'is' if len(parts) == 1 else 'are'} also on row {first_row}"


def not_in_group(member: dict[str, str], group: dict[str, str], members: tuple[str, ...]) -> str:
    """A code of another group than the one given with it (a category of another dimension)."""
    choices = members[0] if len(members) == 1 else f"{', '.join(members[:-1])} or {members[-1]}"
    return f"{named(member)} does not belong to {named(group)}, which takes {choices}"
