"""The dependencies every route is built from: who is asking (a bearer key), and whether their role
and scope let them touch the LA in the path."""

from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.access.reader import Reader
from app.access.roles import Role
from app.clients.models import ApiClient
from app.clients.service import find_client
from app.core.auth import key_secret
from app.core.db import SessionDep
from app.core.errors import ApiError
from app.reference.models import LocalAuthority
from app.reference.schemas import LA_CODE_PATTERN
from app.reference.service import get_la

_bearer = HTTPBearer(auto_error=False, description="API key issued by `datapack clients create`.")


def _unauthorised(detail: str, error: str | None = None) -> ApiError:
    challenge = "Bearer" if error is None else f'Bearer error="{error}"'
    return ApiError(401, detail, headers={"WWW-Authenticate": challenge})


def get_current_client(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiClient:
    if credentials is None:
        raise _unauthorised("Send an API key as `Authorization: Bearer <key>`.")
    client = find_client(session, credentials.credentials, key_secret(request))
    if client is None:
        raise _unauthorised("The API key is unknown or has been revoked.", "invalid_token")
    request.state.client_id = client.id
    request.state.client_name = client.name
    wait = request.app.state.rate_limiter.retry_after(client.id)
    if wait is not None:
        raise ApiError(429, f"More than {request.app.state.settings.rate_limit_per_minute} requests "
                       "in a minute from this client.", headers={"Retry-After": str(wait)})
    return client


CurrentClient = Annotated[ApiClient, Depends(get_current_client)]


def current_reader(request: Request, client: CurrentClient) -> Reader:
    """What the client may see of a pack: its scope, and the suppression threshold it is held to."""
    return Reader.of(client, request.app.state.settings.suppression_threshold)


CurrentReader = Annotated[Reader, Depends(current_reader)]


def require_admin(client: CurrentClient) -> ApiClient:
    if client.role != Role.ADMIN:
        raise ApiError(403, "Only an admin client may do this.")
    return client


AdminClient = Annotated[ApiClient, Depends(require_admin)]

LaCodePath = Annotated[str, Path(pattern=LA_CODE_PATTERN, description="DfE three-digit LA code.",
                                 examples=["341"])]


def la_in_scope(la: LaCodePath, client: CurrentClient, session: SessionDep) -> LocalAuthority:
    """An LA's aggregate returns: its own `la` client and admins; 403 for anyone else."""
    if client.role == Role.PORTAL:
        raise ApiError(403, "A portal client reads packs only.")
    if client.role == Role.LA and client.la_code != la:
        raise ApiError(403, f"This client acts for LA {client.la_code}, not {la}.")
    return get_la(session, la)


def child_level_la(la: LaCodePath, client: CurrentClient, session: SessionDep) -> LocalAuthority:
    """Child-level records: another LA's are reported as absent, so not even their existence leaks."""
    if client.role == Role.PORTAL:
        raise ApiError(403, "A portal client reads packs only.")
    if client.role == Role.LA and client.la_code != la:
        raise ApiError(404, "No such record.")
    return get_la(session, la)


LaWriter = Annotated[LocalAuthority, Depends(la_in_scope)]
ChildLevelLa = Annotated[LocalAuthority, Depends(child_level_la)]
