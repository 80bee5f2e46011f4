"""Reference data shipped with the service: vendored LA and region lists, and two frameworks."""

import csv
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
ENGLAND_CODE = "E92000001"


@dataclass(frozen=True)
class ShippedLa:
    code: str
    ons_code: str
    name: str
    region_code: str
    operational_from: date
    operational_to: date | None


def _uk_date(text: str) -> date | None:
    return datetime.strptime(text, "%d/%m/%Y").date() if text else None


@lru_cache
def shipped_regions() -> dict[str, str]:
    with (DATA_DIR / "regions.csv").open(encoding="utf-8") as handle:
        # E13 London sub-regions have no LA membership in las.csv, so they are not areas here.
        return {row["region_code"]: row["region_name"] for row in csv.DictReader(handle)
                if row["region_code"].startswith("E12")}


@lru_cache
def shipped_las() -> tuple[ShippedLa, ...]:
    by_code: dict[str, list[dict[str, str]]] = {}
    with (DATA_DIR / "las.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["old_la_code"]
            if not code.isdigit() or " / " in row["new_la_code"] or not row["parent_geography_code"]:
                continue
            by_code.setdefault(code, []).append(row)
    return tuple(_merge(code, rows) for code, rows in sorted(by_code.items()))


def _merge(code: str, rows: list[dict[str, str]]) -> ShippedLa:
    """Rows sharing a DfE code are one LA whose ONS code changed: span all of them."""
    rows.sort(key=lambda r: _uk_date(r["date_of_operation"]) or date.min)
    latest = rows[-1]
    ends = [_uk_date(r["date_of_termination"]) for r in rows]
    return ShippedLa(
        code=code,
        ons_code=latest["new_la_code"],
        name=latest["la_name"],
        region_code=latest["parent_geography_code"],
        operational_from=min(_uk_date(r["date_of_operation"]) or date.min for r in rows),
        operational_to=None if None in ends else max(e for e in ends if e is not None),
    )


NW_ADCS_2017_DOMAINS = (
    ("response_to_risk", "Response to risk"),
    ("child_centred", "Is the work child-centred"),
    ("management_oversight", "Management oversight and decision making"),
    ("assessments", "Assessments"),
    ("coordination_of_agencies", "Co-ordination of agencies"),
    ("plans", "Plans"),
    ("effectiveness_of_reviews", "Effectiveness of reviews"),
    ("quality_of_placement", "Quality of placement"),
    ("impact_on_children", "Impact on children and young people"),
)

SHIPPED_FRAMEWORKS = {
    "nw-adcs-2017": ("North West ADCS regional thematic audit 2017", NW_ADCS_2017_DOMAINS),
    "overall-only": ("Overall grade only", ()),
}
DEFAULT_FRAMEWORK = "nw-adcs-2017"
