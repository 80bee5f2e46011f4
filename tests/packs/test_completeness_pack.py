from tests.packs.helpers import audit, make_group, order, pack, put_counts, submit
from tests.payloads import KNOWSLEY, LIVERPOOL, NORTH_WEST


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


RANGE = {"from": "2020-04-01", "to": "2021-03-31"}


async def _liverpool_row(client) -> dict:
    body = await pack(client, "completeness", area=LIVERPOOL, **RANGE)
    return next(r for r in body["las"] if r["code"] == LIVERPOOL)


async def test_a_programme_month_whose_returned_differs_from_the_audits_stored_is_a_warning(api):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "audit-programme", [{"month": "2021-02", "planned": 9, "exempted": 0, "returned": 3},
                                                       {"month": "2021-01", "planned": 9, "exempted": 0, "returned": 0}])
    await submit(admin, LIVERPOOL, "audits", [audit("A1", audit_date="2021-02-10")])
    assert (await _liverpool_row(admin))["warnings"] == ["2021-02: audits returned in the programme: 3; audits stored: 1"]


async def test_a_suppressed_reader_is_told_a_check_fails_but_not_how_many_audits(api):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "audit-programme", [{"month": "2021-02", "planned": 9, "exempted": 0, "returned": 3}])
    portal = api("portal", area=NORTH_WEST)
    assert (await _liverpool_row(portal))["warnings"] == [
        "2021-02: audits returned in the programme differ from the audits stored"]


async def test_an_audit_whose_order_was_revised_to_after_it_is_a_warning(api):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "orders", [order("O1", order_date="2019-06-14")])
    await submit(admin, LIVERPOOL, "audits", [audit("A1", audit_date="2021-02-10", order_ref="O1")])
    await submit(admin, LIVERPOOL, "orders", [order("O1", order_date="2021-03-01", status_date="2021-03-02")])
    row = await _liverpool_row(admin)
    assert "audits in the range naming an order not stored, or made after the audit: 1" in row["warnings"]


async def test_discharge_outcomes_left_out_beside_a_returned_total_are_listed(api):
    admin = api("admin")
    await put_counts(admin, LIVERPOOL, "2021-03-31", discharges={"total": 20})  # the total alone, as a 903 extract gives
    body = await pack(admin, "completeness", area=LIVERPOOL, **RANGE)
    missing = body["las"][0]["items_not_returned"]["2021-03-31"]
    assert "discharges_total" not in missing and "discharges_to_supervision_order" in missing
