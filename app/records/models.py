from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class VersionedRecord:
    """Columns every returned record shares. A row is one version; the current version of a
    key has `superseded_at` null, and the state at time T is the version with
    submitted_at <= T < superseded_at, which is how packs answer `as_of`."""

    id: Mapped[int] = mapped_column(primary_key=True)
    la_code: Mapped[str] = mapped_column(ForeignKey("local_authorities.code"))
    version: Mapped[int]
    submitted_at: Mapped[datetime]
    superseded_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id"))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    # What the version was derived from (`ssda903:<submission id>`); null: sent as it is by its client.
    source: Mapped[str | None] = mapped_column(String(40))


def versioned_table_args(table: str, *keys: str) -> tuple[UniqueConstraint, Index]:
    """One row per (LA, key, version), and an index that finds the current version of a key; `keys` are the
    key's columns in order. A key of several columns names its constraint itself: the naming convention's
    name lists every column, and would pass PostgreSQL's 63 characters (which it cuts short silently)."""
    name = f"uq_{table}_key_version" if len(keys) > 1 else None
    return (UniqueConstraint("la_code", *keys, "version", name=name),
            Index(f"ix_{table}_current", "la_code", *keys, "superseded_at"))


class ReturnChange(Base):
    """One write to an LA's return of a dataset. A pack's ETag is computed from these, so it
    changes exactly when a return the pack reads changes, without reading the returns."""

    __tablename__ = "return_changes"
    __table_args__ = (Index("ix_return_changes_lookup", "dataset", "la_code", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset: Mapped[str] = mapped_column(String(40))
    la_code: Mapped[str] = mapped_column(String(3))
    changed_at: Mapped[datetime]
    # A deletion (retention) changes the past too: it counts for packs rebuilt `as_of` any moment.
    rewrites_history: Mapped[bool] = mapped_column(default=False)
