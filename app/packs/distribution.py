"""Counts by category with their total and shares: the shape most pack figures take."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.packs.cells import About, Cell, Figures, Relations, Row, shown_zeros
from app.packs.disclosure import Hidden
from app.packs.rounding import percentage
from app.packs.schemas import SUPPRESSED_DESCRIPTION, Suppressed


class Distribution(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "counts": {"no_order": 28, "supervision_order": 11, "family_assistance_order": None},
        "total": 40, "shares": {"no_order": 70.0, "supervision_order": 27.5, "family_assistance_order": None},
        "suppressed": {"counts.family_assistance_order": "c", "shares.family_assistance_order": "c"}}]})

    counts: dict[str, int | None]
    total: int | None
    shares: dict[str, float | None] = Field(description="Each count as a percentage of the total.")
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


@dataclass(frozen=True)
class DistributionCells:
    """Where one distribution's cells sit: a row and the field that holds it."""

    row: Row
    path: str
    categories: Sequence[str]
    # Breakdowns of one set of records share its count as their total (one cell, so each line adds up to it).
    total_measure: str | None = None
    # Shares hidden with their count or total (a share of nothing aside) by `present` itself, not cell by cell: a region's
    # tables have tens of thousands of shares, each a cell to merge and hash. Same rule, fewer cells.
    implied_shares: bool = False

    def count(self, category: str) -> Cell:
        cell = self._counts.get(category)
        if cell is None:
            cell = self._counts[category] = Cell(self.row, f"{self.path}.counts.{category}")
        return cell

    def share(self, category: str) -> Cell:
        return Cell(self.row, f"{self.path}.shares.{category}")

    @cached_property
    def _counts(self) -> dict[str, Cell]:
        # Each count is named several times per table (recorded, added up, shared out): built once, when first
        # named. Not all at once: most of these are made to name one count (an area's row names each LA's), and
        # building every category's cell for it took a fifth of an outcomes table's figures.
        return {}

    @cached_property
    def total(self) -> Cell:
        return Cell(self.row, self.total_measure or f"{self.path}.total")

    def record(self, figures: Figures, counts: dict[str, int] | None, about: About) -> None:
        """`counts` None: nothing was returned, so every figure is null; an empty dict: returns exist and
        none falls in a category, so the counts are zeros."""
        for category in self.categories:
            figures.count(self.count(category), None if counts is None else counts.get(category, 0), about)
        total = None if counts is None else sum(counts.get(c, 0) for c in self.categories)
        figures.count(self.total, total, about)

    def relate(self, relations: Relations) -> None:
        for category in () if self.implied_shares else self.categories:
            relations.shares_of(self.share(category), [self.count(category)], self.total)
        relations.adds_up([self.count(c) for c in self.categories], self.total)

    def sum_of(self, relations: Relations, parts: Iterable["DistributionCells"]) -> None:
        """This distribution is `parts` added up, category by category."""
        parts = list(parts)
        for category in self.categories:
            relations.adds_up([p.count(category) for p in parts], self.count(category))
        relations.adds_up([p.total for p in parts], self.total)

    def _implied_hidden(self, figures: Figures, hidden: Hidden, category: str) -> bool:
        """An implied share is hidden with its count, and with its total unless it is a share of nothing
        (`Relations.of_nothing`: a shown 0 is 0.0 whatever the total)."""
        count = self.count(category)
        return count in hidden or (self.total in hidden and not shown_zeros([count], figures.values, hidden))

    def present(self, figures: Figures, hidden: Hidden) -> Distribution:
        total = figures[self.total]
        counts: dict[str, int | None] = {}
        shares: dict[str, float | None] = {}
        marks: dict[str, Any] = {}
        for category in self.categories:
            count, share = self.count(category), self.share(category)
            share_hidden = share in hidden or (self.implied_shares and self._implied_hidden(figures, hidden, category))
            counts[category] = None if count in hidden else figures[count]
            shares[category] = None if share_hidden else percentage(figures[count], total)
            if count in hidden:
                marks[f"counts.{category}"] = "c"
            if share_hidden:
                marks[f"shares.{category}"] = "c"
        if self.total in hidden:
            marks["total"] = "c"
        # Built from counts the pack just computed: constructing skips validation that costs more than the pack.
        return Distribution.model_construct(counts=counts, total=None if self.total in hidden else total, shares=shares,
                                            suppressed=marks)


def grouped(rows: Iterable[Sequence[Any]]) -> dict[Any, dict[str, int]]:
    """(group, category, count) rows from SQL into {group: {category: count}}."""
    result: dict[Any, dict[str, int]] = {}
    for group, category, count in rows:
        if category is not None:
            result.setdefault(group, {})[str(category)] = int(count)
    return result


def add_counts(total: dict[str, int] | None, part: dict[str, int]) -> dict[str, int]:
    """Category counts added up (the one adder every pack uses)."""
    result = dict(total or {})
    for name, n in part.items():
        result[name] = result.get(name, 0) + n
    return result
