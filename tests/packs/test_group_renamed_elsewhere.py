"""A group's name is shown in other areas' packs (their benchmarks name the groups beside each LA): renamed, those
packs must name it anew, not be answered 304 or with a stored copy bearing the old name."""

from tests.packs.helpers import make_group, put_counts
from tests.payloads import KNOWSLEY, LIVERPOOL, NORTH_WEST

DAY = "2021-03-31"
QUERY = {"from": "2020-04-01", "to": DAY}


async def test_a_region_pack_names_a_group_renamed_since_it_was_read(api):
    admin = api("admin")
    for la in (LIVERPOOL, KNOWSLEY):
        await put_counts(admin, la, DAY)
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    url = "/api/v1/packs/care-orders-at-home"
    first = await admin.get(url, params={"area": NORTH_WEST, **QUERY})
    assert first.json()["groups"] == {"merseyside": "Merseyside"}
    renamed = await admin.put("/api/v1/areas/merseyside", json={"name": "Merseyside LFJB",
                                                                "members": [LIVERPOOL, KNOWSLEY]})
    assert renamed.status_code == 200, renamed.text
    held = await admin.get(url, params={"area": NORTH_WEST, **QUERY}, headers={"If-None-Match": first.headers["etag"]})
    assert held.status_code == 200, "answered 304: the reader keeps the group's old name"
    assert held.json()["groups"] == {"merseyside": "Merseyside LFJB"}


async def test_a_portals_region_pack_names_a_group_renamed_since_it_was_read(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    for la in (LIVERPOOL, KNOWSLEY):
        await put_counts(admin, la, DAY)
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    url = "/api/v1/packs/care-orders-at-home"
    first = await portal.get(url, params={"area": NORTH_WEST, **QUERY})
    assert first.json()["groups"] == {"merseyside": "Merseyside"}
    renamed = await admin.put("/api/v1/areas/merseyside", json={"name": "Merseyside LFJB",
                                                                "members": [LIVERPOOL, KNOWSLEY]})
    assert renamed.status_code == 200, renamed.text
    again = await portal.get(url, params={"area": NORTH_WEST, **QUERY})
    assert again.json()["groups"] == {"merseyside": "Merseyside LFJB"}
