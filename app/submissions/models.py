from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class Submission(Base):
    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    la_code: Mapped[str] = mapped_column(ForeignKey("local_authorities.code"), index=True)
    dataset: Mapped[str] = mapped_column(String(40))
    format: Mapped[str] = mapped_column(String(8))
    rows: Mapped[int]
    created: Mapped[int]
    revised: Mapped[int]
    unchanged: Mapped[int]
    checksum: Mapped[str] = mapped_column(String(71))
    submitted_at: Mapped[datetime]
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id"))


class SubmissionFile(Base):
    """A file an SSDA903 submission carried, by its digest and size only: the files are not kept."""

    __tablename__ = "submission_files"
    __table_args__ = (UniqueConstraint("submission_id", "part"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    part: Mapped[str] = mapped_column(String(20))
    rows: Mapped[int]
    checksum: Mapped[str] = mapped_column(String(71))


class IdempotencyRecord(Base):
    """The first response to a request sent with an Idempotency-Key, replayed on a retry."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("client_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id"))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
