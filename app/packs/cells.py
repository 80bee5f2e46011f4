"""The figures a pack computes, named by typed cells, and how they hang together.

A pack's builder fills a `Figures` (each count with whom it is about, and which rows the pack shows)
and declares `Relations` (which cells add up to which, which are computed from which). Disclosure
reads both and decides which cells a reader may not see; it keeps neither.
"""

from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from datetime import date

# Whom a figure is about: one LA (its code), or an aggregate over these LAs (a tuple of codes).
About = str | tuple[str, ...]
# An aggregate over LAs outside any one reader's own: regions and England beside the area.
MANY_LAS: About = ("*",)


@dataclass(frozen=True, slots=True)
class Row:
    """A row of a pack's figures: its table, whose figures they are, and the period (None: the pack's range)."""

    table: str
    code: str
    period: date | str | None = None
    # Cells are dictionary keys millions of times when England's tables are decided: hashed once.
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.table, self.code, self.period)))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        # Written out: the generated one builds a tuple of each side per comparison, and deciding a table
        # compares rows millions of times (a fifth of an outcomes year's search).
        if self is other:
            return True
        if not isinstance(other, Row):
            return NotImplemented
        return (self._hash == other._hash and self.code == other.code and self.table == other.table
                and self.period == other.period)

    def __repr__(self) -> str:
        # Written out: the generated one guards against recursion, and a table's digest reprs every cell.
        return f"Row({self.table!r}, {self.code!r}, {self.period!r})"

    def cell(self, measure: str) -> "Cell":
        return Cell(self, measure)


@dataclass(frozen=True, slots=True)
class Cell:
    row: Row
    measure: str  # a dotted path within the row, as the pack shows it: "grades.counts.good"
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.row._hash, self.measure)))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        # Written out, as `Row.__eq__` is, and for the same reason.
        if self is other:
            return True
        if not isinstance(other, Cell):
            return NotImplemented
        return self._hash == other._hash and self.measure == other.measure and self.row == other.row

    def __repr__(self) -> str:
        return f"Cell({self.row!r}, {self.measure!r})"


@dataclass
class Figures:
    """Counts by cell. Insertion order is kept: disclosure breaks ties by it, so outputs are stable."""

    values: dict[Cell, int | None] = field(default_factory=dict)
    about: dict[Cell, About] = field(default_factory=dict)
    # Rows the pack presents; the others' cells (another LA's, an earlier date's) only protect these.
    shown: set[Row] = field(default_factory=set)

    def count(self, cell: Cell, value: int | None, about: About) -> Cell:
        self.values[cell] = value
        self.about[cell] = about
        return cell

    def show(self, row: Row) -> Row:
        self.shown.add(row)
        return row

    def __getitem__(self, cell: Cell) -> int | None:
        return self.values[cell]


@dataclass
class Relations:
    """What a reader can combine: additive lines and derived figures."""

    lines: list[tuple[tuple[Cell, ...], Cell]] = field(default_factory=list)
    derived: dict[Cell, tuple[Cell, ...]] = field(default_factory=dict)
    hide_last: set[Cell] = field(default_factory=set)
    # A median or a quartile, with the count of the records it is taken over.
    statistics: dict[Cell, Cell] = field(default_factory=dict)
    # Parts that add up to at most a total: the rest is counted by no cell. (Declared by every area's pack that
    # shows the row: kept once.)
    bounded: dict[tuple[tuple[Cell, ...], Cell], None] = field(default_factory=dict)
    # A share or rate: the counts over its total that it is a percentage of (`shares_of`).
    numerators: dict[Cell, tuple[Cell, ...]] = field(default_factory=dict)

    def prefer_shown(self, cells: Iterable[Cell]) -> None:
        """Headline figures that many lines lean on (an LA's children at home, which each of its breakdowns adds
        up to): hidden to protect another cell only where no other cell of the line can be. Hiding one closes
        every line it is in at once, so without this the search takes it first, and then its area's other
        totals to protect it, until a region's headline figures are all hidden. Only the choice changes:
        every line is still protected."""
        self.hide_last.update(cells)

    def adds_up(self, parts: Iterable[Cell], total: Cell) -> None:
        """`parts` add up to `total` (parts not returned, None, take no part). A total of no parts says
        nothing (declared as a line, it would claim the total is 0)."""
        parts = tuple(parts)
        if parts:
            self.lines.append((parts, total))

    def same_where_equal(self, values: dict[Cell, int | None], cell: Cell, others: Iterable[Cell]) -> None:
        """Each of `others` that equals `cell` in this data is declared the same figure: a reader who knows they
        count the same records (wherever each record says so) reads one beside the other hidden."""
        if values.get(cell) is None:
            return
        for other in others:
            if values.get(other) == values[cell]:
                self.adds_up([other], cell)

    def at_most(self, parts: Iterable[Cell], total: Cell) -> None:
        """`parts` add up to at most `total` (the assessed whose child remained, beside the assessed): a reader
        who knows it bounds a hidden part by the total less the others."""
        parts = tuple(parts)
        if parts:
            self.bounded[(parts, total)] = None

    def derives(self, cell: Cell, inputs: Iterable[Cell]) -> None:
        """`cell` (a rate, a change; a share is `shares_of`) is computed from `inputs`: hidden whenever one of them is."""
        self.derived[cell] = tuple(inputs)

    def shares_of(self, cell: Cell, numerators: Iterable[Cell], total: Cell) -> None:
        """`cell` is the numerators' sum as a percentage of `total`: hidden whenever one of them is, except where it
        is a share of nothing (`of_nothing`). Only over a total of the numerators' own row: see `of_nothing`."""
        numerators = tuple(numerators)
        self.derives(cell, [*numerators, total])
        if all(n.row == total.row for n in numerators):
            self.numerators[cell] = numerators

    def of_nothing(self, cell: Cell, values: dict[Cell, int | None], hidden: Set[Cell]) -> bool:
        """A share whose every numerator is a shown 0 is 0.0 whatever its total, and its total, hidden, is never 0:
        a cell a table hides is at least 1 (zero is shown, and no cell is hidden to protect another unless it is at
        least 1), and a row a table did not build (`published.Table.withholds`) is withheld whole, its zeros with
        it. A hidden 0 total would show a null share, not 0.0: hence the same row, which a total over another row
        (another LA's, another date's) is not. Shown, it tells a reader nothing the zeros do not. (Hidden with its
        total, it was most of the outcomes pack's "c".)"""
        numerators = self.numerators.get(cell)
        return bool(numerators) and shown_zeros(numerators, values, hidden)

    def summarises(self, cell: Cell, over: Cell) -> None:
        """`cell` (a median, a quartile) is one of the records `over` counts, or near one: with few records it
        tells a reader an individual value, whatever the counts are."""
        self.statistics[cell] = over


def shown_zeros(cells: Iterable[Cell], values: dict[Cell, int | None], hidden: Set[Cell]) -> bool:
    """Every one of `cells` a 0 the reader is shown: the numerators of a share of nothing (`Relations.of_nothing`)."""
    return all(values.get(c) == 0 and c not in hidden for c in cells)

