"""A second derivation of the care-order figures, written from ssda903-codes.md without looking at how
app/ssda903/derive.py counts: one snapshot date at a time, it asks every episode of the extract what held on
that date, walks a child's run at home backwards episode by episode, and counts birthdays one by one.
Slow and plain, so that it is easy to believe."""

from collections import Counter
from datetime import date
from typing import Any

from app.ssda903.extract import Episode, Extract

ETHNICITY = {
    "white": "WBRI WIRI WIRT WOTH WROM", "mixed": "MWBC MWBA MWAS MOTH", "asian": "AIND APKN ABAN AOTH",
    "black": "BCRB BAFR BOTH", "other": "CHNE OOTH", "not_known": "REFU NOBT",
}
LEFT_CARE_ON_DISCHARGE = {"E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48", "E8"}


def years_between(earlier: date, later: date) -> int:
    """Birthdays counted one by one; 29 February's falls on 1 March in other years."""
    count = 0
    while True:
        year = earlier.year + count + 1
        try:
            anniversary = date(year, earlier.month, earlier.day)
        except ValueError:
            anniversary = date(year, 3, 1)
        if anniversary > later:
            return count
        count += 1


def age_band(age: int) -> str:
    if age == 0:
        return "under_1"
    if age <= 4:
        return "1_to_4"
    if age <= 9:
        return "5_to_9"
    if age <= 15:
        return "10_to_15"
    return "16_and_over"


def time_band(years: int) -> str:
    if years == 0:
        return "under_1_year"
    if years == 1:
        return "1_to_2_years"
    if years < 5:
        return "2_to_5_years"
    return "5_years_and_over"


def care_order_at_home(episode: Episode) -> bool:
    return episode.place == "P1" and episode.ls in ("C1", "C2")


def figures(extract: Extract, year: int) -> tuple[dict[str, Any], dict[tuple[str, str], tuple[int, int]]]:
    """The counts and characteristics on 31 March `year`, straight from the definitions."""
    snapshot, first_day = date(year, 3, 31), date(year - 1, 4, 1)
    episodes = extract.episodes
    ended = {(e.child, e.dec): e for e in episodes if e.dec is not None}
    on_snapshot = [e for e in episodes if e.decom <= snapshot and (e.dec is None or snapshot < e.dec)]
    full_at_home_from = [e for e in episodes if e.ls == "C2" and e.place == "P1" and first_day <= e.decom <= snapshot]
    made = [e for e in full_at_home_from if getattr(ended.get((e.child, e.decom)), "ls", None) != "C2"]
    became_full = [e for e in made if (e.child, e.decom) in ended and ended[e.child, e.decom].ls == "C1"
                   and ended[e.child, e.decom].place == "P1"]
    discharged = [e.rec for e in episodes if e.ls == "C2" and e.place == "P1" and e.dec is not None
                  and first_day <= e.dec <= snapshot and e.rec in LEFT_CARE_ON_DISCHARGE]
    counts = {
        "cla_total": len({e.child for e in on_snapshot}),
        "placed_with_parents": sum(e.place == "P1" for e in on_snapshot),
        "full_care_orders_at_home": sum(e.place == "P1" and e.ls == "C2" for e in on_snapshot),
        "interim_care_orders_at_home": sum(e.place == "P1" and e.ls == "C1" for e in on_snapshot),
        "orders_made_in_year": len(made),
        "discharges": {"total": len(discharged), "to_no_order": None, "to_supervision_order": None,
                       "to_family_assistance_order": None,
                       "to_special_guardianship_order": sum(r in ("E45", "E46", "E47", "E48") for r in discharged),
                       "to_child_arrangements_order": discharged.count("E41")},
        "interim_orders_from_private_law": None, "interim_orders_for_parent_assessment": None,
        "interim_orders_for_parent_assessment_child_remained": None,
        "interim_orders_became_full_orders": len(became_full), "notes": None,
    }
    at_home = [e for e in on_snapshot if care_order_at_home(e)]
    return counts, characteristics(extract, at_home, ended, snapshot)


def characteristics(extract: Extract, at_home: list[Episode], ended: dict[tuple[str, date], Episode],
                    snapshot: date) -> dict[tuple[str, str], tuple[int, int]]:
    full, interim = Counter(), Counter()
    for e in at_home:
        who = extract.children[e.child]
        first = e
        while (e.child, first.decom) in ended and care_order_at_home(ended[e.child, first.decom]):
            first = ended[e.child, first.decom]
        group = next(g for g, codes in ETHNICITY.items() if who.ethnic in codes.split())
        tally = full if e.ls == "C2" else interim
        tally["age_band", age_band(years_between(who.dob, snapshot))] += 1
        tally["sex", "male" if who.sex == 1 else "female"] += 1
        tally["ethnicity", group] += 1
        tally["time_at_home_on_order", time_band(years_between(first.decom, snapshot))] += 1
    every = [("age_band", age_band(a)) for a in (0, 1, 5, 10, 16)] + [("sex", "male"), ("sex", "female")] + \
        [("ethnicity", g) for g in ETHNICITY] + [("time_at_home_on_order", time_band(y)) for y in (0, 1, 2, 5)]
    return {key: (full[key], interim[key]) for key in every}

