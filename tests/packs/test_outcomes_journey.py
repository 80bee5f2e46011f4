"""The child's journey in the outcomes pack: each figure against a case worked by hand, and what a suppressed
reader is never shown.

Medians and quartiles are the inclusive method (QUARTILE.INC): for n sorted values the quartile p sits at
rank (n - 1) * p from 0, interpolated between the two ranks around it, so the median of an even count is the
mean of the two middle values."""

from datetime import date, timedelta
from typing import Any

from tests.packs.helpers import order, pack, submit
from tests.payloads import KNOWSLEY, LIVERPOOL, NORTH_WEST

YEAR = {"from": "2019-04-01", "to": "2020-03-31"}
TWO_YEARS = {"from": "2019-04-01", "to": "2021-03-31"}
ISSUED = date(2019, 4, 2)


def heard(ref: str, weeks: int, issued: date = ISSUED, **values: Any) -> dict[str, Any]:
    """An order made on the day proceedings were issued, its final hearing `weeks` later."""
    hearing = (issued + timedelta(weeks=weeks)).isoformat()
    return order(ref, order_date=issued.isoformat(), proceedings_issued=issued.isoformat(), final_hearing=hearing,
                 status_date=hearing, **values)


def discharged(ref: str, made: str, ended: str, **values: Any) -> dict[str, Any]:
    return order(ref, order_date=made, current_status="discharged", status_date=ended, discharge_date=ended,
                 discharge_outcome="no_order", **values)


def year_of(body: dict[str, Any], code: str, year: str) -> dict[str, Any]:
    # An LA's own pack has its row twice (the LA and the area it is): the first.
    return next(r for r in body["proceedings_years"] if r["code"] == code and r["year"] == year)


async def test_each_breakdown_counts_the_orders_made_and_adds_up_to_them(api):
    admin = api("admin")
    ages = [0, 1, 4, 5, 9, 10, 15, 16, 17]
    records = [order(f"A{i}", age_at_order=age) for i, age in enumerate(ages)]
    records[0] |= {"sex": "female", "ethnicity": "black", "disability": True, "category_of_need": "N1",
                   "proceedings_type": "public_law", "order_type": "interim_care_order"}
    records[1] |= {"sex": "other", "ethnicity": "other", "category_of_need": "N7"}
    records.append(order("OLD", order_date="2018-01-01"))  # made before the range: in no breakdown
    await submit(admin, LIVERPOOL, "orders", records)
    total = (await pack(admin, "outcomes", area=LIVERPOOL, **YEAR))["total"]
    assert total["by_age_band"]["counts"] == {"under_1": 1, "1_to_4": 2, "5_to_9": 2, "10_to_15": 2, "16_and_over": 2}
    assert total["by_order_type"]["counts"] == {"full_care_order": 8, "interim_care_order": 1}
    assert total["by_sex"]["counts"] == {"male": 0, "female": 1, "other_or_not_known": 8}
    assert total["by_ethnicity"]["counts"]["black"] == 1 and total["by_ethnicity"]["counts"]["other_or_not_known"] == 8
    assert total["by_disability"]["counts"] == {"yes": 1, "no": 0, "not_recorded": 8}
    assert total["by_category_of_need"]["counts"] == {"N1": 1, "N4": 0, "N5": 0, "other_need": 1, "not_recorded": 7}
    assert {total[b]["total"] for b in total if b.startswith("by_")} == {9}


