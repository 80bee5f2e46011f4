"""Pack ETags: a repeat is 304, and the ETag changes exactly when a return the pack reads changes."""

import sqlite3
import time
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app.core.db import utcnow
from app.core.settings import DEVELOPMENT_SECRET
from app.packs.models import CachedPack
from app.retention.service import run_retention
from tests.packs.helpers import audit, make_group, order, put_counts, submit
from tests.payloads import KNOWSLEY, LIVERPOOL

NORTH_WEST = "E12000002"
AUDITS = {"area": NORTH_WEST, "from": "2020-04-01", "to": "2021-03-31"}
OUTSIDE_NORTH_WEST = "201"  # City of London


async def etag_of(client, name: str = "audits", **query: str) -> str:
    response = await client.get(f"/api/v1/packs/{name}", params=query or AUDITS)
    assert response.status_code == 200, response.text
    return response.headers["etag"]


async def test_a_repeat_with_if_none_match_is_304_with_no_body(api):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "audits", [audit("A1")])
    tag = await etag_of(admin)
    again = await admin.get("/api/v1/packs/audits", params=AUDITS, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag


async def test_a_stored_pack_is_served_byte_for_byte_as_first_built(api, db):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "audits", [audit("A1")])
    first = await admin.get("/api/v1/packs/audits", params={**AUDITS, "format": "csv"})
    second = await admin.get("/api/v1/packs/audits", params={**AUDITS, "format": "csv"})
    assert second.content == first.content and second.headers["content-type"] == first.headers["content-type"]
    assert second.headers["content-disposition"] == first.headers["content-disposition"]
    assert db.scalar(select(func.count()).select_from(CachedPack)) == 1


async def test_a_pack_asked_without_a_format_is_the_json_pack_under_one_etag(api, db):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "audits", [audit("A1")])
    left_out = await admin.get("/api/v1/packs/audits", params=AUDITS)
    named = await admin.get("/api/v1/packs/audits", params={**AUDITS, "format": "json"})
    assert named.headers["etag"] == left_out.headers["etag"] and named.content == left_out.content
    assert db.scalar(select(func.count()).select_from(CachedPack)) == 1


async def test_the_etag_changes_when_a_return_the_pack_reads_is_revised(api):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "audits", [audit("A1")])
    before = await etag_of(admin)
    await submit(admin, KNOWSLEY, "audit-programme", [{"month": "2021-01", "planned": 9, "exempted": 0, "returned": 3}])
    after_programme = await etag_of(admin)
    await submit(admin, LIVERPOOL, "audits", [audit("A1", overall_grade="inadequate")])
    after_revision = await etag_of(admin)
    assert len({before, after_programme, after_revision}) == 3
    stale = await admin.get("/api/v1/packs/audits", params=AUDITS, headers={"If-None-Match": before})
    assert stale.status_code == 200 and stale.json()["total"]["grades"]["counts"]["inadequate"] == 1


async def test_the_etag_stays_when_only_returns_the_pack_does_not_read_change(api):
    # The outcomes pack reads only its area's LAs (audits and care orders rank every LA of England).
    admin = api("admin")
    await submit(admin, LIVERPOOL, "orders", [order("O1")])
    before = await etag_of(admin, "outcomes", **AUDITS)
    await submit(admin, LIVERPOOL, "audits", [audit("A1")])            # another dataset
    await submit(admin, OUTSIDE_NORTH_WEST, "orders", [order("L1")])  # an LA outside the area
    await submit(admin, LIVERPOOL, "orders", [order("O1")])            # the same record again: unchanged
    assert await etag_of(admin, "outcomes", **AUDITS) == before


async def test_the_audits_etag_changes_with_any_las_return_since_every_la_is_ranked(api):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "audits", [audit("A1")])
    before = await etag_of(admin)
    await submit(admin, OUTSIDE_NORTH_WEST, "audits", [audit("L1")])
    assert await etag_of(admin) != before


async def test_a_suppressed_readers_etag_changes_with_any_las_return_since_tables_are_published_together(api):
    """Which of the North West's cells are hidden is decided over England, every region and group at once."""
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await submit(admin, LIVERPOOL, "orders", [order("O1")])
    before_admin, before_portal = await etag_of(admin, "outcomes", **AUDITS), await etag_of(portal, "outcomes", **AUDITS)
    await submit(admin, OUTSIDE_NORTH_WEST, "orders", [order("L1")])
    assert await etag_of(admin, "outcomes", **AUDITS) == before_admin
    assert await etag_of(portal, "outcomes", **AUDITS) != before_portal
    unchanged = await etag_of(portal, "outcomes", **AUDITS)
    await make_group(admin, "elsewhere", [OUTSIDE_NORTH_WEST])
    assert await etag_of(portal, "outcomes", **AUDITS) != unchanged


