"""Versioned storage shared by every returned dataset: nothing is overwritten, ever."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.clients.models import ApiClient
from app.core.db import insert_many, lock_for_write
from app.core.pagination import PageParams, fetch_page
from app.records.models import ReturnChange
from app.records.schemas import Outcome
from app.records.spec import DatasetSpec

CHUNK = 500


@dataclass(frozen=True)
class Written:
    key: Any
    outcome: Outcome
    version: int
    submitted_at: datetime
    submitted_by: str
    submission_id: int | None
    record: BaseModel
    source: str | None = None      # null: sent as it is by `submitted_by`

    @property
    def payload(self) -> dict[str, Any]:
        # Dumped only when asked: a bulk submission of a million rows needs the outcomes, not the bodies.
        return self.record.model_dump(mode="json")


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def canonical(spec: DatasetSpec, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as JSON would carry it, so stored and incoming records compare exactly."""
    return spec.create_schema.model_validate(payload).model_dump(mode="json")


def payloads_of(spec: DatasetSpec, rows: Sequence[Any]) -> dict[int, dict[str, Any]]:
    return {row.id: spec.to_payload(row) for row in rows}


def _rows_by_key(session: Session, spec: DatasetSpec, column: Any, values: Sequence[Any], *where: Any) -> dict[Any, Any]:
    """The rows whose `column` (a column, or the tuple of a composite key's) is in `values` (looked up 500
    at a time), by the dataset's key."""
    found: dict[Any, Any] = {}
    for chunk in _chunks(values):
        statement = select(spec.model).where(*where, column.in_(chunk))
        found.update((spec.key_of(row), row) for row in session.scalars(statement))
    return found


def current_rows(session: Session, spec: DatasetSpec, la_code: str, keys: Sequence[Any]) -> dict[Any, Any]:
    model = spec.model
    return _rows_by_key(session, spec, spec.key_expression, list(keys), model.la_code == la_code,
                        model.superseded_at.is_(None))


def current_ids(session: Session, spec: DatasetSpec, la_code: str) -> dict[Any, int]:
    """The row id of every current version in the LA's return, read in one pass.

    A bulk submission reads these once instead of looking its keys up batch by batch: inside its
    own transaction PostgreSQL's statistics still describe the table as it was before the first
    batch, and it planned each lookup of 500 keys as a scan of every current row of the LA.
    """
    model = spec.model
    rows = session.execute(select(model.id, *spec.key_columns).where(model.la_code == la_code,
                                                                     model.superseded_at.is_(None)))
    return {spec.key_from(key): row_id for row_id, *key in rows}


def lock_return(session: Session, spec: DatasetSpec, la_code: str) -> None:
    """Serialise writers of one LA's return of one dataset for the rest of the transaction."""
    lock_for_write(session, f"{spec.name}:{la_code}")


@dataclass(frozen=True)
class Stored:
    """A record's current version and its payload in canonical form."""

    row: Any
    payload: dict[str, Any]


def _stored(spec: DatasetSpec, rows: dict[Any, Any]) -> dict[Any, Stored]:
    payloads = payloads_of(spec, list(rows.values()))
    return {key: Stored(row, canonical(spec, payloads[row.id])) for key, row in rows.items()}


def stored_versions(session: Session, spec: DatasetSpec, current: dict[Any, int], keys: Iterable[Any]) -> dict[Any, Stored]:
    """The current version of each key that has one, by the row ids `current_ids` read."""
    return _stored(spec, _rows_by_key(session, spec, spec.model.id, [current[key] for key in keys if key in current]))


def write_records(
    session: Session,
    spec: DatasetSpec,
    la_code: str,
    items: Sequence[tuple[Any, BaseModel]],
    client: ApiClient,
    now: datetime,
    *,
    submission_id: int | None = None,
    dry_run: bool = False,
    source: str | None = None,
    current: dict[Any, int] | None = None,
    stored: dict[Any, Stored] | None = None,
) -> list[Written]:
    """Store each (key, payload) as a new version unless it equals the current one.

    Reads the current versions after taking the per-LA write lock, so a concurrent revision
    of the same key waits and then builds on the version this one wrote. A caller writing in
    batches passes `current` (from `current_ids`, read under the lock it took once itself), and the
    batch's `stored` versions where it has read them already, and calls `finish_write` after the last batch.
    """
    keys = [key for key, _ in items]
    if current is None:
        if not dry_run:
            lock_return(session, spec, la_code)
        stored = _stored(spec, current_rows(session, spec, la_code, keys))
    elif stored is None:
        stored = stored_versions(session, spec, current, keys)
    names = client_names(session, {version.row.submitted_by_id for version in stored.values()})

    written: list[Written] = []
    new_rows: list[dict[str, Any]] = []
    superseded_ids: list[int] = []
    for key, payload in items:
        version_stored = stored.get(key)
        previous = version_stored.row if version_stored is not None else None
        if version_stored is not None and version_stored.payload == payload.model_dump(mode="json"):
            written.append(Written(key, "unchanged", previous.version, previous.submitted_at,
                                   names[previous.submitted_by_id],
                                   previous.submission_id, payload, previous.source))
            continue
        version = 1 if previous is None else previous.version + 1
        if previous is not None:
            superseded_ids.append(previous.id)
        new_rows.append({
            **spec.to_columns(payload), **spec.key_items(key), "la_code": la_code, "version": version,
            "submitted_at": now, "superseded_at": None, "submitted_by_id": client.id,
            "submission_id": submission_id, "source": source,
        })
        written.append(Written(key, "created" if previous is None else "revised", version, now,
                               client.name, submission_id, payload, source))

    if not dry_run and (new_rows or superseded_ids):
        _persist(session, spec, superseded_ids, new_rows, now)
        if current is None:
            finish_write(session, spec, la_code, now)
    return written


