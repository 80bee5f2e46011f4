"""Children on care orders at home: every LA of the area per snapshot date, the area, regions, England."""

from collections.abc import Iterator
from typing import Any

from app.packs.care_orders import figures, sections
from app.packs.care_orders.schemas import CareOrdersPack
from app.packs.spec import PackSpec, TidyRow


def tidy_rows(pack: dict[str, Any]) -> Iterator[TidyRow]:
    for at in pack["dates"]:
        for row in at["las"]:
            yield "las", at["snapshot_date"], row
        if at["total"] is not None:
            yield "totals", at["snapshot_date"], at["total"]
        for row in at["comparators"]:
            yield "comparators", at["snapshot_date"], row
        for row in at["characteristics"]:
            yield "characteristics", at["snapshot_date"], row


SPEC = PackSpec(
    name="care-orders-at-home", title="Children on care orders at home", operation_id="getCareOrdersAtHomePack",
    summary="Children on care orders at home: every LA of the area per snapshot date, the area, regions, England",
    schema=CareOrdersPack, reads=("care-order-counts", "care-order-characteristics", "population"), reads_every_la=True,
    figures=figures.figures, relations=figures.relations, rows=figures.rows, html_sections=sections.sections,
    tidy_rows=tidy_rows, table_titles={"totals": "Area totals", "comparators": "Regions and England",
                  "characteristics": "By characteristics"},
)
