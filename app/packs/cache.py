"""Packs are read far more than returns are written: each rendered pack is kept under an ETag
computed from the request and the return changes it depends on, so a repeat is a 304 or a
stored body, and any write to a return the pack reads gives it a new ETag."""

import hashlib
import json
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, get_args

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import Connection, bindparam, delete, func, or_, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.access.reader import Reader
from app.core.connections import SNAPSHOT_AT
from app.core.db import upsert_insert
from app.core.errors import ApiError
from app.core.etags import etag_matches
from app.packs import pipeline
from app.packs.models import CachedPack
from app.packs.publication import Outdated, Publications, Rendered
from app.packs.render import render
from app.packs.request import PackQuery, PackRequest, check_can_read, make_request, may_read, resolve_area
from app.packs.schemas import PackBase, PackFormat
from app.packs.spec import PackSpec
from app.packs.states import area_names_state, areas_state
from app.packs.stopping import Stopping
from app.records.models import ReturnChange

log = logging.getLogger(__name__)
# Raised whenever what a pack shows for the same data changes (figures, layout, suppression).
PACK_LOGIC_VERSION = "35"  # never a value used before ("29" was also c1afe24's, not landed)
KEPT_FOR = timedelta(days=7)
KEPT_HEADERS = ("content-disposition", "content-security-policy")
DEFAULT_FORMAT = "json"
FORMATS: tuple[str, ...] = get_args(PackFormat)


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


def _identity(session: Session, path: str, query: list[tuple[str, str]], req: PackRequest,
              spec: PackSpec) -> dict[str, Any]:
    reader = req.reader
    return {
        "logic": PACK_LOGIC_VERSION, "pack": spec.name, "path": path, "query": query,
        # Defaults resolved: a pack `to` today is another pack tomorrow.
        "range": [req.date_from.isoformat(), req.date_to.isoformat()],
        "as_of": req.as_of.isoformat() if req.as_of else None,
        # A group's definition is the admin's to change at any time: renamed or with other members,
        # its packs show something else though no return changed.
        "area": [req.area.code, req.area.name, req.area.kind, req.area.la_codes, req.la_codes],
        # Who reads decides what is hidden: role, own LA, threshold and disclosure level.
        "viewer": [reader.role.value, reader.la_code, reader.threshold, reader.disclosure.value],
        "changes": _changes(session, req, spec),
        "areas": [*areas_state(session), *area_names_state(session)] if _reads_every_la(spec, req) else None,
        "reference": spec.reference_state(session) if spec.reference_state else None,
    }


def _digest(identity: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(identity, default=str).encode()).hexdigest()


def _lineage(identity: dict[str, Any]) -> str:
    """The same pack for the same reader, whatever the returns and whatever the area is made of: a publication of it
    may stand in for the next while that is built (`Pack-Freshness: previous`), a group renamed or re-membered
    included, its old name and members shown with its figures. Such a group's first pack otherwise waited for every
    table of its new definition: in the load test, a group re-defined as a round was deciding was a 503 after 120 s.
    Not across a reading LA's own returns (it would not see what it has just sent)."""
    own_la = identity["viewer"][1]
    same = {k: v for k, v in identity.items() if k not in ("changes", "areas", "range", "reference")}
    same["area"] = identity["area"][0]
    same["own"] = [change for change in identity["changes"] if own_la is not None and change[1] == own_la]
    return _digest(same)


def _seen(identity: dict[str, Any]) -> str:
    """What the reader has seen of the pack: its lineage and the area as then defined. A build from a snapshot older
    than that is of something else (`Outdated`)."""
    return _digest({"lineage": _lineage(identity), "area": identity["area"][:4]})


def _request_query(request: Request) -> list[tuple[str, str]]:
    """As sent, with the format filled in where left out: `?area=X` and `?area=X&format=json` are one pack, with one
    ETag and one lineage (`publish_default_pack` publishes each format under its name)."""
    items = request.query_params.multi_items()
    if not any(name == "format" for name, _ in items):
        items.append(("format", DEFAULT_FORMAT))
    return sorted(items)


def pack_etag(session: Session, request: Request, req: PackRequest, spec: PackSpec) -> str:
    """The one ETag computation, for the route and the 304 path alike."""
    return _digest(_identity(session, request.url.path, _request_query(request), req, spec))


