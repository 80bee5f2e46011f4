"""Bearer-key authentication and the role/scope dependencies every route is built from."""

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.clients.models import ApiClient
from app.core.db import SessionDep
from app.core.errors import ApiError
from app.reference.models import LocalAuthority
from app.reference.service import get_la

KEY_PREFIX = "dpk_"
LA_CODE_PATTERN = r"^[0-9]{3}$"

_bearer = HTTPBearer(auto_error=False, description="API key issued by `datapack clients create`.")


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str, secret: str) -> str:
    # A keyed hash: a copy of the database alone is not enough to check a guessed key.
    return hmac.new(secret.encode("utf-8"), key.encode("utf-8"), hashlib.sha256).hexdigest()


def key_secret(request: Request) -> str:
    return request.app.state.settings.secret_key.get_secret_value()


def _unauthorised(detail: str, error: str | None = None) -> ApiError:
    challenge = "Bearer" if error is None else f'Bearer error="{error}"'
    return ApiError(401, detail, headers={"WWW-Authenticate": challenge})


# Built once: every request runs it.
_LIVE_CLIENT_BY_KEY = select(ApiClient).where(ApiClient.key_hash == bindparam("key_hash"), ApiClient.revoked_at.is_(None))


def find_client(session: Session, key: str, secret: str) -> ApiClient | None:
    """The live client holding this key, if any."""
    return session.scalar(_LIVE_CLIENT_BY_KEY, {"key_hash": hash_key(key, secret)})


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


def require_admin(client: CurrentClient) -> ApiClient:
    if client.role != "admin":
        raise ApiError(403, "Only an admin client may do this.")
    return client


AdminClient = Annotated[ApiClient, Depends(require_admin)]

LaCodePath = Annotated[str, Path(pattern=LA_CODE_PATTERN, description="DfE three-digit LA code.",
                                 examples=["341"])]


def la_in_scope(la: LaCodePath, client: CurrentClient, session: SessionDep) -> LocalAuthority:
    """An LA's aggregate returns: its own `la` client and admins; 403 for anyone else."""
    if client.role == "portal":
        raise ApiError(403, "A portal client reads packs only.")
    if client.role == "la" and client.la_code != la:
        raise ApiError(403, f"This client acts for LA {client.la_code}, not {la}.")
    return get_la(session, la)


def child_level_la(la: LaCodePath, client: CurrentClient, session: SessionDep) -> LocalAuthority:
    """Child-level records: another LA's are reported as absent, so not even their existence leaks."""
    if client.role == "portal":
        raise ApiError(403, "A portal client reads packs only.")
    if client.role == "la" and client.la_code != la:
        raise ApiError(404, "No such record.")
    return get_la(session, la)


LaWriter = Annotated[LocalAuthority, Depends(la_in_scope)]
ChildLevelLa = Annotated[LocalAuthority, Depends(child_level_la)]
