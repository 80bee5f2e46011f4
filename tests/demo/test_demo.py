from statistics import median

from sqlalchemy import func, select

from app.audits.models import Audit
from app.care_order_counts.models import CareOrderCount
from app.core.settings import DEVELOPMENT_SECRET as DEV
from app.demo.service import load_demo
from app.orders.models import CareOrder


def test_demo_loads_every_north_west_la_for_five_dates(db):
    totals, key = load_demo(db, DEV)
    db.commit()
    assert totals["local_authorities"] == 23 and totals["care-order-counts"] == 23 * 5
    assert totals["orders"] > 200 and totals["audits"] > 1000 and totals["audit-programme"] == 23 * 24
    assert totals["population"] == 23 * 5
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


def test_demo_orders_mostly_carry_a_court_journey_of_about_30_weeks(db):
    load_demo(db, DEV)
    db.commit()
    orders = db.scalars(select(CareOrder)).all()
    journeys = [o for o in orders if o.proceedings_issued is not None]
    weeks = sorted((o.final_hearing - o.proceedings_issued).days / 7 for o in journeys if o.final_hearing)
    assert len(journeys) > 0.8 * len(orders) and all(o.sex and o.ethnicity for o in orders)
    assert 26 <= median(weeks) <= 34 and sum(20 <= w <= 50 for w in weeks) > 0.75 * len(weeks)
    still_in_proceedings = [o for o in journeys if o.final_hearing is None]
    assert still_in_proceedings and {o.order_type for o in still_in_proceedings} == {"interim_care_order"}
    re_referred = [o.re_referred_within_12_months for o in orders if o.discharge_date is not None]
    assert 0.05 < sum(filter(None, re_referred)) / len(re_referred) < 0.2
