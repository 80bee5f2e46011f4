from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.core.auth import LA_CODE_PATTERN, CurrentClient
from app.core.db import SessionDep
from app.core.errors import FieldError, validation_failed
from app.packs import audits, care_orders, compare, completeness, outcomes
from app.packs.audits import AuditsPack
from app.packs.cache import cached_pack
from app.packs.compare import ComparePack, Measure, PeriodQuery
from app.packs.completeness import CompletenessPack
from app.packs.outcomes import OutcomesPack
from app.packs.schemas import CareOrdersPack, PackFormat
from app.packs.scope import AsOfQuery, PackRequestDep, make_request
from app.reference.schemas import AREA_CODE_PATTERN

router = APIRouter(prefix="/packs", tags=["Packs"])

FormatQuery = Annotated[PackFormat, Query(description="json (default), csv (one tidy table), xlsx (a sheet per "
                                                      "table and a notes sheet) or html (a printable pack with charts).")]


def _formats(model: type) -> dict[int | str, dict[str, Any]]:
    return {304: {"description": "Not modified: the pack is unchanged since the ETag sent in If-None-Match."},
            200: {"description": "The pack, in the format asked for. Its ETag changes exactly when a return it "
                                 "reads changes; send it back in If-None-Match to get 304.",
                  "headers": {"ETag": {"schema": {"type": "string"}}}, "content": {
        "text/csv": {"schema": {"type": "string"}},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}},
        "text/html": {"schema": {"type": "string"}},
    }}}


@router.get("/care-orders-at-home", operation_id="getCareOrdersAtHomePack", response_model=CareOrdersPack,
            summary="Children on care orders at home: every LA of the area per snapshot date, the area, regions, England",
            responses=_formats(CareOrdersPack))
def care_orders_at_home_pack(request: Request, req: PackRequestDep, session: SessionDep,
                             format: FormatQuery = "json") -> Response:
    return cached_pack(request, session, req, "care-orders-at-home", format, lambda: care_orders.build(session, req))


@router.get("/outcomes", operation_id="getOutcomesPack", response_model=OutcomesPack,
            summary="Order outcomes: discharges, LA plan vs court outcome, pre-proceedings, assessments, current status",
            responses=_formats(OutcomesPack))
def outcomes_pack(request: Request, req: PackRequestDep, session: SessionDep, format: FormatQuery = "json") -> Response:
    return cached_pack(request, session, req, "outcomes", format, lambda: outcomes.build(session, req))


@router.get("/audits", operation_id="getAuditsPack", response_model=AuditsPack,
            summary="Case-file audits: grades after moderation, per domain and month, return rates, moderation, "
                    "LA–Cafcass agreement", responses=_formats(AuditsPack))
def audits_pack(request: Request, req: PackRequestDep, session: SessionDep, format: FormatQuery = "json") -> Response:
    return cached_pack(request, session, req, "audits", format, lambda: audits.build(session, req))


@router.get("/compare", operation_id="getComparePack", response_model=ComparePack,
            summary="One measure summed over two periods (e.g. five years before and after the PLO) and the change",
            responses=_formats(ComparePack))
def compare_pack(
    request: Request, session: SessionDep, client: CurrentClient, measure: Annotated[Measure, Query()],
    before: PeriodQuery, after: PeriodQuery, area: Annotated[str | None, Query(pattern=AREA_CODE_PATTERN)] = None,
    la: Annotated[str | None, Query(pattern=LA_CODE_PATTERN)] = None, as_of: AsOfQuery = None,
    format: FormatQuery = "json",
) -> Response:
    if (area is None) == (la is None):
        raise validation_failed([FieldError(loc=["query", "area"], row=None, field="area",
                                            message="give exactly one of `area` and `la`")])
    spans = compare.parse_period("before", before), compare.parse_period("after", after)
    req = make_request(request, session, client, area or la or "", min(s[0] for s in spans), max(s[1] for s in spans),
                       as_of)
    return cached_pack(request, session, req, "compare", format, lambda: compare.build(session, req, measure, *spans))


@router.get("/completeness", operation_id="getCompletenessPack", response_model=CompletenessPack,
            summary="Which LA has not returned which dataset, snapshot date, month or item in the range",
            responses=_formats(CompletenessPack))
def completeness_pack(request: Request, req: PackRequestDep, session: SessionDep, format: FormatQuery = "json") -> Response:
    return cached_pack(request, session, req, "completeness", format, lambda: completeness.build(session, req))
