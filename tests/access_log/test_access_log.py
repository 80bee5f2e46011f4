from tests.payloads import LIVERPOOL, order, url


async def test_admin_reads_who_touched_child_level_data(api):
    la, admin = api("la", la=LIVERPOOL, name="Liverpool BI"), api("admin")
    await la.put(url(LIVERPOOL, "orders", "O1"), json=order())
    read = await la.get(url(LIVERPOOL, "orders", "O1"))
    log = (await admin.get("/api/v1/access-log", params={"la": LIVERPOOL})).json()
    assert [(e["action"], e["client_name"], e["record_key"]) for e in log["items"]] == [
        ("read", "Liverpool BI", "O1"), ("write", "Liverpool BI", "O1")]
    assert log["items"][0]["request_id"] == read.headers["x-request-id"]


async def test_the_log_cannot_be_changed_or_read_by_others(api):
    admin = api("admin")
    assert (await admin.delete("/api/v1/access-log")).status_code == 405
    assert (await admin.post("/api/v1/access-log", json={})).status_code == 405
    assert (await api("la", la=LIVERPOOL).get("/api/v1/access-log")).status_code == 403
    assert (await api("portal", area="E12000002").get("/api/v1/access-log")).status_code == 403
