"""Bulk submissions: every row validated, then all stored in one transaction or none."""

from datetime import date
from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit_programme.service import SPEC as AUDIT_PROGRAMME
from app.audits.service import SPEC as AUDITS
from app.care_order_characteristics.service import SPEC as CARE_ORDER_CHARACTERISTICS
from app.care_order_counts.service import SPEC as CARE_ORDER_COUNTS
from app.clients.models import ApiClient
from app.core import messages
from app.core.db import utcnow
from app.core.errors import FieldError, validation_failed
from app.core.limits import ReadLimits
from app.orders.service import SPEC as ORDERS
from app.records import store
from app.records.checks import check_many
from app.records.spec import DatasetSpec, RuleContext, key_text
from app.reference.models import LocalAuthority
from app.submissions import idempotency
from app.submissions.merging import changed_fields, merge, row_patch, without_nulls
from app.submissions.models import Submission, SubmissionFile
from app.submissions.parsing import Row, parse
from app.submissions.schemas import SubmissionRead, SubmittedFile
from app.submissions.upload import Upload

DATASETS: dict[str, DatasetSpec] = {s.name: s for s in (CARE_ORDER_COUNTS, CARE_ORDER_CHARACTERISTICS, ORDERS, AUDITS,
                                                         AUDIT_PROGRAMME)}
MAX_REPORTED_ERRORS = 10_000
# Rows checked and held before they are written: bounds memory whatever the file's size (rows of
# long text reach the byte bound first).
BATCH_ROWS = 5_000
BATCH_CHARS = 8 * 1024 * 1024
# Revised records whose changes a response lists; the rest are counted, so a million-row file's
# response stays small.
MAX_LISTED_CHANGES = 100


class _Checker:
    """Checks rows a batch at a time, remembering every problem and each key's first row."""

    def __init__(self, spec: DatasetSpec, ctx: RuleContext) -> None:
        self.spec, self.ctx = spec, ctx
        self.errors: list[FieldError] = []
        self.failed_rows = 0
        self.unlisted = 0
        self.last_failed_row = 0
        self.first_row_of_key: dict[Any, int] = {}

    def check(self, rows: list[Row]) -> list[tuple[Any, BaseModel]]:
        """The rows' (key, payload) that passed, in order."""
        passed: list[tuple[Any, BaseModel]] = []
        readable = [row for row in rows if row.problem is None]
        checked = iter(check_many(self.spec, [(row.values, row.loc_prefix, row.number) for row in readable], self.ctx))
        for row in rows:
            if (problem := row.as_error()) is not None:
                self._report([problem], row.number)
                continue
            key, payload, row_errors = next(checked)
            if key is not None and key in self.first_row_of_key:
                row_errors.append(self._repeated(key, row))
            elif key is not None:
                self.first_row_of_key[key] = row.number
            if row_errors:
                self._report(row_errors, row.number)
            elif payload is not None:
                passed.append((key, payload))
        return passed

    def _repeated(self, key: Any, row: Row) -> FieldError:
        """A key given twice; a key of several columns is the row's, not any one cell's."""
        named = self.spec.key_items(key)
        field = None if self.spec.composite else self.spec.key_fields[0]
        return FieldError(loc=[*row.loc_prefix, *([field] if field else [])], row=row.number, field=field,
                          message=messages.key_repeated(named, self.first_row_of_key[key]))

    def _report(self, errors: list[FieldError], row: int) -> None:
        # The header's unknown columns come as a row each, all row 1: counted as the one row they are.
        self.failed_rows += row != self.last_failed_row
        self.last_failed_row = row
        room = MAX_REPORTED_ERRORS - len(self.errors)
        self.errors += errors[:max(room, 0)]
        self.unlisted += max(len(errors) - max(room, 0), 0)

    def raise_if_full(self, last_row: int) -> None:
        """Once as many problems are found as can be listed, the file is refused without reading on:
        a file of faults costs no more than its first MAX_REPORTED_ERRORS of them."""
        if len(self.errors) >= MAX_REPORTED_ERRORS:
            raise validation_failed(self.errors, f"{messages.plural(len(self.errors) + self.unlisted, 'problem')} "
                                                 f"found in the {messages.plural(self.failed_rows, 'row')} at fault up "
                                                 f"to row {last_row}, the first "
                                                 f"{len(self.errors)} listed; the rest of the file was not read. "
                                                 "Nothing was stored.")

    def raise_if_any(self) -> None:
        if not self.errors:
            return
        total = len(self.errors) + self.unlisted
        more = f" (the first {len(self.errors)} are listed)" if total > len(self.errors) else ""
        raise validation_failed(self.errors, f"{messages.problems_found(total, self.failed_rows)}{more}; "
                                             "nothing was stored.")


class _Changes:
    """What each revised record's fields were and became, for the first MAX_LISTED_CHANGES records."""

    def __init__(self) -> None:
        self.listed: list[dict[str, Any]] = []
        self.unlisted = 0

    def note(self, written: store.Written, before: dict[str, Any]) -> None:
        if len(self.listed) < MAX_LISTED_CHANGES:   # past it, not even dumped
            self.listed.append({"key": key_text(written.key), "fields": changed_fields(before, written.payload)})
        else:
            self.unlisted += 1


