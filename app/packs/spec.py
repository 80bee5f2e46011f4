"""`PackSpec`: everything the service needs to know of a pack, as `DatasetSpec` is for datasets.

A pack is built by one pipeline (`app/packs/pipeline.py`): its query is parsed into a `PackRequest`,
`figures` reads the returns and computes every count into typed cells, `relations` declares which
cells add up to which and which are computed from which, disclosure decides the hidden cells from
those alone, and `rows` presents the figures with the hidden ones nulled and marked. Routes, ETags,
the 304 path and the CSV/XLSX/HTML renderers are all generated from the spec.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.orm import Session

from app.packs.cells import Figures, Relations
from app.packs.disclosure import Hidden
from app.packs.periods import Unit
from app.packs.request import PackQuery, PackRequest, area_and_range
from app.packs.schemas import PackBase, Source

# Every dataset a pack can read; the ETag of a pack reading one changes with each write to it.
ALL_DATASETS = ("care-order-counts", "care-order-characteristics", "orders", "audits", "audit-programme", "population")
# One row of the tidy table: (section, period, the row's fields as JSON).
TidyRow = tuple[str, str, dict[str, Any]]


class PackFigures(Protocol):
    """What a pack's `figures` step returns: its own typed figures, plus these two."""

    cells: Figures
    sources: list[Source]


@dataclass(frozen=True)
class PackSpec:
    name: str                                   # the path: /api/v1/packs/{name}
    title: str                                  # the HTML page's title
    summary: str                                # the operation's summary in OpenAPI
    operation_id: str
    schema: type[PackBase]                      # the JSON response
    reads: tuple[str, ...]                      # datasets whose writes change the pack
    figures: Callable[[Session, PackRequest], PackFigures]
    relations: Callable[[Any, PackRequest], Relations]
    rows: Callable[[Any, Hidden, dict[str, Any]], PackBase]
    html_sections: Callable[[Any], list[Any]]   # PackBase -> [render.page.Section]
    # Whether the pack reads beyond its area's LAs (comparator regions and England).
    reads_every_la: bool = False
    # The range the pack actually covers, from the one asked for (audits: whole months).
    covers: Callable[[PackRequest], PackRequest] = lambda req: req
    # A dependency parsing the pack's query parameters (FastAPI declares them from its signature).
    query: Callable[..., PackQuery] = area_and_range
    # The pack's rows for CSV and the XLSX sheets; None: its `las`, `months` and `total`.
    tidy_rows: Callable[[dict[str, Any]], Iterator[TidyRow]] | None = None
    table_titles: dict[str, str] = field(default_factory=dict)
    # The whole periods a suppressed reader's pack covers (None: any range, for a pack that hides nothing).
    period: Unit | None = "financial_year"
    # False for a pack that counts no children (only which returns exist): nothing to suppress.
    suppresses: bool = True
    # Whether a suppressed reader's hidden cells come from the published tables of whole periods
    # (`app/packs/published.py`); False: decided per request.
    published: bool = True
    # Whether an LA's row (its cells, and what relates them alone) is the same in every area's pack of a period:
    # a published table then merges each LA's row once (`PackRequest.las_declared`). Not audits: an LA's row takes
    # the columns its area's audits graded.
    la_rows_alike: bool = False
    # How a published pack maps its cells to published tables, where not cell for cell (compare's sums of years).
    hide: Callable[["PackSpec", Session, PackRequest, Any, Relations], Hidden] | None = None
    # Reference data an admin may change that the pack shows (audits: the frameworks' domains), as a value
    # that changes whenever it does: part of the pack's ETag and of its published tables' data state.
    reference_state: Callable[[Session], list[Any]] | None = None
    # After the rows: what needs the reader's hidden cells and the database both (an LA's rank among England's
    # figures shown to that reader, `app/packs/benchmark.py`). Never run when a published table is decided.
    finish: Callable[["PackSpec", Session, PackRequest, Any, Hidden, PackBase], PackBase] | None = None
