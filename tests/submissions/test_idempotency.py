from sqlalchemy import func, select

from app.submissions.models import Submission
from tests.payloads import LIVERPOOL
from tests.submissions.files import csv_body, submit_url

HEADER = ["month", "planned", "exempted", "returned"]


async def test_same_key_and_body_replays_the_first_response(api, db):
    la = api("la", la=LIVERPOOL)
    body = csv_body(HEADER, [["2021-01", 40, 4, 15]])
    headers = {"Content-Type": "text/csv", "Idempotency-Key": "upload-2021-01"}
    first = await la.post(submit_url(LIVERPOOL, "audit-programme"), content=body, headers=headers)
    second = await la.post(submit_url(LIVERPOOL, "audit-programme"), content=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json() and second.headers["idempotent-replayed"] == "true"
    assert db.scalar(select(func.count()).select_from(Submission)) == 1


async def test_same_key_with_another_body_is_422(api):
    la = api("la", la=LIVERPOOL)
    headers = {"Content-Type": "text/csv", "Idempotency-Key": "upload-2021-01"}
    await la.post(submit_url(LIVERPOOL, "audit-programme"), content=csv_body(HEADER, [["2021-01", 40, 4, 15]]), headers=headers)
    other = await la.post(submit_url(LIVERPOOL, "audit-programme"), content=csv_body(HEADER, [["2021-01", 40, 4, 16]]),
                          headers=headers)
    assert other.status_code == 422 and "different request" in other.json()["detail"]


async def test_failed_submission_does_not_burn_the_key(api):
    la = api("la", la=LIVERPOOL)
    headers = {"Content-Type": "text/csv", "Idempotency-Key": "k1"}
    bad = await la.post(submit_url(LIVERPOOL, "audit-programme"), content=csv_body(HEADER, [["2021-01", 4, 40, 15]]),
                        headers=headers)
    assert bad.status_code == 422
    good = await la.post(submit_url(LIVERPOOL, "audit-programme"), content=csv_body(HEADER, [["2021-01", 40, 4, 15]]),
                         headers=headers)
    # A rejected file stores nothing, its key included, so the corrected file may reuse it.
    assert good.status_code == 201
