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
            summary="The database answers, its schema is at the latest migration and the packs' tables are published",
            responses={503: problem_doc("Not ready: database down, not at the latest migration, the tables behind "
                                        "portals' default packs still being published after a start, or the server "
                                        "stopping.")})
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
    if request.app.state.publications.asked_to_stop():  # draining the requests under way: send no more
        raise ApiError(503, "The server is stopping.", headers={"Retry-After": "5"})
    if not request.app.state.publications.started():
        raise ApiError(503, "Publishing the packs' tables for the returns as they stand; every route answers "
                            "meanwhile, portals' first pack reads slowly.", headers={"Retry-After": "5"})
    return JSONResponse(Readiness(status="ready", revision=revision).model_dump())
