"""Packs are read far more than returns are written: each rendered pack is kept under an ETag
computed from the request and the return changes it depends on, so a repeat is a 304 or a
stored body, and any write to a return the pack reads gives it a new ETag."""

import hashlib
import json
from datetime import timedelta
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import Connection, bindparam, delete, func, or_, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.core.db import upsert_insert
from app.core.etags import etag_matches
from app.packs import pipeline
from app.packs.models import CachedPack
from app.packs.published import areas_state
from app.packs.render import render
from app.packs.request import PackRequest
from app.packs.spec import PackSpec
from app.records.models import ReturnChange

# Raised whenever what a pack shows for the same data changes (figures, layout, suppression).
PACK_LOGIC_VERSION = "12"
KEPT_FOR = timedelta(days=7)
KEPT_HEADERS = ("content-disposition", "content-security-policy")


def _changes_statement(spec: PackSpec, as_of: bool, every_la: bool) -> Any:
    statement = (select(ReturnChange.dataset, ReturnChange.la_code, func.count(), func.max(ReturnChange.id))
                 .where(ReturnChange.dataset.in_(spec.reads)).group_by(ReturnChange.dataset, ReturnChange.la_code)
                 .order_by(ReturnChange.dataset, ReturnChange.la_code))
    if not every_la:
        statement = statement.where(ReturnChange.la_code.in_(bindparam("la_codes", expanding=True)))
    if as_of:
        statement = statement.where(or_(ReturnChange.changed_at <= bindparam("as_of", type_=ReturnChange.changed_at.type),
                                        ReturnChange.rewrites_history))
    return statement


# Built once per pack: a repeat request is mostly this query, and building it costs more than running it.
_statements: dict[tuple[str, bool], Any] = {}


def _reads_every_la(spec: PackSpec, req: PackRequest) -> bool:
    """A published table is decided over every area at once: any LA's return, or any group's definition, may
    change which of this area's cells it hides."""
    return spec.reads_every_la or (spec.published and spec.suppresses and not req.reader.sees_everything)


def _changes(session: Session, req: PackRequest, spec: PackSpec) -> list[tuple[str, str, int, str]]:
    every_la = _reads_every_la(spec, req)
    key = (spec.name, req.as_of is not None, every_la)
    if key not in _statements:
        _statements[key] = _changes_statement(spec, req.as_of is not None, every_la)
    parameters = {"as_of": req.as_of, "la_codes": req.area.la_codes}
    return [tuple(row) for row in session.execute(_statements[key], parameters)]  # type: ignore[misc]


def pack_etag(session: Session, request: Request, req: PackRequest, spec: PackSpec) -> str:
    """The one ETag computation, for the route and the 304 path alike."""
    reader = req.reader
    identity = {
        "logic": PACK_LOGIC_VERSION, "pack": spec.name, "path": request.url.path,
        "query": sorted(request.query_params.multi_items()),
        # Defaults resolved: a pack `to` today is another pack tomorrow.
        "range": [req.date_from.isoformat(), req.date_to.isoformat()],
        "as_of": req.as_of.isoformat() if req.as_of else None,
        # A group's definition is the admin's to change at any time: renamed or with other members,
        # its packs show something else though no return changed.
        "area": [req.area.code, req.area.name, req.area.kind, req.area.la_codes, req.la_codes],
        # Who reads decides what is hidden: role, own LA, threshold and disclosure level.
        "viewer": [reader.role.value, reader.la_code, reader.threshold, reader.disclosure.value],
        "changes": _changes(session, req, spec),
        "areas": areas_state(session) if _reads_every_la(spec, req) else None,
    }
    return hashlib.sha256(json.dumps(identity, default=str).encode()).hexdigest()


def etag_headers(etag: str) -> dict[str, str]:
    return {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache", "Vary": "Authorization"}


def serve(request: Request, session: Session, spec: PackSpec, req: PackRequest, file_format: str) -> Response:
    """304 if the reader's copy holds, else the stored rendering, else the pack built, rendered and stored."""
    etag = pack_etag(session, request, req, spec)
    headers = etag_headers(etag)
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    stored = session.get(CachedPack, etag)
    if stored is not None:
        return Response(stored.body, media_type=stored.media_type, headers={**json.loads(stored.headers), **headers})
    response = render(spec, pipeline.build(spec, session, req), file_format)
    # Kept with the body they describe: a stored page is served under the policy that allows its stylesheet.
    kept = {k: v for k, v in response.headers.items() if k.lower() in KEPT_HEADERS}
    _store(request, session, CachedPack(etag=etag, media_type=response.media_type or "application/octet-stream",
                               headers=json.dumps(kept), body=bytes(response.body), created_at=req.generated_at))
    response.headers.update(headers)
    return response


def _store(request: Request, session: Session, entry: CachedPack) -> None:
    if session.get_bind().dialect.name == "sqlite":
        _store_unless_busy(request, entry)
        return
    # A stored pack can always be built again: the request need not wait for it to reach the disk.
    # (Only this transaction; a pack request writes nothing else.)
    session.execute(text("SET LOCAL synchronous_commit = off"))
    _insert(session.connection(), entry)


def _store_unless_busy(request: Request, entry: CachedPack) -> None:
    """SQLite has one writer at a time. A pack read must not queue behind submissions for the write lock
    (measured: 1.1 s behind fifty at once) to keep a copy it can build again: when the lock is taken, the
    copy is not kept. On a connection of its own that commits at once, so the read holds no lock after."""
    with request.app.state.reads_sessionmaker() as spare:
        connection = spare.connection()
        waits = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
        connection.exec_driver_sql("PRAGMA busy_timeout = 0")
        try:
            _insert(connection, entry)
        except OperationalError:
            pass  # locked: the next read of this pack builds it again
        finally:
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(waits)}")


def _insert(connection: Connection, entry: CachedPack) -> None:
    values = {c.key: getattr(entry, c.key) for c in CachedPack.__table__.columns}
    # Two workers may build the same pack at once: the first stored wins, the other's is identical.
    connection.execute(upsert_insert(connection.dialect.name)(CachedPack).values(**values).on_conflict_do_nothing())
    connection.execute(delete(CachedPack).where(CachedPack.created_at < entry.created_at - KEPT_FOR))
