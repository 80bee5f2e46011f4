"""The one way every pack is built: figures → relations → disclosure → rows (for a suppressed reader of a pack
hidden as published, its tables are decided first)."""

from typing import Any

from sqlalchemy.orm import Session

from app.packs.disclosure import NOTHING_HIDDEN, Hidden, hidden_cells
from app.packs.published import decide_tables, hidden_in_request
from app.packs.request import PackRequest
from app.packs.schemas import AreaRef, PackBase, Source, SuppressionInfo, marks_shown
from app.packs.spec import PackSpec


def build(spec: PackSpec, session: Session, req: PackRequest) -> PackBase:
    req = spec.covers(req)
    applies = spec.suppresses and not req.reader.sees_everything
    if applies and _hidden_as_published(spec):
        # Its tables before its figures: a table another worker is deciding defers the build (`knowledge.Busy`)
        # before the figures are built rather than after, at each retry of a round whose every pack waits so
        # (England's outcomes pack: 0.31 s of CPU on the demo data, idle, every `DEFERRED_WAIT_SECONDS`).
        decide_tables(spec, session, req)
    figures = spec.figures(session, req)
    # Relations matter only to a reader who may not see small numbers; a region's pack has thousands.
    hidden = _hidden(spec, session, req, figures) if applies else NOTHING_HIDDEN
    pack = spec.rows(figures, hidden, header(spec, req, figures.sources, hidden, applies))
    pack = pack if spec.finish is None else spec.finish(spec, session, req, figures, hidden, pack)
    return _marks_counted(pack)


def _marks_counted(pack: PackBase) -> PackBase:
    """The pack with `cells_hidden` its own count of "c" marks, the figure every format states and shows. A pack
    for a reader who sees everything has none: not walked (4.9 ms for the outcomes pack)."""
    if not pack.suppression.applied:
        return pack
    suppression = pack.suppression.model_copy(update={"cells_hidden": marks_shown(pack)})
    return pack.model_copy(update={"suppression": suppression})


def _hidden(spec: PackSpec, session: Session, req: PackRequest, figures: Any) -> Hidden:
    relations = spec.relations(figures, req)
    if spec.hide is not None:
        return spec.hide(spec, session, req, figures, relations)
    if _hidden_as_published(spec):
        return hidden_in_request(spec, session, req, figures.cells, relations)
    return hidden_cells(figures.cells, relations, req.reader)


def _hidden_as_published(spec: PackSpec) -> bool:
    """Whether a suppressed reader's pack hides what its periods' published tables hide, cell for cell."""
    return spec.hide is None and spec.published and spec.period is not None


def header(spec: PackSpec, req: PackRequest, sources: list[Source], hidden: Hidden, applies: bool) -> dict[str, Any]:
    """The fields every pack starts with (`PackBase`)."""
    return {
        "pack": spec.name, "area": AreaRef(code=req.area.code, name=req.area.name, kind=req.area.kind),  # type: ignore[arg-type]
        "from": req.date_from, "to": req.date_to, "range_defaulted": req.range_defaulted,
        "as_of": req.as_of, "generated_at": req.generated_at,
        "suppression": SuppressionInfo(applied=applies, threshold=req.reader.threshold, cells_hidden=0,  # counted once presented
                                       bound_fallback=hidden.fallback),
        # How many child-level records a source holds is a count like any other: only at full disclosure.
        "sources": sources if req.reader.sees_everything else [_without_counts(s) for s in sources],
    }


def _without_counts(source: Source) -> Source:
    return source if source.records is None else source.model_copy(update={"records": None})
