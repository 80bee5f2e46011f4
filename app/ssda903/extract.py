"""An LA's SSDA903 extract (the header file and the episodes file, as sent) read into children and episodes, with
every fault of both files found at once.

Only the columns the derivation needs are read: the rest (UPN, MOTHER, MC_DOB, HOME_POST, PL_POST, URN,
PLACE_PROVIDER, CIN, ...) are passed over and never copied into what is returned, so nothing identifying
outlives the request (the files' bytes are the caller's, and are dropped with it).
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from app.core.messages import missing_column, repeated_column
from app.core.separators import separator_of
from app.core.types import calendar_date
from app.ssda903 import checks
from app.ssda903 import messages as say
from app.ssda903.codes import ETHNIC_GROUPS, LEGAL_STATUSES, PLACEMENTS, REASONS_CEASED, REASONS_NEW

HEADER, EPISODES = "header", "episodes"
HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC")
EPISODE_COLUMNS = ("CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC")
SEX_CODES = {"1": 1, "2": 2}


@dataclass(frozen=True, slots=True)
class Child:
    child: str
    sex: int
    dob: date
    ethnic: str


@dataclass(frozen=True, slots=True)
class Episode:
    child: str
    decom: date
    rne: str
    ls: str
    place: str
    dec: date | None
    rec: str | None
    row: int          # the line of the episodes file it was read from (the header line is 1)


@dataclass(frozen=True)
class ExtractProblem:
    file: str         # "header" | "episodes"
    row: int | None   # the line of that file (the header line is 1); None for the file as a whole
    column: str | None
    message: str


@dataclass
class Extract:
    children: dict[str, Child]
    episodes: list[Episode]   # in the order of the file
    header_rows: int          # rows read, not counting the header line nor blank lines
    episode_rows: int


class TooManyProblems(Exception):
    """Enough has been found to act on: reading stops rather than list a broken file's every row."""


class Problems:
    def __init__(self, most: int) -> None:
        self.found: list[ExtractProblem] = []
        self.most = most

    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.found.append(ExtractProblem(file, row, column, message))
        if len(self.found) >= self.most:
            raise TooManyProblems


@dataclass
class Table:
    rows: list[tuple[int, list[str]]]   # line number, the required columns' values trimmed, blank rows left out
    complete: bool                       # every row of the file is in rows: the other file may be checked against it


def read_extract(header: bytes, episodes: bytes, *, max_rows: int = 1_000_000,
                 max_problems: int = 10_000) -> tuple[Extract | None, list[ExtractProblem]]:
    """The extract, or None and every problem of both files (the first max_problems of them)."""
    problems = Problems(max_problems)
    try:
        extract = _read(header, episodes, max_rows, problems)
    except TooManyProblems:
        extract = None
    found = sorted(problems.found, key=lambda p: (p.file != HEADER, p.row or 0))
    return (None, found) if found else (extract, [])


def _read(header: bytes, episodes: bytes, max_rows: int, problems: Problems) -> Extract:
    header_table = read_table(header, HEADER, HEADER_COLUMNS, max_rows, problems)
    # A 903 file repeats its dates (each DEC is the next DECOM); each is parsed once. Kept for this read only.
    dates: dict[str, date] = {}
    children, rows_of = _children(header_table, problems, dates)
    episode_table = read_table(episodes, EPISODES, EPISODE_COLUMNS, max_rows, problems)
    known = rows_of if header_table.complete else None
    read = [e for number, values in episode_table.rows if (e := _episode(number, values, known, problems, dates))]
    if episode_table.complete:
        # A file cut short (past the row limit) would report every chain its cut broke as a fault of its own.
        checks.check_episodes(read, children, rows_of, problems.add)
    return Extract(children, read, len(header_table.rows), len(episode_table.rows))


def read_table(data: bytes, file: str, columns: tuple[str, ...], max_rows: int, problems: Problems) -> Table:
    text = _text(data, file, problems)
    if text is None:
        return Table([], False)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator_of(first_line))
    rows: list[tuple[int, list[str]]] = []
    try:
        names = next(reader, None)
        positions = _positions(names, file, columns, problems)
        if positions is None:
            return Table([], False)
        complete = _read_rows(reader, positions, file, max_rows, problems, rows)
    except csv.Error as exc:
        problems.add(file, reader.line_num, None, say.unreadable(str(exc)))
        complete = False
    return Table(rows, complete)


def _read_rows(reader: Iterator[list[str]], positions: list[int], file: str, max_rows: int, problems: Problems,
               rows: list[tuple[int, list[str]]]) -> bool:
    """Appends the rows to `rows`; False where the file was not read to its end."""
    line = 1
    for count, cells in enumerate(reader, start=1):
        number, line = line + 1, reader.line_num  # type: ignore[attr-defined]
        if count > max_rows:
            problems.add(file, number, None, say.too_many_rows(max_rows))
            return False
        width = len(cells)
        values = [cells[p].strip() if p < width else "" for p in positions]
        if any(values) or any(c.strip() for c in cells):
            rows.append((number, values))
    return True


