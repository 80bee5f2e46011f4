"""Per-client request budget per minute (fixed window), kept in the database so that every worker
process of `datapack serve --workers N` counts against the same budget."""

import math
from datetime import datetime, timedelta

from sqlalchemy import Engine, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import case

from app.core.db import Base, upsert_insert, utcnow

WINDOW = timedelta(minutes=1)


class RateLimitWindow(Base):
    __tablename__ = "rate_limit_windows"

    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id", ondelete="CASCADE"), primary_key=True)
    window_start: Mapped[datetime]
    used: Mapped[int]


class RateLimiter:
    def __init__(self, engine: Engine, per_minute: int, clock=utcnow) -> None:
        self.engine = engine
        self.per_minute = per_minute
        self._clock = clock

    def retry_after(self, client_id: int) -> int | None:
        """Count one request; return seconds to wait if it is over the limit, else None.

        One atomic upsert in its own transaction, so a request that fails later still counts."""
        if self.per_minute == 0:
            return None
        now = self._clock()
        table = RateLimitWindow.__table__
        insert = upsert_insert(self.engine.dialect.name)
        expired = table.c.window_start <= now - WINDOW
        statement = insert(table).values(client_id=client_id, window_start=now, used=1)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.client_id],
            set_={"window_start": case((expired, now), else_=table.c.window_start),
                  "used": case((expired, 1), else_=table.c.used + 1)},
        ).returning(table.c.window_start, table.c.used)
        with self.engine.begin() as connection:
            start, used = connection.execute(statement).one()
        if used <= self.per_minute:
            return None
        return max(1, math.ceil((start + WINDOW - now).total_seconds()))
