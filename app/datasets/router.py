from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from app.access.dependencies import CurrentClient
from app.access.roles import Role
from app.core.db import SessionDep
from app.core.errors import ApiError
from app.core.pagination import Page, PageDep
from app.datasets.schemas import DatasetRead
from app.datasets.service import describe, returnable_by
from app.datasets.templates import csv_template, xlsx_template
from app.records.spec import DatasetSpec
from app.submissions.parsing import XLSX_TYPE
from app.submissions.service import DATASETS

router = APIRouter(prefix="/datasets", tags=["Datasets"])


def _base_path(request: Request) -> str:
    return request.url.path.split("/datasets", 1)[0] + "/datasets"


def returnable_dataset(dataset: Annotated[str, Path(max_length=64, examples=["orders"])],
                       client: CurrentClient) -> DatasetSpec:
    if client.role == Role.PORTAL:
        raise ApiError(403, "A portal client reads packs only; it returns no datasets.")
    spec = DATASETS.get(dataset)
    if spec is None:
        raise ApiError(404, f"No dataset {dataset!r}; the datasets are: {', '.join(DATASETS)}.")
    return spec


ReturnableDataset = Annotated[DatasetSpec, Depends(returnable_dataset)]


@router.get("", operation_id="listDatasets", response_model=Page[DatasetRead],
            summary="Every dataset this client may return (none for a portal): its columns, what each may hold, "
                    "and its rules")
def list_datasets(client: CurrentClient, session: SessionDep, request: Request, page: PageDep) -> Page[DatasetRead]:
    specs = returnable_by(client)
    shown = specs[page.offset:page.offset + page.limit]
    return Page(items=[describe(session, spec, _base_path(request)) for spec in shown], total=len(specs),
                limit=page.limit, offset=page.offset)


@router.get("/{dataset}", operation_id="getDataset", response_model=DatasetRead,
            summary="One dataset's columns, what each may hold, and its rules")
def get_dataset(spec: ReturnableDataset, session: SessionDep, request: Request) -> DatasetRead:
    return describe(session, spec, _base_path(request))


@router.get(
    "/{dataset}/template", operation_id="getDatasetTemplate", response_class=Response,
    summary="A file to fill in and submit: the header row; in XLSX also drop-downs, checks and guidance",
    responses={200: {"description": "The template.",
                     "content": {"text/csv": {"schema": {"type": "string"}},
                                 XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}}}},
)
def get_template(spec: ReturnableDataset, session: SessionDep, request: Request,
                 format: Annotated[Literal["csv", "xlsx"], Query(description="The file's format.")] = "csv") -> Response:
    dataset = describe(session, spec, _base_path(request))
    body, media = (csv_template(dataset), "text/csv; charset=utf-8") if format == "csv" else (xlsx_template(dataset), XLSX_TYPE)
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{spec.name}-template.{format}"'})
