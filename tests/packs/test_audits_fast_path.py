"""The audits pack served from month summaries equals the pack computed from the raw audits.

Random audits (LA audits of every type with themes, roles and outcome grades, Cafcass dip samples sharing
order refs and some grading domains, moderation, domain grades) are
written through the API in several bulk submissions and single revisions that move audits between
months and regrade them; then both paths are compared for every reader, several ranges, now and
`as_of` every moment between writes, and again after retention deletes old audits. Other seeds:
PACK_EQUALITY_SEEDS=7,8,9.
"""

import asyncio
import os
import random
from datetime import date, datetime

import pytest

from app.access.reader import Reader
from app.access.roles import Role
from app.audits.summary import GRADES
from app.core.db import utcnow
from app.core.settings import DEVELOPMENT_SECRET
from app.packs import audits, pipeline
from app.packs.request import PackRequest, resolve_area
from app.retention.service import run_retention
from tests.packs.helpers import order, submit
from tests.payloads import KNOWSLEY, LIVERPOOL

SEEDS = [int(s) for s in os.environ.get("PACK_EQUALITY_SEEDS", "1,2").split(",")]
LAS = (LIVERPOOL, KNOWSLEY, "343")  # Liverpool, Knowsley, Sefton: all in the North West
DOMAINS = ("response_to_risk", "plans", "assessments", "impact_on_children")
NORTH_WEST = "E12000002"
RANGES = [(date(2014, 1, 1), date(2021, 12, 31)), (date(2019, 4, 1), date(2020, 3, 31)),
          (date(2019, 6, 17), date(2020, 2, 3))]
VIEWERS = [Reader(Role.ADMIN, None, None, 5), Reader(Role.PORTAL, None, "E12000002", 5), Reader(Role.LA, LIVERPOOL, None, 5)]


def random_audit(rng: random.Random, ref: str, order_refs: list[str], cafcass: bool | None = None) -> dict:
    """A new audit (`cafcass` None: either kind), or a revision of a stored one of that kind. A revision in a bulk
    file keeps what it leaves out, so it names its framework and moderation even when they are the defaults."""
    day = date(rng.choice((2014, 2019, 2020, 2021)), rng.randint(1, 12), rng.randint(1, 28))
    order_ref = rng.choice(order_refs) if cafcass or (cafcass is None and rng.random() < 0.6) else None
    if cafcass or (cafcass is None and order_ref and rng.random() < 0.25):
        # Half the dip samples grade domains too, for agreement per domain (in a bulk revision an empty object
        # keeps the stored grades, so a dip sample stays on a framework that has them).
        domains = {d: rng.choice(GRADES) for d in DOMAINS if rng.random() < 0.7} if rng.random() < 0.5 else {}
        return {"audit_ref": ref, "audit_date": day.isoformat(), "audit_type": "cafcass_dip_sample",
                "framework": "nw-adcs-2017", "domain_grades": domains,
                "overall_grade": rng.choice(GRADES), "order_ref": order_ref}
    overall = rng.choice(GRADES)
    record = {"audit_ref": ref, "audit_date": day.isoformat(),
              "audit_type": rng.choice(("individual", "themed", "dip_sample")),
              "framework": "nw-adcs-2017", "overall_grade": overall, "order_ref": order_ref, "moderation": None,
              "domain_grades": {d: rng.choice(GRADES) for d in DOMAINS if rng.random() < 0.7},
              "theme": rng.choice((None, "Neglect", " Neglect", "pre-birth")),
              "auditor_role": rng.choice((None, "team manager", "IRO")), "outcome_grade": rng.choice((None, *GRADES))}
    if rng.random() < 0.3:
        moderated = rng.choice(GRADES)
        rank = GRADES.index
        result = "supported" if moderated == overall else "downgraded" if rank(moderated) > rank(overall) else "upgraded"
        record["moderation"] = {"moderated_grade": moderated, "result": result}
    return record


