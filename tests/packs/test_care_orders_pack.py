from tests.packs.helpers import make_group, pack, put_counts
from tests.payloads import ENGLAND, KNOWSLEY, LIVERPOOL, NORTH_WEST

DAY = "2021-03-31"


async def test_figures_per_la_and_area_are_exact(api):
    admin = api("admin")
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    await put_counts(admin, LIVERPOOL, DAY, cla_total=1450, full_care_orders_at_home=120, interim_care_orders_at_home=35)
    await put_counts(admin, KNOWSLEY, DAY, cla_total=600, full_care_orders_at_home=50, interim_care_orders_at_home=14)
    await admin.put(f"/api/v1/local-authorities/{LIVERPOOL}/population/2021", json={"children_0_17": 105400})
    body = await pack(admin, "care-orders-at-home", area="merseyside", **{"from": "2021-01-01", "to": DAY})
    [at] = body["dates"]
    liverpool = next(r for r in at["las"] if r["la"] == LIVERPOOL)
    assert (liverpool["total_at_home"], liverpool["pct_of_cla"], liverpool["rate_per_10k"]) == (155, 10.7, 14.7)
    knowsley = next(r for r in at["las"] if r["la"] == KNOWSLEY)
    assert knowsley["rate_per_10k"] is None  # no population returned: null, never 0
    total = at["total"]
    assert (total["total_at_home"], total["cla_total"], total["pct_of_cla"]) == (219, 2050, 10.7)
    assert (total["las_returned"], total["las_expected"]) == (2, 2)
    assert total["orders_made_in_year"] is None


async def test_percentages_round_half_up_to_one_place(api):
    admin = api("admin")
    # 13 / 400 = 3.25% exactly: published tables show 3.3, not banker's 3.2.
    await put_counts(admin, LIVERPOOL, DAY, cla_total=400, full_care_orders_at_home=10, interim_care_orders_at_home=3)
    body = await pack(admin, "care-orders-at-home", area=LIVERPOOL, **{"from": DAY, "to": DAY})
    assert body["dates"][0]["las"][0]["pct_of_cla"] == 3.3


async def test_change_on_previous_uses_the_previous_snapshot(api):
    admin = api("admin")
    for day, full in (("2019-03-31", 100), ("2020-03-31", 110), (DAY, 104)):
        await put_counts(admin, LIVERPOOL, day, full_care_orders_at_home=full)
    body = await pack(admin, "care-orders-at-home", area=LIVERPOOL, **{"from": "2020-01-01", "to": DAY})
    changes = [(d["snapshot_date"], d["las"][0]["change_on_previous"], d["total"]["change_on_previous"]) for d in body["dates"]]
    assert changes == [("2020-03-31", 10, 10), (DAY, -6, -6)]
    first = await pack(admin, "care-orders-at-home", area=LIVERPOOL, **{"from": "2019-01-01", "to": "2019-12-31"})
    assert first["dates"][0]["las"][0]["change_on_previous"] is None


async def test_region_pack_compares_with_every_region_and_england(api):
    admin = api("admin")
    await put_counts(admin, LIVERPOOL, DAY)
    await put_counts(admin, "202", DAY, full_care_orders_at_home=30, interim_care_orders_at_home=10)  # Camden, London
    body = await pack(admin, "care-orders-at-home", area=NORTH_WEST, **{"from": DAY, "to": DAY})
    comparators = {c["area"]: c for c in body["dates"][0]["comparators"]}
    assert len(comparators) == 10 and comparators[ENGLAND]["total_at_home"] == 160
    assert comparators["E12000007"]["total_at_home"] == 40 and comparators["E12000001"]["total_at_home"] is None
    assert comparators[NORTH_WEST]["las_expected"] == 23


async def test_as_of_rebuilds_the_pack_as_it_stood(api):
    admin = api("admin")
    await put_counts(admin, LIVERPOOL, DAY, full_care_orders_at_home=100)
    before = await pack(admin, "care-orders-at-home", area=LIVERPOOL, **{"from": DAY, "to": DAY})
    await put_counts(admin, LIVERPOOL, DAY, full_care_orders_at_home=140)
    now = await pack(admin, "care-orders-at-home", area=LIVERPOOL, **{"from": DAY, "to": DAY})
    then = await pack(admin, "care-orders-at-home", area=LIVERPOOL, **{"from": DAY, "to": DAY,
                                                                        "as_of": before["generated_at"]})
    assert now["dates"][0]["las"][0]["full_care_orders_at_home"] == 140
    assert then["dates"][0]["las"][0]["full_care_orders_at_home"] == 100
    assert then["dates"] == before["dates"]
    source = next(s for s in then["sources"] if s["la"] == LIVERPOOL and s["dataset"] == "care-order-counts")
    assert (source["key"], source["version"]) == (DAY, 1)
    assert next(s for s in now["sources"] if s["la"] == LIVERPOOL)["version"] == 2


async def test_small_counts_are_hidden_from_a_portal_and_shown_to_admin(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    await put_counts(admin, LIVERPOOL, DAY, full_care_orders_at_home=100, interim_care_orders_at_home=3)
    await put_counts(admin, KNOWSLEY, DAY, full_care_orders_at_home=50, interim_care_orders_at_home=12)
    seen = (await pack(portal, "care-orders-at-home", area="merseyside", **{"from": "2020-04-01", "to": DAY}))["dates"][0]
    liverpool = next(r for r in seen["las"] if r["la"] == LIVERPOOL)
    assert liverpool["interim_care_orders_at_home"] is None and liverpool["suppressed"]["interim_care_orders_at_home"] == "c"
    assert liverpool["pct_of_cla"] is not None or "pct_of_cla" in liverpool["suppressed"]
    assert liverpool["full_care_orders_at_home"] is None  # secondary: else 103 - 100 gives it away
    unsuppressed = (await pack(admin, "care-orders-at-home", area="merseyside", **{"from": DAY, "to": DAY}))
    assert unsuppressed["suppression"]["cells_hidden"] == 0
    assert next(r for r in unsuppressed["dates"][0]["las"] if r["la"] == LIVERPOOL)["interim_care_orders_at_home"] == 3


async def test_an_la_sees_its_own_small_counts(api):
    admin, liverpool = api("admin"), api("la", la=LIVERPOOL)
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    await put_counts(admin, LIVERPOOL, DAY, interim_care_orders_at_home=3)
    await put_counts(admin, KNOWSLEY, DAY, interim_care_orders_at_home=4)
    seen = (await pack(liverpool, "care-orders-at-home", area="merseyside", **{"from": "2020-04-01", "to": DAY}))["dates"][0]
    rows = {r["la"]: r for r in seen["las"]}
    assert rows[LIVERPOOL]["interim_care_orders_at_home"] == 3
    assert rows[KNOWSLEY]["interim_care_orders_at_home"] is None
    assert seen["total"]["interim_care_orders_at_home"] is None  # 7 - 3 would give Knowsley's 4


async def test_share_placed_with_parents_is_given_beside_the_orders_at_home(api):
    admin = api("admin")
    # North West 2019/20: about 13% of children looked after were placed with parents.
    await put_counts(admin, LIVERPOOL, DAY, cla_total=1500, placed_with_parents=195, full_care_orders_at_home=150,
                     interim_care_orders_at_home=30)
    row = (await pack(admin, "care-orders-at-home", area=LIVERPOOL, **{"from": DAY, "to": DAY}))["dates"][0]["las"][0]
    assert (row["placed_with_parents"], row["pct_placed_with_parents"], row["pct_of_cla"]) == (195, 13.0, 12.0)
