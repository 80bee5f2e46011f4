"""Order outcomes, from child-level orders: discharges, LA plan against the court's order, pre-proceedings,
assessments, current legal status."""

from collections.abc import Iterator
from typing import Any

from app.packs.outcomes import figures, journey_sections, sections
from app.packs.outcomes.schemas import OutcomesPack
from app.packs.render.tables import default_rows
from app.packs.spec import PackSpec, TidyRow


def _tidy_rows(pack: dict[str, Any]) -> Iterator[TidyRow]:
    """The rows most packs have, then time in proceedings by year of final hearing."""
    yield from default_rows(pack)
    for row in pack.get("proceedings_years", []):
        yield "proceedings_years", row["year"], row

def _sections(pack: Any) -> list[Any]:
    return [*sections.sections(pack), *journey_sections.sections(pack)]


SPEC = PackSpec(
    name="outcomes", title="Outcomes of care orders at home", operation_id="getOutcomesPack",
    summary="Order outcomes: discharges, LA plan vs court outcome, pre-proceedings, assessments, current status",
    schema=OutcomesPack, reads=("orders",),
    figures=figures.figures, relations=figures.relations, rows=figures.rows, html_sections=_sections,
    tidy_rows=_tidy_rows, table_titles={"proceedings_years": "Time in proceedings by year of final hearing"},
)
