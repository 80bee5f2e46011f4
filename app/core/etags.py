"""Entity tags in conditional requests (If-Match, If-None-Match), read one way everywhere."""


def etag_matches(header_value: str | None, etag: str) -> bool:
    """Whether a conditional header (a comma-separated list of quoted tags) names `etag`; no header: no.
    `*` matches any tag; a weak tag (`W/"..."`) compares by its value, as If-None-Match's weak comparison does."""
    if header_value is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header_value.split(",")}
    return "*" in tags or f'"{etag}"' in tags
