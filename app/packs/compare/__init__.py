"""One measure over two periods (e.g. five years before and after the PLO) and the change between them."""

from app.packs.compare import figures, hidden, sections
from app.packs.compare.query import compare_query
from app.packs.compare.schemas import ComparePack
from app.packs.spec import ALL_DATASETS, PackSpec

SPEC = PackSpec(
    name="compare", title="Before and after", operation_id="getComparePack",
    summary="One measure summed over two periods (e.g. five years before and after the PLO) and the change",
    schema=ComparePack, reads=ALL_DATASETS, query=compare_query,
    figures=figures.figures, relations=figures.relations, rows=figures.rows, html_sections=sections.sections,
    hide=hidden.decide,
)
