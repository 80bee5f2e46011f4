from typing import Annotated

from fastapi import Path

from app.access.dependencies import ChildLevelLa
from app.audits.service import SPEC
from app.core.patterns import REF_PATTERN
from app.records.router import build_record_router

AuditRef = Annotated[str, Path(alias="audit_ref", pattern=REF_PATTERN, examples=["A-2021-0107"])]

router = build_record_router(SPEC, key_type=AuditRef, la_dependency=ChildLevelLa)
