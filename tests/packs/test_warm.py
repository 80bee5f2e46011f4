"""A starting process publishes the tables behind portals' default packs before it says it is ready
(`app.packs.warm`): a portal's first read decides none of them."""

import time
from functools import partial

from app.packs.registry import PACKS
from app.packs.warm import publish_default_tables
from tests.packs.helpers import audit, count_decisions, order, pack, submit
from tests.payloads import KNOWSLEY, LIVERPOOL

NORTH_WEST = "E12000002"


async def return_audits_and_orders(api) -> None:
    admin = api("admin")
    for la in (KNOWSLEY, LIVERPOOL):
        await submit(admin, la, "audits", [audit(f"{la}-{i}", audit_date=f"20{18 + i % 3}-06-14") for i in range(9)])
        await submit(admin, la, "orders", [order(f"{la}-{i}", order_date=f"20{17 + i % 4}-06-14",
                                                         status_date="2021-03-01") for i in range(9)])


async def read_default_packs(api) -> None:
    portal = api("portal", area=NORTH_WEST)
    for name in ("audits", "outcomes"):
        assert (await pack(portal, name, area=NORTH_WEST))["suppression"]["applied"]


def published_on_start(app) -> None:
    """As the app's start does it (`app.main`): on the publishing thread, in its snapshot."""
    app.state.publications.start(partial(publish_default_tables, specs=list(PACKS.values()), threshold=5))
    deadline = time.monotonic() + 120
    while not app.state.publications.started():
        assert time.monotonic() < deadline, "the tables were never published"
        time.sleep(0.05)


async def test_a_portals_first_default_packs_decide_no_table_once_published_on_start(api, app, monkeypatch):
    await return_audits_and_orders(api)
    published_on_start(app)
    decisions = count_decisions(monkeypatch)
    await read_default_packs(api)
    assert decisions == []


async def test_without_them_a_portals_first_read_decides_its_tables(api, monkeypatch):
    await return_audits_and_orders(api)
    decisions = count_decisions(monkeypatch)
    await read_default_packs(api)
    assert decisions


def test_nothing_returned_publishes_no_table(db):
    assert publish_default_tables(db, lambda: False, list(PACKS.values()), threshold=5) == 0


async def test_tables_published_before_a_return_are_decided_again_for_it(api, app, monkeypatch):
    published_on_start(app)
    await return_audits_and_orders(api)
    decisions = count_decisions(monkeypatch)
    await read_default_packs(api)
    assert decisions
