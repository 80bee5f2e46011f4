import io
import json

from app.core.limits import ReadLimits
from app.submissions import json_records
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


async def test_records_are_read_across_the_chunks_the_body_is_read_in(api):
    la = api("la", la=LIVERPOOL)
    # Some 300 bytes a record, spaced as json.dumps spaces them: records straddle every 64 KiB chunk.
    records = [{"order_ref": f"O{i}", **order()} for i in range(1000)]
    response = await la.post(submit_url(LIVERPOOL, "orders"), content=json.dumps({"records": records}).encode(),
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 201 and response.json()["created"] == 1000


def test_records_read_in_tiny_chunks_are_the_records_sent(monkeypatch):
    monkeypatch.setattr(json_records, "CHUNK", 7)   # every value straddles a chunk boundary somewhere
    records = [{"n": 12345678901234, "x": -1.5e-3, "s": "a\\u00e9\"b", "t": True, "z": None, "l": [1, [2]]}] * 5
    for spacing in range(9):
        body = json.dumps({"records": records}, indent=spacing).encode()
        assert [row.values for row in json_records.json_rows(io.BytesIO(body), ReadLimits())] == records
