"""The care-order figures of named collection years, derived from a checked 903 extract as ssda903-codes.md
defines them.

Each child's episodes are walked once, in the order they ran, and every episode adds to the years it counts in:
the snapshot dates it is open on, the year its order was made in, the year it was discharged in. The cost is
the episodes times the years each is open on, never the years times the whole extract.
"""

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.ssda903.checks import by_child
from app.ssda903.codes import (
    AT_HOME,
    CHILD_ARRANGEMENTS,
    DIMENSIONS,
    DISCHARGES,
    ETHNIC_GROUPS,
    FULL_CARE_ORDER,
    INTERIM_CARE_ORDER,
    SEXES,
    SPECIAL_GUARDIANSHIP,
)
from app.ssda903.extract import Child, Episode, Extract

ON_ORDER = (FULL_CARE_ORDER, INTERIM_CARE_ORDER)
AGE_BANDS = ((1, "under_1"), (5, "1_to_4"), (10, "5_to_9"), (16, "10_to_15"))
TIME_BANDS = ((1, "under_1_year"), (2, "1_to_2_years"), (5, "2_to_5_years"))
STILL_OPEN = 10_000   # the collection year an open episode ends in: after every year asked for


@dataclass(frozen=True)
class DerivedYear:
    year: int
    snapshot_date: date
    counts: dict[str, Any]                                   # a care-order-counts record body
    characteristics: dict[tuple[str, str], tuple[int, int]]  # (dimension, category) -> (full, interim)


@dataclass
class Tally:
    """One year's figures while they are counted."""

    snapshot: date
    cla_total: int = 0
    placed_with_parents: int = 0
    at_home: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ON_ORDER, 0))
    orders_made: int = 0
    interims_became_full: int = 0
    discharges: int = 0
    to_sgo: int = 0
    to_cao: int = 0
    characteristics: dict[tuple[str, str], dict[str, int]] = field(default_factory=lambda: {
        (dimension, category): dict.fromkeys(ON_ORDER, 0)
        for dimension, categories in DIMENSIONS.items() for category in categories})


def derive(extract: Extract, years: Iterable[int]) -> list[DerivedYear]:
    wanted = sorted(set(years))
    tallies = {year: Tally(date(year, 3, 31)) for year in wanted}
    for child, runs in by_child(extract.episodes).items():
        _count_child(extract.children[child], runs, wanted, tallies)
    return [_derived(year, tallies[year]) for year in wanted]


def collection_year(day: date) -> int:
    """Year Y runs from 1 April Y-1 to 31 March Y."""
    return day.year + (day.month >= 4)


def whole_years(since: date, on: date) -> int:
    """Whole years from `since` to `on`: an anniversary on `on` counts."""
    return on.year - since.year - ((on.month, on.day) < (since.month, since.day))


def _count_child(child: Child, runs: list[Episode], wanted: list[int], tallies: dict[int, Tally]) -> None:
    previous: Episode | None = None
    run_start: date | None = None   # the day the child's unbroken run at home on an order began
    for episode in runs:
        # The episode ending the day this one starts, if any: on its DEC the child is already in this one.
        before = previous if previous is not None and previous.dec == episode.decom else None
        at_home = episode.place == AT_HOME
        on_order = at_home and episode.ls in ON_ORDER
        if on_order:
            carried_on = before is not None and before.place == AT_HOME and before.ls in ON_ORDER
            run_start = run_start if carried_on else episode.decom
        if at_home and episode.ls == FULL_CARE_ORDER:
            _count_order(episode, before, tallies)
        # Open on 31 March Y for Y from the year it starts in up to, not including, the year it ends in.
        ends = collection_year(episode.dec) if episode.dec is not None else STILL_OPEN
        for year in wanted[bisect_left(wanted, collection_year(episode.decom)):bisect_left(wanted, ends)]:
            tally = tallies[year]
            tally.cla_total += 1
            if at_home:
                tally.placed_with_parents += 1
            if on_order:
                tally.at_home[episode.ls] += 1
                _count_characteristics(tally, child, run_start, episode.ls)  # type: ignore[arg-type]
        previous = episode


def _count_order(episode: Episode, before: Episode | None, tallies: dict[int, Tally]) -> None:
    """A full care order at home: made when it starts (unless the child was on one already), discharged when it ends."""
    made = tallies.get(collection_year(episode.decom))
    if made is not None and (before is None or before.ls != FULL_CARE_ORDER):
        made.orders_made += 1
        if before is not None and before.ls == INTERIM_CARE_ORDER and before.place == AT_HOME:
            made.interims_became_full += 1
    if episode.dec is None or episode.rec not in DISCHARGES:
        return
    if (ended := tallies.get(collection_year(episode.dec))) is not None:
        ended.discharges += 1
        ended.to_sgo += episode.rec in SPECIAL_GUARDIANSHIP
        ended.to_cao += episode.rec in CHILD_ARRANGEMENTS


def _band(value: int, bands: tuple[tuple[int, str], ...], last: str) -> str:
    return next((name for below, name in bands if value < below), last)


def _count_characteristics(tally: Tally, child: Child, run_start: date, ls: str) -> None:
    on = tally.snapshot
    for key in (("age_band", _band(whole_years(child.dob, on), AGE_BANDS, "16_and_over")),
                ("sex", SEXES[child.sex]),
                ("ethnicity", ETHNIC_GROUPS[child.ethnic]),
                ("time_at_home_on_order", _band(whole_years(run_start, on), TIME_BANDS, "5_years_and_over"))):
        tally.characteristics[key][ls] += 1


def _derived(year: int, tally: Tally) -> DerivedYear:
    counts = {
        "cla_total": tally.cla_total,
        "placed_with_parents": tally.placed_with_parents,
        "full_care_orders_at_home": tally.at_home[FULL_CARE_ORDER],
        "interim_care_orders_at_home": tally.at_home[INTERIM_CARE_ORDER],
        "orders_made_in_year": tally.orders_made,
        # The 903 has no REC for a discharge to no order, a supervision order or an FAO: those stay unknown.
        "discharges": {"total": tally.discharges, "to_no_order": None, "to_supervision_order": None,
                       "to_family_assistance_order": None, "to_special_guardianship_order": tally.to_sgo,
                       "to_child_arrangements_order": tally.to_cao},
        "interim_orders_from_private_law": None,
        "interim_orders_for_parent_assessment": None,
        "interim_orders_for_parent_assessment_child_remained": None,
        "interim_orders_became_full_orders": tally.interims_became_full,
        "notes": None,
    }
    characteristics = {key: (by_order[FULL_CARE_ORDER], by_order[INTERIM_CARE_ORDER])
                       for key, by_order in tally.characteristics.items()}
    return DerivedYear(year, tally.snapshot, counts, characteristics)
