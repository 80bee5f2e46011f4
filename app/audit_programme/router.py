from typing import Annotated

from fastapi import Path

from app.access.dependencies import LaWriter
from app.audit_programme.service import SPEC
from app.core.patterns import MONTH_PATTERN
from app.records.router import build_record_router

Month = Annotated[str, Path(alias="month", pattern=MONTH_PATTERN, examples=["2021-02"])]

router = build_record_router(SPEC, key_type=Month, la_dependency=LaWriter)
