"""A period's table is kept while its data state holds (`app.packs.states`): a return dated after the period
leaves it as it was; any write that can change the period's figures gives it a new state."""

from datetime import date

import pytest

from app.audits.models import Audit
from app.packs import states
from app.packs.registry import PACKS
from app.retention.service import run_retention
from tests.conftest import secret_of
from tests.packs.helpers import audit, count_decisions, order, pack, submit
from tests.payloads import CUMBRIA, KNOWSLEY, LIVERPOOL

NORTH_WEST = "E12000002"
YEAR_2019 = {"area": NORTH_WEST, "from": "2019-04-01", "to": "2020-03-31"}
END_2019 = date(2020, 3, 31)
AUDITS = PACKS["audits"].reads


def state_2019(db) -> str:
    db.rollback()  # a new read transaction: what the requests committed
    return states.data_state(db, AUDITS, END_2019, None)


async def returned_in_2019(admin) -> None:
    for la in (KNOWSLEY, LIVERPOOL, CUMBRIA):
        await submit(admin, la, "audits", [audit(f"{la}-{i}", audit_date="2019-06-14",
                                                 overall_grade="good" if i % 3 else "inadequate") for i in range(8)])


async def test_a_return_dated_after_the_year_leaves_its_table_as_decided(api, monkeypatch):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await returned_in_2019(admin)
    first = await pack(portal, "audits", **YEAR_2019)
    decisions = count_decisions(monkeypatch)
    await submit(admin, KNOWSLEY, "audits", [audit("LATER", audit_date="2021-06-14", overall_grade="inadequate")])
    again = await pack(portal, "audits", **YEAR_2019)
    assert (date(2019, 4, 1), END_2019) not in decisions
    assert again["las"] == first["las"]


async def test_a_late_return_dated_in_the_year_has_it_decided_again_and_its_small_count_hidden(api, monkeypatch):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await returned_in_2019(admin)
    await pack(portal, "audits", **YEAR_2019)
    decisions = count_decisions(monkeypatch)
    await submit(admin, "909", "audits", [audit("LATE", audit_date="2019-07-01", overall_grade="outstanding")])
    again = await pack(portal, "audits", **YEAR_2019)
    assert (date(2019, 4, 1), END_2019) in decisions
    late = next(row for row in again["las"] if row["code"] == "909")
    assert late["grades"]["total"] is None and late["grades"]["suppressed"]["total"] == "c"


@pytest.mark.parametrize("revised", [
    {"audit_date": "2019-06-14", "overall_grade": "good"},        # within the year: as many records as before
    {"audit_date": "2022-06-14", "overall_grade": "inadequate"},  # moved out of it
], ids=["revised-within", "moved-out"])
async def test_a_revision_of_a_record_of_the_year_gives_it_a_new_state(api, db, revised):
    admin = api("admin")
    await returned_in_2019(admin)
    before = state_2019(db)
    await submit(admin, KNOWSLEY, "audits", [audit(f"{KNOWSLEY}-0", **revised)])
    assert state_2019(db) != before


async def test_a_return_dated_after_the_year_leaves_its_state(api, db):
    admin = api("admin")
    await returned_in_2019(admin)
    before = state_2019(db)
    await submit(admin, KNOWSLEY, "audits", [audit("LATER", audit_date="2021-06-14")])
    assert state_2019(db) == before


async def test_a_deletion_gives_every_year_a_new_state(api, app, db):
    admin = api("admin")
    await returned_in_2019(admin)
    await submit(admin, LIVERPOOL, "audits", [audit("OLD", audit_date="2012-05-05")])
    before = state_2019(db)
    run_retention(db, years=7, today=date(2026, 11, 23), secret=secret_of(app))
    db.commit()
    assert db.query(Audit).filter(Audit.audit_ref == "OLD").count() == 0
    assert state_2019(db) != before


async def test_a_group_re_membered_gives_every_year_a_new_state(api, db):
    admin = api("admin")
    await returned_in_2019(admin)
    await admin.put("/api/v1/areas/merseyside", json={"name": "Merseyside", "members": [KNOWSLEY, LIVERPOOL]})
    before = state_2019(db)
    await admin.put("/api/v1/areas/merseyside", json={"name": "Merseyside", "members": [KNOWSLEY]})
    assert state_2019(db) != before


async def test_a_cafcass_sample_dated_after_the_year_pairing_an_audit_in_it_shows_no_small_count(api):
    # The pair is counted in the LA audit's month whatever the Cafcass sample's date (`app.audits.summary`):
    # 2019's agreement changes though no version dated in 2019 was written.
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    for la in (KNOWSLEY, LIVERPOOL, CUMBRIA):
        await submit(admin, la, "orders", [order(f"O{la}-{i}") for i in range(8)])
        await submit(admin, la, "audits", [audit(f"{la}-{i}", audit_date="2019-06-14", order_ref=f"O{la}-{i}",
                                                 overall_grade="good" if i % 3 else "inadequate") for i in range(8)])
    first = await pack(portal, "audits", **YEAR_2019)
    assert next(row for row in first["las"] if row["code"] == KNOWSLEY)["agreement"]["pairs"] == 0
    await submit(admin, KNOWSLEY, "audits", [audit("CAFCASS-LATER", audit_date="2021-06-14", order_ref=f"O{KNOWSLEY}-1",
                                                   audit_type="cafcass_dip_sample", framework="overall-only")])
    admin_view = await pack(admin, "audits", **YEAR_2019)
    assert next(row for row in admin_view["las"] if row["code"] == KNOWSLEY)["agreement"]["pairs"] == 1
    again = await pack(portal, "audits", **YEAR_2019)
    knowsley = next(row for row in again["las"] if row["code"] == KNOWSLEY)["agreement"]
    assert knowsley["pairs"] is None and knowsley["suppressed"]["pairs"] == "c"


async def test_a_cafcass_sample_dated_after_the_year_pairing_no_audit_in_it_leaves_its_state(api, db):
    admin = api("admin")
    await returned_in_2019(admin)
    await submit(admin, KNOWSLEY, "orders", [order("O-LATER", order_date="2021-01-14", status_date="2021-03-01")])
    await submit(admin, KNOWSLEY, "audits", [audit("LA-LATER", audit_date="2021-05-01", order_ref="O-LATER")])
    before = state_2019(db)
    await submit(admin, KNOWSLEY, "audits", [audit("CAFCASS-LATER", audit_date="2021-06-14", order_ref="O-LATER",
                                                   audit_type="cafcass_dip_sample", framework="overall-only")])
    assert state_2019(db) == before


async def test_an_las_first_return_dated_after_the_year_gives_the_year_a_new_state(api, db):
    # Its year is "not returned" before and zeros after (outcomes, compare): the same records dated in the year.
    admin = api("admin")
    await submit(admin, KNOWSLEY, "orders", [order("K1", order_date="2019-06-14", status_date="2019-07-01")])
    before = states.data_state(db, ("orders",), END_2019, None)
    await submit(admin, LIVERPOOL, "orders", [order("L1", order_date="2022-06-14", status_date="2022-07-01")])
    db.rollback()
    assert states.data_state(db, ("orders",), END_2019, None) != before
