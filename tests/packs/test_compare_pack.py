"""The compare pack: flows summed, stocks averaged over their snapshots, and the area's figure over the
LAs matched on both sides only."""

import re

from tests.packs.helpers import make_group, order, pack, put_counts, submit
from tests.payloads import KNOWSLEY, LIVERPOOL

PLO = {"before": "2009-04-01:2014-03-31", "after": "2014-04-01:2019-03-31"}


async def test_orders_made_before_and_after_the_plo_are_summed(api):
    admin = api("admin")
    before = [order(f"B{i}", order_date="2012-05-01", status_date="2013-01-01") for i in range(84)]
    after = [order(f"A{i}", order_date="2016-05-01", status_date="2017-01-01") for i in range(413)]
    await submit(admin, LIVERPOOL, "orders", before + after)
    body = await pack(admin, "compare", la=LIVERPOOL, measure="orders_made", **PLO)
    total = body["total"]
    assert (total["before"]["value"], total["after"]["value"], total["change"], total["pct_change"]) == (84, 413, 329, 391.7)
    assert body["kind"] == "flow" and total["before"]["used"] == ["2009-10", "2010-11", "2011-12", "2012-13", "2013-14"]
    assert [(y["year"], y["value"]) for y in body["years"] if y["value"]] == [("2012-13", 84), ("2016-17", 413)]


async def test_a_returned_flow_is_summed_over_every_31_march_of_each_period(api):
    admin = api("admin")
    for year in range(2010, 2020):
        await put_counts(admin, LIVERPOOL, f"{year}-03-31", orders_made_in_year=year - 2000)
    body = await pack(admin, "compare", area=LIVERPOOL, measure="orders_made_in_year", **PLO)
    total = body["total"]
    assert (total["before"]["value"], total["after"]["value"]) == (10 + 11 + 12 + 13 + 14, 15 + 16 + 17 + 18 + 19)
    assert total["before"]["used"] == [f"{y}-03-31" for y in range(2010, 2015)] and total["before"]["snapshots"] == 5


async def test_a_stock_is_the_mean_of_its_snapshots_not_their_sum(api):
    """Three 31 March snapshots against two: summing them reported a fall where the yearly totals rose."""
    admin = api("admin")
    for year, full in ((2017, 100), (2018, 110), (2019, 120), (2020, 130), (2021, 140)):
        await put_counts(admin, LIVERPOOL, f"{year}-03-31", full_care_orders_at_home=full)
    body = await pack(admin, "compare", area=LIVERPOOL, measure="full_care_orders_at_home",
                      before="2017-01-01:2019-03-31", after="2019-04-01:2021-03-31")
    total = body["total"]
    assert body["kind"] == "stock"
    assert (total["before"]["value"], total["after"]["value"], total["change"], total["pct_change"]) == (110, 135, 25, 22.7)
    assert total["after"]["used"] == ["2020-03-31", "2021-03-31"]


async def test_an_la_that_missed_a_snapshot_is_left_out_of_the_area_and_named(api):
    admin = api("admin")
    await make_group(admin, "merseyside-pair", [LIVERPOOL, KNOWSLEY])
    for year in range(2017, 2022):
        await put_counts(admin, LIVERPOOL, f"{year}-03-31", full_care_orders_at_home=100)
        if year != 2018:
            await put_counts(admin, KNOWSLEY, f"{year}-03-31", full_care_orders_at_home=50)
    body = await pack(admin, "compare", area="merseyside-pair", measure="full_care_orders_at_home",
                      before="2016-04-01:2019-03-31", after="2019-04-01:2021-03-31")
    assert body["matched_las"] == 1 and body["left_out"] == [{"code": KNOWSLEY, "name": "Knowsley"}]
    assert (body["total"]["before"]["value"], body["total"]["after"]["value"]) == (100, 100)
    knowsley = next(row for row in body["las"] if row["code"] == KNOWSLEY)
    assert knowsley["matched"] is False and knowsley["change"] is None
    assert knowsley["before"]["used"] == ["2017-03-31", "2019-03-31"] and knowsley["before"]["value"] == 50


