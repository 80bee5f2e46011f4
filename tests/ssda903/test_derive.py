"""The care-order figures derived from a 903 extract: one test a clause of ssda903-codes.md's definitions, and
agreement with a brute-force derivation written apart (oracle.py) over many random extracts."""

from datetime import date

import pytest

from app.care_order_counts.schemas import CareOrderCountsCreate
from app.ssda903.codes import DIMENSIONS
from app.ssda903.derive import DerivedYear, derive
from app.ssda903.extract import read_extract
from tests.ssda903 import oracle
from tests.ssda903.files import child, episode, read
from tests.ssda903.generator import random_files

ON_ORDER_AT_HOME = ("full_care_orders_at_home", "interim_care_orders_at_home")


def year_of(episodes: list[list], year: int = 2020, children: list[list] | None = None) -> DerivedYear:
    return derive(read(children or [child("A", dob=date(2010, 5, 5))], episodes), [year])[0]


def figures(episodes: list[list], year: int = 2020) -> dict:
    counts = year_of(episodes, year).counts
    return {**{k: v for k, v in counts.items() if k != "discharges"},
            **{f"discharges.{k}": v for k, v in counts["discharges"].items()}}


def band(episodes: list[list], dimension: str, children: list[list] | None = None) -> str:
    """The one category the child on an order at home is counted in."""
    found = year_of(episodes, children=children).characteristics
    return next(category for (dim, category), (full, interim) in found.items() if dim == dimension and full + interim)


# --- on the snapshot date -----------------------------------------------------------------------------------------

def test_an_episode_ending_on_the_snapshot_date_is_not_open_on_it():
    found = figures([episode("A", date(2019, 6, 1), "C2", "P1", date(2020, 3, 31), "E4A")])
    assert (found["cla_total"], found["full_care_orders_at_home"], found["placed_with_parents"]) == (0, 0, 0)


def test_an_episode_starting_on_the_snapshot_date_is_open_on_it():
    found = figures([episode("A", date(2020, 3, 31), "C1", "P1")])
    assert (found["cla_total"], found["interim_care_orders_at_home"], found["placed_with_parents"]) == (1, 1, 1)


def test_placed_with_parents_counts_any_legal_status_and_a_care_order_count_does_not():
    found = figures([episode("A", date(2019, 6, 1), "V2", "P1")])
    assert [found[k] for k in ("cla_total", "placed_with_parents", *ON_ORDER_AT_HOME)] == [1, 1, 0, 0]


def test_a_care_order_in_foster_care_is_looked_after_but_not_at_home():
    found = figures([episode("A", date(2019, 6, 1), "C2", "U1")])
    assert [found[k] for k in ("cla_total", "placed_with_parents", *ON_ORDER_AT_HOME)] == [1, 0, 0, 0]


def test_a_child_on_an_order_across_two_years_is_counted_in_both_and_made_in_the_first():
    extract = read([child("A")], [episode("A", date(2018, 6, 1), "C2", "P1")])
    first, second = derive(extract, [2020, 2019, 2019])
    assert (first.year, first.snapshot_date, second.year) == (2019, date(2019, 3, 31), 2020)
    assert [(y.counts["full_care_orders_at_home"], y.counts["orders_made_in_year"]) for y in (first, second)] == [
        (1, 1), (1, 0)]


# --- orders made --------------------------------------------------------------------------------------------------

def test_an_interim_order_at_home_becoming_a_full_one_through_x1_is_an_order_made_and_an_interim_become_full():
    found = figures([episode("A", date(2019, 6, 1), "C1", "P1", date(2019, 9, 1), "X1"),
                     episode("A", date(2019, 9, 1), "C2", "P1", rne="L")])
    assert [found[k] for k in ("orders_made_in_year", "interim_orders_became_full_orders", *ON_ORDER_AT_HOME)] == [
        1, 1, 1, 0]


