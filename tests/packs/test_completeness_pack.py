from tests.packs.helpers import make_group, pack, put_counts
from tests.payloads import KNOWSLEY, LIVERPOOL


async def test_missing_dates_items_and_datasets_are_listed_per_la(api):
    admin = api("admin")
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    await put_counts(admin, LIVERPOOL, "2020-03-31", orders_made_in_year=10)
    await put_counts(admin, LIVERPOOL, "2021-03-31")
    body = await pack(admin, "completeness", area="merseyside", **{"from": "2019-04-01", "to": "2021-03-31"})
    rows = {r["code"]: r for r in body["las"]}
    assert rows[LIVERPOOL]["care_order_counts"] == {"expected": 2, "returned": 2, "missing": []}
    assert "orders_made_in_year" in rows[LIVERPOOL]["items_not_returned"]["2021-03-31"]
    assert "orders_made_in_year" not in rows[LIVERPOOL]["items_not_returned"]["2020-03-31"]
    assert rows[KNOWSLEY]["care_order_counts"]["missing"] == ["2020-03-31", "2021-03-31"]
    assert rows[KNOWSLEY]["audit_programme"]["returned"] == 0 and rows[KNOWSLEY]["audit_programme"]["expected"] == 24
    assert not rows[LIVERPOOL]["complete"] and not rows[KNOWSLEY]["orders_returned"]
