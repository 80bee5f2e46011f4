"""A pack is one folder and one registry line: a new pack declared here, touching no other file, is
served in every format, cached, answered 304 on a repeat, and suppressed for a portal."""

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pydantic import BaseModel
from sqlalchemy import func, select

from app.care_order_counts.models import CareOrderCount
from app.main import create_app
from app.packs.cells import Figures, Relations, Row
from app.packs.disclosure import Hidden
from app.packs.models import CachedPack
from app.packs.registry import PACKS
from app.packs.render.page import HtmlTable, Section
from app.packs.request import PackRequest
from app.packs.schemas import PackBase, Source, Suppressed
from app.packs.spec import PackSpec
from tests.packs.helpers import put_counts
from tests.payloads import KNOWSLEY, LIVERPOOL


class InterimRow(BaseModel):
    code: str
    interim: int | None
    suppressed: Suppressed = {}


class InterimPack(PackBase):
    las: list[InterimRow]
    total: InterimRow


@dataclass
class InterimFigures:
    cells: Figures
    sources: list[Source]
    rows: list[Row]
    total: Row


def figures(session, req: PackRequest) -> InterimFigures:
    M = CareOrderCount
    sums = dict(session.execute(select(M.la_code, func.sum(M.interim_care_orders_at_home))
                                .where(M.la_code.in_(req.la_codes), M.superseded_at.is_(None)).group_by(M.la_code)).all())
    cells, rows = Figures(), []
    for code in sorted(req.la_codes):
        rows.append(cells.show(Row("las", code)))
        cells.count(rows[-1].cell("interim"), sums.get(code), code)
    total = cells.show(Row("area", req.area.code))
    cells.count(total.cell("interim"), sum(v for v in sums.values() if v is not None), req.area.la_codes)
    return InterimFigures(cells, [], rows, total)


def relations(f: InterimFigures, req: PackRequest) -> Relations:
    relations = Relations()
    relations.adds_up([row.cell("interim") for row in f.rows], f.total.cell("interim"))
    return relations


def present(f: InterimFigures, row: Row, hidden: Hidden) -> InterimRow:
    cell = row.cell("interim")
    return InterimRow(code=row.code, interim=None if cell in hidden else f.cells[cell],
                      suppressed={"interim": "c"} if cell in hidden else {})


def rows(f: InterimFigures, hidden: Hidden, header: dict[str, Any]) -> InterimPack:
    return InterimPack(**header, las=[present(f, row, hidden) for row in f.rows], total=present(f, f.total, hidden))


def html_sections(pack: InterimPack) -> list[Section]:
    table = HtmlTable(["LA", "Interim orders at home"])
    for row in [*pack.las, pack.total]:
        table.add([row.code, row.interim], row.suppressed, [None, "interim"])
    return [Section("Interim orders at home", tables=[table])]


SPEC = PackSpec(name="interim-at-home", title="Interim orders at home", summary="Interim orders at home, summed",
                operation_id="getInterimAtHomePack", schema=InterimPack, reads=("care-order-counts",),
                figures=figures, relations=relations, rows=rows, html_sections=html_sections)


@pytest.fixture
def app(settings, monkeypatch):
    monkeypatch.setitem(PACKS, SPEC.name, SPEC)
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


async def _arrange(api, app) -> tuple[httpx.AsyncClient, httpx.AsyncClient]:
    admin = api("admin")
    await put_counts(admin, LIVERPOOL, "2021-03-31", interim_care_orders_at_home=3)
    await put_counts(admin, KNOWSLEY, "2021-03-31", interim_care_orders_at_home=40)
    return admin, api("portal", area="E12000002")


async def test_a_pack_added_by_its_spec_alone_is_served_in_every_format(api, app):
    admin, _ = await _arrange(api, app)
    types = {"json": "application/json", "csv": "text/csv", "xlsx": "application/vnd.openxmlformats", "html": "text/html"}
    for file_format, media_type in types.items():
        response = await admin.get("/api/v1/packs/interim-at-home", params={"area": LIVERPOOL, "format": file_format})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media_type)
    body = (await admin.get("/api/v1/packs/interim-at-home", params={"area": LIVERPOOL})).json()
    assert body["pack"] == "interim-at-home" and body["total"]["interim"] == 3
    html = (await admin.get("/api/v1/packs/interim-at-home", params={"area": LIVERPOOL, "format": "html"})).text
    assert "<title>Interim orders at home" in html


async def test_a_pack_added_by_its_spec_alone_is_cached_and_answered_304(api, app, db):
    admin, _ = await _arrange(api, app)
    first = await admin.get("/api/v1/packs/interim-at-home", params={"area": LIVERPOOL})
    assert db.scalar(select(func.count()).select_from(CachedPack)) == 1
    repeat = await admin.get("/api/v1/packs/interim-at-home", params={"area": LIVERPOOL},
                             headers={"If-None-Match": first.headers["etag"]})
    assert repeat.status_code == 304 and repeat.headers["etag"] == first.headers["etag"]
    await put_counts(admin, LIVERPOOL, "2021-03-31", interim_care_orders_at_home=4)
    changed = await admin.get("/api/v1/packs/interim-at-home", params={"area": LIVERPOOL},
                              headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200 and changed.json()["total"]["interim"] == 4


async def test_a_pack_added_by_its_spec_alone_is_suppressed_for_a_portal(api, app):
    admin, portal = await _arrange(api, app)
    group = await admin.put("/api/v1/areas/liverpool-knowsley", json={"name": "Liverpool and Knowsley",
                                                                       "members": [LIVERPOOL, KNOWSLEY]})
    assert group.status_code in (200, 201), group.text
    seen = (await portal.get("/api/v1/packs/interim-at-home", params={"area": "liverpool-knowsley"})).json()
    by_code = {row["code"]: row for row in seen["las"]}
    # Liverpool's 3 is hidden, and so is Knowsley's 40, or the total would give Liverpool's away; and so is
    # the total, or Knowsley, knowing its own 40, would have Liverpool's from it.
    assert by_code[LIVERPOOL] == {"code": LIVERPOOL, "interim": None, "suppressed": {"interim": "c"}}
    assert by_code[KNOWSLEY]["interim"] is None and seen["total"]["interim"] is None
    assert seen["suppression"] == {"applied": True, "threshold": 5, "cells_hidden": 3, "bound_fallback": False}
    unsuppressed = (await admin.get("/api/v1/packs/interim-at-home", params={"area": "liverpool-knowsley"})).json()
    assert [row["interim"] for row in unsuppressed["las"]] == [40, 3]  # Knowsley (340), then Liverpool (341)


async def test_a_mistyped_pack_name_is_a_404_that_lists_the_packs(api, app):
    response = await api("portal", area="E12000002").get("/api/v1/packs/care-order-at-home", params={"area": "E12000002"})
    assert response.status_code == 404, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    detail = response.json()["detail"]
    assert "'care-order-at-home'" in detail and all(name in detail for name in PACKS)
