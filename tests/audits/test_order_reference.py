"""An audit of an order names an order the LA has returned, made by the audit's date."""

from tests.packs.helpers import audit, order, submit
from tests.payloads import KNOWSLEY, LIVERPOOL, url
from tests.submissions.files import submit_url


async def _audit_of(client, la: str, order_ref: str, audit_date: str = "2021-02-10"):
    return await client.put(url(la, "audits", "A1"), json={k: v for k, v in audit("A1", order_ref=order_ref,
                                                                                   audit_date=audit_date).items()
                                                          if k != "audit_ref"})


async def test_an_audit_of_a_returned_order_made_before_it_is_stored(api):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "orders", [order("O1", order_date="2019-06-14")])
    assert (await _audit_of(admin, LIVERPOOL, "O1")).status_code == 201


async def test_an_audit_naming_no_returned_order_is_refused_saying_what_to_do(api):
    admin = api("admin")
    await submit(admin, KNOWSLEY, "orders", [order("O1")])  # another LA's order of that name is not this LA's
    response = await _audit_of(admin, LIVERPOOL, "O1")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "order_ref"
    assert error["message"] == "no order 'O1' of Liverpool (341) is stored; submit the orders first, or leave order_ref empty"


async def test_an_audit_dated_before_its_order_was_made_is_refused(api):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "orders", [order("O1", order_date="2019-06-14", status_date="2020-01-10")])
    response = await _audit_of(admin, LIVERPOOL, "O1", audit_date="2019-01-31")
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "order 'O1' was made on 2019-06-14, after this audit (2019-01-31)"


async def test_a_bulk_file_of_audits_reports_each_unknown_order_on_its_row(api):
    la = api("la", la=LIVERPOOL)
    body = {"records": [audit("A1"), audit("A2", order_ref="MISSING")]}
    response = await la.post(submit_url(LIVERPOOL, "audits"), json=body)
    assert response.status_code == 422
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [(2, "order_ref")]
