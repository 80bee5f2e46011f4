from typing import Annotated

from fastapi import Path

from app.access.dependencies import LaWriter
from app.population.service import SPEC
from app.records.router import build_record_router

Year = Annotated[int, Path(alias="year", ge=1990, le=2100, examples=[2021])]

router = build_record_router(SPEC, key_type=Year, la_dependency=LaWriter)
