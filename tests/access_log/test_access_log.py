from tests.payloads import LIVERPOOL, order, url


async def test_admin_reads_who_touched_child_level_data(api):
    la, admin = api("la", la=LIVERPOOL, name="Liverpool BI"), api("admin")
    await la.put(url(LIVERPOOL, "orders", "O1"), json=order())
    read = await la.get(url(LIVERPOOL, "orders", "O1"))
    log = (await admin.get("/api/v1/access-log", params={"la": LIVERPOOL})).json()
    assert [(e["action"], e["client_name"], e["record_key"]) for e in log["items"]] == [
        ("read", "Liverpool BI", "O1"), ("write", "Liverpool BI", "O1")]
    assert log["items"][0]["request_id"] == read.headers["x-request-id"]


async def test_two_clients_sending_the_same_request_id_leave_entries_told_apart(api):
    admin = api("admin")
    await admin.put(url(LIVERPOOL, "orders", "O1"), json=order())
    for reader in (api("la", la=LIVERPOOL, name="Liverpool BI"), api("admin", name="Regional admin")):
        assert (await reader.get(url(LIVERPOOL, "orders", "O1"), headers={"X-Request-ID": "job-7"})).status_code == 200
    reads = (await admin.get("/api/v1/access-log", params={"la": LIVERPOOL})).json()["items"][:2]
    assert [(e["client_name"], e["client_request_id"]) for e in reads] == [("Regional admin", "job-7"),
                                                                         ("Liverpool BI", "job-7")]
    assert reads[0]["request_id"] != reads[1]["request_id"] and "job-7" not in (reads[0]["request_id"],
                                                                                  reads[1]["request_id"])


async def test_the_log_cannot_be_changed_or_read_by_others(api):
    admin = api("admin")
    assert (await admin.delete("/api/v1/access-log")).status_code == 405
    assert (await admin.post("/api/v1/access-log", json={})).status_code == 405
    assert (await api("la", la=LIVERPOOL).get("/api/v1/access-log")).status_code == 403
    assert (await api("portal", area="E12000002").get("/api/v1/access-log")).status_code == 403
