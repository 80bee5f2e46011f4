from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base

AREA_KINDS = ("england", "region", "group")


class Area(Base):
    """England, a region (ONS E12 code) or an admin-defined group of LAs (e.g. an LFJB)."""

    __tablename__ = "areas"
    __table_args__ = (CheckConstraint("kind IN ('england', 'region', 'group')", name="kind_known"),)

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("api_clients.id", use_alter=True))


class LocalAuthority(Base):
    __tablename__ = "local_authorities"

    code: Mapped[str] = mapped_column(String(3), primary_key=True, comment="DfE three-digit code")
    ons_code: Mapped[str] = mapped_column(String(9), comment="latest ONS code")
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), index=True)
    operational_from: Mapped[date]
    operational_to: Mapped[date | None]

    def operational_on(self, day: date) -> bool:
        return self.operational_from <= day and (self.operational_to is None or day <= self.operational_to)

    def operational_during(self, first: date, last: date) -> bool:
        return self.operational_from <= last and (self.operational_to is None or first <= self.operational_to)


class GroupMember(Base):
    __tablename__ = "group_members"

    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code", ondelete="CASCADE"), primary_key=True)
    la_code: Mapped[str] = mapped_column(ForeignKey("local_authorities.code"), primary_key=True)


class AuditFramework(Base):
    __tablename__ = "audit_frameworks"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("api_clients.id"))


class FrameworkDomain(Base):
    __tablename__ = "framework_domains"

    framework_code: Mapped[str] = mapped_column(
        ForeignKey("audit_frameworks.code", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int]