def test_an_interim_order_in_foster_care_becoming_a_full_one_at_home_is_an_order_made_but_not_from_an_interim_at_home():
    found = figures([episode("A", date(2019, 6, 1), "C1", "U1", date(2019, 9, 1), "X1"),
                     episode("A", date(2019, 9, 1), "C2", "P1", rne="T")])
    assert (found["orders_made_in_year"], found["interim_orders_became_full_orders"]) == (1, 0)


def test_a_child_on_a_full_order_moving_home_from_foster_care_is_not_an_order_made():
    found = figures([episode("A", date(2018, 6, 1), "C2", "U1", date(2019, 9, 1), "X1"),
                     episode("A", date(2019, 9, 1), "C2", "P1", rne="P")])
    assert (found["orders_made_in_year"], found["full_care_orders_at_home"]) == (0, 1)


def test_an_order_made_before_the_year_is_not_made_in_it():
    assert figures([episode("A", date(2019, 3, 31), "C2", "P1")])["orders_made_in_year"] == 0
    assert figures([episode("A", date(2019, 4, 1), "C2", "P1")])["orders_made_in_year"] == 1


def test_a_return_to_care_after_a_discharge_is_a_new_order_made():
    found = figures([episode("A", date(2018, 6, 1), "C2", "P1", date(2019, 5, 1), "E4A"),
                     episode("A", date(2019, 8, 1), "C2", "P1")])
    assert (found["orders_made_in_year"], found["discharges.total"], found["full_care_orders_at_home"]) == (1, 1, 1)


# --- discharges ---------------------------------------------------------------------------------------------------

def discharged(rec: str, ls: str = "C2", place: str = "P1", dec: date = date(2020, 1, 10)) -> dict:
    found = figures([episode("A", date(2018, 6, 1), ls, place, dec, rec)])
    return {k.removeprefix("discharges."): v for k, v in found.items() if k.startswith("discharges.")}


def test_a_discharge_to_a_special_guardianship_order_counts_in_the_total_and_as_an_sgo():
    assert discharged("E45") == {"total": 1, "to_special_guardianship_order": 1, "to_child_arrangements_order": 0,
                                 "to_no_order": None, "to_supervision_order": None, "to_family_assistance_order": None}


def test_a_discharge_to_a_child_arrangements_order_counts_in_the_total_and_as_one():
    found = discharged("E41")
    assert (found["total"], found["to_child_arrangements_order"], found["to_special_guardianship_order"]) == (1, 1, 0)


def test_an_18th_birthday_is_not_a_discharge():
    assert discharged("E17")["total"] == 0


def test_a_return_home_ending_the_order_is_a_discharge_of_no_known_kind():
    found = discharged("E4A")
    assert (found["total"], found["to_special_guardianship_order"], found["to_child_arrangements_order"]) == (1, 0, 0)


def test_leaving_care_from_an_order_in_foster_care_is_not_a_discharge_of_an_order_at_home():
    assert discharged("E45", place="U1")["total"] == 0


def test_a_discharge_in_the_year_before_is_not_counted():
    assert discharged("E45", dec=date(2019, 3, 31))["total"] == 0
    assert discharged("E45", dec=date(2019, 4, 1))["total"] == 1


# --- characteristics ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("born", "expected"), [
    (date(2019, 4, 1), "under_1"), (date(2019, 3, 31), "1_to_4"), (date(2015, 4, 1), "1_to_4"),
    (date(2015, 3, 31), "5_to_9"), (date(2010, 4, 1), "5_to_9"), (date(2010, 3, 31), "10_to_15"),
    (date(2004, 4, 1), "10_to_15"), (date(2004, 3, 31), "16_and_over")])
def test_age_bands_count_whole_years_with_a_birthday_on_the_snapshot_date(born, expected):
    assert band([episode("A", date(2019, 4, 1), "C2", "P1")], "age_band", [child("A", dob=born)]) == expected


@pytest.mark.parametrize(("since", "expected"), [
    (date(2019, 4, 1), "under_1_year"), (date(2019, 3, 31), "1_to_2_years"), (date(2018, 4, 1), "1_to_2_years"),
    (date(2018, 3, 31), "2_to_5_years"), (date(2015, 4, 1), "2_to_5_years"), (date(2015, 3, 31), "5_years_and_over")])
