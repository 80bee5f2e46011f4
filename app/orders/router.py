from typing import Annotated

from fastapi import Path

from app.access.dependencies import ChildLevelLa
from app.core.patterns import REF_PATTERN
from app.orders.service import SPEC
from app.records.router import build_record_router

OrderRef = Annotated[str, Path(alias="order_ref", pattern=REF_PATTERN, examples=["LIV-2019-0031"])]

router = build_record_router(SPEC, key_type=OrderRef, la_dependency=ChildLevelLa)
