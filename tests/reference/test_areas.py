from tests.payloads import ENGLAND, NORTH_WEST

GROUP = {"name": "Cheshire and Merseyside LFJB", "members": ["340", "341", "342", "343", "344", "876", "877", "895", "896"]}


async def test_regions_and_england_are_shipped(api):
    body = (await api("portal", area=NORTH_WEST).get("/api/v1/areas")).json()
    kinds = {i["code"]: i["kind"] for i in body["items"]}
    assert kinds[ENGLAND] == "england" and sum(k == "region" for k in kinds.values()) == 9
    north_west = next(i for i in body["items"] if i["code"] == NORTH_WEST)
    assert "341" in north_west["members"] and "909" in north_west["members"]


async def test_admin_defines_and_redefines_a_group(api):
    admin = api("admin")
    created = await admin.put("/api/v1/areas/cheshire-merseyside", json=GROUP)
    assert created.status_code == 201 and created.json()["members"] == sorted(GROUP["members"])
    redefined = await admin.put("/api/v1/areas/cheshire-merseyside", json={"name": "C&M", "members": ["341"]})
    assert redefined.status_code == 200 and redefined.json()["members"] == ["341"]


async def test_group_with_unknown_members_is_rejected_listing_each(api):
    response = await api("admin").put("/api/v1/areas/bad-group", json={"name": "x", "members": ["341", "999", "998"]})
    assert response.status_code == 422 and [e["loc"] for e in response.json()["errors"]] == [
        ["body", "members", 1], ["body", "members", 2]]
    malformed = await api("admin").put("/api/v1/areas/bad-group", json={"name": "x", "members": ["Liverpool"]})
    assert malformed.status_code == 422


async def test_regions_cannot_be_redefined(api):
    assert (await api("admin").put(f"/api/v1/areas/{NORTH_WEST}", json=GROUP)).status_code == 409
    assert (await api("admin").put("/api/v1/areas/e12000002", json=GROUP)).status_code == 422
    assert (await api("admin").put("/api/v1/areas/Has Spaces", json=GROUP)).status_code == 422


async def test_only_admin_defines_groups(api):
    assert (await api("la", la="341").put("/api/v1/areas/mine", json=GROUP)).status_code == 403
    assert (await api("portal", area=NORTH_WEST).put("/api/v1/areas/mine", json=GROUP)).status_code == 403


async def test_an_area_code_with_a_control_character_is_refused_before_the_database(api):
    admin = api("admin")
    for path, params in (("/api/v1/areas/E1%002", {}), ("/api/v1/local-authorities", {"area": "E1\x002"}),
                         ("/api/v1/packs/audits", {"area": "0\x00"})):
        response = await admin.get(path, params=params)
        assert response.status_code == 422, (path, response.text)
        assert response.headers["content-type"] == "application/problem+json"


async def test_a_group_code_with_capitals_is_refused_by_the_documented_pattern(api):
    response = await api("admin").put("/api/v1/areas/Merseyside", json=GROUP)
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["path", "code"]
