from datetime import date
from typing import Annotated

from fastapi import Depends, Path

from app.access.dependencies import LaWriter
from app.care_order_characteristics.schemas import CATEGORY_DESCRIPTION, Category, Dimension
from app.care_order_characteristics.service import SPEC
from app.core.types import IsoDate
from app.records.router import build_record_router


def characteristic_key(
    snapshot_date: Annotated[IsoDate, Path(description="Snapshot date, e.g. 31 March.", examples=["2021-03-31"])],
    dimension: Annotated[Dimension, Path(description="What the children are broken down by.",  # type: ignore[valid-type]
                                         examples=["age_band"])],
    category: Annotated[Category, Path(description=CATEGORY_DESCRIPTION, examples=["5_to_9"])],  # type: ignore[valid-type]
) -> tuple[date, str, str]:
    """The record's key, from the three parts of its path; whether the category is the dimension's is a rule,
    reported with the body's problems."""
    return snapshot_date, dimension, category


CharacteristicKey = Annotated[tuple[date, str, str], Depends(characteristic_key)]

router = build_record_router(SPEC, key_type=CharacteristicKey, la_dependency=LaWriter)
