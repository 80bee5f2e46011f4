"""Where care-order counts are validated and mapped to their table."""

from datetime import date
from typing import Any

from app.care_order_counts.models import CareOrderCount
from app.care_order_counts.schemas import (
    DISCHARGE_PARTS,
    OPTIONAL_COUNTS,
    CareOrderCountsCreate,
    CareOrderCountsRead,
    CareOrderCountsRecord,
)
from app.core import messages
from app.records.spec import DatasetSpec, RuleContext, RuleProblem, la_operational_on, not_in_future

CORE_COUNTS = ("cla_total", "placed_with_parents", "full_care_orders_at_home", "interim_care_orders_at_home")
SNAPSHOT_DATE_IN_WORDS = "snapshot_date is not in the future, and the LA existed on it (usually 31 March)."


def snapshot_date_rules(snapshot_date: date | None, ctx: RuleContext) -> list[RuleProblem]:
    """A return about the children on a date: a date that has come, on which the LA existed."""
    found = not_in_future(("snapshot_date",), snapshot_date, ctx)
    if not found and snapshot_date is not None:
        found += la_operational_on(("snapshot_date",), snapshot_date, ctx)
    return found


def rules(snapshot_date: date | None, record: CareOrderCountsCreate, ctx: RuleContext) -> list[RuleProblem]:
    """Each rule runs only when its inputs are present (a field may have failed its own check)."""
    found = snapshot_date_rules(snapshot_date, ctx)
    placed = record.placed_with_parents
    found += _orders_at_home(record)
    if placed is not None and record.cla_total is not None and placed > record.cla_total:
        found.append((("placed_with_parents",), messages.sum_more_than({"placed_with_parents": placed},
                                                                       {"cla_total": record.cla_total})))
    if record.discharges is not None and record.discharges.total is not None:
        parts = {f"discharges.{p}": getattr(record.discharges, p) for p in DISCHARGE_PARTS}
        parts = {name: value for name, value in parts.items() if value}
        if sum(parts.values()) > record.discharges.total:
            found.append((("discharges", "total"),
                          messages.sum_more_than(parts, {"discharges.total": record.discharges.total})))
    remained = record.interim_orders_for_parent_assessment_child_remained
    assessed = record.interim_orders_for_parent_assessment
    if remained is not None and (assessed is None or remained > assessed):
        found.append((("interim_orders_for_parent_assessment_child_remained",),
                      f"{remained} children remained but interim_orders_for_parent_assessment is "
                      f"{'not returned' if assessed is None else assessed}"))
    return found


def _orders_at_home(record: CareOrderCountsCreate) -> list[RuleProblem]:
    """Orders at home are of children placed with parents, who are looked after: every limit they pass is named."""
    full, interim = record.full_care_orders_at_home, record.interim_care_orders_at_home
    if full is None or interim is None:
        return []
    limits = {name: value for name in ("placed_with_parents", "cla_total")
              if (value := getattr(record, name)) is not None and full + interim > value}
    if not limits:
        return []
    return [(("placed_with_parents" if "placed_with_parents" in limits else "cla_total",),
             messages.sum_more_than({"full_care_orders_at_home": full, "interim_care_orders_at_home": interim},
                                    limits))]


def to_columns(record: CareOrderCountsCreate) -> dict[str, Any]:
    columns = {name: getattr(record, name) for name in (*CORE_COUNTS, *OPTIONAL_COUNTS, "notes")}
    discharges = record.discharges
    columns["discharges_total"] = discharges.total if discharges else None
    for part in DISCHARGE_PARTS:
        columns[f"discharges_{part}"] = getattr(discharges, part) if discharges else None
    return columns


def to_payload(row: CareOrderCount) -> dict[str, Any]:
    payload: dict[str, Any] = {name: getattr(row, name) for name in (*CORE_COUNTS, *OPTIONAL_COUNTS, "notes")}
    payload["discharges"] = None if row.discharges_total is None else {
        "total": row.discharges_total, **{part: getattr(row, f"discharges_{part}") for part in DISCHARGE_PARTS}
    }
    return payload


SPEC = DatasetSpec(
    name="care-order-counts", title="CareOrderCounts", item_title="CareOrderCount", model=CareOrderCount,
    key_fields=("snapshot_date",),
    create_schema=CareOrderCountsCreate, record_schema=CareOrderCountsRecord, read_schema=CareOrderCountsRead,
    to_columns=to_columns, to_payload=to_payload, rules=rules,
    rules_in_words=(
        SNAPSHOT_DATE_IN_WORDS,
        "full_care_orders_at_home + interim_care_orders_at_home is at most placed_with_parents.",
        "placed_with_parents is at most cla_total.",
        "The discharges.to_... outcomes add up to at most discharges.total.",
        "interim_orders_for_parent_assessment_child_remained is at most interim_orders_for_parent_assessment, "
        "which must then be returned too.",
    ),
)
