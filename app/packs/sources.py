"""The returns a pack used, listed in its header."""

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.packs.schemas import Source
from app.records.spec import key_text
from app.records.state import in_force

# A dataset's key column, or its key's columns in order (`("snapshot_date", "dimension", "category")`).
KeyFields = str | tuple[str, ...]


def _key_columns(model: Any, key_fields: KeyFields) -> list[Any]:
    return [getattr(model, name) for name in ((key_fields,) if isinstance(key_fields, str) else key_fields)]


def _key(parts: list[Any]) -> str:
    return key_text(tuple(parts) if len(parts) > 1 else parts[0])


def keyed_sources(session: Session, model: Any, dataset: str, key_fields: KeyFields, la_codes: Iterable[str] | None,
                  as_of: datetime | None, *conditions: Any) -> list[Source]:
    """One source per (LA, key, version) of an aggregate dataset (la_codes None: every LA); a key of several
    columns is given as its path names it (`2021-03-31/sex/male`)."""
    keys = _key_columns(model, key_fields)
    statement = select(model.la_code, model.version, model.source, *keys).where(in_force(model, as_of), *conditions)
    if la_codes is not None:
        statement = statement.where(model.la_code.in_(list(la_codes)))
    rows = session.execute(statement.order_by(model.la_code, *keys))
    # Validated, not model_construct: pydantic-core validates these fields in half the time
    # model_construct takes in Python, and a pack may list thousands.
    return [Source(la=la, dataset=dataset, key=_key(k), version=v, source=source) for la, v, source, *k in rows]


def summarised_sources(session: Session, model: Any, dataset: str, key_fields: KeyFields, la_codes: Iterable[str],
                       as_of: datetime | None, *conditions: Any) -> list[Source]:
    """Child-level datasets: per LA (and per source: what an SSDA903 extract gave apart from what the LA sent) a
    count and a digest of (key, version), never the keys themselves."""
    keys = _key_columns(model, key_fields)
    rows = session.execute(select(model.la_code, model.source, model.version, model.submitted_at, *keys)
                           .where(model.la_code.in_(list(la_codes)), in_force(model, as_of), *conditions)
                           .order_by(model.la_code, *keys))
    per_la: dict[tuple[str, str | None], tuple[Any, int, datetime]] = {}
    for la, source, version, submitted_at, *k in rows:
        digest, count, last = per_la.get((la, source), (hashlib.sha256(), 0, submitted_at))
        digest.update(f"{_key(k)}\t{version}\n".encode())
        per_la[(la, source)] = (digest, count + 1, max(last, submitted_at))
    return [Source(la=la, dataset=dataset, records=count, digest="sha256:" + digest.hexdigest(), last_submitted_at=last,
                   source=source) for (la, source), (digest, count, last) in per_la.items()]
