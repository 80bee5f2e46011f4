import pytest

from app.access.reader import Reader
from app.access.roles import Role
from app.core.errors import ApiError
from app.packs.request import PackArea, check_can_read
from tests.packs.helpers import make_group
from tests.payloads import CUMBRIA, KNOWSLEY, LIVERPOOL, NORTH_WEST

PACK = "/api/v1/packs/care-orders-at-home"


@pytest.mark.parametrize("query, status", [
    ({"area": "E12999999"}, 404),
    ({"area": "999"}, 404),
    ({"area": NORTH_WEST, "from": "2021-03-31", "to": "2020-03-31"}, 422),
    ({"area": NORTH_WEST, "from": "1970-01-01", "to": "2021-03-31"}, 422),
    ({"area": NORTH_WEST, "format": "pdf"}, 422),
    ({"area": NORTH_WEST, "from": "31/02/2020"}, 422),  # 31/03/2020 is taken, day first
    ({"area": NORTH_WEST, "as_of": "yesterday"}, 422),
    ({}, 422),
])
async def test_bad_queries_are_clear_problems(api, query, status):
    response = await api("admin").get(PACK, params=query)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"


async def test_portal_reads_only_inside_its_area(api):
    portal = api("portal", area=NORTH_WEST)
    assert (await portal.get(PACK, params={"area": NORTH_WEST})).status_code == 200
    assert (await portal.get(PACK, params={"area": LIVERPOOL})).status_code == 200
    assert (await portal.get(PACK, params={"area": "E12000007"})).status_code == 403
    assert (await portal.get(PACK, params={"area": "E92000001"})).status_code == 403
    assert (await portal.get(PACK, params={"area": "202"})).status_code == 403


async def test_la_client_may_read_any_pack(api):
    assert (await api("la", la=LIVERPOOL).get(PACK, params={"area": "E92000001"})).status_code == 200


async def test_packs_need_a_key(anonymous):
    assert (await anonymous.get(PACK, params={"area": NORTH_WEST})).status_code == 401


async def test_default_range_from_a_leap_day_and_far_dates_are_handled(api):
    admin = api("admin")
    assert (await admin.get(PACK, params={"area": NORTH_WEST, "to": "2024-02-29"})).status_code == 200
    for query in ({"to": "0003-01-01"}, {"from": "1800-01-01", "to": "1801-01-01"},
                  {"as_of": "9999-12-31T23:59:59-23:59"}):
        response = await admin.get(PACK, params={"area": NORTH_WEST, **query})
        assert response.status_code == 422, query


async def test_a_portal_reads_its_own_group_as_defined_when_its_request_read_it(api, db):
    await make_group(api("admin"), "pair", [LIVERPOOL, KNOWSLEY])
    # The group as the request resolved it, before an admin re-membered it and the scope was checked.
    as_read = PackArea("pair", "Pair", "group", (CUMBRIA,), ((CUMBRIA, None, None),))
    check_can_read(db, Reader(Role.PORTAL, None, "pair", 5), as_read)
    with pytest.raises(ApiError) as refused:
        check_can_read(db, Reader(Role.PORTAL, None, "pair", 5), PackArea("other", "Other", "group", (CUMBRIA,), ()))
    assert refused.value.status == 403
