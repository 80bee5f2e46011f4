"""Order outcomes, from child-level orders: discharges, LA plan against the court's order, pre-proceedings,
assessments, current legal status."""

from typing import Any

from app.packs.outcomes import figures, journey_sections, sections
from app.packs.outcomes.schemas import OutcomesPack
from app.packs.outcomes.tidy import TABLE_TITLES, tidy_rows
from app.packs.spec import PackSpec


def _sections(pack: Any) -> list[Any]:
    return [*sections.sections(pack), *journey_sections.sections(pack)]


SPEC = PackSpec(
    name="outcomes", title="Outcomes of care orders at home", operation_id="getOutcomesPack",
    summary="Order outcomes: discharges, LA plan vs court outcome, pre-proceedings, assessments, current status",
    schema=OutcomesPack, reads=("orders",),
    figures=figures.figures, relations=figures.relations, rows=figures.rows, html_sections=_sections,
    tidy_rows=tidy_rows, table_titles=TABLE_TITLES, la_rows_alike=True,
)
