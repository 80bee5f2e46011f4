"""Where the characteristics of children on care orders at home are validated and ordered."""

from datetime import date
from typing import Any

from sqlalchemy import case

from app.care_order_characteristics.models import CareOrderCharacteristic
from app.care_order_characteristics.schemas import (
    CATEGORIES,
    CATEGORIES_IN_WORDS,
    CareOrderCharacteristicsCreate,
    CareOrderCharacteristicsRead,
    CareOrderCharacteristicsRecord,
)
from app.care_order_counts.service import SNAPSHOT_DATE_IN_WORDS, snapshot_date_rules
from app.core import messages
from app.records.spec import DatasetSpec, RuleContext, RuleProblem
from app.ssda903.codes import DIMENSIONS


def rules(key: tuple[date | None, str | None, str | None], record: CareOrderCharacteristicsCreate,
          ctx: RuleContext) -> list[RuleProblem]:
    """Each rule runs only when its inputs are present (a part of the key may have failed its own check)."""
    snapshot_date, dimension, category = key
    found = snapshot_date_rules(snapshot_date, ctx)
    if dimension is not None and category is not None and category not in DIMENSIONS[dimension]:
        found.append((("category",), messages.not_in_group({"category": category}, {"dimension": dimension},
                                                           DIMENSIONS[dimension])))
    return found


def in_listed_order(column: Any, values: tuple[str, ...]) -> Any:
    """Codes sorted as they are listed (under_1 before 1_to_4), not alphabetically."""
    return case({value: position for position, value in enumerate(values)}, value=column)


M = CareOrderCharacteristic
SPEC = DatasetSpec(
    name="care-order-characteristics", title="CareOrderCharacteristics", item_title="CareOrderCharacteristic",
    model=M, key_fields=("snapshot_date", "dimension", "category"),
    create_schema=CareOrderCharacteristicsCreate, record_schema=CareOrderCharacteristicsRecord,
    read_schema=CareOrderCharacteristicsRead, rules=rules,
    list_order=(M.snapshot_date, in_listed_order(M.dimension, tuple(DIMENSIONS)), in_listed_order(M.category, CATEGORIES)),
    rules_in_words=(
        SNAPSHOT_DATE_IN_WORDS,
        f"category is one of its dimension's: {CATEGORIES_IN_WORDS}.",
    ),
)
