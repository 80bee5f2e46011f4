from tests.payloads import CUMBRIA, KNOWSLEY, LIVERPOOL, counts, url

DATE = "2021-03-31"


async def test_first_return_is_created_as_version_1(api):
    la = api("la", la=LIVERPOOL)
    response = await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=counts())
    assert response.status_code == 201
    body = response.json()
    assert (body["version"], body["la"], body["snapshot_date"], body["cla_total"]) == (1, LIVERPOOL, DATE, 1450)
    assert response.headers["etag"] == '"1"'
    assert body["submitted_by"].startswith("la-341")


async def test_revision_keeps_the_old_version(api):
    la = api("la", la=LIVERPOOL)
    await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=counts())
    revised = await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=counts(cla_total=1460))
    assert revised.status_code == 200 and revised.json()["version"] == 2
    history = (await la.get(url(LIVERPOOL, "care-order-counts", DATE) + "/versions")).json()
    assert [(v["version"], v["cla_total"]) for v in history["items"]] == [(2, 1460), (1, 1450)]
    assert history["items"][1]["superseded_at"] is not None and history["items"][0]["superseded_at"] is None
    latest = (await la.get(url(LIVERPOOL, "care-order-counts", DATE))).json()
    assert latest["cla_total"] == 1460


async def test_identical_resend_creates_no_version(api):
    la = api("la", la=LIVERPOOL)
    await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=counts())
    again = await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=counts())
    assert again.status_code == 200 and again.json()["version"] == 1


async def test_stale_if_match_is_412_and_changes_nothing(api):
    la = api("la", la=LIVERPOOL)
    await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=counts())
    await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=counts(cla_total=1500), headers={"If-Match": '"1"'})
    stale = await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=counts(cla_total=9999),
                         headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert (await la.get(url(LIVERPOOL, "care-order-counts", DATE))).json()["cla_total"] == 1500


async def test_if_none_match_on_current_version_is_304(api):
    la = api("la", la=LIVERPOOL)
    await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=counts())
    response = await la.get(url(LIVERPOOL, "care-order-counts", DATE), headers={"If-None-Match": '"1"'})
    assert response.status_code == 304


async def test_every_rule_breach_is_reported_at_once(api):
    la = api("la", la=LIVERPOOL)
    bad = counts(cla_total=100, placed_with_parents=150, full_care_orders_at_home=140, interim_care_orders_at_home=20,
                 discharges={"total": 5, "to_no_order": 4, "to_supervision_order": 3},
                 interim_orders_for_parent_assessment=1, interim_orders_for_parent_assessment_child_remained=2)
    response = await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=bad)
    assert response.status_code == 422
    fields = sorted(e["field"] for e in response.json()["errors"])
    assert fields == ["discharges.total", "interim_orders_for_parent_assessment_child_remained",
                      "placed_with_parents", "placed_with_parents"]
    assert (await la.get(url(LIVERPOOL, "care-order-counts", DATE))).status_code == 404


async def test_type_errors_and_unknown_fields_are_all_listed(api):
    la = api("la", la=LIVERPOOL)
    response = await la.put(url(LIVERPOOL, "care-order-counts", DATE),
                            json=counts(cla_total="1450", placed_with_parents=True, surprise=1, notes="x" * 2001))
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"cla_total", "placed_with_parents", "surprise", "notes"}


async def test_future_snapshot_date_is_rejected(api):
    la = api("la", la=LIVERPOOL)
    response = await la.put(url(LIVERPOOL, "care-order-counts", "2999-03-31"), json=counts())
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["path", "snapshot_date"]


async def test_return_for_a_date_the_la_did_not_exist_is_rejected(api):
    admin = api("admin")
    response = await admin.put(url(CUMBRIA, "care-order-counts", "2024-03-31"), json=counts())
    assert response.status_code == 422
    assert "was not a local authority" in response.json()["errors"][0]["message"]
    accepted = await admin.put(url(CUMBRIA, "care-order-counts", "2021-03-31"), json=counts())
    assert accepted.status_code == 201


async def test_la_client_cannot_write_or_read_another_la(api):
    la = api("la", la=LIVERPOOL)
    assert (await la.put(url(KNOWSLEY, "care-order-counts", DATE), json=counts())).status_code == 403
    assert (await la.get(url(KNOWSLEY, "care-order-counts"))).status_code == 403


async def test_portal_client_cannot_read_returns(api):
    portal = api("portal", area="E12000002")
    assert (await portal.get(url(LIVERPOOL, "care-order-counts"))).status_code == 403


async def test_list_shows_current_versions_in_date_order(api):
    la = api("la", la=LIVERPOOL)
    for day, total in (("2020-03-31", 1300), ("2019-03-31", 1200), ("2020-03-31", 1310)):
        await la.put(url(LIVERPOOL, "care-order-counts", day), json=counts(cla_total=total))
    listing = (await la.get(url(LIVERPOOL, "care-order-counts"))).json()
    assert listing["total"] == 2
    assert [(i["snapshot_date"], i["cla_total"], i["version"]) for i in listing["items"]] == [
        ("2019-03-31", 1200, 1), ("2020-03-31", 1310, 2)]


async def test_control_characters_in_notes_are_rejected_not_a_server_error(api):
    la = api("la", la=LIVERPOOL)
    response = await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=counts(notes="line\x00break"))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "notes"
    multiline = await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=counts(notes="first line\nsecond line"))
    assert multiline.status_code == 201


async def test_whole_numbers_written_as_decimals_are_accepted(api):
    la = api("la", la=LIVERPOOL)
    response = await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=counts(cla_total=1450.0))
    assert response.status_code == 201 and response.json()["cla_total"] == 1450
    fraction = await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=counts(cla_total=1450.5))
    assert fraction.status_code == 422


async def test_a_type_error_and_a_rule_breach_are_reported_together(api):
    la = api("la", la=LIVERPOOL)
    response = await la.put(url(LIVERPOOL, "care-order-counts", DATE),
                            json=counts(orders_made_in_year="many", placed_with_parents=5000))
    assert response.status_code == 422
    assert sorted(e["field"] for e in response.json()["errors"]) == ["orders_made_in_year", "placed_with_parents"]


async def test_a_record_that_is_not_json_is_refused_clearly(api):
    la = api("la", la=LIVERPOOL)
    as_text = await la.put(url(LIVERPOOL, "care-order-counts", DATE), content=b"cla_total=3",
                           headers={"Content-Type": "text/plain"})
    not_object = await la.put(url(LIVERPOOL, "care-order-counts", DATE), json=[1, 2])
    assert (as_text.status_code, not_object.status_code) == (415, 422)