async def test_time_in_proceedings_takes_the_median_and_quartiles_by_year_of_final_hearing(api):
    admin = api("admin")
    weeks = [10, 20, 26, 30, 40, 50]  # ranks 1.25, 2.5, 3.75: 20 + .25 * 6, the mean of 26 and 30, 30 + .75 * 10
    records = [heard(f"H{w}", w) for w in weeks]
    # Ties in 2020-21: 26, 26, 26, 30 -> lower quartile and median 26, upper 26 + 0.25 * 4 = 27.
    records += [heard(f"T{i}", w, date(2020, 4, 2)) for i, w in enumerate([26, 26, 26, 30])]
    records.append(order("WAIT", order_date="2019-05-01", proceedings_issued="2019-05-01"))  # no final hearing yet
    await submit(admin, LIVERPOOL, "orders", records)
    body = await pack(admin, "outcomes", area=LIVERPOOL, **TWO_YEARS)
    first = year_of(body, LIVERPOOL, "2019-20")
    assert first["time_in_proceedings"]["total"] == 6
    assert first["time_in_proceedings"]["counts"] == {"within_26_weeks": 3, "over_26_weeks": 3}  # 26 weeks is within
    assert (first["lower_quartile_weeks"], first["median_weeks"], first["upper_quartile_weeks"]) == (21.5, 28.0, 37.5)
    ties = year_of(body, LIVERPOOL, "2020-21")
    assert (ties["lower_quartile_weeks"], ties["median_weeks"], ties["upper_quartile_weeks"]) == (26.0, 26.0, 27.0)
    assert ties["time_in_proceedings"]["shares"]["within_26_weeks"] == 75.0


async def test_an_order_with_no_final_hearing_is_left_out_of_the_weeks_and_counted_as_awaiting(api):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "orders", [heard("H1", 30), order("WAIT1"), order("WAIT2")])
    body = await pack(admin, "outcomes", area=LIVERPOOL, **YEAR)
    assert body["total"]["awaiting_final_hearing"] == 2
    row = year_of(body, LIVERPOOL, "2019-20")
    assert (row["time_in_proceedings"]["total"], row["median_weeks"]) == (1, 30.0)


async def test_agreement_rates_count_matches_among_orders_with_both_recorded(api):
    admin = api("admin")
    home, removal = "care_order_at_home", "care_order_removal"
    records = [order(f"M{i}", la_initial_care_plan=home, la_final_care_plan=home, guardian_recommendation=home,
                     court_outcome=home, contested_final_hearing=False) for i in range(3)]
    records += [order("D1", la_initial_care_plan=removal, la_final_care_plan=home, guardian_recommendation=removal,
                      court_outcome=home, contested_final_hearing=True)]
    records += [order("N1", court_outcome=home)]  # nothing else recorded: in no rate
    await submit(admin, LIVERPOOL, "orders", records)
    total = (await pack(admin, "outcomes", area=LIVERPOOL, **YEAR))["total"]
    assert total["agreement_initial_plan"]["counts"] == {"matched": 3, "differed": 1}
    assert total["agreement_initial_plan"]["shares"]["matched"] == 75.0
    assert total["agreement_final_plan"]["counts"] == {"matched": 4, "differed": 0}
    assert total["agreement_guardian"]["shares"]["matched"] == 75.0
    assert (total["contested_final_hearing"]["total"], total["contested_final_hearing"]["shares"]["yes"]) == (4, 25.0)
    assert total["initial_vs_final_plan"]["counts"][f"{removal}|{home}"] == 1
    assert total["guardian_vs_outcome"]["counts"][f"{home}|{home}"] == 3


async def test_time_on_order_bands_its_median_and_re_referral_of_discharged_orders(api):
    admin = api("admin")
    records = [discharged("U", "2019-06-01", "2020-01-10", re_referred_within_12_months=True),
               discharged("A", "2018-06-01", "2019-06-01", re_referred_within_12_months=False),  # an anniversary: 1 year
               discharged("B", "2016-05-01", "2019-06-01", re_referred_within_12_months=False),
               discharged("C", "2013-05-01", "2019-06-01")]  # re-referral not recorded: left out of its share
    await submit(admin, LIVERPOOL, "orders", records)
    total = (await pack(admin, "outcomes", area=LIVERPOOL, **YEAR))["total"]
    assert total["time_on_order"]["counts"] == {"under_1_year": 1, "1_to_2_years": 1, "2_to_5_years": 1,
                                                "5_years_plus": 1}
    assert total["median_years_on_order"] == 2.0  # (1.0 + 3.08) / 2 years, to one decimal
    assert (total["re_referred_within_12_months"]["total"], total["re_referred_within_12_months"]["shares"]["yes"]) \
        == (3, 33.3)