async def test_the_compare_page_draws_the_years_behind_both_periods(api):
    admin = api("admin")
    for year in range(2017, 2022):
        await put_counts(admin, LIVERPOOL, f"{year}-03-31", orders_made_in_year=20 + year % 10)
    response = await admin.get("/api/v1/packs/compare", params={
        "area": LIVERPOOL, "measure": "orders_made_in_year", "before": "2016-04-01:2019-03-31",
        "after": "2019-04-01:2021-03-31", "format": "html"})
    assert response.status_code == 200
    # A flow's bar is named by the financial year it counts, with its side, and each side is named over its bars.
    drawn = re.findall(r'<g class="year-bar" data-key="[^"]*" data-label="([^"]*)" data-value="([^"]*)" data-state="shown" '
                       r'aria-label="[^"]*" data-side="([^"]*)"', response.text)
    assert drawn == [("2016-17", "27", "before"), ("2017-18", "28", "before"), ("2018-19", "29", "before"),
                     ("2019-20", "20", "after"), ("2020-21", "21", "after")]
    assert re.findall(r'class="legend side">(\w+)<', response.text) == ["Before", "After"]
    assert response.text.count('class="divider"') == 1
    # Each LA's years behind each period are listed beside its figures.
    assert "<td class=\"\">2017-03-31, 2018-03-31, 2019-03-31</td><td class=\"\">2020-03-31, 2021-03-31</td>" in \
        response.text


async def test_bad_compare_queries_are_422(api):
    admin = api("admin")
    for query in ({"la": LIVERPOOL, "measure": "vibes", **PLO},
                  {"la": LIVERPOOL, "area": "E12000002", "measure": "orders_made", **PLO},
                  {"measure": "orders_made", **PLO},
                  {"la": LIVERPOOL, "measure": "orders_made", "before": "2014", "after": PLO["after"]},
                  {"la": LIVERPOOL, "measure": "orders_made", "before": "2014-03-31:2009-04-01", "after": PLO["after"]}):
        response = await admin.get("/api/v1/packs/compare", params=query)
        assert response.status_code == 422, query


async def test_a_suppressed_reader_cannot_subtract_two_compares_to_get_a_hidden_year(api):
    """2016-17 alone against 2016-17 with 2017-18 gave the hidden 3 orders of 2017-18 by subtraction."""
    admin, portal = api("admin"), api("portal", area="E12000002")
    made = [order(f"P{i}", order_date="2016-06-01", status_date="2016-12-01") for i in range(10)]
    made += [order(f"Q{i}", order_date="2017-06-01", status_date="2017-12-01") for i in range(3)]
    made += [order(f"R{i}", order_date="2018-06-01", status_date="2018-12-01") for i in range(20)]
    await submit(admin, LIVERPOOL, "orders", made)
    one_year = await pack(portal, "compare", la=LIVERPOOL, measure="orders_made",
                          before="2016-04-01:2017-03-31", after="2018-04-01:2019-03-31")
    two_years = await pack(portal, "compare", la=LIVERPOOL, measure="orders_made",
                           before="2016-04-01:2018-03-31", after="2018-04-01:2019-03-31")
    assert one_year["total"]["before"]["value"] == 10 and one_year["total"]["after"]["value"] == 20
    assert two_years["total"]["before"] == two_years["total"]["before"] | {"value": None, "suppressed": {"value": "c"}}
    assert [y["value"] for y in two_years["years"] if y["year"] == "2017-18"] == [None]


async def test_a_stock_compared_hides_what_the_care_orders_pack_hides_for_the_same_31_march(api):
    admin, portal = api("admin"), api("portal", area="E12000002")
    await put_counts(admin, LIVERPOOL, "2017-03-31", interim_care_orders_at_home=4)
    await put_counts(admin, LIVERPOOL, "2018-03-31", interim_care_orders_at_home=30)
    await put_counts(admin, LIVERPOOL, "2019-03-31", interim_care_orders_at_home=40)
    care_orders = await pack(portal, "care-orders-at-home", area=LIVERPOOL, **{"from": "2016-04-01", "to": "2017-03-31"})
    assert care_orders["dates"][0]["las"][0]["interim_care_orders_at_home"] is None
    compared = await pack(portal, "compare", la=LIVERPOOL, measure="interim_care_orders_at_home",
                          before="2016-04-01:2018-03-31", after="2018-04-01:2019-03-31")
    # A mean of 17 over two known dates would give the hidden 4 against the 30 shown for 2018.
    assert compared["total"]["before"]["value"] is None and compared["total"]["after"]["value"] == 40
