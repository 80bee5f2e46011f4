"""Children on care orders at home: every LA of the area per snapshot date, the area, regions, England."""

from collections.abc import Iterable, Iterator
from typing import Any

from app.packs.care_orders import benchmark, figures, sections
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
        # A region's pack lists the region's breakdowns twice, as the area and among the regions, as its totals and
        # comparators do: merged into one row, a hidden figure was marked once in the CSV and twice in the JSON.
        for section, roles in (("characteristics", {"area"}), ("comparator_characteristics", {"region", "england"})):
            for row in _by_area(r for r in at["characteristics"] if r["role"] in roles):
                yield section, at["snapshot_date"], row
        for row in at["notes"]:
            yield "notes", at["snapshot_date"], row


def _by_area(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Each area's categories as one row, every figure named `<dimension>.<category>.<measure>`: tables key their
    rows by area and date, so a row per category kept only the last category's figures, and a CSV reader could
    not tell which category a figure was of."""
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        area = merged.setdefault(row["area"], {
            "area": row["area"], "name": row["name"], "las_returned": row["las_returned"],
            "las_expected": row["las_expected"], "suppressed": {}})
        for measure in ("total_at_home", "children_in_dimension", "pct_of_dimension"):
            name = f"{row['dimension']}.{row['category']}.{measure}"
            area[name] = row[measure]
            if measure in row["suppressed"]:
                area["suppressed"][name] = row["suppressed"][measure]
    yield from merged.values()


SPEC = PackSpec(
    name="care-orders-at-home", title="Children on care orders at home", operation_id="getCareOrdersAtHomePack",
    summary="Children on care orders at home: every LA of the area per snapshot date, the area, regions, England",
    schema=CareOrdersPack, reads=("care-order-counts", "care-order-characteristics", "population"), reads_every_la=True,
    figures=figures.figures, relations=figures.relations, rows=figures.rows, html_sections=sections.sections,
    finish=benchmark.finish, tidy_rows=tidy_rows,
    table_titles={"totals": "Area totals", "comparators": "Regions and England", "characteristics": "By characteristics",
                  # Excel allows 31 characters.
                  "comparator_characteristics": "Regions and England by category",
                  "notes": "What the LAs told us"},
)
