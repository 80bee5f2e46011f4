import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, Select, and_, bindparam, delete, or_, select
from sqlalchemy.orm import Session

from app.core.errors import ApiError, FieldError, validation_failed
from app.reference.models import Area, AuditFramework, FrameworkDomain, GroupMember, LocalAuthority
from app.reference.schemas import (
    CODE_PATTERN,
    AreaPut,
    AreaRead,
    AuditFrameworkPut,
    AuditFrameworkRead,
    LocalAuthorityRead,
)
from app.reference.shipped import ENGLAND_CODE, SHIPPED_FRAMEWORKS, shipped_las, shipped_regions

# ONS geography codes (E12000002, e92000001) are reserved for shipped areas, whatever their case.
ONS_LIKE = re.compile(r"^[a-zA-Z][0-9]{8}$")


def sync_reference_data(session: Session) -> None:
    """Bring shipped reference data into the database; admin-made areas and edits survive."""
    areas = {a.code: a for a in session.scalars(select(Area).where(Area.kind != "group"))}
    wanted = {ENGLAND_CODE: ("England", "england")}
    wanted |= {code: (name, "region") for code, name in shipped_regions().items()}
    for code, (name, kind) in wanted.items():
        area = areas.get(code) or Area(code=code, kind=kind)
        area.name = name
        session.add(area)
    session.flush()

    existing = {la.code: la for la in session.scalars(select(LocalAuthority))}
    for shipped in shipped_las():
        la = existing.get(shipped.code) or LocalAuthority(code=shipped.code)
        la.ons_code, la.name, la.region_code = shipped.ons_code, shipped.name, shipped.region_code
        la.operational_from, la.operational_to = shipped.operational_from, shipped.operational_to
        session.add(la)

    known = set(session.scalars(select(AuditFramework.code)))
    for code, (name, domains) in SHIPPED_FRAMEWORKS.items():
        if code in known:
            continue
        session.add(AuditFramework(code=code, name=name))
        session.flush()
        session.add_all(FrameworkDomain(framework_code=code, code=d, name=n, position=i)
                        for i, (d, n) in enumerate(domains))
    session.flush()


def la_read(la: LocalAuthority) -> LocalAuthorityRead:
    return LocalAuthorityRead(
        code=la.code, ons_code=la.ons_code, name=la.name, region=la.region_code,
        operational_from=la.operational_from, operational_to=la.operational_to,
    )


def get_la(session: Session, code: str) -> LocalAuthority:
    la = session.get(LocalAuthority, code)
    if la is None:
        raise ApiError(404, f"No local authority with DfE code {code!r}.")
    return la


LA = LocalAuthority
# Built once: every pack request reads its area and the area's members, and building a query
# costs more than running it (session.get builds one each call).
_AREA_BY_CODE = select(Area).where(Area.code == bindparam("code"))
_MEMBER_PERIODS = {
    "england": select(LA.code, LA.operational_from, LA.operational_to).order_by(LA.code),
    "region": select(LA.code, LA.operational_from, LA.operational_to).where(LA.region_code == bindparam("area"))
                                                                     .order_by(LA.code),
    "group": select(LA.code, LA.operational_from, LA.operational_to).join(GroupMember, GroupMember.la_code == LA.code)
                                                                    .where(GroupMember.area_code == bindparam("area"))
                                                                    .order_by(LA.code),
}


# The area and its members in one round trip, for the pack requests (every repeat check reads both).
_AREA_AND_MEMBERS = (
    select(Area.code, Area.name, Area.kind, LA.code.label("member"), LA.operational_from, LA.operational_to)
    .select_from(Area)
    .outerjoin(LA, or_(Area.kind == "england", and_(Area.kind == "region", LA.region_code == Area.code),
                       and_(Area.kind == "group", LA.code.in_(select(GroupMember.la_code)
                                                              .where(GroupMember.area_code == Area.code)
                                                              .scalar_subquery()))))
    .where(Area.code == bindparam("code"))
    .order_by(LA.code)
)


def _no_such_area(code: str) -> ApiError:
    return ApiError(404, f"No area with code {code!r} (regions use ONS codes, England is {ENGLAND_CODE}).")


def get_area(session: Session, code: str) -> Area:
    area = session.scalar(_AREA_BY_CODE, {"code": code})
    if area is None:
        raise _no_such_area(code)
    return area


def area_with_member_periods(session: Session, code: str) -> tuple[Row[Any], list[tuple[str, date, date | None]]]:
    """The area's (code, name, kind) and what `member_periods` gives, read together."""
    rows = session.execute(_AREA_AND_MEMBERS, {"code": code}).all()
    if not rows:
        raise _no_such_area(code)
    return rows[0], [(r.member, r.operational_from, r.operational_to) for r in rows if r.member is not None]


