"""Loads the demonstration data set through the same validation and storage as real returns."""

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.access.roles import Disclosure, Role
from app.clients.models import ApiClient
from app.core.auth import generate_key, hash_key
from app.core.db import utcnow
from app.core.limits import ReadLimits
from app.demo import generator
from app.demo import ssda903 as demo_903
from app.population.schemas import PopulationCreate
from app.population.service import SPEC as POPULATION
from app.records import store
from app.records.spec import RuleContext
from app.reference.models import LocalAuthority
from app.ssda903 import service as ssda903
from app.submissions.service import submit
from app.submissions.upload import Upload

DEMO_CLIENT = "demo admin"


def demo_client(session: Session, secret: str) -> tuple[ApiClient, str]:
    """The admin client demo data is attributed to; a fresh key each run, printed for the user."""
    key = generate_key()
    client = session.scalar(select(ApiClient).where(ApiClient.name == DEMO_CLIENT))
    if client is None:
        client = ApiClient(name=DEMO_CLIENT, role=Role.ADMIN, disclosure=Disclosure.FULL, created_at=utcnow())
    client.key_hash, client.key_prefix, client.revoked_at = hash_key(key, secret), key[:10], None
    session.add(client)
    session.flush()
    return client, key


def load_demo(session: Session, secret: str) -> tuple[dict[str, int], str]:
    client, key = demo_client(session, secret)
    las = session.scalars(select(LocalAuthority).where(LocalAuthority.region_code == generator.NORTH_WEST)
                          .order_by(LocalAuthority.code)).all()
    totals = {"local_authorities": 0, "care-order-counts": 0, "care-order-characteristics": 0, "orders": 0,
              "audits": 0, "audit-programme": 0, "population": 0}
    for la in las:
        demo_la = generator.DemoLa(la.code, la.operational_from, la.operational_to)
        counts = generator.care_order_counts(demo_la)
        if not counts:
            continue  # not an LA during the demo years (e.g. Cumberland, from 2023)
        totals["local_authorities"] += 1
        orders = generator.orders(demo_la)
        audits = generator.audits(demo_la, {o["order_ref"]: date.fromisoformat(o["order_date"]) for o in orders})
        datasets = {"care-order-counts": counts, "care-order-characteristics": generator.characteristics(counts),
                    "orders": orders, "audits": audits, "audit-programme": generator.audit_programme(demo_la, audits)}
        if la.code == demo_903.SSDA903_LA:
            # This LA sends its SSDA903 files instead: its counts and characteristics are derived from them.
            derived = _send_903(session, la, demo_la, client)
            del datasets["care-order-counts"], datasets["care-order-characteristics"]
            totals["care-order-counts"] += derived["care-order-counts"]
            totals["care-order-characteristics"] += derived["care-order-characteristics"]
        for dataset, records in datasets.items():
            if not records:
                continue
            submit(session, la=la, dataset=dataset, upload=Upload.of_bytes(json.dumps({"records": records}).encode()),
                   content_type="application/json", file_format="json", client=client, dry_run=False,
                   limits=ReadLimits())
            totals[dataset] += len(records)
        population = [(year, PopulationCreate(children_0_17=n)) for year, n in generator.population(demo_la).items()]
        ctx = RuleContext(session, la, date.today())
        assert not any(POPULATION.rules(y, p, ctx) for y, p in population)
        store.write_records(session, POPULATION, la.code, population, client, utcnow())
        totals["population"] += len(population)
    return totals, key


def _send_903(session: Session, la: LocalAuthority, demo_la: generator.DemoLa, client: ApiClient) -> dict[str, int]:
    header, episodes = demo_903.extract(demo_la)
    years = ssda903.Years(generator.SNAPSHOT_DATES[0].year, generator.SNAPSHOT_DATES[-1].year)
    _, read = ssda903.submit(session, la=la, years=years, parts=[ssda903.ExtractPart("header", header),
                                                                 ssda903.ExtractPart("episodes", episodes)],
                             client=client, dry_run=False, max_rows=ReadLimits().max_rows)
    return {"care-order-counts": len(read["derived"]),
            "care-order-characteristics": sum(len(year["characteristics"]) for year in read["derived"])}
