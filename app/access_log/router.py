from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from app.access.dependencies import AdminClient
from app.access_log.models import AccessLogEntry
from app.access_log.schemas import AccessLogRead
from app.clients.models import ApiClient
from app.core.db import SessionDep
from app.core.pagination import Page, PageDep, fetch_page
from app.core.types import Moment
from app.reference.schemas import LA_CODE_PATTERN

router = APIRouter(prefix="/access-log", tags=["Access log"])


@router.get("", operation_id="listAccessLog", response_model=Page[AccessLogRead],
            summary="Every read and write of child-level data, every submission and every pack read at full "
                    "disclosure by a non-admin, newest first (admin; the log cannot be changed through the API)")
def list_access_log(
    session: SessionDep, _: AdminClient, page: PageDep,
    la: Annotated[str | None, Query(pattern=LA_CODE_PATTERN)] = None,
    client_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    since: Annotated[Moment | None, Query(description="Only entries at or after this moment (ISO 8601; without an "
                                                     "offset, UTC).")] = None,
) -> Page[AccessLogRead]:
    statement = (select(AccessLogEntry, ApiClient.name).join(ApiClient, ApiClient.id == AccessLogEntry.client_id)
                 .order_by(AccessLogEntry.id.desc()))
    if la is not None:
        statement = statement.where(AccessLogEntry.la_code == la)
    if client_id is not None:
        statement = statement.where(AccessLogEntry.client_id == client_id)
    if since is not None:
        statement = statement.where(AccessLogEntry.at >= since)
    rows, total = fetch_page(session, statement, page)
    items = [AccessLogRead(id=e.id, at=e.at, client_id=e.client_id, client_name=name, la=e.la_code, action=e.action,
                           dataset=e.dataset, record_key=e.record_key, record_count=e.record_count,
                           request_id=e.request_id, client_request_id=e.client_request_id) for e, name in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)
