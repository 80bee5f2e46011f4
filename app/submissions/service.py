"""Bulk submissions: every row validated, then all stored in one transaction or none."""

import hashlib
import json
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit_programme.service import SPEC as AUDIT_PROGRAMME
from app.audits.service import SPEC as AUDITS
from app.care_order_counts.service import SPEC as CARE_ORDER_COUNTS
from app.clients.models import ApiClient
from app.core.db import utcnow
from app.core.errors import ApiError, FieldError, validation_failed
from app.orders.service import SPEC as ORDERS
from app.records import store
from app.records.checks import check_record
from app.records.spec import DatasetSpec, RuleContext
from app.reference.models import LocalAuthority
from app.submissions.models import IdempotencyRecord, Submission
from app.submissions.parsing import Row, parse
from app.submissions.schemas import SubmissionRead

DATASETS: dict[str, DatasetSpec] = {s.name: s for s in (CARE_ORDER_COUNTS, ORDERS, AUDITS, AUDIT_PROGRAMME)}
MAX_REPORTED_ERRORS = 10_000


class Replay(Exception):
    """The request repeats an earlier one with the same Idempotency-Key: answer as it was answered."""

    def __init__(self, status_code: int, body: dict[str, Any]) -> None:
        self.status_code, self.body = status_code, body


def _validated(spec: DatasetSpec, rows: list[Row], ctx: RuleContext) -> list[tuple[Any, BaseModel]]:
    errors: list[FieldError] = []
    items: list[tuple[Any, BaseModel]] = []
    first_row_of_key: dict[Any, int] = {}
    for row in rows:
        if row.problem is not None:
            errors.append(FieldError(loc=list(row.loc_prefix), row=row.number, field=None, message=row.problem))
            continue
        key, payload, row_errors = check_record(spec, row.values, ctx, prefix=row.loc_prefix, row=row.number)
        if key is not None and key in first_row_of_key:
            row_errors.append(FieldError(loc=[*row.loc_prefix, spec.key_field], row=row.number, field=spec.key_field,
                                         message=f"{spec.key_field} {key!s} is also on row {first_row_of_key[key]}"))
        elif key is not None:
            first_row_of_key[key] = row.number
        errors += row_errors
        if payload is not None and not row_errors:
            items.append((key, payload))
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        more = f" (the first {len(shown)} are listed)" if len(errors) > len(shown) else ""
        raise validation_failed(shown, f"{len(errors)} problems found in {len({e.row for e in errors})} "
                                       f"rows{more}; nothing was stored.")
    return items


def fingerprint(dataset: str, dry_run: bool, content_type: str | None, body: bytes) -> str:
    digest = hashlib.sha256(f"{dataset}|{dry_run}|{content_type}|".encode())
    digest.update(body)
    return digest.hexdigest()


def claim_idempotency_key(session: Session, client: ApiClient, key: str, print_: str) -> IdempotencyRecord:
    earlier = session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.client_id == client.id,
                                                             IdempotencyRecord.key == key))
    if earlier is not None:
        if earlier.fingerprint != print_:
            raise ApiError(422, "This Idempotency-Key was already used with a different request; "
                                "use a new key for a new submission.")
        if earlier.status_code is not None and earlier.response_body is not None:
            raise Replay(earlier.status_code, json.loads(earlier.response_body))
    claim = IdempotencyRecord(client_id=client.id, key=key, fingerprint=print_, status_code=None,
                              response_body=None, created_at=utcnow())
    session.add(claim)
    try:
        # A concurrent request with the same key blocks here until the first commits, then fails.
        session.flush()
    except IntegrityError:
        raise ApiError(409, "A request with this Idempotency-Key is being processed; retry shortly.") from None
    return claim


def submit(session: Session, *, la: LocalAuthority, dataset: str, body: bytes, content_type: str | None,
           file_format: str, client: ApiClient, dry_run: bool, idempotency_key: str | None,
           max_rows: int, upload_limit: int = 200 * 1024 * 1024) -> tuple[int, dict[str, Any]]:
    spec = DATASETS[dataset]
    claim = None
    if idempotency_key is not None:
        claim = claim_idempotency_key(session, client, idempotency_key,
                                      fingerprint(dataset, dry_run, content_type, body))
    rows = []
    map_keys = spec.column_keys(session) if spec.column_keys else None
    for row in parse(body, file_format, spec.record_schema, map_keys, upload_limit):
        rows.append(row)
        if len(rows) > max_rows:
            raise ApiError(413, f"More than {max_rows} rows in one submission; split the file. Nothing was stored.")
    if not rows:
        raise validation_failed([], "The file has a header but no rows; nothing was stored.")
    items = _validated(spec, rows, RuleContext(session, la, date.today()))

    now = utcnow()
    submission = None
    if not dry_run:
        submission = Submission(la_code=la.code, dataset=dataset, format=file_format, rows=len(items), created=0,
                                revised=0, unchanged=0, checksum="sha256:" + hashlib.sha256(body).hexdigest(),
                                submitted_at=now, submitted_by_id=client.id)
        session.add(submission)
        session.flush()
    written = store.write_records(session, spec, la.code, items, client, now,
                                  submission_id=submission.id if submission else None, dry_run=dry_run)
    counts = {outcome: sum(1 for w in written if w.outcome == outcome) for outcome in ("created", "revised", "unchanged")}
    if submission is not None:
        submission.created, submission.revised, submission.unchanged = counts["created"], counts["revised"], counts["unchanged"]
    read = SubmissionRead(
        id=submission.id if submission else None, la=la.code, dataset=dataset, format=file_format,  # type: ignore[arg-type]
        dry_run=dry_run, rows=len(items), **counts, checksum="sha256:" + hashlib.sha256(body).hexdigest(),
        submitted_at=now, submitted_by=client.name,
    ).model_dump(mode="json")
    status = 200 if dry_run else 201
    if claim is not None:
        claim.status_code, claim.response_body = status, json.dumps(read)
    session.flush()
    return status, read


def submission_read(submission: Submission, submitted_by: str) -> SubmissionRead:
    return SubmissionRead(
        id=submission.id, la=submission.la_code, dataset=submission.dataset, format=submission.format,  # type: ignore[arg-type]
        dry_run=False, rows=submission.rows, created=submission.created, revised=submission.revised,
        unchanged=submission.unchanged, checksum=submission.checksum, submitted_at=submission.submitted_at,
        submitted_by=submitted_by,
    )
