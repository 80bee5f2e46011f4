"""The HTTP surface every returned dataset shares: PUT/GET a record, its versions, the list."""

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from app.access.dependencies import CurrentClient
from app.access_log.service import AccessLog
from app.clients.models import ApiClient
from app.core.db import SessionDep, utcnow
from app.core.errors import ApiError, problems, validation_failed
from app.core.etags import ETAG_HEADER, IfMatch, IfNoneMatch, etag_matches
from app.core.pagination import Page, PageDep
from app.records import store
from app.records.checks import check_record
from app.records.spec import DatasetSpec, RuleContext, key_text
from app.reference.models import LocalAuthority


async def json_body(request: Request) -> Any:
    """The body as JSON; checked against the dataset's schema by check_record, with its rules, so that
    type errors and rule breaches are reported in one response."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise ApiError(415, f"Send the record as application/json (got {media or 'no Content-Type'}).")
    raw = await request.body()
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"The request body is not valid JSON ({exc}).") from None


JsonBody = Annotated[Any, Depends(json_body)]
LOCATION = {"Location": {"description": "The record's path.", "schema": {"type": "string"}}}


def etag(version: int) -> str:
    return f'"{version}"'


def check_if_match(header: str | None, current_version: int | None) -> None:
    if header is None:
        return
    if current_version is None:
        raise ApiError(412, "If-Match was sent but there is no version of this record yet.")
    if not etag_matches(header, str(current_version)):
        raise ApiError(412, f"The record is at version {current_version} (ETag {etag(current_version)}); "
                            "fetch it again and re-apply your change. Nothing was changed.")


def put_one(session, spec: DatasetSpec, la: LocalAuthority, key: Any, body: dict[str, Any],
            client: ApiClient, if_match: str | None) -> store.Written:
    _, payload, errors = check_record(spec, body, RuleContext(session, la, date.today()), key=key)
    if errors or payload is None:
        raise validation_failed(errors)
    store.lock_return(session, spec, la.code)
    current = store.current_rows(session, spec, la.code, [key]).get(key)
    check_if_match(if_match, None if current is None else current.version)
    return store.write_records(session, spec, la.code, [(key, payload)], client, utcnow())[0]


def build_record_router(spec: DatasetSpec, *, key_type: Any, la_dependency: Any) -> APIRouter:
    """Routes for one dataset; `la_dependency` decides who may touch which LA's records. `key_type` reads
    the key from the path: a path parameter's type, or for a key of several parts a dependency on one
    path parameter a part that gives the key's tuple."""
    router = APIRouter(tags=[spec.title])
    collection = f"/local-authorities/{{la}}/{spec.name}"
    item = collection + "".join(f"/{{{name}}}" for name in spec.key_fields)
    Key = key_type
    Read = spec.read_schema
    ScopedLa = la_dependency

    def log(access: AccessLog, action: str, la: LocalAuthority, count: int, key: Any = None) -> None:
        if spec.child_level:
            access.record(action=action, dataset=spec.name, la_code=la.code, count=count,
                          key=None if key is None else key_text(key))

    @router.put(
        item, operation_id=f"put{spec.item_title}", status_code=201, response_model=Read,
        summary=f"Return or revise one {spec.name} record",
        description="The body is the record's full representation and replaces the stored one: an optional "
                    "item it leaves out is stored as not returned (null). A bulk submission, by contrast, "
                    "changes only the items its file has columns (or its JSON records keys) for.",
        openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{spec.create_schema.__name__}"}}}}},
        responses={200: {"description": "A revision (or an identical resend): the current version.",
                         "model": Read, "headers": ETAG_HEADER},
                   201: {"description": "The first version of this record.", "headers": {**ETAG_HEADER, **LOCATION}},
                   **problems(412, 415)},
    )
    def put_record(la: ScopedLa, key: Key, body: JsonBody, session: SessionDep,  # type: ignore[valid-type]
                   client: CurrentClient, access: AccessLog, request: Request,
                   if_match: IfMatch = None) -> JSONResponse:
        written = put_one(session, spec, la, key, body, client, if_match)
        log(access, "write", la, 1, key)
        headers = {"ETag": etag(written.version)}
        status = 201 if written.outcome == "created" else 200
        if status == 201:
            headers["Location"] = str(request.url.path)
        read = store.written_read(spec, la.code, written)
        return JSONResponse(read.model_dump(mode="json"), status_code=status, headers=headers)

    @router.get(item, operation_id=f"get{spec.item_title}", response_model=Read,
                summary=f"The current version of one {spec.name} record",
                responses={200: {"description": "The current version.", "headers": ETAG_HEADER},
                           304: {"description": "Not modified since the ETag sent.", "headers": ETAG_HEADER}})
    def get_record(la: ScopedLa, key: Key, session: SessionDep, access: AccessLog,  # type: ignore[valid-type]
                   if_none_match: IfNoneMatch = None) -> Response:
        read = store.get_current(session, spec, la.code, key)
        if read is None:
            raise ApiError(404, "No such record.")
        log(access, "read", la, 1, key)
        version: int = read.version  # type: ignore[attr-defined]
        if etag_matches(if_none_match, str(version)):
            return Response(status_code=304, headers={"ETag": etag(version)})
        return JSONResponse(read.model_dump(mode="json"), headers={"ETag": etag(version)})

    @router.get(f"{item}/versions", operation_id=f"list{spec.item_title}Versions", response_model=Page[Read],
                summary=f"Every version of one {spec.name} record, newest first")
    def list_versions(la: ScopedLa, key: Key, session: SessionDep, access: AccessLog,  # type: ignore[valid-type]
                      page: PageDep) -> Page[Any]:
        items, total = store.list_versions(session, spec, la.code, key, page)
        if total == 0:
            raise ApiError(404, "No such record.")
        log(access, "history", la, len(items), key)
        return Page(items=items, total=total, limit=page.limit, offset=page.offset)

    @router.get(collection, operation_id=f"list{spec.title}", response_model=Page[Read],
                summary=f"Current versions of the LA's {spec.name} records")
    def list_records(la: ScopedLa, session: SessionDep, access: AccessLog, page: PageDep) -> Page[Any]:
        items, total = store.list_current(session, spec, la.code, page)
        log(access, "list", la, len(items))
        return Page(items=items, total=total, limit=page.limit, offset=page.offset)

    return router
