"""Entity tags in conditional requests (If-Match, If-None-Match), read one way everywhere."""

from typing import Annotated, Any

from fastapi import Header

IfMatch = Annotated[str | None, Header(description="ETag of the version this revision replaces; 412 if stale.")]
IfNoneMatch = Annotated[str | None, Header(description="ETag the client holds; 304 if still current.")]
# Declared on every response that carries one, so a generated client can read it back for If-Match.
ETAG_HEADER: dict[str, Any] = {"ETag": {"description": "The version's entity tag, quoted.", "schema": {"type": "string"}}}


def etag_matches(header_value: str | None, etag: str) -> bool:
    """Whether a conditional header (a comma-separated list of quoted tags) names `etag`; no header: no.
    `*` matches any tag; a weak tag (`W/"..."`) compares by its value, as If-None-Match's weak comparison does."""
    if header_value is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header_value.split(",")}
    return "*" in tags or f'"{etag}"' in tags
