"""The compare pack: one measure summed over two periods, and the change between them."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.care_order_counts.models import CareOrderCount
from app.core.errors import FieldError, validation_failed
from app.orders.models import CareOrder
from app.packs.common import cells, header, keyed_sources, new_disclosure, summarised_sources
from app.packs.figures import percentage
from app.packs.schemas import SUPPRESSED_DESCRIPTION, PackBase, Suppressed
from app.packs.scope import PackRequest
from app.records.state import in_force
from app.reference.models import LocalAuthority

M = CareOrderCount
COUNT_MEASURES = {
    "full_care_orders_at_home": M.full_care_orders_at_home, "interim_care_orders_at_home": M.interim_care_orders_at_home,
    "total_at_home": M.full_care_orders_at_home + M.interim_care_orders_at_home, "cla_total": M.cla_total,
    "placed_with_parents": M.placed_with_parents, "orders_made_in_year": M.orders_made_in_year,
    "discharges_total": M.discharges_total, "discharges_to_no_order": M.discharges_to_no_order,
    "discharges_to_supervision_order": M.discharges_to_supervision_order,
    "discharges_to_family_assistance_order": M.discharges_to_family_assistance_order,
    "interim_orders_from_private_law": M.interim_orders_from_private_law,
    "interim_orders_for_parent_assessment": M.interim_orders_for_parent_assessment,
    "interim_orders_became_full_orders": M.interim_orders_became_full_orders,
}
# From child-level orders: counted by order_date (made) or discharge_date (discharged) in each period.
ORDER_MEASURES = {"orders_made": CareOrder.order_date, "orders_discharged": CareOrder.discharge_date}
Measure = Literal[tuple(COUNT_MEASURES) + tuple(ORDER_MEASURES)]  # type: ignore[valid-type]
PERIOD_PATTERN = r"^\d{4}-\d{2}-\d{2}:\d{4}-\d{2}-\d{2}$"


class Period(BaseModel):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [
        {"from": "2009-04-01", "to": "2014-03-31", "value": 84, "snapshots": 5, "suppressed": {}}]})

    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")
    value: int | None = Field(description="The measure summed over the period.")
    snapshots: int = Field(description="Returns (snapshot dates × LAs) or records summed.")
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class Comparison(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "341", "name": "Liverpool"}]})

    code: str
    name: str
    before: Period
    after: Period
    change: int | None
    pct_change: float | None = Field(description="(after − before) / before, as a percentage.")
    suppressed: Suppressed = Field(default_factory=dict, description=SUPPRESSED_DESCRIPTION)


class ComparePack(PackBase):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "pack": "compare", "area": {"code": "341", "name": "Liverpool", "kind": "la"}, "from": "2009-04-01",
        "to": "2019-03-31", "as_of": None, "generated_at": "2026-11-23T09:00:00Z",
        "suppression": {"applied": False, "threshold": 5, "cells_hidden": 0}, "sources": [],
        "measure": "orders_made", "las": [], "total": None}]})

    measure: str
    las: list[Comparison]
    total: Comparison


def parse_period(name: str, text: str) -> tuple[date, date]:
    def problem(message: str) -> Exception:
        return validation_failed([FieldError(loc=["query", name], row=None, field=name, message=message)])

    try:
        start, end = (date.fromisoformat(part) for part in text.split(":"))
    except ValueError:
        raise problem(f"{text!r} is not FROM:TO with two real dates (YYYY-MM-DD:YYYY-MM-DD)") from None
    if start > end:
        raise problem(f"{name} starts after it ends")
    return start, end


PeriodQuery = Annotated[str, Query(pattern=PERIOD_PATTERN, description="FROM:TO, e.g. 2009-04-01:2014-03-31")]


def _sums(session: Session, req: PackRequest, measure: str, period: tuple[date, date]) -> dict[str, tuple[int | None, int]]:
    la_codes = list(req.la_codes)
    if measure in ORDER_MEASURES:
        column = ORDER_MEASURES[measure]
        rows = session.execute(select(CareOrder.la_code, func.count(), func.count())
                               .where(CareOrder.la_code.in_(la_codes), in_force(CareOrder, req.as_of),
                                      column >= period[0], column <= period[1]).group_by(CareOrder.la_code))
    else:
        value = COUNT_MEASURES[measure]
        rows = session.execute(select(M.la_code, func.sum(value), func.count(value))
                               .where(M.la_code.in_(la_codes), in_force(M, req.as_of), M.snapshot_date >= period[0],
                                      M.snapshot_date <= period[1]).group_by(M.la_code))
    return {la: (None if n == 0 else int(total), int(n)) for la, total, n in rows}


def build(session: Session, req: PackRequest, measure: str, before: tuple[date, date], after: tuple[date, date]) -> ComparePack:
    d = new_disclosure(req)
    la_codes = sorted(req.la_codes)
    names = dict(session.execute(select(LocalAuthority.code, LocalAuthority.name)
                                 .where(LocalAuthority.code.in_(la_codes))).all())
    sums = {"before": _sums(session, req, measure, before), "after": _sums(session, req, measure, after)}
    area_key = ("area", req.area.code)
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for key, code, protected in [*(((c,), c, req.viewer.protects(c)) for c in la_codes),
                                 (area_key, req.area.code, req.viewer.protects(None, req.area))]:
        values = {}
        for side in ("before", "after"):
            if key == area_key:
                present = [v for v, _ in sums[side].values() if v is not None]
                values[side] = (sum(present) if present else None, sum(n for _, n in sums[side].values()))
            else:
                values[side] = sums[side].get(code, (None, 0))
            d.count((*key, side), values[side][0], protected=protected)
        d.derive((*key, "change"), [(*key, "before"), (*key, "after")])
        d.derive((*key, "pct_change"), [(*key, "before"), (*key, "after")])
        rows[key] = values
    for side in ("before", "after"):
        d.line([(c, side) for c in la_codes], (*area_key, side))
    if req.area.kind == "la":
        for side in ("before", "after"):
            d.line([(req.area.code, side)], (*area_key, side))
    hidden = d.hidden()

    def comparison(key: tuple[Any, ...], code: str, name: str) -> Comparison:
        values = rows[key]
        shown = cells({"before": values["before"][0], "after": values["after"][0]}, key, hidden)
        b, a = values["before"][0], values["after"][0]
        change = None if a is None or b is None else a - b
        pct = None if change is None else percentage(change, b)
        marks = {name_: "c" for name_ in ("change", "pct_change") if (*key, name_) in hidden}
        periods = {side: Period(date_from=span[0], date_to=span[1], value=shown[side], snapshots=values[side][1],
                                suppressed={"value": "c"} if side in shown["suppressed"] else {})
                   for side, span in (("before", before), ("after", after))}
        return Comparison(code=code, name=name, **periods, change=None if "change" in marks else change,
                          pct_change=None if "pct_change" in marks else pct, suppressed=marks)

    if measure in ORDER_MEASURES:
        sources = summarised_sources(session, CareOrder, "orders", "order_ref", la_codes, req.as_of)
    else:
        sources = keyed_sources(session, M, "care-order-counts", "snapshot_date", la_codes, req.as_of,
                                M.snapshot_date >= min(before[0], after[0]), M.snapshot_date <= max(before[1], after[1]))
    return ComparePack(**header(req, "compare", d, hidden, sources), measure=measure,
                       las=[comparison((c,), c, names.get(c, c)) for c in la_codes],
                       total=comparison(area_key, req.area.code, req.area.name))
