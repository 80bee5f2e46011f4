from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse
from sqlalchemy import select

from app.access.dependencies import AdminClient, CurrentClient, LaCodePath
from app.core.db import SessionDep, utcnow
from app.core.pagination import Page, PageDep, fetch_page
from app.core.types import IsoDate
from app.reference import schemas, service
from app.reference.models import Area, AuditFramework, GroupMember, LocalAuthority
from app.reference.schemas import AREA_CODE_PATTERN, CODE_PATTERN

router = APIRouter(tags=["Reference data"])

AreaCode = Annotated[str, Path(pattern=AREA_CODE_PATTERN, examples=["E12000002"])]
NewCode = Annotated[str, Path(pattern=CODE_PATTERN, description="Lower-case letters, digits and '-'.",
                              examples=["cheshire-merseyside-lfjb"])]
# A group's own code; a shipped region's or England's is let through to be told it cannot be redefined (409).
GroupCode = Annotated[str, Path(pattern=r"^(?:[a-z0-9][a-z0-9-]{1,63}|E[0-9]{8})$",
                                description="The group's code: lower-case letters, digits and '-'.",
                                examples=["cheshire-merseyside-lfjb"])]


@router.get("/local-authorities", operation_id="listLocalAuthorities", response_model=Page[schemas.LocalAuthorityRead],
            summary="English LAs past and present, by DfE code")
def list_local_authorities(
    session: SessionDep, _: CurrentClient, page: PageDep,
    area: Annotated[str | None, Query(pattern=AREA_CODE_PATTERN, description="Only LAs in this area.")] = None,
    on: Annotated[IsoDate | None, Query(description="Only LAs operational on this date.")] = None,
) -> Page[schemas.LocalAuthorityRead]:
    scope = service.get_area(session, area) if area is not None else None
    rows, total = fetch_page(session, service.list_las(session, scope, on), page)
    return Page(items=[service.la_read(row[0]) for row in rows], total=total, limit=page.limit, offset=page.offset)


@router.get("/local-authorities/{la}", operation_id="getLocalAuthority", response_model=schemas.LocalAuthorityRead)
def get_local_authority(la: LaCodePath, session: SessionDep, _: CurrentClient) -> schemas.LocalAuthorityRead:
    return service.la_read(service.get_la(session, la))


def _area_members(session: SessionDep) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    for code, region in session.execute(select(LocalAuthority.code, LocalAuthority.region_code)):
        members.setdefault(region, []).append(code)
        members.setdefault("england", []).append(code)
    for area_code, la_code in session.execute(select(GroupMember.area_code, GroupMember.la_code)):
        members.setdefault(area_code, []).append(la_code)
    return members


@router.get("/areas", operation_id="listAreas", response_model=Page[schemas.AreaRead],
            summary="England, the nine regions and admin-defined groups")
def list_areas(session: SessionDep, _: CurrentClient, page: PageDep) -> Page[schemas.AreaRead]:
    rows, total = fetch_page(session, select(Area).order_by(Area.kind, Area.code), page)
    members = _area_members(session)
    items = [schemas.AreaRead(code=a.code, name=a.name, kind=a.kind,  # type: ignore[arg-type]
                      members=sorted(members.get("england" if a.kind == "england" else a.code, [])))
             for (a,) in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/areas/{code}", operation_id="getArea", response_model=schemas.AreaRead)
def get_area(code: AreaCode, session: SessionDep, _: CurrentClient) -> schemas.AreaRead:
    return service.area_read(session, service.get_area(session, code))


@router.put("/areas/{code}", operation_id="putArea", response_model=schemas.AreaRead, status_code=201,
            summary="Define or redefine a group of LAs (admin)",
            responses={200: {"description": "The group was redefined.", "model": schemas.AreaRead},
                       201: {"description": "The group was created."},
                       409: {"description": "The code belongs to a shipped region or England.",
                             "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}})
def put_area(code: GroupCode, body: schemas.AreaPut, session: SessionDep, admin: AdminClient) -> JSONResponse:
    area, created = service.put_group(session, code, body, admin.id, utcnow())
    read = service.area_read(session, area)
    return JSONResponse(read.model_dump(mode="json"), status_code=201 if created else 200)


@router.get("/audit-frameworks", operation_id="listAuditFrameworks", response_model=Page[schemas.AuditFrameworkRead])
def list_audit_frameworks(session: SessionDep, _: CurrentClient, page: PageDep) -> Page[schemas.AuditFrameworkRead]:
    rows, total = fetch_page(session, select(AuditFramework).order_by(AuditFramework.code), page)
    return Page(items=[service.framework_read(session, f) for (f,) in rows], total=total,
                limit=page.limit, offset=page.offset)


@router.get("/audit-frameworks/{code}", operation_id="getAuditFramework", response_model=schemas.AuditFrameworkRead)
def get_audit_framework(code: NewCode, session: SessionDep, _: CurrentClient) -> schemas.AuditFrameworkRead:
    return service.framework_read(session, service.get_framework(session, code))


@router.put("/audit-frameworks/{code}", operation_id="putAuditFramework", response_model=schemas.AuditFrameworkRead,
            status_code=201, summary="Define or redefine an audit framework (admin)",
            responses={200: {"description": "The framework was redefined.", "model": schemas.AuditFrameworkRead},
                       201: {"description": "The framework was created."}})
def put_audit_framework(code: NewCode, body: schemas.AuditFrameworkPut, session: SessionDep,
                        admin: AdminClient) -> JSONResponse:
    framework, created = service.put_framework(session, code, body, admin.id, utcnow())
    read = service.framework_read(session, framework)
    return JSONResponse(read.model_dump(mode="json"), status_code=201 if created else 200)
