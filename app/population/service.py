from datetime import date
from typing import Any

from app.population.models import PopulationEstimate
from app.population.schemas import PopulationCreate, PopulationRead, PopulationRecord
from app.records.spec import DatasetSpec, RuleContext, RuleProblem


def rules(year: int | None, record: PopulationCreate, ctx: RuleContext) -> list[RuleProblem]:
    if year is None:
        return []
    if year > ctx.today.year:
        return [(("year",), f"{year} is in the future")]
    if not ctx.la.operational_during(date(year, 1, 1), date(year, 12, 31)):
        return [(("year",), f"{ctx.la.name} ({ctx.la.code}) was not a local authority in {year}")]
    return []


def to_columns(record: PopulationCreate) -> dict[str, Any]:
    return record.model_dump()


def to_payload(row: PopulationEstimate) -> dict[str, Any]:
    return {"children_0_17": row.children_0_17}


SPEC = DatasetSpec(
    name="population", title="Population", model=PopulationEstimate, key_fields=("year",),
    create_schema=PopulationCreate, record_schema=PopulationRecord, read_schema=PopulationRead,
    to_columns=to_columns, to_payload=to_payload, rules=rules,
)
