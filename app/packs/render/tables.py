"""Any pack as tables: long rows (area × date × measure) and, from them, wide tables by section."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from app.packs.schemas import PackBase
from app.packs.spec import PackSpec, TidyRow

IDENTITY = ("la", "area", "code", "name")


@dataclass
class Measure:
    section: str        # e.g. "las", "totals", "months"
    period: str         # snapshot date, month, or the pack's from–to
    code: str
    name: str
    measure: str        # dotted path, e.g. "grades.counts.good"
    value: Any
    suppressed: bool


@dataclass
class Table:
    name: str
    title: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    hidden: list[set[str]] = field(default_factory=list)


TITLES = {"las": "Local authorities", "months": "By month", "total": "Area total"}


def default_rows(pack: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """A pack's `las`, `months` and `total`, the rows most packs have; a pack with others says so in its spec."""
    whole = f"{pack['from']} to {pack['to']}"
    for row in pack.get("las", []):
        yield "las", whole, row
    for row in pack.get("months", []):
        yield "months", row["month"], row | {"code": pack["area"]["code"], "name": pack["area"]["name"]}
    if pack.get("total") is not None:
        yield "total", whole, pack["total"]


def tables_apart(rows: Iterable[TidyRow], apart: dict[str, tuple[str, ...]],
                 kept_whole: tuple[str, ...] = ("months",)) -> Iterator[TidyRow]:
    """Rows with the fields of each table in `apart` (its name: the row's fields it holds) taken out into that
    table, one row per LA and area, each field's "c" marks with it: a sheet of a few dozen columns a person can
    read, not one of hundreds. Sections in `kept_whole` stay as they are."""
    rows = list(rows)
    moved = {name for fields in apart.values() for name in fields}
    for section, period, row in rows:
        if section in kept_whole:
            yield section, period, row
            continue
        marks = {k: v for k, v in row.get("suppressed", {}).items() if _field_of(k) not in moved}
        yield section, period, {k: v for k, v in row.items() if k not in moved} | {"suppressed": marks}
    for table, fields in apart.items():
        for section, period, row in rows:
            if section in kept_whole or not any(f in row for f in fields):
                continue
            marks = {k: v for k, v in row.get("suppressed", {}).items() if _field_of(k) in fields}
            yield table, period, {"code": row.get("code") or row.get("la") or row.get("area"), "name": row["name"],
                                  **{f: row[f] for f in fields if f in row}, "suppressed": marks}


def _field_of(mark: str) -> str:
    """The row's field a mark is about: a row may mark a figure inside one of its fields by its dotted path
    (`care_order_at_home_when_planned.supervision_order`), and the mark goes where that field goes."""
    return mark.split(".", 1)[0]


def _flatten(values: dict[str, Any], prefix: str, marks: dict[str, str], path: str) -> Iterator[tuple[str, Any, bool]]:
    own = values.get("suppressed", {}) if isinstance(values.get("suppressed"), dict) else {}
    for key, value in values.items():
        if key == "suppressed" or (not prefix and key in IDENTITY) or key == "month":
            continue
        name = f"{prefix}{key}"
        local = f"{path}{key}"
        if isinstance(value, dict):
            nested_marks = own if own else marks
            yield from _flatten(value, f"{name}.", nested_marks, f"{local}." if not own else f"{key}.")
        elif isinstance(value, list):
            yield name, ", ".join(map(str, value)), False
        else:
            yield name, value, key in own or local in marks


def measures(spec: PackSpec, pack: PackBase) -> list[Measure]:
    data = pack.model_dump(mode="json", by_alias=True)
    result = []
    for section, period, row in (spec.tidy_rows or default_rows)(data):
        code = row.get("la") or row.get("area") or row.get("code") or ""
        for measure, value, hidden in _flatten(row, "", {}, ""):
            result.append(Measure(section, period, code, row.get("name", ""), measure, value, hidden))
    return result


def tables(spec: PackSpec, pack: PackBase) -> list[Table]:
    by_section: dict[str, Table] = {}
    index: dict[tuple[str, str, str], int] = {}
    titles = TITLES | spec.table_titles
    for m in measures(spec, pack):
        table = by_section.setdefault(m.section, Table(m.section, titles.get(m.section, m.section),
                                                       ["period", "code", "name"]))
        if m.measure not in table.columns:
            table.columns.append(m.measure)
        row_key = (m.section, m.period, m.code)
        if row_key not in index:
            index[row_key] = len(table.rows)
            table.rows.append([m.period, m.code, m.name])
            table.hidden.append(set())
        row = table.rows[index[row_key]]
        position = table.columns.index(m.measure)
        row.extend([None] * (position + 1 - len(row)))
        row[position] = m.value
        if m.suppressed:
            table.hidden[index[row_key]].add(m.measure)
    for table in by_section.values():
        for row in table.rows:
            row.extend([None] * (len(table.columns) - len(row)))
    return list(by_section.values())