def member_periods(session: Session, area: Area) -> list[tuple[str, date, date | None]]:
    """Each member LA's (code, operational_from, operational_to), by code."""
    return [tuple(row) for row in session.execute(_MEMBER_PERIODS[area.kind], {"area": area.code})]  # type: ignore[misc]


def la_codes_in_area_query(area: Area) -> Select[tuple[str]]:
    return _MEMBER_PERIODS[area.kind].with_only_columns(LA.code).params(area=area.code)


def la_codes_in_area(session: Session, area: Area) -> list[str]:
    return [code for code, _, _ in member_periods(session, area)]


def list_las(session: Session, area: Area | None, on: date | None) -> Select[tuple[LocalAuthority]]:
    statement = select(LocalAuthority).order_by(LocalAuthority.code)
    if area is not None:
        statement = statement.where(LocalAuthority.code.in_(la_codes_in_area_query(area)))
    if on is not None:
        statement = statement.where(
            LocalAuthority.operational_from <= on,
            or_(LocalAuthority.operational_to.is_(None), LocalAuthority.operational_to >= on),
        )
    return statement


def area_read(session: Session, area: Area) -> AreaRead:
    return AreaRead(code=area.code, name=area.name, kind=area.kind,  # type: ignore[arg-type]
                    members=la_codes_in_area(session, area))


def put_group(session: Session, code: str, body: AreaPut, client_id: int, now: datetime) -> tuple[Area, bool]:
    area = session.get(Area, code)
    if area is not None and area.kind != "group":
        raise ApiError(409, f"{code!r} is a {area.kind} shipped with the service; it cannot be redefined.")
    if not re.match(CODE_PATTERN, code) or ONS_LIKE.match(code):
        raise validation_failed([FieldError(
            loc=["path", "code"], row=None, field="code",
            message="a group code is lower-case letters, digits and '-', and not shaped like an ONS code")])
    members = list(dict.fromkeys(body.members))
    known = set(session.scalars(select(LocalAuthority.code).where(LocalAuthority.code.in_(members))))
    unknown = [FieldError(loc=["body", "members", i], row=None, field="members",
                          message=f"{m!r} is not a local authority's DfE code")
               for i, m in enumerate(body.members) if m not in known]
    if unknown:
        raise validation_failed(unknown)
    created = area is None
    if area is None:
        area = Area(code=code, kind="group")
    area.name, area.updated_at, area.updated_by_id = body.name, now, client_id
    session.add(area)
    session.flush()
    session.execute(delete(GroupMember).where(GroupMember.area_code == code))
    session.add_all(GroupMember(area_code=code, la_code=m) for m in members)
    session.flush()
    return area, created


def framework_read(session: Session, framework: AuditFramework) -> AuditFrameworkRead:
    domains = session.scalars(select(FrameworkDomain).where(FrameworkDomain.framework_code == framework.code)
                              .order_by(FrameworkDomain.position))
    return AuditFrameworkRead(code=framework.code, name=framework.name,
                              domains=[{"code": d.code, "name": d.name} for d in domains])


def get_framework(session: Session, code: str) -> AuditFramework:
    framework = session.get(AuditFramework, code)
    if framework is None:
        raise ApiError(404, f"No audit framework with code {code!r}.")
    return framework


def framework_domain_codes(session: Session, code: str) -> frozenset[str] | None:
    """Domain codes of a framework, or None when there is no such framework."""
    if session.get(AuditFramework, code) is None:
        return None
    return frozenset(session.scalars(select(FrameworkDomain.code).where(FrameworkDomain.framework_code == code)))


def put_framework(session: Session, code: str, body: AuditFrameworkPut, client_id: int,
                  now: datetime) -> tuple[AuditFramework, bool]:
    codes = [d.code for d in body.domains]
    repeated = [FieldError(loc=["body", "domains", i, "code"], row=None, field="domains.code",
                           message=f"domain {c!r} is listed more than once")
                for i, c in enumerate(codes) if c in codes[:i]]
    if repeated:
        raise validation_failed(repeated)
    framework = session.get(AuditFramework, code)
    created = framework is None
    if framework is None:
        framework = AuditFramework(code=code)
    framework.name, framework.updated_at, framework.updated_by_id = body.name, now, client_id
    session.add(framework)
    session.flush()
    session.execute(delete(FrameworkDomain).where(FrameworkDomain.framework_code == code))
    session.add_all(FrameworkDomain(framework_code=code, code=d.code, name=d.name, position=i)
                    for i, d in enumerate(body.domains))
    session.flush()
    return framework, created
