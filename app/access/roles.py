from enum import StrEnum


class Role(StrEnum):
    """What an API client is for. Stored as its value on the client row."""

    ADMIN = "admin"      # manages clients, groups and frameworks; sees every figure
    LA = "la"            # returns one LA's data and reads packs, its own figures unsuppressed
    PORTAL = "portal"    # reads packs for one area, small numbers suppressed


class Disclosure(StrEnum):
    """How much of a pack a client may see. Stored as its value on the client row."""

    FULL = "full"              # every figure: admins, and a client an admin grants it (a data-sharing agreement)
    SUPPRESSED = "suppressed"  # small numbers hidden: portals and LA clients by default


def default_disclosure(role: Role) -> Disclosure:
    return Disclosure.FULL if role is Role.ADMIN else Disclosure.SUPPRESSED
