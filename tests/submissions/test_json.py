from tests.payloads import LIVERPOOL, order
from tests.submissions.files import submit_url


async def test_json_records_are_stored(api):
    la = api("la", la=LIVERPOOL)
    records = [{"order_ref": f"O{i}", **order()} for i in range(3)]
    response = await la.post(submit_url(LIVERPOOL, "orders"), json={"records": records})
    assert response.status_code == 201 and response.json()["created"] == 3
    listing = (await la.get(f"/api/v1/local-authorities/{LIVERPOOL}/orders")).json()
    assert listing["total"] == 3


async def test_json_faults_are_located_by_record_index(api):
    la = api("la", la=LIVERPOOL)
    records = [{"order_ref": "O1", **order()}, {"order_ref": "O2", **order(age_at_order=30)}, "not an object"]
    response = await la.post(submit_url(LIVERPOOL, "orders"), json={"records": records})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["row"], e["loc"][:3]) for e in errors] == [(2, ["body", "records", 1]), (3, ["body", "records", 2])]


async def test_json_body_of_the_wrong_shape_is_422(api):
    la = api("la", la=LIVERPOOL)
    response = await la.post(submit_url(LIVERPOOL, "orders"), json=[{"order_ref": "O1"}])
    assert response.status_code == 422


async def test_malformed_json_is_400(api):
    la = api("la", la=LIVERPOOL)
    response = await la.post(submit_url(LIVERPOOL, "orders"), content=b'{"records": [',
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.headers["content-type"] == "application/problem+json"
