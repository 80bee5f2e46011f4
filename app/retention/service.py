"""Deleting child-level records past the retention period: every version, and logged.

An order is past it when its case has closed (it is no longer `at_home_on_order`) and its status
date is more than RETENTION_YEARS ago; an audit when its audit date is. Aggregate returns (counts and
their characteristics, programme months, populations) hold no child-level data and are kept.
"""

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from app.access.roles import Disclosure, Role
from app.access_log.models import AccessLogEntry
from app.audits import summary
from app.audits.models import Audit
from app.clients.models import ApiClient
from app.core.auth import generate_key, hash_key
from app.core.db import utcnow
from app.orders.models import CareOrder
from app.records.models import ReturnChange

SYSTEM_CLIENT = "retention (system)"
CHUNK = 500


def cutoff_for(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def _system_client(session: Session, secret: str) -> ApiClient:
    client = session.scalar(select(ApiClient).where(ApiClient.name == SYSTEM_CLIENT))
    if client is None:
        # Deletions are attributed to a client like any write; this one can never authenticate.
        client = ApiClient(name=SYSTEM_CLIENT, role=Role.ADMIN, disclosure=Disclosure.FULL,
                           key_hash=hash_key(generate_key(), secret), key_prefix="-", created_at=utcnow(),
                           revoked_at=utcnow())
        session.add(client)
        session.flush()
    return client


def _expired(session: Session, model: Any, key: Any, *conditions: Any) -> list[tuple[str, str]]:
    rows = session.execute(select(model.la_code, key).where(model.superseded_at.is_(None), *conditions))
    return [(la, value) for la, value in rows]


def run_retention(session: Session, *, years: int, today: date, secret: str, dry_run: bool = False) -> Counter:
    """Delete (or with dry_run only count) what is past retention; returns counts per (LA, dataset)."""
    cutoff = cutoff_for(today, years)
    targets = {
        "orders": (CareOrder, CareOrder.order_ref, _expired(
            session, CareOrder, CareOrder.order_ref, CareOrder.current_status != "at_home_on_order",
            CareOrder.status_date < cutoff)),
        "audits": (Audit, Audit.audit_ref, _expired(session, Audit, Audit.audit_ref, Audit.audit_date < cutoff)),
    }
    counts: Counter = Counter()
    for dataset, (_, _, keys) in targets.items():
        counts.update((la, dataset) for la, _ in keys)
    if dry_run or not counts:
        return counts
    client = _system_client(session, secret)
    for model, key, keys in targets.values():
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start:start + CHUNK]
            session.execute(delete(model).where(tuple_(model.la_code, key).in_(chunk)))
    for la in sorted({la for la, dataset in counts if dataset == "audits"}):
        summary.rebuild(session, la)
    now = utcnow()
    session.add_all(ReturnChange(dataset=dataset, la_code=la, changed_at=now, rewrites_history=True)
                    for la, dataset in counts)
    session.add_all(AccessLogEntry(at=now, client_id=client.id, la_code=la, action="retention_delete",
                                   dataset=dataset, record_key=None, record_count=n, request_id="retention")
                    for (la, dataset), n in counts.items())
    session.flush()
    return counts
