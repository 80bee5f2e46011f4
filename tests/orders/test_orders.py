from sqlalchemy import select

from app.access_log.models import AccessLogEntry
from tests.payloads import KNOWSLEY, LIVERPOOL, order, url

REF = "LIV-2019-0031"


async def test_order_is_stored_and_read_back(api):
    la = api("la", la=LIVERPOOL)
    created = await la.put(url(LIVERPOOL, "orders", REF), json=order())
    assert created.status_code == 201
    read = (await la.get(url(LIVERPOOL, "orders", REF))).json()
    assert (read["order_ref"], read["child_ref"], read["age_at_order"]) == (REF, "C-004512", 7)


async def test_discharged_order_needs_date_and_outcome(api):
    la = api("la", la=LIVERPOOL)
    response = await la.put(url(LIVERPOOL, "orders", REF), json=order(current_status="discharged"))
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"discharge_date", "discharge_outcome"}


async def test_dates_before_the_order_are_rejected(api):
    la = api("la", la=LIVERPOOL)
    response = await la.put(url(LIVERPOOL, "orders", REF), json=order(
        current_status="discharged", status_date="2019-01-01", discharge_date="2019-01-01",
        discharge_outcome="no_order"))
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"status_date", "discharge_date"}


async def test_enumerations_and_ranges_are_enforced(api):
    la = api("la", la=LIVERPOOL)
    response = await la.put(url(LIVERPOOL, "orders", REF), json=order(
        order_type="section_20", age_at_order=18, pre_proceedings=1, professional_communication="great"))
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {
        "order_type", "age_at_order", "pre_proceedings", "professional_communication"}


async def test_child_ref_must_not_look_like_a_name_or_a_birth_date(api):
    la = api("la", la=LIVERPOOL)
    named = await la.put(url(LIVERPOOL, "orders", REF), json=order(child_ref="Jane Smith"))
    dated = await la.put(url(LIVERPOOL, "orders", REF), json=order(child_ref="C-2012-03-04"))
    assert named.status_code == 422 and dated.status_code == 422


async def test_another_las_orders_are_not_found_rather_than_forbidden(api):
    mine, theirs = api("la", la=LIVERPOOL), api("la", la=KNOWSLEY)
    await mine.put(url(LIVERPOOL, "orders", REF), json=order())
    assert (await theirs.get(url(LIVERPOOL, "orders", REF))).status_code == 404
    assert (await theirs.get(url(LIVERPOOL, "orders"))).status_code == 404
    assert (await theirs.put(url(LIVERPOOL, "orders", REF), json=order())).status_code == 404


async def test_portal_cannot_read_orders(api):
    await api("la", la=LIVERPOOL).put(url(LIVERPOOL, "orders", REF), json=order())
    portal = api("portal", area="E12000002")
    assert (await portal.get(url(LIVERPOOL, "orders", REF))).status_code == 403


async def test_every_access_to_orders_is_logged(api, db):
    la = api("la", la=LIVERPOOL)
    await la.put(url(LIVERPOOL, "orders", REF), json=order())
    response = await la.get(url(LIVERPOOL, "orders", REF))
    await la.get(url(LIVERPOOL, "orders"))
    entries = db.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id)).all()
    assert [(e.action, e.dataset, e.la_code, e.record_count) for e in entries] == [
        ("write", "orders", LIVERPOOL, 1), ("read", "orders", LIVERPOOL, 1), ("list", "orders", LIVERPOOL, 1)]
    assert entries[1].request_id == response.headers["x-request-id"]