@cache
def _key_adapter(spec: DatasetSpec) -> TypeAdapter[Any]:
    return TypeAdapter(spec.key_type())


def _key_of(spec: DatasetSpec, row: Row) -> Any:
    """The row's key as stored, or None where it has none that could be: its check will say why."""
    if row.problem is not None or not isinstance(row.values, dict) or (raw := spec.raw_key(row.values)) is None:
        return None
    try:
        return _key_adapter(spec).validate_python(raw)
    except ValidationError:
        return None


def _merge_stored(spec: DatasetSpec, rows: list[Row], stored: dict[Any, store.Stored], keys: list[Any]) -> None:
    """A row of a record already stored changes only what it has: the checks see the record as merged."""
    for row, key in zip(rows, keys, strict=True):
        if key in stored:
            patch = row.values if row.header is None else row_patch(row.header, row.values)
            row.values = merge(without_nulls(stored[key].payload), patch)


def submit(session: Session, *, la: LocalAuthority, dataset: str, upload: Upload, content_type: str | None,
           file_format: str, client: ApiClient, dry_run: bool, limits: ReadLimits,
           claim_id: int | None = None) -> tuple[int, dict[str, Any]]:
    """Check and store the file's rows as they are read, in batches, all in the caller's transaction.

    Rows are written while later rows are still being checked, so a file of a million rows never
    sits in memory; once any row fails, nothing more is written and the caller's rollback undoes
    what was. Every problem in the file is reported, up to MAX_REPORTED_ERRORS; past that the file is
    refused without being read further.
    """
    spec = DATASETS[dataset]
    map_keys = spec.column_keys(session) if spec.column_keys else None
    checker = _Checker(spec, RuleContext(session, la, date.today()))
    now = utcnow()
    submission = None
    if not dry_run:
        store.lock_return(session, spec, la.code)
        submission = Submission(la_code=la.code, dataset=dataset, format=file_format, rows=0, created=0,
                                revised=0, unchanged=0, checksum=upload.checksum, submitted_at=now,
                                submitted_by_id=client.id)
        session.add(submission)
        session.flush()
    counts = dict.fromkeys(("created", "revised", "unchanged"), 0)
    changes = _Changes()
    current = store.current_ids(session, spec, la.code)

    def check_and_write(rows: list[Row]) -> None:
        keys = [_key_of(spec, row) for row in rows]
        stored = store.stored_versions(session, spec, current, [key for key in keys if key is not None])
        _merge_stored(spec, rows, stored, keys)
        passed = checker.check(rows)
        if checker.errors or not passed:
            return
        for w in store.write_records(session, spec, la.code, passed, client, now, current=current, stored=stored,
                                     submission_id=submission.id if submission else None, dry_run=dry_run):
            counts[w.outcome] += 1
            if w.outcome == "revised":
                changes.note(w, stored[w.key].payload)

    rows = pending_chars = 0
    pending: list[Row] = []
    for row in parse(upload.file, file_format, spec.record_schema, map_keys, limits):
        rows += 1
        pending.append(row)
        pending_chars += row.size
        if len(pending) >= BATCH_ROWS or pending_chars >= BATCH_CHARS:
            check_and_write(pending)
            checker.raise_if_full(row.number)
            pending, pending_chars = [], 0
    check_and_write(pending)
    if not rows:
        raise validation_failed([], "The file has a header but no rows; nothing was stored.")
    checker.raise_if_any()
    if not dry_run and counts["created"] + counts["revised"]:
        store.finish_write(session, spec, la.code, now)

    if submission is not None:
        submission.rows = rows
        submission.created, submission.revised, submission.unchanged = counts["created"], counts["revised"], counts["unchanged"]
    read = SubmissionRead(
        id=submission.id if submission else None, la=la.code, dataset=dataset, format=file_format,  # type: ignore[arg-type]
        dry_run=dry_run, rows=rows, **counts, checksum=upload.checksum, submitted_at=now, submitted_by=client.name,
        changes=changes.listed, changes_unlisted=changes.unlisted,
    ).model_dump(mode="json", by_alias=True)
    status = 200 if dry_run else 201
    idempotency.complete(session, claim_id, status, read)
    session.flush()
    return status, read


def files_of(session: Session, submission_ids: list[int]) -> dict[int, list[SubmittedFile]]:
    """The files each SSDA903 submission carried, read for a page of submissions at once."""
    rows = session.scalars(select(SubmissionFile).where(SubmissionFile.submission_id.in_(submission_ids))
                           .order_by(SubmissionFile.submission_id, SubmissionFile.id)) if submission_ids else []
    found: dict[int, list[SubmittedFile]] = {}
    for row in rows:
        found.setdefault(row.submission_id, []).append(SubmittedFile(part=row.part, rows=row.rows,  # type: ignore[arg-type]
                                                                     checksum=row.checksum))
    return found


def submission_read(submission: Submission, submitted_by: str, files: list[SubmittedFile] | None = None) -> SubmissionRead:
    return SubmissionRead(
        id=submission.id, la=submission.la_code, dataset=submission.dataset, format=submission.format,  # type: ignore[arg-type]
        dry_run=False, rows=submission.rows, created=submission.created, revised=submission.revised,
        unchanged=submission.unchanged, checksum=submission.checksum, submitted_at=submission.submitted_at,
        submitted_by=submitted_by, files=files,
    )
