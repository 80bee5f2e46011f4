"""Issuing and revoking API keys: used by the CLI and by the admin API alike."""

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.access.roles import Role, default_disclosure
from app.clients.models import ApiClient
from app.clients.schemas import ClientCreate, ClientRead
from app.core.auth import generate_key, hash_key
from app.core.db import utcnow
from app.core.errors import ApiError, FieldError, validation_failed
from app.reference.models import Area, LocalAuthority

# Built once: every request runs it.
_LIVE_CLIENT_BY_KEY = select(ApiClient).where(ApiClient.key_hash == bindparam("key_hash"), ApiClient.revoked_at.is_(None))


def find_client(session: Session, key: str, secret: str) -> ApiClient | None:
    """The live client holding this key, if any."""
    return session.scalar(_LIVE_CLIENT_BY_KEY, {"key_hash": hash_key(key, secret)})


def create_client(session: Session, request: ClientCreate, secret: str) -> tuple[ApiClient, str]:
    """Returns the client and its key; the key is not kept and cannot be shown again."""
    unknown = [FieldError(loc=["body", name], row=None, field=name, message=f"no {what} with code {code!r}")
               for name, what, code, model in (("la", "local authority", request.la, LocalAuthority),
                                               ("area", "area", request.area, Area))
               if code is not None and session.get(model, code) is None]
    if unknown:
        raise validation_failed(unknown)
    if session.scalar(select(ApiClient.id).where(ApiClient.name == request.name)) is not None:
        raise ApiError(409, f"A client named {request.name!r} already exists.")
    key = generate_key()
    disclosure = request.disclosure or default_disclosure(Role(request.role))
    client = ApiClient(name=request.name, role=request.role, la_code=request.la, area_code=request.area,
                       disclosure=disclosure,
                       key_hash=hash_key(key, secret), key_prefix=key[:10], created_at=utcnow(), revoked_at=None)
    session.add(client)
    session.flush()
    return client, key


def revoke_client(session: Session, client_id: int) -> ApiClient:
    client = session.get(ApiClient, client_id)
    if client is None:
        raise ApiError(404, f"No client with id {client_id}.")
    if client.revoked_at is None:
        client.revoked_at = utcnow()
        session.flush()
    return client


def client_read(client: ApiClient) -> ClientRead:
    return ClientRead(id=client.id, name=client.name, role=client.role,
                      la=client.la_code, area=client.area_code, disclosure=client.disclosure, key_prefix=client.key_prefix,
                      created_at=client.created_at, revoked_at=client.revoked_at)
