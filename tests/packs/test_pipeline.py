"""The one way every pack is built (`app.packs.pipeline`)."""

from collections import OrderedDict
from dataclasses import replace
from datetime import date

import pytest

from app.access.reader import Reader
from app.access.roles import Role
from app.core.db import utcnow
from app.packs import knowledge, pipeline, published
from app.packs.registry import PACKS
from app.packs.request import PackRequest, resolve_area
from tests.packs.helpers import order, submit
from tests.payloads import LIVERPOOL

NORTH_WEST = "E12000002"
YEAR = (date(2019, 4, 1), date(2020, 3, 31))


@pytest.mark.parametrize("name", ["outcomes", "audits", "care-orders-at-home"])
async def test_a_build_waiting_on_a_table_another_worker_decides_is_put_back_before_its_figures_are_built(
        api, app, monkeypatch, name):
    """A round retries such a build every second until the table is decided: built first, the figures were built
    again at each retry (England's outcomes pack: 0.31 s of CPU on the demo data, idle)."""
    await submit(api("admin"), LIVERPOOL, "orders", [order("A1")])
    spec, built = PACKS[name], []

    def figures(session, req):
        built.append(req)
        return spec.figures(session, req)

    def busy(session, key):
        raise knowledge.Busy(key)

    monkeypatch.setattr(published, "_kept", OrderedDict())  # no table kept by an earlier test
    monkeypatch.setattr(knowledge, "defer_if_busy", busy)
    with app.state.sessionmaker() as session:
        area = resolve_area(session, NORTH_WEST)
        req = PackRequest(area, *YEAR, None, Reader(Role.PORTAL, None, NORTH_WEST, 5), utcnow(),
                          area.operational_during(*YEAR))
        with pytest.raises(knowledge.Busy):
            pipeline.build(replace(spec, figures=figures), session, req)
    assert built == []
