"""Order outcomes, from child-level orders: discharges, LA plan against the court's order, pre-proceedings,
assessments, current legal status."""

from app.packs.outcomes import figures, sections
from app.packs.outcomes.schemas import OutcomesPack
from app.packs.spec import PackSpec

SPEC = PackSpec(
    name="outcomes", title="Outcomes of care orders at home", operation_id="getOutcomesPack",
    summary="Order outcomes: discharges, LA plan vs court outcome, pre-proceedings, assessments, current status",
    schema=OutcomesPack, reads=("orders",),
    figures=figures.figures, relations=figures.relations, rows=figures.rows, html_sections=sections.sections,
)