async def test_renaming_a_group_gives_its_packs_a_new_etag_and_the_new_name(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    await submit(admin, LIVERPOOL, "audits", [audit("A1")])
    query = {**AUDITS, "area": "merseyside"}
    before = await etag_of(portal, **query)
    renamed = await admin.put("/api/v1/areas/merseyside", json={"name": "Merseyside LFJB", "members": [LIVERPOOL, KNOWSLEY]})
    assert renamed.status_code == 200, renamed.text
    again = await portal.get("/api/v1/packs/audits", params=query, headers={"If-None-Match": before})
    assert again.status_code == 200 and again.headers["etag"] != before
    assert again.json()["area"]["name"] == "Merseyside LFJB"


async def test_a_new_member_with_no_returns_gives_the_groups_packs_a_new_etag(api):
    admin = api("admin")
    await make_group(admin, "merseyside", [LIVERPOOL])
    await submit(admin, LIVERPOOL, "audits", [audit("A1")])
    query = {**AUDITS, "area": "merseyside"}
    before = await etag_of(admin, **query)
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    again = await admin.get("/api/v1/packs/audits", params=query, headers={"If-None-Match": before})
    assert again.status_code == 200 and again.headers["etag"] != before
    assert again.json()["total"]["las_expected"] == 2


async def test_a_pack_as_of_a_past_moment_keeps_its_etag_when_returns_change_later(api):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "audits", [audit("A1")])
    past = {**AUDITS, "as_of": utcnow().isoformat()}
    before_now, before_past = await etag_of(admin), await etag_of(admin, **past)
    await submit(admin, LIVERPOOL, "audits", [audit("A2")])
    assert await etag_of(admin) != before_now
    assert await etag_of(admin, **past) == before_past


async def test_the_etag_differs_between_readers_who_see_different_suppression(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await submit(admin, LIVERPOOL, "audits", [audit("A1")])
    assert await etag_of(admin) != await etag_of(portal)


async def test_the_care_orders_pack_etag_follows_comparator_regions_too(api):
    admin = api("admin")
    query = {"area": LIVERPOOL, "from": "2020-04-01", "to": "2021-03-31"}
    await put_counts(admin, LIVERPOOL, "2021-03-31")
    before = await etag_of(admin, "care-orders-at-home", **query)
    # The pack compares Liverpool with every region and England, so any LA's counts are read.
    await put_counts(admin, OUTSIDE_NORTH_WEST, "2021-03-31", cla_total=900)
    assert await etag_of(admin, "care-orders-at-home", **query) != before


async def test_retention_deletions_change_the_etag_of_packs_as_of_any_moment(api, app):
    admin = api("admin")
    old = {"area": LIVERPOOL, "from": "2010-01-01", "to": "2021-03-31", "as_of": "2099-01-01T00:00:00Z"}
    await submit(admin, LIVERPOOL, "audits", [audit("OLD", audit_date="2012-05-05")])
    before = await etag_of(admin, **old)
    with app.state.sessionmaker() as session, session.begin():
        run_retention(session, years=7, today=date(2026, 11, 23), secret=DEVELOPMENT_SECRET)
    assert await etag_of(admin, **old) != before


async def test_on_sqlite_a_pack_read_does_not_wait_for_a_writer_to_keep_its_copy(api, db, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's one write lock; PostgreSQL stores the copy beside any writer")
    admin = api("admin")
    await submit(admin, LIVERPOOL, "audits", [audit("A1")])
    writer = sqlite3.connect(make_url(database_url).database)
    writer.execute("BEGIN IMMEDIATE")  # a submission being stored holds the write lock
    try:
        started = time.monotonic()
        response = await admin.get("/api/v1/packs/audits", params=AUDITS)
        took = time.monotonic() - started
    finally:
        writer.rollback()
        writer.close()
    # Waiting for the lock would take the 30 s busy timeout, and then fail.
    assert response.status_code == 200 and took < 5, took
    assert db.scalar(select(func.count()).select_from(CachedPack)) == 0


async def test_the_etag_changes_when_a_framework_the_pack_shows_gains_a_domain(api):
    admin = api("admin")
    framework = {"name": "Two domains", "domains": [{"code": "direct_work", "name": "Direct work with children"}]}
    assert (await admin.put("/api/v1/audit-frameworks/two-domain", json=framework)).status_code == 201
    await submit(admin, LIVERPOOL, "audits", [audit("A1", framework="two-domain", domain_grades={"direct_work": "good"})])
    before = await etag_of(admin)
    framework["domains"].append({"code": "voice_of_child", "name": "Voice of the child"})
    assert (await admin.put("/api/v1/audit-frameworks/two-domain", json=framework)).status_code == 200
    after = await admin.get("/api/v1/packs/audits", params=AUDITS, headers={"If-None-Match": before})
    assert after.status_code == 200 and after.json()["domains"] == ["direct_work", "voice_of_child"]