async def write_history(api, rng: random.Random) -> list[datetime]:
    """Writes in rounds; returns a moment after each round, for `as_of`."""
    admin = api("admin")
    order_refs = [f"ORD{i}" for i in range(12)]
    for la in LAS:  # audits name orders made before any of them
        await submit(admin, la, "orders", [order(ref, order_date="2014-01-01", status_date="2014-01-01")
                                           for ref in order_refs])
    moments = []
    known: dict[str, dict[str, bool]] = {la: {} for la in LAS}   # each stored audit: whether Cafcass's
    for round_ in range(3):
        for la in LAS:
            new = [random_audit(rng, f"R{round_}-{i}", order_refs) for i in range(rng.randint(5, 25))]
            revised = [random_audit(rng, ref, order_refs, known[la][ref])
                       for ref in rng.sample(sorted(known[la]), min(len(known[la]), 6))]
            known[la] |= {a["audit_ref"]: a["audit_type"] == "cafcass_dip_sample" for a in new}
            await submit(admin, la, "audits", new + revised)
        single = rng.choice(sorted(known[LIVERPOOL]))
        replaced = random_audit(rng, single, order_refs)  # a PUT is the whole record: it may change the kind
        known[LIVERPOOL][single] = replaced["audit_type"] == "cafcass_dip_sample"
        response = await admin.put(f"/api/v1/local-authorities/{LIVERPOOL}/audits/{single}",
                                   json={k: v for k, v in replaced.items() if k != "audit_ref"})
        assert response.status_code in (200, 201), response.text
        await asyncio.sleep(0.002)
        moments.append(utcnow())
        await asyncio.sleep(0.002)
    return moments


def both_paths(session, area: str, first: date, last: date, as_of: datetime | None, viewer: Reader) -> tuple[dict, dict]:
    scope = resolve_area(session, area)
    req = PackRequest(scope, first, last, as_of, viewer, datetime(2026, 11, 23), scope.la_codes)
    fast, raw = (pipeline.build(spec, session, req).model_dump(mode="json") for spec in (audits.SPEC, audits.FROM_RAW_AUDITS))
    return fast, raw


def assert_paths_agree(app, moments: list[datetime | None]) -> int:
    compared = 0
    with app.state.sessionmaker() as session:
        for area in (NORTH_WEST, LIVERPOOL):
            for first, last in RANGES:
                for as_of in moments:
                    for viewer in VIEWERS:
                        fast, raw = both_paths(session, area, first, last, as_of, viewer)
                        assert fast == raw, (area, first, last, as_of, viewer)
                        compared += 1
    return compared


@pytest.mark.parametrize("seed", SEEDS)
async def test_summaries_give_the_raw_figures_now_and_as_of_every_moment(api, app, seed):
    moments = await write_history(api, random.Random(seed))
    assert assert_paths_agree(app, [None, *moments]) == 2 * len(RANGES) * 4 * len(VIEWERS)


@pytest.mark.parametrize("seed", SEEDS)
async def test_summaries_give_the_raw_figures_after_retention_rewrites_history(api, app, seed):
    moments = await write_history(api, random.Random(seed))
    with app.state.sessionmaker() as session, session.begin():
        deleted = run_retention(session, years=7, today=date(2026, 11, 23), secret=DEVELOPMENT_SECRET)
    assert sum(n for (_, dataset), n in deleted.items() if dataset == "audits") > 0
    assert_paths_agree(app, [None, *moments])


async def test_the_pack_has_figures_to_compare(api, app):
    """Guards the comparison above against comparing two empty packs."""
    await write_history(api, random.Random(SEEDS[0]))
    with app.state.sessionmaker() as session:
        fast, _ = both_paths(session, NORTH_WEST, *RANGES[0], None, VIEWERS[0])
    assert fast["total"]["grades"]["total"] > 50 and fast["total"]["agreement"]["pairs"] > 0
    assert fast["total"]["moderation"]["moderated"] > 0 and fast["total"]["domains"]["plans"]["total"] > 0
