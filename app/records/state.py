"""Which version of each record was in force: now, or at an earlier moment (`as_of`)."""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_


def valid_between(starts: Any, ends: Any, as_of: datetime | None) -> ColumnElement[bool]:
    """Rows valid from `starts` until `ends` (null: still valid), as they stood at `as_of` (None: now)."""
    if as_of is None:
        return ends.is_(None)
    return and_(starts <= as_of, or_(ends.is_(None), ends > as_of))


def in_force(model: Any, as_of: datetime | None) -> ColumnElement[bool]:
    """A record's versions: each is in force from its submission until a later one supersedes it."""
    return valid_between(model.submitted_at, model.superseded_at, as_of)