def etag_headers(etag: str) -> dict[str, str]:
    return {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache", "Vary": "Authorization"}


def serve(request: Request, session: Session, spec: PackSpec, req: PackRequest, file_format: str) -> Response:
    """304 if the reader's copy holds, else the stored rendering, else the pack built, rendered and stored
    (with small numbers suppressed: published, `app.packs.publication`)."""
    identity = _identity(session, request.url.path, _request_query(request), req, spec)
    etag = _digest(identity)
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=etag_headers(etag))
    stored = session.get(CachedPack, etag)
    if stored is not None:
        return _response(request, _as_rendered(stored), etag)
    if _is_published(spec, req):
        return _response(request, _published(request, session, spec, req, file_format, identity), etag,
                         req.generated_at)
    rendered = _rendered(spec, session, req, file_format, etag)
    _store(request, session, _entry(rendered))
    return _response(request, rendered, etag)


def _is_published(spec: PackSpec, req: PackRequest) -> bool:
    return spec.suppresses and not req.reader.sees_everything and req.as_of is None


def _response(request: Request, rendered: Rendered, etag: str, asked_at: datetime | None = None) -> Response:
    """`asked_at`: when the request read the returns; a pack built since is no older than what it asked for."""
    headers = etag_headers(rendered.etag)
    if rendered.etag != etag and (asked_at is None or rendered.created_at < asked_at):
        headers["Pack-Freshness"] = "previous"
        if etag_matches(request.headers.get("if-none-match"), rendered.etag):
            return Response(status_code=304, headers=headers)
    return Response(rendered.body, media_type=rendered.media_type, headers={**json.loads(rendered.headers), **headers})


def _published(request: Request, session: Session, spec: PackSpec, req: PackRequest, file_format: str,
               identity: dict[str, Any]) -> Rendered:
    state = request.app.state
    lineage, seen = _lineage(identity), _seen(identity)
    path, query = identity["path"], identity["query"]

    def build(snapshot: Session, fresh: bool) -> Rendered:
        # Not refused for the reader who queued it: readers of other areas join this build (the same pack for the
        # same kind of reader), and each is refused or answered on its own (`_readable`). A North West portal's
        # build of a group that, in this snapshot, still held a North East LA was a 403 to England's portal too.
        asked = make_request(snapshot, req.reader, req.query, spec.reads, spec.period,  # type: ignore[arg-type]
                             check_scope=False)
        current = _dated_by_snapshot(snapshot, asked)
        now = _identity(snapshot, path, query, current, spec)
        if not fresh and _seen(now) != seen:
            raise Outdated()
        etag = _digest(now)
        stored = snapshot.get(CachedPack, etag)
        return _as_rendered(stored) if stored is not None else _rendered(spec, snapshot, current, file_format, etag)

    def keep(rendered: Rendered) -> None:
        Store(state.reads_sessionmaker).keep(_entry(rendered, lineage))

    publications: Publications = state.publications
    # By any worker, or before a restart; of the area as it was then, which this reader may not be allowed to read
    # (a portal of the North West and a group that held a North East LA until an admin re-membered it).
    previous = _latest_stored(session, lineage)
    if previous is not None and not may_read(session, req.reader, req.area.code, previous.las):
        previous = None
    # Queued and joined under what the reader has seen: one asking after a group's re-definition never joins a
    # build of what the group was.
    under_way = publications.build(seen, build, keep, published_before=previous is not None)
    # The request has only read (a suppressed reader's pack reads are not logged): its connection goes back to
    # the pool while the build is waited for, or waiting readers would hold every connection a submission needs.
    session.rollback()
    if previous is not None:
        try:
            return _readable(session, req, under_way.result(timeout=state.settings.pack_fresh_wait_seconds))
        except (TimeoutError, Stopping):  # the previous publication, whole, rather than nothing
            stored = session.get(CachedPack, previous.etag)
            if stored is not None:
                return _as_rendered(stored)
    try:
        # A round may be deciding every table of a new data state.
        return _readable(session, req, under_way.result(timeout=state.settings.pack_first_wait_seconds))
    except TimeoutError:
        raise ApiError(503, "This pack is being published for the first time since the returns changed; ask again "
                            "shortly.", headers={"Retry-After": "10"}) from None


def _dated_by_snapshot(snapshot: Session, req: PackRequest) -> PackRequest:
    """A publication is dated when its snapshot was opened, not when built: a round builds many packs in one snapshot,
    and on start the tables are decided first, a minute or more. A reader who asked in between (after a return, a
    group re-defined) and joins such a build is then told it has the previous publication (`_response`), and a
    later date would rank a publication above one of newer returns (`_latest_stored`)."""
    return replace(req, generated_at=snapshot.info.get(SNAPSHOT_AT, req.generated_at))


