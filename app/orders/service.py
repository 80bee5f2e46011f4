"""Where child-level orders are validated and mapped to their table."""

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import messages
from app.orders.models import CareOrder
from app.orders.schemas import OrderCreate, OrderRead, OrderRecord
from app.records.spec import DatasetSpec, RuleContext, RuleProblem, la_operational_on, not_in_future
from app.records.state import in_force

# A reference shaped like a date is very likely a date of birth, which must not be sent.
DATE_LIKE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
DATES = ("order_date", "status_date", "discharge_date", "proceedings_issued", "final_hearing")


def rules(order_ref: str | None, record: OrderCreate, ctx: RuleContext) -> list[RuleProblem]:
    """Each rule runs only when its inputs are present (a field may have failed its own check)."""
    found: list[RuleProblem] = []
    if record.child_ref is not None and DATE_LIKE.search(record.child_ref):
        found.append((("child_ref",), "contains a date; a child reference must not carry a date of birth"))
    for name in DATES:
        found += not_in_future((name,), getattr(record, name), ctx)
    if record.order_date is not None and record.order_date <= ctx.today:
        found += la_operational_on(("order_date",), record.order_date, ctx)
    for name in ("status_date", "discharge_date"):
        value = getattr(record, name)
        if value is not None and record.order_date is not None and value < record.order_date:
            found.append(((name,), messages.before(name, value, "order_date", record.order_date)))
    found += _issued_too_late(record)
    if record.current_status == "discharged":
        for name in ("discharge_date", "discharge_outcome"):
            if getattr(record, name) is None:
                found.append(((name,), "required when current_status is 'discharged'"))
    elif (record.discharge_date is None) != (record.discharge_outcome is None):
        missing = "discharge_outcome" if record.discharge_outcome is None else "discharge_date"
        found.append(((missing,), "discharge_date and discharge_outcome go together"))
    if record.re_referred_within_12_months is not None and record.discharge_date is None:
        # Re-referral is counted from the discharge: without one there is nothing for the answer to be about.
        found.append((("re_referred_within_12_months",), "given only for a discharged order, with discharge_date"))
    return found


def _issued_too_late(record: OrderCreate) -> list[RuleProblem]:
    """Proceedings are issued before any order in them (an interim order comes during them) and before their
    final hearing; the finding is proceedings_issued's, as the later dates are checked against the order's own."""
    issued = record.proceedings_issued
    if issued is None:
        return []
    return [(("proceedings_issued",), messages.after("proceedings_issued", issued, name, getattr(record, name)))
            for name in ("order_date", "final_hearing")
            if getattr(record, name) is not None and issued > getattr(record, name)]


def order_dates(session: Session, la_code: str) -> dict[str, date]:
    """Each current order of the LA by reference: what an audit of one must name."""
    rows = session.execute(select(CareOrder.order_ref, CareOrder.order_date)
                           .where(CareOrder.la_code == la_code, in_force(CareOrder, None)))
    return {ref: made for ref, made in rows}


SPEC = DatasetSpec(
    name="orders", title="Orders", item_title="Order", model=CareOrder, key_fields=("order_ref",),
    create_schema=OrderCreate, record_schema=OrderRecord, read_schema=OrderRead,
    rules=rules, child_level=True,
    rules_in_words=(
        "child_ref is the LA's pseudonymous identifier: never a name, and never containing a date.",
        "order_date, status_date, discharge_date, proceedings_issued and final_hearing are not in the future; the LA "
        "existed on order_date.",
        "status_date and discharge_date are not before order_date.",
        "proceedings_issued is not after order_date, nor after final_hearing.",
        "current_status discharged needs discharge_date and discharge_outcome; otherwise those two are given "
        "together or not at all.",
        "re_referred_within_12_months is given only for a discharged order: only with discharge_date.",
    ),
)
