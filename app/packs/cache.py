"""Packs are read far more than returns are written: each rendered pack is kept under an ETag
computed from the request and the return changes it depends on, so a repeat is a 304 or a
stored body, and any write to a return the pack reads gives it a new ETag."""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import bindparam, delete, func, or_, select, text
from sqlalchemy.orm import Session

from app.core.db import upsert_insert
from app.packs.common import counted
from app.packs.models import CachedPack
from app.packs.render import render
from app.packs.schemas import PackBase
from app.packs.scope import PackRequest
from app.records.models import ReturnChange

ALL_DATASETS = ("care-order-counts", "orders", "audits", "audit-programme", "population")
# Which returns each pack reads, and whether beyond its own area (comparator regions and England).
READS: dict[str, tuple[tuple[str, ...], bool]] = {
    "care-orders-at-home": (("care-order-counts", "population"), True),
    "outcomes": (("orders",), False),
    "audits": (("audits", "audit-programme"), False),
    "compare": (ALL_DATASETS, False),
    "completeness": (ALL_DATASETS, False),
}
# Raised whenever what a pack shows for the same data changes (figures, layout, suppression).
PACK_LOGIC_VERSION = "1"
KEPT_FOR = timedelta(days=7)


def _changes_statement(pack: str, as_of: bool) -> Any:
    datasets, reads_every_la = READS[pack]
    statement = (select(ReturnChange.dataset, ReturnChange.la_code, func.count(), func.max(ReturnChange.id))
                 .where(ReturnChange.dataset.in_(datasets)).group_by(ReturnChange.dataset, ReturnChange.la_code)
                 .order_by(ReturnChange.dataset, ReturnChange.la_code))
    if not reads_every_la:
        statement = statement.where(ReturnChange.la_code.in_(bindparam("la_codes", expanding=True)))
    if as_of:
        statement = statement.where(or_(ReturnChange.changed_at <= bindparam("as_of", type_=ReturnChange.changed_at.type),
                                        ReturnChange.rewrites_history))
    return statement


# Built once: a repeat request is mostly this query, and building it costs more than running it.
_CHANGES = {(pack, as_of): _changes_statement(pack, as_of) for pack in READS for as_of in (False, True)}


def _changes(session: Session, req: PackRequest, pack: str) -> list[tuple[str, str, int, str]]:
    statement = _CHANGES[(pack, req.as_of is not None)]
    parameters = {"as_of": req.as_of, "la_codes": req.area.la_codes}
    return [tuple(row) for row in session.execute(statement, parameters)]  # type: ignore[misc]


def pack_etag(session: Session, request: Request, req: PackRequest, pack: str) -> str:
    viewer = req.viewer
    identity = {
        "logic": PACK_LOGIC_VERSION, "pack": pack, "path": request.url.path,
        "query": sorted(request.query_params.multi_items()),
        # Defaults resolved: a pack `to` today is another pack tomorrow.
        "range": [req.date_from.isoformat(), req.date_to.isoformat()],
        "as_of": req.as_of.isoformat() if req.as_of else None,
        "viewer": [viewer.role, viewer.la_code, viewer.threshold],
        "changes": _changes(session, req, pack),
    }
    return hashlib.sha256(json.dumps(identity, default=str).encode()).hexdigest()


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    if if_none_match is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or f'"{etag}"' in tags


def etag_headers(etag: str) -> dict[str, str]:
    return {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache", "Vary": "Authorization"}


def cached_pack(request: Request, session: Session, req: PackRequest, pack: str, format: str,
                build: Callable[[], PackBase]) -> Response:
    etag = pack_etag(session, request, req, pack)
    headers = etag_headers(etag)
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    stored = session.get(CachedPack, etag)
    if stored is not None:
        return Response(stored.body, media_type=stored.media_type, headers={**json.loads(stored.headers), **headers})
    response = render(counted(build()), format)
    kept = {k: v for k, v in response.headers.items() if k.lower() == "content-disposition"}
    _store(session, CachedPack(etag=etag, media_type=response.media_type or "application/octet-stream",
                               headers=json.dumps(kept), body=bytes(response.body), created_at=req.generated_at))
    response.headers.update(headers)
    return response


def _store(session: Session, entry: CachedPack) -> None:
    values = {c.key: getattr(entry, c.key) for c in CachedPack.__table__.columns}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        # A stored pack can always be built again: the request need not wait for it to reach the
        # disk. (Only this transaction; a pack request writes nothing else.)
        session.execute(text("SET LOCAL synchronous_commit = off"))
    dialect_insert = upsert_insert(dialect)
    # Two workers may build the same pack at once: the first stored wins, the other's is identical.
    session.execute(dialect_insert(CachedPack).values(**values).on_conflict_do_nothing())
    session.execute(delete(CachedPack).where(CachedPack.created_at < entry.created_at - KEPT_FOR))
