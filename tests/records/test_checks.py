"""A bulk submission's records are checked a batch at a time; each must come out as a check of it alone."""

from datetime import date
from typing import Any

from app.audits.service import SPEC as AUDITS
from app.care_order_counts.service import SPEC as CARE_ORDER_COUNTS
from app.records.checks import check_many, check_record
from app.records.spec import RuleContext
from app.reference.models import LocalAuthority
from tests.packs.helpers import audit
from tests.payloads import LIVERPOOL

TODAY = date(2026, 11, 23)


def items(records: list[dict[str, Any]]) -> list[tuple[dict[str, Any], tuple[str | int, ...], int]]:
    return [(record, ("row", number), number) for number, record in enumerate(records, start=2)]


def alone(spec, records, ctx) -> list[tuple[Any, Any, list]]:
    found = []
    for values, prefix, row in items(records):
        key, payload, errors = check_record(spec, dict(values), ctx, prefix=prefix, row=row)
        found.append((key, None if payload is None else payload.model_dump(), errors))
    return found


def together(spec, records, ctx) -> list[tuple[Any, Any, list]]:
    return [(key, None if payload is None else payload.model_dump(), errors)
            for key, payload, errors in check_many(spec, items([dict(r) for r in records]), ctx)]


def context(db) -> RuleContext:
    return RuleContext(db, db.get(LocalAuthority, LIVERPOOL), TODAY)


def test_valid_records_checked_together_give_each_ones_key_and_payload(db):
    records = [audit("A1"), audit("A2", domain_grades={"plans": "good"}, theme="Neglect", order_ref="LIV-1",
                                 moderation={"moderated_grade": "inadequate", "result": "downgraded"}),
               audit("A3", audit_date="2021-03-01", outcome_grade="good")]
    ctx = context(db)
    ctx.remembered("order_dates", lambda: {"LIV-1": date(2019, 6, 14)})  # the LA's orders, as if returned
    assert together(AUDITS, records, ctx) == alone(AUDITS, records, ctx)
    assert [key for key, _, errors in together(AUDITS, records, ctx) if not errors] == ["A1", "A2", "A3"]


def test_rule_breaches_in_a_valid_batch_are_reported_on_their_own_rows(db):
    records = [audit("A1"), audit("A2", audit_date="2030-01-01"), audit("A3", domain_grades={"nonsense": "good"})]
    ctx = context(db)
    checked = together(AUDITS, records, ctx)
    assert checked == alone(AUDITS, records, ctx)
    assert [(row, [e.loc for e in errors]) for row, (_, _, errors) in enumerate(checked, start=2)] == [
        (2, []), (3, [["row", 3, "audit_date"]]), (4, [["row", 4, "domain_grades", "nonsense"]])]


def test_one_malformed_record_leaves_every_record_worded_as_a_check_of_it_alone(db):
    records = [audit("A1"), audit("A2", overall_grade="brilliant", audit_date="2030-01-01"),
               {"audit_date": "2021-02-10", "audit_type": "individual", "overall_grade": "good"},
               audit("bad ref!"), audit("A5", colour="red")]
    ctx = context(db)
    checked = together(AUDITS, records, ctx)
    assert checked == alone(AUDITS, records, ctx)
    assert [bool(errors) for _, _, errors in checked] == [False, True, True, True, True]


def test_keys_that_are_dates_are_validated_with_the_rest(db):
    record = {"snapshot_date": "2021-03-31", "cla_total": 100, "placed_with_parents": 10,
              "full_care_orders_at_home": 5, "interim_care_orders_at_home": 1}
    records = [record, {**record, "snapshot_date": "2022-03-31"}]
    ctx = context(db)
    checked = together(CARE_ORDER_COUNTS, records, ctx)
    assert checked == alone(CARE_ORDER_COUNTS, records, ctx)
    assert [key for key, _, _ in checked] == [date(2021, 3, 31), date(2022, 3, 31)]
