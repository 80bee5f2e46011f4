"""The one way every pack is built (`app.packs.pipeline`)."""

from dataclasses import replace
from datetime import date

import pytest

from app.access.reader import Reader
from app.access.roles import Role
from app.core.db import utcnow
from app.packs import knowledge, pipeline, published
from app.packs.registry import PACKS
from app.packs.request import PackRequest, resolve_area
from tests.packs.helpers import audit, count_decisions, order, put_counts, submit
from tests.payloads import LIVERPOOL, NORTH_WEST

YEAR = (date(2019, 4, 1), date(2020, 3, 31))


async def return_every_dataset(api) -> None:
    admin = api("admin")
    await submit(admin, LIVERPOOL, "orders", [order("A1")])
    await submit(admin, LIVERPOOL, "audits", [audit("A1", audit_date="2019-06-14")])
    await put_counts(admin, LIVERPOOL, "2020-03-31")


def build_for_portal(app, spec, first: date, last: date) -> None:
    with app.state.sessionmaker() as session:
        area = resolve_area(session, NORTH_WEST)
        req = PackRequest(area, first, last, None, Reader(Role.PORTAL, None, NORTH_WEST, 5), utcnow(),
                          area.operational_during(first, last))
        pipeline.build(spec, session, req)


@pytest.mark.parametrize("name", ["outcomes", "audits", "care-orders-at-home"])
async def test_a_build_waiting_on_a_table_another_worker_decides_is_put_back_before_its_figures_are_built(
        api, app, monkeypatch, name):
    """A round retries such a build every second until the table is decided: built first, the figures were built
    again at each retry (England's outcomes pack: 0.31 s of CPU on the demo data, idle)."""
    await return_every_dataset(api)
    spec, built = PACKS[name], []

    def figures(session, req):
        built.append(req)
        return spec.figures(session, req)

    def busy(session, key):
        raise knowledge.Busy(key)

    monkeypatch.setattr(published, "_kept", published._KeptTables())  # no table kept by an earlier test
    monkeypatch.setattr(knowledge, "defer_if_busy", busy)
    with pytest.raises(knowledge.Busy):
        build_for_portal(app, replace(spec, figures=figures), *YEAR)
    assert built == []


@pytest.mark.parametrize("name", ["audits", "care-orders-at-home"])
async def test_years_before_any_return_decide_no_table(api, app, monkeypatch, name):
    """Any twenty whole years are a valid range; before the first return its figures are all null, and read no
    table. (Outcomes reads every year's table of any range: an LA with orders in force shows zeros there.)"""
    await return_every_dataset(api)
    monkeypatch.setattr(published, "_kept", published._KeptTables())
    decisions = count_decisions(monkeypatch)
    build_for_portal(app, PACKS[name], date(1995, 4, 1), date(2015, 3, 31))
    assert decisions == []
    build_for_portal(app, PACKS[name], *YEAR)
    assert decisions, "not vacuous: a year of returns decides its table"
