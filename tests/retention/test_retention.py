from datetime import date

from click.testing import CliRunner
from sqlalchemy import func, select

from app.access_log.models import AccessLogEntry
from app.audits.models import Audit
from app.cli import main
from app.core.settings import get_settings
from app.orders.models import CareOrder
from app.retention.service import run_retention
from tests.conftest import secret_of
from tests.packs.helpers import audit, order, submit
from tests.payloads import LIVERPOOL

TODAY = date(2026, 11, 23)


async def arrange(api) -> None:
    admin = api("admin")
    await submit(admin, LIVERPOOL, "orders", [
        order("CLOSED-OLD", order_date="2015-01-01", current_status="turned_18", status_date="2018-06-01"),
        order("OPEN-OLD", order_date="2015-01-01", current_status="at_home_on_order", status_date="2016-01-01"),
        order("CLOSED-RECENT", order_date="2015-01-01", current_status="adopted", status_date="2022-01-01")])
    await submit(admin, LIVERPOOL, "orders", [  # a revision: retention must take every version
        order("CLOSED-OLD", order_date="2015-01-01", current_status="turned_18", status_date="2018-06-02")])
    await submit(admin, LIVERPOOL, "audits", [audit("OLD", audit_date="2017-05-05", domain_grades={"plans": "good"}),
                                              audit("NEW", audit_date="2024-05-05", domain_grades={"plans": "good"})])


async def test_records_past_retention_are_deleted_with_every_version_and_logged(api, app, db):
    await arrange(api)
    counts = run_retention(db, years=7, today=TODAY, secret=secret_of(app))
    db.commit()
    assert dict(counts) == {(LIVERPOOL, "orders"): 1, (LIVERPOOL, "audits"): 1}
    assert sorted(db.scalars(select(CareOrder.order_ref).distinct())) == ["CLOSED-RECENT", "OPEN-OLD"]
    assert db.scalars(select(Audit.audit_ref)).all() == ["NEW"]
    logged = db.scalars(select(AccessLogEntry).where(AccessLogEntry.action == "retention_delete")).all()
    assert sorted((e.dataset, e.record_count) for e in logged) == [("audits", 1), ("orders", 1)]


async def test_dry_run_deletes_nothing(api, app, db):
    await arrange(api)
    counts = run_retention(db, years=7, today=TODAY, secret=secret_of(app), dry_run=True)
    db.commit()
    assert sum(counts.values()) == 2 and db.scalar(select(func.count()).select_from(CareOrder)) == 4


async def test_the_command_uses_the_configured_period(api, monkeypatch, database_url, db):
    await arrange(api)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("RETENTION_YEARS", "30")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["retention"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "deleted 0 records in all" in result.output
    assert db.scalar(select(func.count()).select_from(CareOrder)) == 4
