"""903 files as an LA's case-management system writes them, built row by row for the tests."""

from datetime import date

from app.ssda903.extract import Extract, ExtractProblem, read_extract
from tests.submissions.files import csv_body

HEADER_COLUMNS = ["CHILD", "SEX", "DOB", "ETHNIC"]
EPISODE_COLUMNS = ["CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"]


def child(ref: str = "A", *, sex: int | str = 1, dob: date | str = date(2015, 6, 1), ethnic: str = "WBRI") -> list:
    return [ref, sex, dob, ethnic]


def episode(ref: str = "A", decom: date | str = date(2019, 6, 1), ls: str = "C2", place: str = "P1",
            dec: date | str | None = None, rec: str | None = None, *, rne: str = "S") -> list:
    return [ref, decom, rne, ls, place, dec, rec]


def files(children: list[list], episodes: list[list]) -> tuple[bytes, bytes]:
    return csv_body(HEADER_COLUMNS, children), csv_body(EPISODE_COLUMNS, episodes)


def read(children: list[list], episodes: list[list]) -> Extract:
    extract, problems = read_extract(*files(children, episodes))
    assert problems == [] and extract is not None, problems
    return extract


def faults(header: bytes, episodes: bytes, **limits: int) -> list[ExtractProblem]:
    extract, problems = read_extract(header, episodes, **limits)
    assert extract is None and problems
    return problems


def located(children: list[list], episodes: list[list]) -> list[tuple[str, int | None, str | None]]:
    """Where each problem is: (file, row, column)."""
    return [(p.file, p.row, p.column) for p in faults(*files(children, episodes))]
