from typing import Annotated

from fastapi import APIRouter, Path, Request
from sqlalchemy import select

from app.access.dependencies import AdminClient
from app.clients import service
from app.clients.models import ApiClient
from app.clients.schemas import ClientCreate, ClientCreated, ClientRead
from app.core.db import SessionDep
from app.core.errors import problems
from app.core.pagination import Page, PageDep, fetch_page

router = APIRouter(prefix="/clients", tags=["API clients"])

ClientId = Annotated[int, Path(ge=1, le=2_147_483_647)]


@router.get("", operation_id="listClients", response_model=Page[ClientRead], summary="API clients (admin)")
def list_clients(session: SessionDep, _: AdminClient, page: PageDep) -> Page[ClientRead]:
    rows, total = fetch_page(session, select(ApiClient).order_by(ApiClient.id), page)
    return Page(items=[service.client_read(c) for (c,) in rows], total=total, limit=page.limit, offset=page.offset)


@router.post("", operation_id="createClient", response_model=ClientCreated, status_code=201,
             summary="Issue an API client and key (admin); the key is shown only in this response",
             responses=problems(409))
def create_client(body: ClientCreate, session: SessionDep, _: AdminClient, request: Request) -> ClientCreated:
    client, key = service.create_client(session, body, request.app.state.settings.secret_key.get_secret_value())
    return ClientCreated(**service.client_read(client).model_dump(), api_key=key)


@router.delete("/{client_id}", operation_id="revokeClient", response_model=ClientRead,
               summary="Revoke a client's key (admin); its history stays attributed to it")
def revoke_client(client_id: ClientId, session: SessionDep, _: AdminClient) -> ClientRead:
    return service.client_read(service.revoke_client(session, client_id))
