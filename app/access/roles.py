from enum import StrEnum


class Role(StrEnum):
    """What an API client is for. Stored as its value on the client row."""

    ADMIN = "admin"      # manages clients, groups and frameworks; sees every figure
    LA = "la"            # returns one LA's data and reads packs, its own figures unsuppressed
    PORTAL = "portal"    # reads packs for one area, small numbers suppressed
