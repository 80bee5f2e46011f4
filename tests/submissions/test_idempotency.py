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


async def test_the_same_key_sent_twice_at_once_stores_once_and_answers_409_to_the_second(api, db):
    import asyncio

    la = api("la", la=LIVERPOOL)
    rows = [[f"{2010 + i // 12:04d}-{i % 12 + 1:02d}", 40, 4, 15] for i in range(144)]
    body = csv_body(HEADER, rows)
    headers = {"Content-Type": "text/csv", "Idempotency-Key": "same-upload"}

    async def send(delay: float):
        await asyncio.sleep(delay)
        return await la.post(submit_url(LIVERPOOL, "audit-programme"), content=body, headers=headers)

    first, second = await asyncio.gather(send(0), send(0.02))
    assert sorted([first.status_code, second.status_code]) in ([201, 409], [201, 201])
    if 409 in (first.status_code, second.status_code):
        conflict = first if first.status_code == 409 else second
        assert conflict.headers["content-type"] == "application/problem+json"
    assert db.scalar(select(func.count()).select_from(Submission)) == 1
