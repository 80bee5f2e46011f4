"""Pieces every pack builder shares: its header, its sources, and turning cells into output."""

import hashlib
from collections.abc import Hashable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.packs.disclosure import Disclosure
from app.packs.schemas import AreaRef, PackBase, Source, SuppressionInfo
from app.packs.scope import PackRequest
from app.records.state import in_force

PackT = TypeVar("PackT", bound=PackBase)


def header(req: PackRequest, pack: str, disclosure: Disclosure, hidden: set[Hashable],
           sources: list[Source]) -> dict[str, Any]:
    """The pack's self-description; `cells_hidden` is filled in by `counted` once the pack is built."""
    del disclosure, hidden
    return {
        "pack": pack, "area": AreaRef(code=req.area.code, name=req.area.name, kind=req.area.kind),  # type: ignore[arg-type]
        "from": req.date_from, "to": req.date_to, "as_of": req.as_of, "generated_at": req.generated_at,
        "suppression": SuppressionInfo(applied=req.viewer.role != "admin", threshold=req.viewer.threshold,
                                       cells_hidden=0),
        "sources": sources,
    }


def new_disclosure(req: PackRequest) -> Disclosure:
    return Disclosure(threshold=req.viewer.threshold, enabled=req.viewer.role != "admin")


def cells(values: dict[str, Any], prefix: tuple[Hashable, ...], hidden: set[Hashable]) -> dict[str, Any]:
    """A row's fields with hidden ones nulled, and its `suppressed` marks."""
    row = dict(values)
    marks = {}
    for name in values:
        if (*prefix, name) in hidden:
            row[name] = None
            marks[name] = "c"
    row["suppressed"] = marks
    return row


def keyed_sources(session: Session, model: Any, dataset: str, key_field: str, la_codes: Iterable[str] | None,
                  as_of: datetime | None, *conditions: Any) -> list[Source]:
    """One source per (LA, key, version) of an aggregate dataset (la_codes None: every LA)."""
    key = getattr(model, key_field)
    statement = select(model.la_code, key, model.version).where(in_force(model, as_of), *conditions)
    if la_codes is not None:
        statement = statement.where(model.la_code.in_(list(la_codes)))
    rows = session.execute(statement.order_by(model.la_code, key))
    # Validated, not model_construct: pydantic-core validates these four fields in half the time
    # model_construct takes in Python, and a pack may list thousands.
    return [Source(la=la, dataset=dataset, key=str(k), version=v) for la, k, v in rows]


def summarised_sources(session: Session, model: Any, dataset: str, key_field: str, la_codes: Iterable[str],
                       as_of: datetime | None, *conditions: Any) -> list[Source]:
    """Child-level datasets: per LA a count and a digest of (key, version), never the keys themselves."""
    key = getattr(model, key_field)
    rows = session.execute(select(model.la_code, key, model.version, model.submitted_at)
                           .where(model.la_code.in_(list(la_codes)), in_force(model, as_of), *conditions)
                           .order_by(model.la_code, key))
    per_la: dict[str, tuple[Any, int, datetime]] = {}
    for la, k, version, submitted_at in rows:
        digest, count, last = per_la.get(la, (hashlib.sha256(), 0, submitted_at))
        digest.update(f"{k}\t{version}\n".encode())
        per_la[la] = (digest, count + 1, max(last, submitted_at))
    return [Source(la=la, dataset=dataset, records=count, digest="sha256:" + digest.hexdigest(), last_submitted_at=last)
            for la, (digest, count, last) in per_la.items()]


def count_of(model: Any) -> Any:
    return func.count(model.id)


def counted(pack: PackT) -> PackT:
    """Set `cells_hidden` to the figures the reader sees as "c" (not cells used only for protection)."""
    from app.packs.render.tables import measures

    if not pack.suppression.applied:
        return pack  # nothing is hidden from an admin, and flattening a large pack to count that costs more than its figures
    pack.suppression.cells_hidden = sum(1 for m in measures(pack) if m.suppressed)
    return pack
