from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class AccessLogEntry(Base):
    """Append-only: one row per read or write of child-level data, per bulk submission, and per LA shown in a
    pack read at full disclosure by a non-admin."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id"))
    la_code: Mapped[str] = mapped_column(ForeignKey("local_authorities.code"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    dataset: Mapped[str] = mapped_column(String(40))
    record_key: Mapped[str | None] = mapped_column(String(64))
    record_count: Mapped[int]
    # The server's own id of the request, unique to it; the X-Request-ID the client sent, if any, beside it.
    request_id: Mapped[str] = mapped_column(String(128))
    client_request_id: Mapped[str | None] = mapped_column(String(128))
