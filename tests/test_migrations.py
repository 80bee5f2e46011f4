"""The schema the migrations build is exactly the one the models describe."""

from datetime import date, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from app.access.reader import Reader
from app.access.roles import Role
from app.audits.models import Audit
from app.core.db import utcnow
from app.core.migrations import alembic_config, current_revision, head_revision
from app.core.settings import DEVELOPMENT_SECRET
from app.demo.service import load_demo
from app.models import metadata
from app.orders.models import CareOrder
from app.packs import audits, pipeline
from app.packs.request import PackRequest, resolve_area
from app.reference.models import LocalAuthority
from tests.packs.helpers import audit, submit
from tests.payloads import LIVERPOOL


def test_upgrade_head_matches_the_models(app):
    with app.state.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_database_is_at_head(app, settings):
    assert current_revision(app.state.engine) == head_revision(settings.database_url) is not None


def test_reference_data_is_loaded_by_migrate(db):
    las = db.scalars(select(LocalAuthority)).all()
    assert len([la for la in las if la.operational_to is None]) == 153
    barnsley = db.get(LocalAuthority, "370")
    assert (barnsley.ons_code, barnsley.operational_to) == ("E08000038", None)


async def test_upgrading_from_before_the_summaries_summarises_audits_stored_before_them(api, app, settings):
    """Audits written before the month summaries existed (0003) get their whole summary history on upgrade."""
    admin = api("admin")
    await submit(admin, LIVERPOOL, "audits", [audit(f"A{i}", audit_date=f"2021-0{1 + i % 3}-10") for i in range(9)])
    moment = utcnow()
    await submit(admin, LIVERPOOL, "audits", [audit("A1", overall_grade="inadequate", audit_date="2020-12-01")])
    config = alembic_config(settings.database_url)
    command.downgrade(config, "0002")
    command.upgrade(config, "head")
    with app.state.sessionmaker() as session:
        area = resolve_area(session, LIVERPOOL)
        for as_of in (None, moment):
            req = PackRequest(area, date(2020, 1, 1), date(2021, 12, 31), as_of, Reader(Role.ADMIN, None, None, 5),
                              datetime(2026, 11, 23), area.la_codes)
            fast, raw = (pipeline.build(audits.SPEC if s else audits.FROM_RAW_AUDITS, session, req).model_dump()
                         for s in (True, False))
            assert fast == raw and fast["total"]["grades"]["total"] == 9


async def test_upgrading_past_0004_moves_each_audits_domain_grades_onto_it(api, app, settings):
    admin = api("admin")
    grades = {"A1": {"plans": "good", "child_centred": "inadequate"}, "A2": {}, "A3": {"plans": "outstanding"}}
    await submit(admin, LIVERPOOL, "audits", [audit(ref, domain_grades=g) for ref, g in grades.items()])
    config = alembic_config(settings.database_url)
    command.downgrade(config, "0003")
    with app.state.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM audit_domain_grades").scalar() == 3
    command.upgrade(config, "head")
    with app.state.sessionmaker() as session:
        assert dict(session.execute(select(Audit.audit_ref, Audit.domain_grades)).all()) == grades


def test_upgrading_past_0005_keeps_what_each_existing_client_saw(api, app, settings):
    api("admin", name="the admin"), api("portal", area="E12000002", name="the portal"), api("la", la=LIVERPOOL, name="the LA")
    config = alembic_config(settings.database_url)
    command.downgrade(config, "0004")
    command.upgrade(config, "head")
    with app.state.engine.connect() as connection:
        levels = dict(connection.execute(text("SELECT name, disclosure FROM api_clients WHERE name LIKE 'the %'")).all())
    assert levels == {"the admin": "full", "the portal": "suppressed", "the LA": "suppressed"}


def _orders_as_stored(app) -> list[dict]:
    with app.state.engine.connect() as connection:
        return [dict(row) for row in connection.execute(text("SELECT * FROM care_orders ORDER BY id")).mappings()]


def test_upgrading_past_0009_keeps_every_demo_order_and_leaves_its_journey_empty(app, db, settings):
    """A database at 0008 holding the demo's orders (loaded at head, the journey columns then dropped)."""
    load_demo(db, DEVELOPMENT_SECRET)
    db.commit()
    config = alembic_config(settings.database_url)
    command.downgrade(config, "0008")
    before = _orders_as_stored(app)
    command.upgrade(config, "head")
    after = _orders_as_stored(app)
    journey = set(CareOrder.__table__.columns.keys()) - set(before[0])
    assert len(before) > 200 and len(journey) == 11
    assert [{k: v for k, v in row.items() if k not in journey} for row in after] == before
    assert {row[name] for row in after for name in journey} == {None}
