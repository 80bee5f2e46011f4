from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select

from app.access.dependencies import CurrentClient, LaWriter
from app.access_log.service import AccessLog
from app.clients.models import ApiClient
from app.core.db import SessionDep
from app.core.errors import ApiError, problems
from app.core.limits import ReadLimits
from app.core.pagination import Page, PageDep, fetch_page
from app.submissions import service
from app.submissions.idempotency import IdempotencyClaim, fingerprint
from app.submissions.models import Submission
from app.submissions.parsing import XLSX_TYPE, detect_format
from app.submissions.schemas import Dataset, SubmissionRead
from app.submissions.upload import UploadDep

router = APIRouter(tags=["Submissions"])

CSV_EXAMPLE = "month,planned,exempted,returned\n2021-01,40,4,15\n2021-02,38,2,20\n"
REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "description": "The dataset's records: CSV or XLSX (first sheet) with a header row of field names, "
                   "nested fields flattened with '.', e.g. `discharges.total`; or JSON `{\"records\": [...]}`.",
    # Files are bytes (binary), so generators offer a file argument rather than a string to encode. The
    # order matters to openapi-python-client, which sends a file with the last binary media type: CSV.
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/JsonSubmission"}},
        XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
        "text/csv": {"schema": {"type": "string", "format": "binary"}, "example": CSV_EXAMPLE},
    },
}
IdempotencyKey = Annotated[str | None, Header(min_length=1, max_length=255, pattern=r"^[\x21-\x7e]+$",
                                              description="Retry-safe key: the same key and body replay the first response. "
                                                          "A dry run stores nothing, so it neither uses nor replays a key.")]


@router.post(
    "/local-authorities/{la}/submissions", operation_id="createSubmission", status_code=201,
    response_model=SubmissionRead, openapi_extra={"requestBody": REQUEST_BODY},
    summary="Submit many records of one dataset at once: all stored, or none",
    description="A row of a record already stored changes only what it has: an optional item the file has no "
                "column for "
                "(or a JSON record no key for) keeps its stored value, while an empty cell (or `null`) means not "
                "returned; nested and `domain_grades.<code>` columns count one by one (JSON: a merge patch, RFC "
                "7396). The checks across fields run on the merged record. The response lists what changed in "
                "each revised record (the first 100), in dry runs what would.",
    responses={200: {"description": "Dry run: what would be stored; nothing was.", "model": SubmissionRead},
               201: {"description": "Every row was valid and is stored."}, **problems(409, 413, 415)},
)
def create_submission(
    la: LaWriter, client: CurrentClient, session: SessionDep, access: AccessLog, request: Request,
    upload: UploadDep, claim: IdempotencyClaim,
    dataset: Annotated[Dataset, Query(description="Which dataset the rows belong to.")],
    dry_run: Annotated[bool, Query(description="Validate and count, store nothing.")] = False,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    content_type = request.headers.get("content-type")
    file_format = detect_format(content_type)
    # A dry run stores nothing to protect: a job that checks with its key and then sends for real must not
    # find the key taken by its own check.
    if idempotency_key is not None and not dry_run:
        replay = claim.take(idempotency_key, fingerprint(la.code, dataset, dry_run, content_type, upload.sha256),
                            location_of=lambda stored: f"{request.url.path}/{stored}")
        if replay is not None:
            return replay
    status, read = service.submit(
        session, la=la, dataset=dataset, upload=upload, content_type=content_type, file_format=file_format,
        client=client, dry_run=dry_run, limits=ReadLimits.of(request.app.state.settings), claim_id=claim.id)
    access.record(action="dry_run" if dry_run else "submission", dataset=dataset, la_code=la.code,
                  count=read["rows"], key=None if read["id"] is None else str(read["id"]))
    headers = {} if read["id"] is None else {"Location": f"{request.url.path}/{read['id']}"}
    return JSONResponse(read, status_code=status, headers=headers)


def _submissions_query(la_code: str):
    return (select(Submission, ApiClient.name).join(ApiClient, ApiClient.id == Submission.submitted_by_id)
            .where(Submission.la_code == la_code))


@router.get("/local-authorities/{la}/submissions", operation_id="listSubmissions",
            response_model=Page[SubmissionRead], summary="The LA's bulk submissions, newest first")
def list_submissions(la: LaWriter, session: SessionDep, page: PageDep) -> Page[SubmissionRead]:
    rows, total = fetch_page(session, _submissions_query(la.code).order_by(Submission.id.desc()), page)
    files = service.files_of(session, [submission.id for submission, _ in rows])
    return Page(items=[service.submission_read(s, name, files.get(s.id)) for s, name in rows], total=total,
                limit=page.limit, offset=page.offset)


@router.get("/local-authorities/{la}/submissions/{submission_id}", operation_id="getSubmission",
            response_model=SubmissionRead)
def get_submission(la: LaWriter, submission_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
                   session: SessionDep) -> SubmissionRead:
    row = session.execute(_submissions_query(la.code).where(Submission.id == submission_id)).first()
    if row is None:
        raise ApiError(404, f"No submission {submission_id} for LA {la.code}.")
    submission, name = row
    return service.submission_read(submission, name, service.files_of(session, [submission.id]).get(submission.id))
