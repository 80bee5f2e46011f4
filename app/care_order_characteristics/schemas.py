from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.types import IsoDate
from app.records.schemas import META_EXAMPLE, Count, VersionMeta, free_text
from app.ssda903.codes import DIMENSIONS

# Every category of every dimension, in the dimensions' order; no two dimensions share a category.
CATEGORIES = tuple(category for categories in DIMENSIONS.values() for category in categories)
Dimension = Literal[tuple(DIMENSIONS)]  # type: ignore[valid-type]
Category = Literal[CATEGORIES]  # type: ignore[valid-type]

CATEGORIES_IN_WORDS = "; ".join(f"{dimension}: {', '.join(categories)}" for dimension, categories in DIMENSIONS.items())
CATEGORY_DESCRIPTION = f"One of the dimension's categories ({CATEGORIES_IN_WORDS})."

EXAMPLE = {"full_care_orders_at_home": 31, "interim_care_orders_at_home": 9, "notes": None}
KEY_EXAMPLE = {"snapshot_date": "2021-03-31", "dimension": "age_band", "category": "5_to_9"}


class CareOrderCharacteristicsCreate(BaseModel):
    """One LA's children on care orders at home on one snapshot date in one category of one dimension."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})

    full_care_orders_at_home: Count = Field(description="S.31 full care orders, placed with parents, in the category.")
    interim_care_orders_at_home: Count = Field(description="S.38 interim care orders, placed with parents, in the "
                                                           "category.")
    notes: str | None = free_text(2000, default=None)


class CareOrderCharacteristicsRecord(CareOrderCharacteristicsCreate):
    model_config = ConfigDict(json_schema_extra={"examples": [{**KEY_EXAMPLE, **EXAMPLE}]})

    snapshot_date: IsoDate
    dimension: Dimension = Field(description="What the children are broken down by, one dimension at a time.")
    category: Category = Field(description=CATEGORY_DESCRIPTION)


class CareOrderCharacteristicsRead(CareOrderCharacteristicsRecord, VersionMeta):
    model_config = ConfigDict(json_schema_extra={"examples": [{**KEY_EXAMPLE, **EXAMPLE, **META_EXAMPLE}]})
