"""Two disclosure levels: `full` (admins, and a client an admin grants it, every pack read logged) and
`suppressed` (small numbers hidden, and nothing that would let them be worked back: no `as_of`, no
counts of records in a pack's metadata)."""

from sqlalchemy import select

from app.access_log.models import AccessLogEntry
from tests.packs.helpers import order, pack, put_counts, submit
from tests.payloads import KNOWSLEY, LIVERPOOL, NORTH_WEST

RANGE = {"from": "2020-04-01", "to": "2021-03-31"}


async def _small_numbers(admin) -> None:
    await put_counts(admin, LIVERPOOL, "2021-03-31", interim_care_orders_at_home=3)
    await put_counts(admin, KNOWSLEY, "2021-03-31", interim_care_orders_at_home=2)


async def test_a_portal_granted_full_disclosure_sees_every_figure_an_admin_sees(api):
    admin = api("admin")
    await _small_numbers(admin)
    board = api("portal", area=NORTH_WEST, disclosure="full")
    seen = await pack(board, "care-orders-at-home", area=NORTH_WEST, **RANGE)
    unsuppressed = await pack(admin, "care-orders-at-home", area=NORTH_WEST, **RANGE)
    assert seen["suppression"]["applied"] is False and seen["dates"] == unsuppressed["dates"]
    assert {r["la"]: r["interim_care_orders_at_home"] for r in seen["dates"][0]["las"]} == {LIVERPOOL: 3, KNOWSLEY: 2}


async def test_a_suppressed_portal_still_sees_small_numbers_as_c(api):
    admin = api("admin")
    await _small_numbers(admin)
    seen = await pack(api("portal", area=NORTH_WEST), "care-orders-at-home", area=NORTH_WEST, **RANGE)
    row = next(r for r in seen["dates"][0]["las"] if r["la"] == LIVERPOOL)
    assert row["interim_care_orders_at_home"] is None and row["suppressed"]["interim_care_orders_at_home"] == "c"


async def test_every_pack_a_full_disclosure_portal_reads_is_logged_for_each_la_it_shows(api, db):
    admin = api("admin")
    await _small_numbers(admin)
    board = api("portal", area=NORTH_WEST, disclosure="full", name="NW board")
    first = await board.get("/api/v1/packs/care-orders-at-home", params={"area": LIVERPOOL, **RANGE})
    repeat = await board.get("/api/v1/packs/care-orders-at-home", params={"area": LIVERPOOL, **RANGE},
                             headers={"If-None-Match": first.headers["etag"]})
    assert (first.status_code, repeat.status_code) == (200, 304)
    logged = db.scalars(select(AccessLogEntry).where(AccessLogEntry.action == "pack_read")).all()
    assert [(e.la_code, e.dataset, e.record_key) for e in logged] == [(LIVERPOOL, "care-orders-at-home", LIVERPOOL)] * 2


async def test_pack_reads_by_admins_and_suppressed_readers_are_not_logged(api, db):
    admin = api("admin")
    await _small_numbers(admin)
    for client in (admin, api("portal", area=NORTH_WEST)):
        await pack(client, "care-orders-at-home", area=NORTH_WEST, **RANGE)
    assert db.scalars(select(AccessLogEntry).where(AccessLogEntry.action == "pack_read")).all() == []


async def test_as_of_is_refused_to_a_suppressed_reader_and_says_why(api):
    admin = api("admin")
    await _small_numbers(admin)
    for reader in (api("portal", area=NORTH_WEST), api("la", la=LIVERPOOL)):
        response = await reader.get("/api/v1/packs/care-orders-at-home",
                                    params={"area": NORTH_WEST, **RANGE, "as_of": "2030-01-01T00:00:00Z"})
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/problem+json"
        assert "full disclosure" in response.json()["detail"]
    board = api("portal", area=NORTH_WEST, disclosure="full")
    assert (await board.get("/api/v1/packs/care-orders-at-home",
                            params={"area": NORTH_WEST, **RANGE, "as_of": "2030-01-01T00:00:00Z"})).status_code == 200


async def test_a_suppressed_reader_gets_no_count_of_records_in_sources_or_compare(api):
    admin = api("admin")
    orders = [order(f"O{i}", order_date="2020-06-01", status_date="2020-07-01") for i in range(3)]
    await submit(admin, LIVERPOOL, "orders", orders)
    portal = api("portal", area=NORTH_WEST)
    outcomes = await pack(portal, "outcomes", area=NORTH_WEST, **RANGE)
    assert [s["records"] for s in outcomes["sources"]] == [None]
    compare = await pack(portal, "compare", area=NORTH_WEST, measure="orders_made",
                         before="2019-04-01:2020-03-31", after="2020-04-01:2021-03-31")
    assert {compare["total"][side]["snapshots"] for side in ("before", "after")} == {None}
    full = await pack(admin, "compare", area=NORTH_WEST, measure="orders_made",
                      before="2019-04-01:2020-03-31", after="2020-04-01:2021-03-31")
    assert full["total"]["after"]["snapshots"] == 3 and (await pack(admin, "outcomes", area=NORTH_WEST, **RANGE)
                                                          )["sources"][0]["records"] == 3
