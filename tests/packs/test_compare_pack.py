from tests.packs.helpers import order, pack, put_counts, submit
from tests.payloads import LIVERPOOL

PLO = {"before": "2009-04-01:2014-03-31", "after": "2014-04-01:2019-03-31"}


async def test_orders_made_before_and_after_the_plo(api):
    admin = api("admin")
    before = [order(f"B{i}", order_date="2012-05-01", status_date="2013-01-01") for i in range(84)]
    after = [order(f"A{i}", order_date="2016-05-01", status_date="2017-01-01") for i in range(413)]
    await submit(admin, LIVERPOOL, "orders", before + after)
    body = await pack(admin, "compare", la=LIVERPOOL, measure="orders_made", **PLO)
    total = body["total"]
    assert (total["before"]["value"], total["after"]["value"], total["change"], total["pct_change"]) == (84, 413, 329, 391.7)


async def test_a_returned_count_is_summed_over_each_period(api):
    admin = api("admin")
    for year, made in ((2013, 10), (2014, 14), (2016, 30), (2018, 40)):
        await put_counts(admin, LIVERPOOL, f"{year}-03-31", orders_made_in_year=made)
    body = await pack(admin, "compare", area=LIVERPOOL, measure="orders_made_in_year", **PLO)
    assert (body["total"]["before"]["value"], body["total"]["after"]["value"], body["total"]["pct_change"]) == (24, 70, 191.7)
    assert body["total"]["before"]["snapshots"] == 2


async def test_bad_compare_queries_are_422(api):
    admin = api("admin")
    for query in ({"la": LIVERPOOL, "measure": "vibes", **PLO},
                  {"la": LIVERPOOL, "area": "E12000002", "measure": "orders_made", **PLO},
                  {"measure": "orders_made", **PLO},
                  {"la": LIVERPOOL, "measure": "orders_made", "before": "2014", "after": PLO["after"]},
                  {"la": LIVERPOOL, "measure": "orders_made", "before": "2014-03-31:2009-04-01", "after": PLO["after"]}):
        response = await admin.get("/api/v1/packs/compare", params=query)
        assert response.status_code == 422, query
