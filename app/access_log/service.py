from collections.abc import Iterable
from typing import Annotated

from fastapi import Depends, Request

from app.access.dependencies import CurrentClient
from app.access_log.models import AccessLogEntry
from app.core.db import SessionDep, utcnow


class AccessRecorder:
    """Bound to one request, so callers only say what was done to which records."""

    def __init__(self, request: Request, session: SessionDep, client: CurrentClient) -> None:
        self._session = session
        self._client_id = client.id
        self._request_id = getattr(request.state, "request_id", "-")
        self._client_request_id = getattr(request.state, "client_request_id", None)

    def record(self, *, action: str, dataset: str, la_code: str, count: int,
               key: str | None = None) -> None:
        self.record_each(action=action, dataset=dataset, la_codes=[la_code], count=count, key=key)

    def record_each(self, *, action: str, dataset: str, la_codes: Iterable[str], count: int,
                    key: str | None = None) -> None:
        """One entry per LA, so each LA finds in the log what was done with its data."""
        # Written in the request's own transaction: a write that rolls back leaves no entry
        # claiming it happened, and a read is logged before its data is returned.
        now = utcnow()
        self._session.add_all(AccessLogEntry(
            at=now, client_id=self._client_id, la_code=la_code, action=action,
            dataset=dataset, record_key=key, record_count=count, request_id=self._request_id,
            client_request_id=self._client_request_id,
        ) for la_code in la_codes)
        self._session.flush()


AccessLog = Annotated[AccessRecorder, Depends()]
