from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from app.access.dependencies import CurrentClient, LaWriter
from app.access_log.service import AccessLog
from app.core.db import SessionDep
from app.core.errors import ApiError, FieldError, problems, validation_failed
from app.core.limits import ReadLimits
from app.ssda903 import service
from app.ssda903.schemas import Ssda903SubmissionRead
from app.ssda903.service import ExtractPart
from app.submissions.idempotency import IdempotencyClaim, fingerprint
from app.submissions.router import IdempotencyKey

router = APIRouter(tags=["SSDA903"])

PARTS = ("header", "episodes")
# A large LA's episodes for 25 years come to about 10 MB (16,000 episodes over five years are 1.1 MB). Both
# files are read whole: 63 MB of episodes took 1.3 GB and 80 s to check and derive, 16 MiB about a quarter.
MAX_PART_BYTES = 16 * 1024 * 1024
MAX_PARTS = 64
HEADER_EXAMPLE = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n1001,1,14/03/2015,WBRI,,,\r\n"
EPISODES_EXAMPLE = ("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\r\n"
                    "1001,02/06/2019,S,C1,N1,P1,PR0,10/01/2020,X1,,,,\r\n"
                    "1001,10/01/2020,L,C2,N1,P1,PR0,,,,,,\r\n")
REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "description": "The LA's SSDA903 header and episodes files, each a CSV in the DfE's layout (dates DD/MM/YYYY "
                   "or YYYY-MM-DD; further columns are read past and never kept).",
    "content": {"multipart/form-data": {
        "schema": {"type": "object", "required": list(PARTS), "properties": {
            "header": {"type": "string", "format": "binary", "description": "The 903 header file: CHILD, SEX, "
                                                                               "DOB, ETHNIC."},
            "episodes": {"type": "string", "format": "binary", "description": "The 903 episodes file: CHILD, "
                                                                                "DECOM, RNE, LS, PLACE, DEC, REC."},
        }},
        "encoding": {"header": {"contentType": "text/csv"}, "episodes": {"contentType": "text/csv"}},
        "example": {"header": HEADER_EXAMPLE, "episodes": EPISODES_EXAMPLE},
    }},
}


async def extract_parts(request: Request) -> list[ExtractPart]:
    """The two files of the multipart body, for the request only: Starlette spools a part past 1 MB to a temporary
    file, which closing the form deletes (the body limit applies as it streams)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "multipart/form-data":
        raise ApiError(415, "Send the 903 files as multipart/form-data with the parts `header` and `episodes` "
                            f"(got {media or 'no Content-Type'}), e.g. curl -F header=@header.csv -F "
                            "episodes=@episodes.csv.")
    # A part sent as text (`curl -F header=<header.csv`) is taken as readily as a file (`-F header=@header.csv`).
    # Further parts are read past, as further columns are; the count only bounds the parsing of a crafted body.
    async with request.form(max_files=MAX_PARTS, max_fields=MAX_PARTS, max_part_size=MAX_PART_BYTES) as form:
        missing = [name for name in PARTS if form.get(name) is None]
        if missing:
            sent = ", ".join(f"`{key}`" for key in form) or "none"
            raise validation_failed([FieldError(loc=["body", name], row=None, field=name,
                                                message=f"the {name} file is missing: send it as the part `{name}` "
                                                        f"(parts sent: {sent})")
                                     for name in missing], "The 903 extract is incomplete; nothing was stored.")
        parts = []
        for name in PARTS:
            value = form[name]
            content = value.encode() if isinstance(value, str) else await value.read(MAX_PART_BYTES + 1)
            if len(content) > MAX_PART_BYTES:
                raise ApiError(413, f"The {name} file is over {MAX_PART_BYTES // (1024 * 1024)} MiB, more than any "
                                    "LA's 903 extract; nothing was stored.")
            parts.append(ExtractPart(name, content))
    return parts


ExtractParts = Annotated[list[ExtractPart], Depends(extract_parts)]


def submission_location(request: Request, submission_id: int) -> str:
    return f"{request.url.path.removesuffix('/ssda903')}/submissions/{submission_id}"


@router.post(
    "/local-authorities/{la}/ssda903", operation_id="createSsda903Submission", status_code=201,
    response_model=Ssda903SubmissionRead, openapi_extra={"requestBody": REQUEST_BODY},
    summary="Send the LA's SSDA903 extract: its care-order counts and characteristics are derived and stored",
    description="Both files are checked whole and every fault of either is listed at once (`loc` starts with the "
                "file's name, then its line, header = 1, then the column). For each collection year named, the "
                "`care-order-counts` record for 31 March and the `care-order-characteristics` records for that date "
                "are derived as docs/ssda903.md defines them and stored as ordinary versions whose `source` is "
                "`ssda903:<id>`: all of them or none. The files themselves are not kept; their SHA-256 and row "
                "counts are.",
    responses={200: {"description": "Dry run: the records that would be derived and stored; nothing was.",
                     "model": Ssda903SubmissionRead},
               201: {"description": "The extract was valid; every derived record is stored."},
               **problems(409, 413, 415)},
)
def create_ssda903_submission(
    la: LaWriter, client: CurrentClient, session: SessionDep, access: AccessLog, request: Request,
    parts: ExtractParts, claim: IdempotencyClaim,
    years: Annotated[str, Query(min_length=4, max_length=9, pattern=r"^[1-9]\d{3}(:[1-9]\d{3})?$",
                                description="The collection years the extract covers completely, FROM:TO "
                                            "(year Y runs 1 April Y-1 to 31 March Y).", examples=["2017:2021"])],
    dry_run: Annotated[bool, Query(description="Check and derive, store nothing.")] = False,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    asked = service.parse_years(years, la, date.today())
    if idempotency_key is not None and not dry_run:
        replay = claim.take(idempotency_key, fingerprint(la.code, service.DATASET, dry_run, "multipart/form-data",
                                                         service.fingerprint_material(asked, parts)),
                            location_of=lambda stored: submission_location(request, stored))
        if replay is not None:
            return replay
    status, read = service.submit(session, la=la, years=asked, parts=parts, client=client, dry_run=dry_run,
                                  max_rows=ReadLimits.of(request.app.state.settings).max_rows, claim_id=claim.id)
    access.record(action="dry_run" if dry_run else "submission", dataset=service.DATASET, la_code=la.code,
                  count=sum(file["rows"] for file in read["files"]),
                  key=None if read["id"] is None else str(read["id"]))
    headers = {} if read["id"] is None else {"Location": submission_location(request, read["id"])}
    return JSONResponse(read, status_code=status, headers=headers)
