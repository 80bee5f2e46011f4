"""Benchmarking an LA among England's: its rank and quartile band on a headline measure, with its region,
its groups and England beside it, as the DfE's LA interactive tool (LAIT) sets an LA in context.

Conventions (docs/api.md "Benchmarking"):
- **Rank**: 1 is the highest value. None of these measures is better high or low, so there is no polarity:
  LAIT's band A is then the highest quarter, and so it is here.
- **Ties** share the best rank ("competition ranking": 10, 9, 9, 7 rank 1, 2, 2, 4). Values are ranked as the
  pack shows them (one decimal place): two LAs shown with the same figure never rank apart.
- **Quartile band** from the rank: `"ABCD"[floor(4 × (rank − 1) / ranked)]`. Tied LAs share a rank, so they
  share a band; with 150 ranked, ranks 1–38 are A, 39–75 B, 76–113 C, 114–150 D.
- **Who is ranked**: England's LAs with a value for the date (or the pack's period). For a reader with small
  numbers suppressed, only those whose figure the published tables show that reader: a rank over hidden figures
  would tell where a hidden figure lies. The row's own rank and band are hidden with its own figure.

Ranking is done here, after SQL has given each LA's counts: at most some 150 values a date, and they must be
the rounded values the pack shows and, for a suppressed reader, only those its tables show (known in Python).
"""

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from app.access.roles import Role
from app.packs.cells import Cell
from app.packs.published import period_of, periods_covering, publisher
from app.packs.request import PackRequest
from app.packs.schemas import SUPPRESSED_DESCRIPTION, Suppressed
from app.packs.spec import PackSpec

QUARTILES = "ABCD"
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Ranked:
    rank: int
    ranked: int
    quartile: str


def competition_ranks(values: Mapping[K, float]) -> dict[K, Ranked]:
    """Highest first; equal values share the best rank; the band from the rank (see the module's docstring)."""
    ordered = sorted(values.values(), reverse=True)
    first: dict[float, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    n = len(ordered)
    return {key: Ranked(first[value], n, QUARTILES[4 * (first[value] - 1) // n]) for key, value in values.items()}


class Benchmark(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "value": 14.7, "rank": 7, "ranked": 150, "quartile": "A", "region": "E12000002", "region_value": 12.1,
        "groups": {"merseyside": 13.9}, "england": 9.8, "suppressed": {}}, {
        "value": None, "rank": None, "ranked": 141, "quartile": None, "region": "E12000002", "region_value": 12.1,
        "groups": {"merseyside": None}, "england": 9.8,
        "suppressed": {"value": "c", "rank": "c", "quartile": "c", "groups.merseyside": "c"}}]})

    value: float | None = Field(description="The row's own figure, as the row shows it.")
    rank: int | None = Field(default=None, description=(
        "Among England's LAs ranked (`ranked`), 1 = the highest value; LAs with equal values share the best rank "
        "(1, 2, 2, 4). Null for an area's row, an LA without the figure, or where the figure is hidden."))
    ranked: int | None = Field(default=None, description=(
        "How many LAs were ranked: England's LAs with the figure on the date (care orders) or over the pack's "
        "period (audits); with small numbers suppressed, only those whose figure is shown to the reader."))
    quartile: Literal["A", "B", "C", "D"] | None = Field(default=None, description=(
        "Quartile band as the DfE's LA interactive tool shows it, from the rank: A = the quarter with the highest "
        "values (these measures have no polarity), `\"ABCD\"[floor(4 × (rank − 1) / ranked)]`; tied LAs share "
        "a band."))
    region: str | None = Field(default=None, description="The region beside the row: the LA's, or a group's "
                                                         "where all its LAs are in one (null for a region or England).")
    region_value: float | None = Field(default=None, description="The region's figure.")
    groups: dict[str, float | None] = Field(default_factory=dict, description=(
        "The figure of each admin-defined group (such as an LFJB) the LA belongs to (for an area's row: the groups "
        "holding all its LAs), by group code; the pack's `groups` names them."))
    england: float | None = Field(default=None, description="England's figure.")
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


Benchmarks = dict[str, Benchmark]
BENCHMARKS_DESCRIPTION = ("Each headline measure benchmarked: the row's rank and quartile band among England's LAs "
                          "(LA rows only), beside its region, its groups and England.")


class Shown:
    """Which figures a reader is shown, as the published tables of the request's periods decide: every figure for
    a reader who sees everything. Cells are named as the tables name them: `Row("las", la, ...)`, `Row("area",
    code, ...)`."""

    def __init__(self, spec: PackSpec, session: Session, req: PackRequest) -> None:
        self.everything = req.reader.sees_everything or not spec.suppresses
        if self.everything:
            return
        self.deciding = publisher(session, spec, req.reader)
        self.covered = periods_covering(self.deciding.unit, req.date_from, req.date_to)
        # An LA client is shown its own figures, whatever the tables hide from others (`published.owns`).
        self.own_la = req.reader.la_code if req.reader.role is Role.LA else None

    def __call__(self, cell: Cell) -> bool:
        if self.everything or (cell.row.table == "las" and cell.row.code == self.own_la):
            return True
        own = period_of(self.deciding.unit, cell.row)
        return not any(self.deciding.table(p).withholds(cell) for p in ([own] if own else self.covered))


def ranks_of(values: Mapping[str, float | None], cell_of: Callable[[str], Cell],
             shown: Callable[[Cell], bool]) -> dict[str, Ranked]:
    """The LAs' ranks over those with a value that the reader is shown."""
    return competition_ranks({la: v for la, v in values.items() if v is not None and shown(cell_of(la))})


def benchmark(value: float | None, value_hidden: bool, ranked: Mapping[str, Ranked] | None, la: str | None, *,
              region: str | None, region_value: tuple[float | None, bool], england: tuple[float | None, bool],
              groups: Iterable[tuple[str, float | None, bool]]) -> Benchmark:
    """One row's benchmark. Each area's value comes with whether it is hidden; `ranked` None: an area's row."""
    marks: dict[str, Any] = {}
    rank = None
    if value_hidden:
        marks["value"] = "c"
    if ranked is not None:
        rank = None if la is None else ranked.get(la)
        if value_hidden:
            marks |= {"rank": "c", "quartile": "c"}
    shown_groups: dict[str, float | None] = {}
    for code, group_value, hidden in groups:
        shown_groups[code] = None if hidden else group_value
        if hidden:
            marks[f"groups.{code}"] = "c"
    if region_value[1]:
        marks["region_value"] = "c"
    if england[1]:
        marks["england"] = "c"
    return Benchmark.model_construct(
        value=None if value_hidden else value, rank=None if rank is None else rank.rank,
        ranked=None if ranked is None else len(ranked), quartile=None if rank is None else rank.quartile,
        region=region, region_value=None if region_value[1] else region_value[0], groups=shown_groups,
        england=None if england[1] else england[0], suppressed=marks)


def rank_text(b: Benchmark) -> str | None:
    """"7 of 150" for the HTML page."""
    return None if b.rank is None else f"{b.rank} of {b.ranked}"
