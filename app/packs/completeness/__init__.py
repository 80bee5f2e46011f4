"""Which LA has not returned which dataset, snapshot date, month or item in the range."""

from app.packs.completeness import figures, sections
from app.packs.completeness.schemas import CompletenessPack
from app.packs.spec import ALL_DATASETS, PackSpec

SPEC = PackSpec(
    name="completeness", title="What has not been returned", operation_id="getCompletenessPack",
    summary="Which LA has not returned which dataset, snapshot date, month or item in the range",
    period=None, schema=CompletenessPack, reads=ALL_DATASETS, suppresses=False,
    figures=figures.figures, relations=figures.relations, rows=figures.rows, html_sections=sections.sections,
)
