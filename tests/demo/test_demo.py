from sqlalchemy import func, select

from app.audits.models import Audit
from app.care_order_counts.models import CareOrderCount
from app.core.settings import DEVELOPMENT_SECRET as DEV
from app.demo.service import load_demo


def test_demo_loads_every_north_west_la_for_five_dates(db):
    totals, key = load_demo(db, DEV)
    db.commit()
    assert totals["local_authorities"] == 23 and totals["care-order-counts"] == 23 * 5
    assert totals["orders"] > 200 and totals["audits"] > 1000 and totals["audit-programme"] == 23 * 24
    assert key.startswith("dpk_")
    dates = db.scalars(select(CareOrderCount.snapshot_date).distinct().order_by(CareOrderCount.snapshot_date)).all()
    assert [d.isoformat() for d in dates] == [f"{y}-03-31" for y in range(2017, 2022)]


def test_demo_is_deterministic(db):
    load_demo(db, DEV)
    db.commit()
    audits_before = db.scalar(select(func.count()).select_from(Audit))
    load_demo(db, DEV)
    db.commit()
    assert db.scalar(select(func.count()).select_from(Audit)) == audits_before
    assert db.scalar(select(func.max(Audit.version))) == 1


async def test_demo_key_is_an_admin_key(db, anonymous):
    _, key = load_demo(db, DEV)
    db.commit()
    response = await anonymous.get("/api/v1/clients", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
