"""Idempotency-Key: a submission retried with the same key and body is answered as the first was, and
stored once.

The key is claimed in a short transaction of its own (`Connections.claims`), committed at once, so that
every worker sees it taken while the submission is still being stored: a second request with the key gets
409 at once instead of waiting on the first. The submission's own transaction completes the claim with its
response (`service.submit`), so the two are stored together or not at all. A request that fails stored
nothing, so its claim is released and the key may be used again (say, for the corrected file).
"""

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import JSONResponse
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.access.dependencies import CurrentClient
from app.core.db import utcnow
from app.core.errors import ApiError
from app.submissions.models import IdempotencyRecord

logger = logging.getLogger(__name__)
# A claim this old with no response belongs to a server that died mid-submission.
ABANDONED_CLAIM_AFTER = timedelta(minutes=15)


def fingerprint(la_code: str, dataset: str, dry_run: bool, content_type: str | None, body_sha256: str) -> str:
    """What makes two requests the same: the one file sent to another LA is another request (an admin's key
    reused for LA 895 after LA 340 must not replay 340's response and store nothing)."""
    return hashlib.sha256(f"{la_code}|{dataset}|{dry_run}|{content_type}|{body_sha256}".encode()).hexdigest()


class Claim:
    """One request's hold on its Idempotency-Key, once `take` has claimed it (`id`)."""

    def __init__(self, sessions: sessionmaker[Session], client_id: int) -> None:
        self._sessions = sessions
        self._client_id = client_id
        self.id: int | None = None

    def take(self, key: str, print_: str, location_of: Callable[[int], str] | None = None) -> JSONResponse | None:
        """Claim the key for this request; or the earlier response, to send again, if this request was
        answered before (with the `Location` of what it stored, as the first answer had). 409 while another
        request holds the key, 422 if it was used for another request."""
        with self._sessions() as claims, claims.begin():
            earlier = claims.scalar(select(IdempotencyRecord).where(IdempotencyRecord.client_id == self._client_id,
                                                                    IdempotencyRecord.key == key))
            if earlier is None:
                claim_id = self._insert(claims, key, print_)
            else:
                if earlier.fingerprint != print_:
                    raise ApiError(422, "This Idempotency-Key was already used with a different request; "
                                        "use a new key for a new submission.")
                if earlier.status_code is not None and earlier.response_body is not None:
                    body = json.loads(earlier.response_body)
                    headers = {"Idempotent-Replayed": "true"}
                    if location_of is not None and body.get("id") is not None:
                        headers["Location"] = location_of(body["id"])
                    return JSONResponse(body, status_code=earlier.status_code, headers=headers)
                if earlier.created_at > utcnow() - ABANDONED_CLAIM_AFTER:
                    raise _in_progress()
                # Its server died mid-submission (nothing of it was stored): the key is free again.
                earlier.created_at = utcnow()
                claim_id = earlier.id
        self.id = claim_id
        return None

    def _insert(self, claims: Session, key: str, print_: str) -> int:
        claim = IdempotencyRecord(client_id=self._client_id, key=key, fingerprint=print_, status_code=None,
                                  response_body=None, created_at=utcnow())
        claims.add(claim)
        try:
            claims.flush()
        except IntegrityError:
            # Another request inserted the key between our read and this write.
            raise _in_progress() from None
        except OperationalError as error:
            # SQLite: another request's submission holds the one write lock past the busy timeout;
            # with this key, that is most likely the same file, still being stored.
            if claims.get_bind().dialect.name != "sqlite":
                raise
            raise _in_progress() from error
        return claim.id

    def release(self) -> None:
        """Give the key up, unless the request completed it (its response is then what a retry gets)."""
        if self.id is None:
            return
        with self._sessions() as claims, claims.begin():
            claims.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == self.id,
                                                           IdempotencyRecord.status_code.is_(None)))


def _in_progress() -> ApiError:
    return ApiError(409, "A request with this Idempotency-Key is being processed; retry shortly.",
                    headers={"Retry-After": "5"})


def idempotency_claim(request: Request, client: CurrentClient) -> Iterator[Claim]:
    """The request's claim on its Idempotency-Key, released if the request fails.

    Scoped to the request, so closed after `SessionDep`, which is scoped to the route function: when a
    request fails, its own transaction has rolled back before the claim is released. On SQLite that
    transaction holds the one write lock the release needs; the other way round they would wait on each
    other. Both come before the error response is sent, so a retry never finds the key still held.
    """
    claim = Claim(request.app.state.claims_sessionmaker, client.id)
    try:
        yield claim
    except BaseException:
        try:
            claim.release()
        except Exception:
            # The client must hear why its request failed, not that the release did; the claim then
            # lapses after ABANDONED_CLAIM_AFTER like a dead server's.
            logger.exception("could not release Idempotency-Key claim %s", claim.id)
        raise


IdempotencyClaim = Annotated[Claim, Depends(idempotency_claim, scope="request")]


def complete(session: Session, claim_id: int | None, status: int, response: dict) -> None:
    """Store the response a retry with the claimed key gets, in the submission's own transaction, so the
    records and the answer that names them are stored together or not at all."""
    if claim_id is None:
        return
    claim = session.get(IdempotencyRecord, claim_id)
    assert claim is not None
    claim.status_code, claim.response_body = status, json.dumps(response)
