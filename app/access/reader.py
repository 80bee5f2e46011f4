"""The reader of a pack: the one object packs and routes ask what a client may see."""

from dataclasses import dataclass, field

from app.access.roles import Disclosure, Role, default_disclosure


@dataclass(frozen=True)
class Reader:
    role: Role
    la_code: str | None      # the LA an `la` client acts for
    area_code: str | None    # the area a portal is bound to
    threshold: int           # counts from 1 to this are hidden from a reader subject to suppression
    disclosure: Disclosure = field(default=None)  # type: ignore[assignment]  # None: the role's default

    def __post_init__(self) -> None:
        if self.disclosure is None:
            object.__setattr__(self, "disclosure", default_disclosure(self.role))

    @classmethod
    def of(cls, client: object, threshold: int) -> "Reader":
        """From an API client (anything with role, la_code, area_code and disclosure)."""
        return cls(Role(client.role), client.la_code, client.area_code, threshold,  # type: ignore[attr-defined]
                   Disclosure(client.disclosure))  # type: ignore[attr-defined]

    @property
    def sees_everything(self) -> bool:
        """No figure is hidden from this reader: an admin, or a client granted full disclosure."""
        return self.disclosure is Disclosure.FULL

    @property
    def reads_are_logged(self) -> bool:
        """Every pack a non-admin reads at full disclosure is in the access log, as the agreement requires."""
        return self.sees_everything and self.role is not Role.ADMIN

    def protects(self, la_code: str | None, area_la_codes: tuple[str, ...] | None = None) -> bool:
        """Whether a figure about one LA (`la_code`), or an aggregate over `area_la_codes` (la_code None), is
        hidden from this reader when small. An LA client sees its own figures, and aggregates made of them alone."""
        if self.sees_everything:
            return False
        if self.role is Role.LA:
            if la_code is not None:
                return la_code != self.la_code
            return area_la_codes is None or area_la_codes != (self.la_code,)
        return True

    def protects_figure(self, about: str | tuple[str, ...]) -> bool:
        """`protects` for whom a figure is about (`app.packs.cells.About`): one LA's code, or an aggregate's LAs."""
        return self.protects(about) if isinstance(about, str) else self.protects(None, about)