def finish_write(session: Session, spec: DatasetSpec, la_code: str, now: datetime) -> None:
    """Once per write that changed something: note the change for pack ETags, update what is derived."""
    session.add(ReturnChange(dataset=spec.name, la_code=la_code, changed_at=now))
    if spec.after_write is not None:
        spec.after_write(session, la_code, now)


def _persist(session: Session, spec: DatasetSpec, superseded_ids: list[int], new_rows: list[dict[str, Any]],
             now: datetime) -> None:
    model = spec.model
    for chunk in _chunks(superseded_ids):
        session.execute(update(model).where(model.id.in_(chunk)).values(superseded_at=now),
                        execution_options={"synchronize_session": False})
    if not new_rows:
        return
    # Not the ORM's bulk path: it and INSERT .. RETURNING in parameter order cost several times the
    # insert itself on large batches.
    insert_many(session, model.__table__, new_rows)


def client_names(session: Session, client_ids: set[int]) -> dict[int, str]:
    if not client_ids:
        return {}
    rows = session.execute(select(ApiClient.id, ApiClient.name).where(ApiClient.id.in_(client_ids)))
    return {client_id: name for client_id, name in rows}


def to_read(spec: DatasetSpec, row: Any, payload: dict[str, Any], submitted_by: str) -> BaseModel:
    return spec.read_schema.model_validate({
        **payload, **spec.key_items(spec.key_of(row)), "la": row.la_code,
        "version": row.version, "submitted_at": row.submitted_at, "submitted_by": submitted_by,
        "submission_id": row.submission_id, "source": row.source or submitted_by, "superseded_at": row.superseded_at,
    })


def written_read(spec: DatasetSpec, la_code: str, item: Written) -> BaseModel:
    return spec.read_schema.model_validate({
        **item.payload, **spec.key_items(item.key), "la": la_code, "version": item.version,
        "submitted_at": item.submitted_at, "submitted_by": item.submitted_by,
        "submission_id": item.submission_id, "source": item.source or item.submitted_by, "superseded_at": None,
    })


def _reads(session: Session, spec: DatasetSpec, rows: Sequence[tuple[Any, str]]) -> list[BaseModel]:
    payloads = payloads_of(spec, [row for row, _ in rows])
    return [to_read(spec, row, payloads[row.id], name) for row, name in rows]


def get_current(session: Session, spec: DatasetSpec, la_code: str, key: Any) -> BaseModel | None:
    model = spec.model
    row = session.execute(
        select(model, ApiClient.name).join(ApiClient, ApiClient.id == model.submitted_by_id)
        .where(model.la_code == la_code, *spec.key_is(key), model.superseded_at.is_(None))
    ).first()
    return None if row is None else _reads(session, spec, [tuple(row)])[0]


def list_current(session: Session, spec: DatasetSpec, la_code: str, page: PageParams) -> tuple[list[BaseModel], int]:
    model = spec.model
    order = spec.list_order or spec.key_columns
    statement = (select(model, ApiClient.name).join(ApiClient, ApiClient.id == model.submitted_by_id)
                 .where(model.la_code == la_code, model.superseded_at.is_(None)).order_by(*order))
    rows, total = fetch_page(session, statement, page)
    return _reads(session, spec, [tuple(r) for r in rows]), total


def list_versions(session: Session, spec: DatasetSpec, la_code: str, key: Any,
                  page: PageParams) -> tuple[list[BaseModel], int]:
    model = spec.model
    statement = (select(model, ApiClient.name).join(ApiClient, ApiClient.id == model.submitted_by_id)
                 .where(model.la_code == la_code, *spec.key_is(key)).order_by(model.version.desc()))
    rows, total = fetch_page(session, statement, page)
    return _reads(session, spec, [tuple(r) for r in rows]), total
