"""Per-client request budget per minute (fixed window), kept in the database so that every worker
process of `datapack serve --workers N` counts against the same budget."""

import math
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, ForeignKey, bindparam
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
        """`engine` autocommits (`Connections.counter`): in a transaction, a count would be rolled back
        with the connection, unseen."""
        if engine.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            raise ValueError("the rate limiter counts on an AUTOCOMMIT engine")
        self.engine = engine
        self.per_minute = per_minute
        self._clock = clock
        self._count = _count_statement(engine.dialect.name)

    def retry_after(self, client_id: int, connection: Connection | None = None) -> int | None:
        """Count one request; return seconds to wait if it is over the limit, else None.

        One atomic upsert in its own transaction, so a request that fails later still counts.
        `connection`: one of this limiter's engine's, in autocommit, that the caller already holds."""
        if self.per_minute == 0:
            return None
        if connection is None:
            with self.engine.connect() as own:
                return self.retry_after(client_id, own)
        now = self._clock()
        start, used = connection.execute(self._count, {"client_id": client_id, "now": now,
                                                       "expired_before": now - WINDOW}).one()
        if used <= self.per_minute:
            return None
        return max(1, math.ceil((start + WINDOW - now).total_seconds()))


def _count_statement(dialect_name: str) -> Any:
    # Built once: every request runs it, and building it costs more than running it.
    table = RateLimitWindow.__table__
    now = bindparam("now", type_=table.c.window_start.type)
    expired = table.c.window_start <= bindparam("expired_before", type_=table.c.window_start.type)
    statement = upsert_insert(dialect_name)(table).values(client_id=bindparam("client_id"), window_start=now, used=1)
    return statement.on_conflict_do_update(
        index_elements=[table.c.client_id],
        set_={"window_start": case((expired, now), else_=table.c.window_start),
              "used": case((expired, 1), else_=table.c.used + 1)},
    ).returning(table.c.window_start, table.c.used)
