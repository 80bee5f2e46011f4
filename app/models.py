"""Every table, imported in one place so Alembic and the schema test see the whole metadata."""

from app.access_log.models import AccessLogEntry
from app.audit_programme.models import AuditProgrammeMonth
from app.audits.models import Audit, AuditDomainMonthSummary, AuditItemMonthSummary, AuditMonthSummary
from app.care_order_characteristics.models import CareOrderCharacteristic
from app.care_order_counts.models import CareOrderCount
from app.clients.models import ApiClient
from app.core.db import Base
from app.core.ratelimit import RateLimitWindow
from app.orders.models import CareOrder
from app.packs.models import CachedPack
from app.population.models import PopulationEstimate
from app.records.models import ReturnChange
from app.reference.models import Area, AuditFramework, FrameworkDomain, GroupMember, LocalAuthority
from app.submissions.models import IdempotencyRecord, Submission, SubmissionFile

metadata = Base.metadata

__all__ = [
    "AccessLogEntry", "ApiClient", "Area", "Audit", "AuditDomainMonthSummary", "AuditFramework",
    "AuditItemMonthSummary", "AuditMonthSummary", "AuditProgrammeMonth", "CachedPack",
    "CareOrder", "CareOrderCharacteristic", "CareOrderCount", "FrameworkDomain", "GroupMember", "IdempotencyRecord",
    "LocalAuthority",
    "PopulationEstimate", "RateLimitWindow", "ReturnChange", "Submission", "SubmissionFile", "metadata",
]
