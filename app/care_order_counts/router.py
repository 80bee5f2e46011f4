from typing import Annotated

from fastapi import Path

from app.access.dependencies import LaWriter
from app.care_order_counts.service import SPEC
from app.core.types import IsoDate
from app.records.router import build_record_router

SnapshotDate = Annotated[IsoDate, Path(alias="snapshot_date", description="Snapshot date, e.g. 31 March.",
                                    examples=["2021-03-31"])]

router = build_record_router(SPEC, key_type=SnapshotDate, la_dependency=LaWriter)
