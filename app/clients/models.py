from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class ApiClient(Base):
    """An integrating system (LA BI tool, FJB portal) or an administrator, with one role."""

    __tablename__ = "api_clients"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'la', 'portal')", name="role_known"),
        CheckConstraint(
            "(role = 'la' AND la_code IS NOT NULL AND area_code IS NULL)"
            " OR (role = 'portal' AND area_code IS NOT NULL AND la_code IS NULL)"
            " OR (role = 'admin' AND la_code IS NULL AND area_code IS NULL)",
            name="scope_matches_role",
        ),
        CheckConstraint("disclosure IN ('full', 'suppressed')", name="disclosure_known"),
        CheckConstraint("role != 'admin' OR disclosure = 'full'", name="admins_see_everything"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(10))
    la_code: Mapped[str | None] = mapped_column(ForeignKey("local_authorities.code"))
    area_code: Mapped[str | None] = mapped_column(ForeignKey("areas.code"))
    # full: every figure of every pack (admins; a board an admin trusts under a data-sharing agreement).
    disclosure: Mapped[str] = mapped_column(String(10))
    # Only a SHA-256 of the key is kept: keys are 32 random bytes, so a slow hash adds nothing.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
