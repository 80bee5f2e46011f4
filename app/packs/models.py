from datetime import datetime

from sqlalchemy import LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class CachedPack(Base):
    """A rendered pack under its ETag, shared by every worker: the ETag names the request, the
    reader's suppression and every return change the pack reads, so an entry is never stale."""

    __tablename__ = "pack_cache"

    etag: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(120))
    headers: Mapped[str] = mapped_column(Text)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(index=True)
    # A published pack's lineage (`app.packs.publication`): the latest of a lineage stands in for the next while
    # it is built, in every worker and after a restart. None: a pack built for a reader who sees everything.
    lineage: Mapped[str | None] = mapped_column(String(64), index=True)
    # The LAs its area was made of when built, comma-separated: a lineage spans a group's re-definitions, and a
    # publication stands in only for a reader who may read them all (`app.packs.request.may_read`).
    area_las: Mapped[str | None] = mapped_column(Text)


class PublishedKnowledge(Base):
    """Everything suppressed readers have been shown of one table (a pack's year, for one kind of reader), over
    every data state it was published in (`app.packs.knowledge`): a new state's table is decided knowing it, so
    that two states cannot be subtracted. `version` is raised by every publication: a table decided on an older
    version is decided again, so no two publications are made without one knowing the other."""

    __tablename__ = "published_knowledge"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int]
    body: Mapped[bytes] = mapped_column(LargeBinary)  # zlib-compressed JSON: the figures shown and hidden, the lines
    updated_at: Mapped[datetime]
