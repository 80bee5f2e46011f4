import pytest
from sqlalchemy import select

from app.core.errors import ApiError
from app.reference.models import Area
from app.reference.service import area_with_member_periods, member_periods
from tests.payloads import ENGLAND, NORTH_WEST
from tests.reference.test_areas import GROUP


async def test_an_area_and_its_members_read_together_match_each_kinds_own_member_query(api, db):
    assert (await api("admin").put("/api/v1/areas/cheshire-merseyside", json=GROUP)).status_code == 201
    assert (await api("admin").put("/api/v1/areas/just-one", json={"name": "One", "members": ["909"]})).status_code == 201
    db.expire_all()
    areas = list(db.scalars(select(Area)))
    assert {a.kind for a in areas} == {"england", "region", "group"}
    for area in areas:
        head, periods = area_with_member_periods(db, area.code)
        assert (head.code, head.name, head.kind) == (area.code, area.name, area.kind)
        assert periods == [tuple(p) for p in member_periods(db, area)]
    assert len(area_with_member_periods(db, ENGLAND)[1]) > len(area_with_member_periods(db, NORTH_WEST)[1]) > 9
    assert [code for code, _, _ in area_with_member_periods(db, "cheshire-merseyside")[1]] == sorted(GROUP["members"])


async def test_an_unknown_area_is_404_as_before(db):
    with pytest.raises(ApiError) as raised:
        area_with_member_periods(db, "no-such-area")
    assert raised.value.status == 404 and "no-such-area" in raised.value.detail
