"""The returns a pack used, listed in its header."""

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.packs.schemas import Source
from app.records.state import in_force


def keyed_sources(session: Session, model: Any, dataset: str, key_field: str, la_codes: Iterable[str] | None,
                  as_of: datetime | None, *conditions: Any) -> list[Source]:
    """One source per (LA, key, version) of an aggregate dataset (la_codes None: every LA)."""
    key = getattr(model, key_field)
    statement = select(model.la_code, key, model.version).where(in_force(model, as_of), *conditions)
    if la_codes is not None:
        statement = statement.where(model.la_code.in_(list(la_codes)))
    rows = session.execute(statement.order_by(model.la_code, key))
    # Validated, not model_construct: pydantic-core validates these four fields in half the time
    # model_construct takes in Python, and a pack may list thousands.
    return [Source(la=la, dataset=dataset, key=str(k), version=v) for la, k, v in rows]


def summarised_sources(session: Session, model: Any, dataset: str, key_field: str, la_codes: Iterable[str],
                       as_of: datetime | None, *conditions: Any) -> list[Source]:
    """Child-level datasets: per LA a count and a digest of (key, version), never the keys themselves."""
    key = getattr(model, key_field)
    rows = session.execute(select(model.la_code, key, model.version, model.submitted_at)
                           .where(model.la_code.in_(list(la_codes)), in_force(model, as_of), *conditions)
                           .order_by(model.la_code, key))
    per_la: dict[str, tuple[Any, int, datetime]] = {}
    for la, k, version, submitted_at in rows:
        digest, count, last = per_la.get(la, (hashlib.sha256(), 0, submitted_at))
        digest.update(f"{k}\t{version}\n".encode())
        per_la[la] = (digest, count + 1, max(last, submitted_at))
    return [Source(la=la, dataset=dataset, records=count, digest="sha256:" + digest.hexdigest(), last_submitted_at=last)
            for la, (digest, count, last) in per_la.items()]
