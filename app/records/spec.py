"""What the shared record machinery needs to know about one returned dataset."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, tuple_
from sqlalchemy.orm import Session

from app.reference.models import LocalAuthority
from app.reference.service import framework_domain_codes

# A rule's finding: the field path inside the record, and a message a user can act on.
RuleProblem = tuple[tuple[str, ...], str]


@dataclass
class RuleContext:
    """What rules may consult beyond the record itself; lookups are cached per request."""

    session: Session
    la: LocalAuthority
    today: date
    _frameworks: dict[str, frozenset[str] | None] = field(default_factory=dict)
    _operational: dict[date, bool] = field(default_factory=dict)
    _remembered: dict[str, Any] = field(default_factory=dict)

    def la_operational_on(self, day: date) -> bool:
        # A bulk return repeats the same few hundred dates across many thousand rows.
        if day not in self._operational:
            self._operational[day] = self.la.operational_on(day)
        return self._operational[day]

    def remembered(self, name: str, load: Callable[[], Any]) -> Any:
        """`load()` once per request: a lookup every row of a bulk return consults (another dataset's keys)."""
        if name not in self._remembered:
            self._remembered[name] = load()
        return self._remembered[name]

    def framework_domains(self, code: str) -> frozenset[str] | None:
        if code not in self._frameworks:
            self._frameworks[code] = framework_domain_codes(self.session, code)
        return self._frameworks[code]


@dataclass(frozen=True)
class DatasetSpec:
    name: str                          # URL segment and `dataset=` value
    title: str                         # for operation ids and docs, e.g. "CareOrderCounts"
    model: type                        # SQLAlchemy model mixing in VersionedRecord
    # The natural key's columns (besides la_code), in order. Most datasets have one, and their keys are
    # plain values everywhere; a key of several columns is a tuple in this order.
    key_fields: tuple[str, ...]
    create_schema: type[BaseModel]     # a single PUT's body (the key is in the path)
    record_schema: type[BaseModel]     # a bulk row: the key plus create_schema's fields
    read_schema: type[BaseModel]
    rules: Callable[[Any, BaseModel, RuleContext], list[RuleProblem]]
    # A record's columns and a stored row's payload; None: the create schema's fields, a column each.
    to_columns: Callable[[BaseModel], dict[str, Any]] = None  # type: ignore[assignment]
    to_payload: Callable[[Any], dict[str, Any]] = None  # type: ignore[assignment]
    child_level: bool = False
    # The list's ORDER BY (columns or SQL expressions on the model); empty: the key's columns.
    list_order: tuple[Any, ...] = ()
    # For columns like `domain_grades.<code>`: the codes a file may name, so a typo is caught in the header.
    column_keys: Callable[[Session], dict[str, frozenset[str]]] | None = None
    # Keeps what is derived from the dataset (the audits pack's summaries) in step, in the same transaction.
    after_write: Callable[[Session, str, datetime], None] | None = None
    # What `rules` checks, in an analyst's words, for the dataset catalogue and the templates' guidance.
    rules_in_words: tuple[str, ...] = ()
    # One record's name in operation ids (`getOrder`, not `getOrders`: a generated client's
    # get_order returns one order); None: the title, for datasets named in the singular already.
    item_title: str | None = None

    def __post_init__(self) -> None:
        fields = tuple(self.create_schema.model_fields)
        if self.to_columns is None:
            object.__setattr__(self, "to_columns", lambda record: record.model_dump())
        if self.item_title is None:
            object.__setattr__(self, "item_title", self.title)
        if self.to_payload is None:
            object.__setattr__(self, "to_payload", lambda row: {name: getattr(row, name) for name in fields})

    @property
    def composite(self) -> bool:
        return len(self.key_fields) > 1

    @property
    def key_columns(self) -> tuple[Any, ...]:
        return tuple(getattr(self.model, name) for name in self.key_fields)

    @property
    def key_expression(self) -> Any:
        """The key as one SQL expression, so `.in_(keys)` finds many: its column, or a tuple of them."""
        return tuple_(*self.key_columns) if self.composite else self.key_columns[0]

    def key_of(self, source: Any) -> Any:
        """The key of anything with the key fields as attributes (a row, a record)."""
        return self.key_from([getattr(source, name) for name in self.key_fields])

    def key_from(self, parts: Sequence[Any]) -> Any:
        """The key from its parts in field order: the one value, or a tuple of them."""
        return tuple(parts) if self.composite else parts[0]

    def raw_key(self, values: dict[str, Any]) -> Any:
        """A record's key as sent, before it is checked; None where a part of it is missing."""
        parts = [values.get(name) for name in self.key_fields]
        return None if any(part is None for part in parts) else self.key_from(parts)

    def key_items(self, key: Any) -> dict[str, Any]:
        """The key by field name: a row's key columns, a record's key fields."""
        return dict(zip(self.key_fields, key if self.composite else (key,), strict=True))

    def key_is(self, key: Any) -> list[ColumnElement[bool]]:
        return [column == value for column, value in zip(self.key_columns, self.key_items(key).values(), strict=True)]

    def key_type(self) -> Any:
        """The type a key is validated as: the key field's, or a tuple of the key fields' types."""
        fields = self.record_schema.model_fields
        types = tuple(fields[name].rebuild_annotation() for name in self.key_fields)
        return tuple[types] if self.composite else types[0]  # type: ignore[valid-type]


def key_text(key: Any) -> str:
    """A key as a record's path names it: `2021-03-31`, or `2021-03-31/sex/male` for a key of several parts."""
    return "/".join(str(part) for part in key) if isinstance(key, tuple) else str(key)


def not_in_future(path: tuple[str, ...], day: date | None, ctx: RuleContext) -> list[RuleProblem]:
    if day is not None and day > ctx.today:
        return [(path, f"{day.isoformat()} is in the future")]
    return []


def la_operational_on(path: tuple[str, ...], day: date, ctx: RuleContext) -> list[RuleProblem]:
    if ctx.la_operational_on(day):
        return []
    return [(path, f"{ctx.la.name} ({ctx.la.code}) was not a local authority on {day.isoformat()}"
                   f" (operational {ctx.la.operational_from.isoformat()} to "
                   f"{ctx.la.operational_to.isoformat() if ctx.la.operational_to else 'now'})")]
