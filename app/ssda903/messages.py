"""What an analyst reads about their 903 files, in the words of app/core/messages.py: the value sent, what was
expected, and what to do. Dates compared are shown as YYYY-MM-DD, as every message of the service shows them."""

from collections.abc import Iterable
from datetime import date

from app.core.messages import before, shown

SAVE_AS_UTF8 = "save it as UTF-8 (in Excel, 'CSV UTF-8 (Comma delimited)')"


def no_header(columns: Iterable[str]) -> str:
    return f"the first line names no columns; it must name them, at least {', '.join(columns)}"


def not_utf8(offset: int) -> str:
    return f"byte {offset:,} is not UTF-8 text; {SAVE_AS_UTF8}"


def nul_byte() -> str:
    return f"the file holds a NUL byte: it is not a CSV text file; {SAVE_AS_UTF8}"


def unreadable(reason: str) -> str:
    return f"the CSV cannot be read from here: {reason}; check the quotes on this line"


def too_many_rows(most: int) -> str:
    return (f"the file has more than {most:,} rows (blank ones count too), the most one extract may have; nothing "
            "past here was read")


def blank(column: str, what: str) -> str:
    return f"{column} is blank; every row gives {what}"


def not_a_code(value: str, what: str, codes: Iterable[str]) -> str:
    return f"{shown(value)} is not a 903 {what} code; use one of {', '.join(sorted(codes))}"


def not_a_sex(value: str) -> str:
    return f"{shown(value)} is not a 903 sex code; use 1 (male) or 2 (female)"


def child_repeated(child: str, first_row: int) -> str:
    return f"child {shown(child)} has a row already, row {first_row}; the header file has one row a child"


def child_not_in_header(child: str) -> str:
    return f"child {shown(child)} is not in the header file; every episode's child has a row there (CHILD, SEX, DOB, ETHNIC)"


def born_after_first_episode(dob: date, decom: date, row: int) -> str:
    return (f"DOB ({dob.isoformat()}) is after the child's first episode starts (DECOM {decom.isoformat()}, episodes "
            f"row {row}); a child is born before they are looked after")


def ends_before_start(dec: date, decom: date) -> str:
    return f"{before('DEC', dec, 'DECOM', decom)}; an episode ends on or after the day it starts"


def ended_without_reason(dec: date) -> str:
    return (f"REC is blank but DEC is {dec.isoformat()}; an episode that ended says why (a REC code such as E4A, "
            "or X1 when the next episode starts that day)")


def reason_without_end(rec: str) -> str:
    return f"DEC is blank but REC is {shown(rec)}; give the date the episode ended, or leave REC blank while it is open"


def no_episode_after_x1(child: str, dec: date) -> str:
    return (f'REC is "X1" (the next episode starts the same day) but child {shown(child)} has no episode starting on '
            f"{dec.isoformat()}; send that episode, or give the reason the child left care")


def overlaps(child: str, decom: date, row: int, other_decom: date, other_dec: date | None) -> str:
    other = f"from {other_decom.isoformat()}, still open" if other_dec is None else \
        f"{other_decom.isoformat()} to {other_dec.isoformat()}"
    return (f"DECOM ({decom.isoformat()}) falls in child {shown(child)}'s episode at row {row} ({other}); a child's "
            "episodes do not overlap: each starts on or after the DEC of the one before")


def second_open(child: str, row: int, other_decom: date) -> str:
    return (f"DEC is blank but child {shown(child)}'s episode at row {row} (from {other_decom.isoformat()}) is open "
            "too; a child has at most one open episode: give the earlier one its DEC and REC")