def test_time_at_home_bands_count_whole_years_with_an_anniversary_on_the_snapshot_date(since, expected):
    assert band([episode("A", since, "C1", "P1")], "time_at_home_on_order") == expected


def test_time_at_home_runs_on_through_episodes_at_home_on_an_order():
    assert band([episode("A", date(2015, 6, 1), "C1", "P1", date(2016, 1, 1), "X1"),
                 episode("A", date(2016, 1, 1), "C2", "P1", rne="L")], "time_at_home_on_order") == "2_to_5_years"


def test_time_at_home_starts_again_after_a_placement_away_from_home():
    assert band([episode("A", date(2015, 6, 1), "C2", "P1", date(2016, 1, 1), "X1"),
                 episode("A", date(2016, 1, 1), "C2", "U1", date(2019, 6, 1), "X1", rne="P"),
                 episode("A", date(2019, 6, 1), "C2", "P1", rne="P")], "time_at_home_on_order") == "under_1_year"


def test_time_at_home_starts_again_after_a_gap_in_care():
    assert band([episode("A", date(2015, 6, 1), "C2", "P1", date(2016, 1, 1), "E4A"),
                 episode("A", date(2016, 1, 2), "C2", "P1")], "time_at_home_on_order") == "2_to_5_years"


def test_sex_and_ethnicity_are_grouped_by_order():
    found = year_of([episode("A", date(2019, 6, 1), "C1", "P1")], children=[child("A", sex=2, ethnic="BAFR")])
    assert found.characteristics["sex", "female"] == (0, 1)
    assert found.characteristics["ethnicity", "black"] == (0, 1)


def test_every_category_is_given_zeros_included_and_each_dimension_adds_up_to_the_counts():
    found = year_of([episode("A", date(2019, 6, 1), "C2", "P1")])
    assert set(found.characteristics) == {(d, c) for d, categories in DIMENSIONS.items() for c in categories}
    for dimension in DIMENSIONS:
        full = sum(f for (d, _), (f, _) in found.characteristics.items() if d == dimension)
        interim = sum(i for (d, _), (_, i) in found.characteristics.items() if d == dimension)
        assert (full, interim) == (1, 0)
    assert found.characteristics["ethnicity", "mixed"] == (0, 0)


def test_the_counts_are_a_valid_care_order_counts_record():
    found = year_of([episode("A", date(2019, 6, 1), "C1", "P1", date(2019, 9, 1), "X1"),
                     episode("A", date(2019, 9, 1), "C2", "P1", date(2020, 2, 1), "E45", rne="L")])
    assert CareOrderCountsCreate.model_validate(found.counts).model_dump() == found.counts


# --- against a derivation written apart -------------------------------------------------------------------------

YEARS = range(2012, 2026)


@pytest.mark.parametrize("seed", range(30))
def test_derive_agrees_with_a_brute_force_derivation(seed):
    extract, problems = read_extract(*random_files(seed))
    assert problems == []
    derived = derive(extract, YEARS)
    assert [d.year for d in derived] == list(YEARS)
    for year in derived:
        CareOrderCountsCreate.model_validate(year.counts)
        assert (year.counts, year.characteristics) == oracle.figures(extract, year.year), year.year


def test_the_random_extracts_meet_every_clause_and_category():
    """Agreement means little if the figures it agrees on are zeros: across a few seeds every one is met."""
    totals: dict[str, int] = {}
    for seed in range(3):
        extract, _ = read_extract(*random_files(seed))
        for year in YEARS:
            counts, characteristics = oracle.figures(extract, year)
            found = {**counts, **{f"discharges.{k}": v for k, v in counts["discharges"].items()},
                     **{f"{key} {order}": pair[i] for key, pair in characteristics.items()
                        for i, order in enumerate(("full", "interim"))}}
            for key, value in found.items():
                if isinstance(value, int):
                    totals[key] = totals.get(key, 0) + value
    assert len(totals) == 9 + 2 * 17   # nine counts the 903 can tell, 17 categories by two orders
    assert [key for key, total in totals.items() if total < 5] == []
