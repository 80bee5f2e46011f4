"""A starting process publishes the tables behind portals' default packs, and those packs, before it says it is
ready (`app.packs.warm`): a portal's first read decides none of them and builds no pack, and a first read after the
returns change is answered with the publication made on start while the next is built."""

import time
from functools import partial

import pytest

from app.core.connections import read_snapshot
from app.packs import cache, pipeline
from app.packs.registry import PACKS
from app.packs.router import pack_route_name
from app.packs.warm import publish_default_tables, publish_defaults
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


def published_on_start(app, packs: bool = False) -> None:
    """As the app's start does it (`app.main`): on the publishing thread, in its snapshot. `packs`: the packs too."""
    if packs:
        first = partial(publish_defaults, specs=list(PACKS.values()), threshold=5,
                        path_of=lambda spec: app.url_path_for(pack_route_name(spec)),
                        store=cache.Store(app.state.reads_sessionmaker))
    else:
        first = partial(publish_default_tables, specs=list(PACKS.values()), threshold=5)
    app.state.publications.start(first)
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


@pytest.fixture
def builds(monkeypatch) -> list[str]:
    """The packs built from here on, by name."""
    built: list[str] = []
    build = pipeline.build

    def counted(spec, session, req):
        built.append(spec.name)
        return build(spec, session, req)
    monkeypatch.setattr(pipeline, "build", counted)
    return built


async def return_audits(api) -> None:
    """Enough for a pack of figures, fewer tables to decide than `return_audits_and_orders`."""
    await submit(api("admin"), KNOWSLEY, "audits", [audit(f"K{i}", audit_date="2020-06-14") for i in range(9)])


async def test_a_portals_first_default_read_in_any_format_is_the_pack_published_on_start(api, app, builds):
    await return_audits(api)
    published_on_start(app, packs=True)
    builds.clear()
    portal = api("portal", area=NORTH_WEST)
    for name in ("audits", "outcomes", "care-orders-at-home"):
        for query in ({"area": NORTH_WEST}, *({"area": NORTH_WEST, "format": f} for f in cache.FORMATS)):
            response = await portal.get(f"/api/v1/packs/{name}", params=query)
            assert response.status_code == 200 and "pack-freshness" not in response.headers, (query, response.text)
    assert builds == []


async def test_a_default_read_after_a_return_is_answered_with_the_pack_published_on_start(api, app):
    await return_audits(api)
    published_on_start(app, packs=True)
    app.state.settings = app.state.settings.model_copy(update={"pack_fresh_wait_seconds": 0})
    await submit(api("admin"), KNOWSLEY, "audits", [audit("late", audit_date="2020-06-14")])
    response = await api("portal", area=NORTH_WEST).get("/api/v1/packs/audits", params={"area": NORTH_WEST})
    assert response.status_code == 200 and response.headers["pack-freshness"] == "previous"


def published_now(app) -> int:
    """`publish_defaults` run once, in a snapshot of its own; how many packs it built."""
    with read_snapshot(app.state.snapshots_sessionmaker) as snapshot:
        return publish_defaults(snapshot, lambda: False, list(PACKS.values()), threshold=5,
                                path_of=lambda spec: app.url_path_for(pack_route_name(spec)),
                                store=cache.Store(app.state.reads_sessionmaker))


async def test_packs_stored_already_are_not_built_again(api, app):
    await return_audits(api)
    assert published_now(app) > 0
    assert published_now(app) == 0
