import hashlib
from datetime import timedelta

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import sessionmaker

from app.clients.models import ApiClient
from app.core.db import utcnow
from app.submissions.idempotency import ABANDONED_CLAIM_AFTER, fingerprint
from app.submissions.models import IdempotencyRecord, Submission
from tests.payloads import KNOWSLEY, LIVERPOOL
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


async def test_a_replay_gives_the_location_of_what_the_first_request_stored(api):
    la = api("la", la=LIVERPOOL)
    headers = {"Content-Type": "text/csv", "Idempotency-Key": "upload-2021-01"}
    body = csv_body(HEADER, [["2021-01", 40, 4, 15]])
    first = await la.post(submit_url(LIVERPOOL, "audit-programme"), content=body, headers=headers)
    second = await la.post(submit_url(LIVERPOOL, "audit-programme"), content=body, headers=headers)
    assert second.headers["location"] == first.headers["location"].removeprefix("http://test")
    assert (await la.get(second.headers["location"])).json()["id"] == first.json()["id"]


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


def _claim(db, client_name: str, key: str, body: bytes, created_at) -> None:
    client_id = db.scalar(select(ApiClient.id).where(ApiClient.name == client_name))
    print_ = fingerprint(LIVERPOOL, "audit-programme", False, "text/csv", hashlib.sha256(body).hexdigest())
    db.add(IdempotencyRecord(client_id=client_id, key=key, fingerprint=print_, status_code=None,
                             response_body=None, created_at=created_at))
    db.commit()


async def test_a_key_claimed_by_a_request_still_running_is_409_and_stores_nothing(api, db):
    la = api("la", la=LIVERPOOL, name="busy uploader")
    body = csv_body(HEADER, [["2021-01", 40, 4, 15]])
    _claim(db, "busy uploader", "busy", body, utcnow())
    response = await la.post(submit_url(LIVERPOOL, "audit-programme"), content=body,
                             headers={"Content-Type": "text/csv", "Idempotency-Key": "busy"})
    assert response.status_code == 409 and response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    assert db.scalar(select(func.count()).select_from(Submission)) == 0


async def test_a_claim_abandoned_by_a_dead_server_is_taken_over(api, db):
    la = api("la", la=LIVERPOOL, name="orphaned uploader")
    body = csv_body(HEADER, [["2021-01", 40, 4, 15]])
    _claim(db, "orphaned uploader", "orphan", body, utcnow() - ABANDONED_CLAIM_AFTER - timedelta(seconds=1))
    response = await la.post(submit_url(LIVERPOOL, "audit-programme"), content=body,
                             headers={"Content-Type": "text/csv", "Idempotency-Key": "orphan"})
    assert response.status_code == 201
    assert db.scalar(select(func.count()).select_from(Submission)) == 1


async def test_one_key_sent_with_the_same_file_to_another_la_is_refused_not_replayed(api, db):
    admin = api("admin")
    body = csv_body(HEADER, [["2021-01", 40, 4, 15]])
    headers = {"Content-Type": "text/csv", "Idempotency-Key": "programme-2021-01"}
    first = await admin.post(submit_url(LIVERPOOL, "audit-programme"), content=body, headers=headers)
    other_la = await admin.post(submit_url(KNOWSLEY, "audit-programme"), content=body, headers=headers)
    assert first.status_code == 201
    assert other_la.status_code == 422 and "different request" in other_la.json()["detail"]
    assert db.scalar(select(func.count()).select_from(Submission)) == 1


async def test_a_dry_run_leaves_its_key_for_the_real_submission(api, db):
    la = api("la", la=LIVERPOOL)
    body = csv_body(HEADER, [["2021-01", 40, 4, 15]])
    headers = {"Content-Type": "text/csv", "Idempotency-Key": "programme-2021-01"}
    checked = await la.post(submit_url(LIVERPOOL, "audit-programme", dry_run="true"), content=body, headers=headers)
    stored = await la.post(submit_url(LIVERPOOL, "audit-programme"), content=body, headers=headers)
    assert checked.status_code == 200 and stored.status_code == 201
    assert "idempotent-replayed" not in stored.headers
    assert db.scalar(select(func.count()).select_from(Submission)) == 1


async def test_a_claim_that_finds_every_claims_connection_taken_is_a_503_to_retry(api, app, db):
    busy = create_engine(app.state.engine.url, pool_size=1, max_overflow=0, pool_timeout=0.2)
    app.state.claims_sessionmaker = sessionmaker(busy)
    held = busy.connect()  # the one claims connection, held by another request's claim
    try:
        response = await api("la", la=LIVERPOOL).post(
            submit_url(LIVERPOOL, "audit-programme"), content=csv_body(HEADER, [["2021-01", 40, 4, 15]]),
            headers={"Content-Type": "text/csv", "Idempotency-Key": "k-busy"})
    finally:
        held.close()
        busy.dispose()
    assert response.status_code == 503 and response.headers["retry-after"] == "5"
    assert db.scalar(select(func.count()).select_from(Submission)) == 0
