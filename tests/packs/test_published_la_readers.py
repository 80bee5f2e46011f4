"""An LA client reads the tables a portal reads, and is shown its own figures besides (`published.owns`)."""

from tests.packs.helpers import count_decisions, make_group, pack, put_counts
from tests.payloads import KNOWSLEY, LIVERPOOL, NORTH_WEST

DAY = "2021-03-31"
RANGE = {"from": "2020-04-01", "to": DAY}


async def test_an_la_clients_packs_decide_no_table_a_portal_has_decided(api, monkeypatch):
    admin, portal, liverpool = api("admin"), api("portal", area=NORTH_WEST), api("la", la=LIVERPOOL)
    await put_counts(admin, LIVERPOOL, DAY, interim_care_orders_at_home=3)
    await put_counts(admin, KNOWSLEY, DAY, interim_care_orders_at_home=40)
    await pack(portal, "care-orders-at-home", area=NORTH_WEST, **RANGE)
    decisions = count_decisions(monkeypatch)
    await pack(liverpool, "care-orders-at-home", area=NORTH_WEST, **RANGE)
    await pack(liverpool, "care-orders-at-home", area=LIVERPOOL, **RANGE)
    assert decisions == []


async def test_an_la_client_sees_its_own_small_count_that_a_portal_is_shown_as_c(api):
    admin, portal, liverpool = api("admin"), api("portal", area=NORTH_WEST), api("la", la=LIVERPOOL)
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    await put_counts(admin, LIVERPOOL, DAY, interim_care_orders_at_home=3)
    await put_counts(admin, KNOWSLEY, DAY, interim_care_orders_at_home=4)

    def rows(body):
        return {r["la"]: r for r in body["dates"][0]["las"]}
    as_portal = rows(await pack(portal, "care-orders-at-home", area="merseyside", **RANGE))
    as_liverpool = rows(await pack(liverpool, "care-orders-at-home", area="merseyside", **RANGE))
    assert as_portal[LIVERPOOL]["interim_care_orders_at_home"] is None
    assert as_liverpool[LIVERPOOL]["interim_care_orders_at_home"] == 3
    assert as_liverpool[KNOWSLEY]["interim_care_orders_at_home"] is None
    assert as_liverpool[KNOWSLEY]["suppressed"] == as_portal[KNOWSLEY]["suppressed"]
