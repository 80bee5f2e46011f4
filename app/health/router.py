from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy import text

from app.core.errors import ApiError, problem_doc
from app.core.migrations import current_revision

router = APIRouter(tags=["Health"])


class Health(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})

    status: str


class Readiness(Health):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ready", "revision": "0001"}]})

    revision: str


@router.get("/healthz", operation_id="healthz", response_model=Health, summary="The process is up")
def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", operation_id="readyz", response_model=Readiness,
            summary="The database answers and its schema is at the latest migration",
            responses={503: problem_doc("Not ready: database down or not at the latest migration.")})
def readyz(request: Request) -> JSONResponse:
    engine = request.app.state.engine
    head = request.app.state.migration_head
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        revision = current_revision(engine)
    except Exception:  # any failure to reach the database means "not ready"
        raise ApiError(503, "The database is not answering.", headers={"Retry-After": "5"}) from None
    if revision != head:
        raise ApiError(503, f"The database is at migration {revision or 'none'}, not {head}; run `datapack migrate`.",
                       headers={"Retry-After": "5"})
    return JSONResponse(Readiness(status="ready", revision=revision).model_dump())
