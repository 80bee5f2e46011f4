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


async def test_since_without_an_offset_is_utc_and_a_date_is_its_midnight(api):
    la, admin = api("la", la=LIVERPOOL), api("admin")
    await la.put(url(LIVERPOOL, "orders", "O1"), json=order())
    written = (await admin.get("/api/v1/access-log")).json()["items"][0]["at"]
    naive = written[:19]  # the entry's own moment, its offset left off
    at_it = await admin.get("/api/v1/access-log", params={"since": naive})
    next_day = await admin.get("/api/v1/access-log", params={"since": "2999-01-01"})
    assert at_it.status_code == 200 and len(at_it.json()["items"]) == 1
    assert next_day.status_code == 200 and next_day.json()["items"] == []


async def test_since_as_a_number_is_refused_not_read_as_seconds_since_1970(api):
    response = await api("admin").get("/api/v1/access-log", params={"since": "0.5"})
    assert response.status_code == 422
    assert "ISO 8601" in response.json()["errors"][0]["message"]