def _text(data: bytes, file: str, problems: Problems) -> str | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.add(file, data.count(b"\n", 0, exc.start) + 1, None, say.not_utf8(exc.start))
        return None
    if (nul := text.find("\x00")) >= 0:
        problems.add(file, text.count("\n", 0, nul) + 1, None, say.nul_byte())
        return None
    return text


def _positions(names: list[str] | None, file: str, columns: tuple[str, ...], problems: Problems) -> list[int] | None:
    """Where each required column is; None, once each fault of the header line is reported, if one cannot be read."""
    if not names or not any(n.strip() for n in names):
        problems.add(file, 1, None, say.no_header(columns))
        return None
    found: dict[str, int] = {}
    faults = 0
    for position, name in enumerate(names):
        name = name.strip().upper()
        if name in columns and name in found:
            problems.add(file, 1, name, repeated_column(name, found[name] + 1, position + 1))
            faults += 1
        found.setdefault(name, position)
    for column in columns:
        if column not in found:
            problems.add(file, 1, column, missing_column(column))
            faults += 1
    return None if faults else [found[c] for c in columns]


class Cells:
    """One row's values read one at a time, each fault reported with the row's line and the column."""

    __slots__ = ("dates", "file", "number", "ok", "problems")

    def __init__(self, file: str, number: int, problems: Problems, dates: dict[str, date]) -> None:
        self.file, self.number, self.problems, self.dates, self.ok = file, number, problems, dates, True

    def fault(self, column: str, message: str) -> None:
        self.ok = False
        self.problems.add(self.file, self.number, column, message)

    def text(self, column: str, value: str, what: str) -> str | None:
        if not value:
            self.fault(column, say.blank(column, what))
        return value or None

    def code(self, column: str, value: str, what: str, codes: frozenset[str] | dict[str, object]) -> str | None:
        if not value:
            self.fault(column, say.blank(column, f"the {what} code"))
            return None
        code = value.upper()
        if code not in codes:
            self.fault(column, say.not_a_code(value, what, codes))
            return None
        return code

    def date(self, column: str, value: str, what: str) -> date | None:
        if not value:
            self.fault(column, say.blank(column, what))
            return None
        if (known := self.dates.get(value)) is not None:
            return known
        try:
            parsed = self.dates[value] = calendar_date(value)
            return parsed
        except ValueError as exc:
            self.fault(column, str(exc))
            return None


def _children(table: Table, problems: Problems, dates: dict[str, date]) -> tuple[dict[str, Child], dict[str, int]]:
    """The children read whole, and the row of every child named (a child with a faulty row is still known)."""
    children: dict[str, Child] = {}
    rows_of: dict[str, int] = {}
    for number, (child, sex, dob, ethnic) in table.rows:
        cells = Cells(HEADER, number, problems, dates)
        named = cells.text("CHILD", child, "the child's identifier, the same as in the episodes file")
        sex_code = SEX_CODES.get(sex)
        if sex_code is None:
            cells.fault("SEX", say.not_a_sex(sex) if sex else say.blank("SEX", "the sex code, 1 (male) or 2 (female)"))
        born = cells.date("DOB", dob, "the child's date of birth")
        group = cells.code("ETHNIC", ethnic, "ethnicity", ETHNIC_GROUPS)
        if named is not None and named in rows_of:
            cells.fault("CHILD", say.child_repeated(named, rows_of[named]))
            continue
        if named is not None:
            rows_of[named] = number
        if cells.ok:
            children[child] = Child(child, sex_code, born, group)  # type: ignore[arg-type]
    return children, rows_of


def _episode(number: int, values: list[str], known: dict[str, int] | None, problems: Problems,
             dates: dict[str, date]) -> Episode | None:
    child, decom, rne, ls, place, dec, rec = values
    cells = Cells(EPISODES, number, problems, dates)
    if cells.text("CHILD", child, "the child's identifier, the same as in the header file") and known is not None \
            and child not in known:
        cells.fault("CHILD", say.child_not_in_header(child))
    started = cells.date("DECOM", decom, "the date the episode started")
    reason_new = cells.code("RNE", rne, "reason for new episode", REASONS_NEW)
    status = cells.code("LS", ls, "legal status", LEGAL_STATUSES)
    placement = cells.code("PLACE", place, "placement type", PLACEMENTS)
    ended = cells.date("DEC", dec, "") if dec else None
    reason = cells.code("REC", rec, "reason episode ceased", REASONS_CEASED) if rec else None
    if ended is not None and not rec:
        cells.fault("REC", say.ended_without_reason(ended))
    if rec and not dec:
        cells.fault("DEC", say.reason_without_end(rec))
    if started is not None and ended is not None and ended < started:
        cells.fault("DEC", say.ends_before_start(ended, started))
    if not cells.ok:
        return None
    return Episode(child, started, reason_new, status, placement, ended, reason, number)  # type: ignore[arg-type]
