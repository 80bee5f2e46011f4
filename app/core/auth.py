"""API keys: how they are made and how they are kept. Who holds a key, and what it lets them do, is
`app.access`."""

import hashlib
import hmac
import secrets

from fastapi import Request

KEY_PREFIX = "dpk_"


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str, secret: str) -> str:
    # A keyed hash: a copy of the database alone is not enough to check a guessed key.
    return hmac.new(secret.encode("utf-8"), key.encode("utf-8"), hashlib.sha256).hexdigest()


def key_secret(request: Request) -> str:
    return request.app.state.settings.secret_key.get_secret_value()
