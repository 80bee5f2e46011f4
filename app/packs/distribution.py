"""Counts by category with their total and shares: the shape most pack figures take."""

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.packs.disclosure import Disclosure
from app.packs.figures import percentage
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


def register(d: Disclosure, prefix: tuple[Hashable, ...], counts: dict[str, int] | None, categories: Sequence[str],
             protected: bool) -> None:
    """Cells of one distribution. `counts` None: nothing was returned, so every figure is null; an empty
    dict: returns exist and none falls in a category, so the counts are zeros."""
    total_key = (*prefix, "total")
    count_keys = [(*prefix, "counts", category) for category in categories]
    for category, key in zip(categories, count_keys, strict=True):
        d.count(key, None if counts is None else counts.get(category, 0), protected=protected)
    d.count(total_key, None if counts is None else sum(counts.get(c, 0) for c in categories), protected=protected)
    # Only a reader who may not see small numbers needs to know how cells hang together, and a
    # region's pack has thousands of distributions.
    if d.enabled:
        for category, key in zip(categories, count_keys, strict=True):
            d.derive((*prefix, "shares", category), [key, total_key])
        d.line(count_keys, total_key)


def link(d: Disclosure, parts: Iterable[tuple[Hashable, ...]], whole: tuple[Hashable, ...], categories: Sequence[str]) -> None:
    """The distributions `parts` add up to `whole`, category by category."""
    parts = list(parts)
    for category in categories:
        d.line([(*p, "counts", category) for p in parts], (*whole, "counts", category))
    d.line([(*p, "total") for p in parts], (*whole, "total"))


def present(d: Disclosure, prefix: tuple[Hashable, ...], categories: Sequence[str], hidden: set[Hashable]) -> Distribution:
    total_key = (*prefix, "total")
    total = d.values[total_key]
    counts: dict[str, int | None] = {}
    shares: dict[str, float | None] = {}
    marks: dict[str, Any] = {}
    for category in categories:
        key = (*prefix, "counts", category)
        counts[category] = None if key in hidden else d.values[key]
        shares[category] = None if (*prefix, "shares", category) in hidden else percentage(d.values[key], total)
        if key in hidden:
            marks[f"counts.{category}"] = "c"
        if (*prefix, "shares", category) in hidden:
            marks[f"shares.{category}"] = "c"
    if total_key in hidden:
        marks["total"] = "c"
    # Built from counts the pack just computed: constructing skips validation that costs more than the pack.
    return Distribution.model_construct(counts=counts, total=None if total_key in hidden else total, shares=shares,
                                        suppressed=marks)


def grouped(rows: Iterable[Sequence[Any]]) -> dict[Any, dict[str, int]]:
    """(group, category, count) rows from SQL into {group: {category: count}}."""
    result: dict[Any, dict[str, int]] = {}
    for group, category, count in rows:
        if category is not None:
            result.setdefault(group, {})[str(category)] = int(count)
    return result
