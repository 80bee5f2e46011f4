"""Which version of each record was in force: now, or at an earlier moment (`as_of`)."""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_


def in_force(model: Any, as_of: datetime | None) -> ColumnElement[bool]:
    if as_of is None:
        return model.superseded_at.is_(None)
    return and_(model.submitted_at <= as_of, or_(model.superseded_at.is_(None), model.superseded_at > as_of))
