async def test_lists_default_to_100(api):
    body = (await api("admin").get("/api/v1/local-authorities")).json()
    assert (body["limit"], body["offset"], len(body["items"])) == (100, 0, 100)
    assert body["total"] == 160


async def test_limit_above_1000_is_422(api):
    assert (await api("admin").get("/api/v1/local-authorities?limit=1001")).status_code == 422


async def test_offset_pages_through(api):
    admin = api("admin")
    first = (await admin.get("/api/v1/local-authorities?limit=10")).json()["items"]
    second = (await admin.get("/api/v1/local-authorities?limit=10&offset=10")).json()["items"]
    assert not {i["code"] for i in first} & {i["code"] for i in second}
