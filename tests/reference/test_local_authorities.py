from tests.payloads import NORTH_WEST


async def test_la_carries_codes_region_and_dates(api):
    body = (await api("la", la="341").get("/api/v1/local-authorities/341")).json()
    assert body == {"code": "341", "ons_code": "E08000012", "name": "Liverpool", "region": NORTH_WEST,
                    "operational_from": "2009-01-01", "operational_to": None}


async def test_terminated_las_are_listed_with_their_end_date(api):
    body = (await api("admin").get("/api/v1/local-authorities/909")).json()
    assert (body["name"], body["operational_to"]) == ("Cumbria", "2023-03-31")


async def test_filter_by_area_and_date(api):
    admin = api("admin")
    in_2021 = (await admin.get(f"/api/v1/local-authorities?area={NORTH_WEST}&on=2021-03-31")).json()
    in_2024 = (await admin.get(f"/api/v1/local-authorities?area={NORTH_WEST}&on=2024-03-31")).json()
    assert in_2021["total"] == 23 and "909" in {i["code"] for i in in_2021["items"]}
    codes_2024 = {i["code"] for i in in_2024["items"]}
    assert "909" not in codes_2024 and {"942", "943"} <= codes_2024


async def test_combined_rows_and_bfpo_are_not_las(api):
    body = (await api("admin").get("/api/v1/local-authorities?limit=1000")).json()
    names = {i["name"] for i in body["items"]}
    assert not any(" / " in n or "Forces" in n for n in names)
    assert len({i["code"] for i in body["items"]}) == body["total"]


async def test_unknown_la_is_404(api):
    assert (await api("admin").get("/api/v1/local-authorities/999")).status_code == 404


async def test_unknown_area_filter_is_404(api):
    assert (await api("admin").get("/api/v1/local-authorities?area=E12999999")).status_code == 404