async def test_a_median_over_ten_orders_is_shown_to_a_suppressed_reader_and_over_nine_is_not(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await submit(admin, LIVERPOOL, "orders", [heard(f"L{i}", 20 + i) for i in range(9)])
    await submit(admin, KNOWSLEY, "orders", [heard(f"K{i}", 20 + i) for i in range(10)])
    body = await pack(portal, "outcomes", area=NORTH_WEST, **YEAR)
    liverpool, knowsley = year_of(body, LIVERPOOL, "2019-20"), year_of(body, KNOWSLEY, "2019-20")
    assert (liverpool["median_weeks"], liverpool["suppressed"].get("median_weeks")) == (None, "c")
    assert liverpool["time_in_proceedings"]["total"] == 9  # the count itself is no small number
    assert knowsley["median_weeks"] == 24.5



async def test_a_median_over_no_order_is_not_there_rather_than_suppressed(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await submit(admin, KNOWSLEY, "orders", [heard(f"K{i}", 20 + i) for i in range(10)])
    await submit(admin, LIVERPOOL, "orders", [heard("L1", 30, issued=date(2020, 5, 1))])  # heard the year after
    body = await pack(portal, "outcomes", area=NORTH_WEST, **YEAR)
    liverpool = year_of(body, LIVERPOOL, "2019-20")
    assert liverpool["time_in_proceedings"]["total"] == 0
    assert liverpool["median_weeks"] is None and "median_weeks" not in liverpool["suppressed"]

def _small_counts(node: Any, path: str = "") -> list[str]:
    """Every count of 1..5 anywhere in a pack: a distribution's counts and total, and lone counts."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("counts", "suppression", "suppressed", "sources") or key.startswith("las_"):
                if key == "counts":
                    found += [f"{path}.counts.{k}" for k, v in value.items() if isinstance(v, int) and 1 <= v <= 5]
                continue
            if key in ("total", "awaiting_final_hearing") and isinstance(value, int) and 1 <= value <= 5:
                found.append(f"{path}.{key}")
            found += _small_counts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            found += _small_counts(item, f"{path}[{i}]")
    return found


def _statistics_over_few(body: dict[str, Any], truth: dict[str, Any]) -> list[str]:
    """Medians and quartiles the reader sees that an admin's pack says are over fewer than 10 orders."""
    few = []
    for shown, real in zip(body["proceedings_years"], truth["proceedings_years"], strict=True):
        if (real["time_in_proceedings"]["total"] or 0) < 10:
            few += [f"{shown['code']} {shown['year']} {name}" for name in
                    ("lower_quartile_weeks", "median_weeks", "upper_quartile_weeks") if shown[name] is not None]
    for shown, real in zip([*body["las"], body["total"]], [*truth["las"], truth["total"]], strict=True):
        if (real["time_on_order"]["total"] or 0) < 10 and shown["median_years_on_order"] is not None:
            few.append(f"{shown['code']} median_years_on_order")
    return few


async def test_a_suppressed_reader_never_gets_a_small_count_nor_a_median_over_few_orders(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    home, removal = "care_order_at_home", "care_order_removal"
    mixed = [dict(sex="female", ethnicity="mixed", disability=True, category_of_need="N5", la_initial_care_plan=removal,
                  la_final_care_plan=home, guardian_recommendation=home, court_outcome=home, contested_final_hearing=True,
                  proceedings_type="private_law"),
             dict(sex="male", la_initial_care_plan=home, la_final_care_plan=home, guardian_recommendation=removal,
                  court_outcome=home, contested_final_hearing=False)]
    for la, n in ((LIVERPOOL, 14), (KNOWSLEY, 8)):
        records = [heard(f"{la}-{i}", 18 + 3 * i, age_at_order=i % 17, **mixed[i % 3 == 0]) for i in range(n)]
        records += [discharged(f"{la}-D{i}", "2017-05-01", "2019-09-01", re_referred_within_12_months=i == 0)
                    for i in range(3)]
        await submit(admin, la, "orders", records)
    for query in (YEAR, TWO_YEARS):
        body = await pack(portal, "outcomes", area=NORTH_WEST, **query)
        truth = await pack(admin, "outcomes", area=NORTH_WEST, **query)
        assert body["suppression"]["cells_hidden"] > 0
        assert _small_counts(body) == []
        assert _small_counts(truth) != []  # the data has small counts to hide
        assert _statistics_over_few(body, truth) == []
        assert _statistics_over_few(truth, truth) != []  # and medians over few orders an admin sees