def _readable(session: Session, req: PackRequest, rendered: Rendered) -> Rendered:
    """The pack built, unless it covers LAs the reader may not read: built from a snapshot opened before the reader
    asked, of a group an admin has re-defined since, which the reader may read only as it now is."""
    if not may_read(session, req.reader, req.area.code, rendered.area_las):
        check_can_read(session, req.reader, resolve_area(session, req.area.code))
        raise ApiError(503, "The group was re-defined while its pack was being published; ask again shortly.",
                       headers={"Retry-After": "1"})
    return rendered


@dataclass(frozen=True)
class _Stored:
    etag: str
    las: tuple[str, ...] | None


def _latest_stored(session: Session, lineage: str) -> _Stored | None:
    row = session.execute(select(CachedPack.etag, CachedPack.area_las).where(CachedPack.lineage == lineage)
                          .order_by(CachedPack.created_at.desc()).limit(1)).first()
    return None if row is None else _Stored(row.etag, _las(row.area_las))


def _las(stored: str | None) -> tuple[str, ...] | None:
    return None if stored is None else tuple(code for code in stored.split(",") if code)


@dataclass(frozen=True)
class Store:
    """Stored packs, read and written on connections that commit at once: what another worker has just stored is
    seen, where a snapshot would not see it."""

    reads: sessionmaker[Session]

    def has(self, etag: str) -> bool:
        with self.reads() as spare:
            return spare.get(CachedPack, etag) is not None

    def keep(self, entry: CachedPack) -> None:
        with self.reads() as spare:
            _insert(spare.connection(), entry)


def publish_default_pack(session: Session, spec: PackSpec, reader: Reader, area: str, path: str, store: Store) -> int:
    """Publishes `reader`'s pack of `area` as read with no range (`?area=…`, in each format) on `session`'s data
    state, unless it is stored already; returns how many formats were built. Under the lineage a portal's read of
    it has: while the next publication is built, that read is answered with this one rather than waiting for the
    tables of a new data state (in the load test, every pack read past a minute was such a first read, and some
    a 503 at 120 s)."""
    req = _dated_by_snapshot(session, make_request(session, reader, PackQuery(area), spec.reads, spec.period))
    pack: PackBase | None = None
    built = 0
    for file_format in FORMATS:
        identity = _identity(session, path, [("area", area), ("format", file_format)], req, spec)
        etag = _digest(identity)
        if store.has(etag):
            continue
        pack = pack or pipeline.build(spec, session, req)
        try:
            store.keep(_entry(_rendered_from(spec, pack, req, file_format, etag), _lineage(identity)))
        except Exception:  # on another connection (SQLite's write lock held past its wait): the next pack goes on
            log.exception("a default pack could not be stored; it is published on its first read instead")
            continue
        built += 1
    return built


def _rendered(spec: PackSpec, session: Session, req: PackRequest, file_format: str, etag: str) -> Rendered:
    return _rendered_from(spec, pipeline.build(spec, session, req), req, file_format, etag)


def _rendered_from(spec: PackSpec, pack: PackBase, req: PackRequest, file_format: str, etag: str) -> Rendered:
    response = render(spec, pack, file_format, req.reader)
    # Kept with the body they describe: a stored page is served under the policy that allows its stylesheet.
    kept = {k: v for k, v in response.headers.items() if k.lower() in KEPT_HEADERS}
    return Rendered(etag, response.media_type or "application/octet-stream", json.dumps(kept), bytes(response.body),
                    req.generated_at, req.area.la_codes)


def _as_rendered(entry: CachedPack) -> Rendered:
    return Rendered(entry.etag, entry.media_type, entry.headers, entry.body, entry.created_at, _las(entry.area_las))


def _entry(rendered: Rendered, lineage: str | None = None) -> CachedPack:
    las = None if rendered.area_las is None else ",".join(rendered.area_las)
    return CachedPack(etag=rendered.etag, media_type=rendered.media_type, headers=rendered.headers,
                      body=rendered.body, created_at=rendered.created_at, lineage=lineage, area_las=las)


def _store(request: Request, session: Session, entry: CachedPack) -> None:
    if session.get_bind().dialect.name == "sqlite":
        _store_unless_busy(request.app.state.reads_sessionmaker, entry)
        return
    # A stored pack can always be built again: the request need not wait for it to reach the disk.
    # (Only this transaction; a pack request writes nothing else.)
    session.execute(text("SET LOCAL synchronous_commit = off"))
    _insert(session.connection(), entry)


def _store_unless_busy(reads: sessionmaker[Session], entry: CachedPack) -> None:
    """SQLite has one writer at a time. A pack read must not queue behind submissions for the write lock
    (measured: 1.1 s behind fifty at once) to keep a copy it can build again: when the lock is taken, the
    copy is not kept. On a connection of its own that commits at once, so the read holds no lock after."""
    with reads() as spare:
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
