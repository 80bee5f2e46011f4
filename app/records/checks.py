"""Checking one record: its fields, then the dataset's rules, reporting every problem together.

Where some fields fail their type checks, the rules still run on the fields that passed (a rule
whose inputs are missing stays silent), so one response lists a bad number and a breached rule alike.
"""

from collections.abc import Sequence
from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from app.core.errors import FieldError, field_errors_from_pydantic
from app.records.spec import DatasetSpec, RuleContext

KEY_FROM_BODY = object()


def rule_errors(problems_found: list[tuple[tuple[str, ...], str]], *, key_fields: tuple[str, ...],
                row: int | None = None, prefix: tuple[str | int, ...] = ("body",)) -> list[FieldError]:
    errors = []
    for path, message in problems_found:
        # A single record's key is in its path, not its body.
        in_path = row is None and len(path) == 1 and path[0] in key_fields
        loc: tuple[str | int, ...] = ("path", path[0]) if in_path else (*prefix, *path)
        errors.append(FieldError(loc=list(loc), row=row, field=".".join(path), message=message))
    return errors


def _partial(schema: type[BaseModel], values: dict[str, Any], failed: set[str]) -> BaseModel:
    """The record with every field that passed on its own; the rest None."""
    record = schema.model_construct(**dict.fromkeys(schema.model_fields))
    for name, value in values.items():
        if name in schema.model_fields and name not in failed:
            try:
                schema.__pydantic_validator__.validate_assignment(record, name, value)
            except ValidationError:
                setattr(record, name, None)
    return record


def check_record(spec: DatasetSpec, values: Any, ctx: RuleContext, *, key: Any = KEY_FROM_BODY,
                 prefix: tuple[str | int, ...] = ("body",), row: int | None = None
                 ) -> tuple[Any, BaseModel | None, list[FieldError]]:
    """(key, payload, errors): payload is None when any field failed; errors lists every problem."""
    schema = spec.record_schema if key is KEY_FROM_BODY else spec.create_schema
    if not isinstance(values, dict):
        return None, None, [FieldError(loc=list(prefix), row=row, field=None, message="expected a JSON object")]
    failed: set[str] = set()
    try:
        record = schema.model_validate(values)
        errors: list[FieldError] = []
    except ValidationError as exc:
        errors = field_errors_from_pydantic(exc.errors(), prefix=prefix, row=row)
        failed = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
        record = _partial(schema, values, failed)
    if key is KEY_FROM_BODY:
        key = spec.key_of(record)
    fields = {name: getattr(record, name) for name in spec.create_schema.model_fields}
    payload = spec.create_schema.model_construct(**fields) if errors else spec.create_schema.model_validate(fields)
    # A field that failed its own check has already been reported; a rule about it would only repeat that.
    found = [(path, message) for path, message in spec.rules(key, payload, ctx) if path[0] not in failed]
    errors += rule_errors(found, key_fields=spec.key_fields, row=row, prefix=prefix)
    return key, None if errors else payload, errors


@cache
def _list_adapters(spec: DatasetSpec) -> tuple[TypeAdapter[list[Any]], TypeAdapter[list[Any]]]:
    return TypeAdapter(list[spec.create_schema]), TypeAdapter(list[spec.key_type()])  # type: ignore[name-defined]


def check_many(spec: DatasetSpec, items: Sequence[tuple[Any, tuple[str | int, ...], int]], ctx: RuleContext
               ) -> list[tuple[Any, BaseModel | None, list[FieldError]]]:
    """check_record for each (values, prefix, row) of a bulk submission, with every record validated in
    one call: a call per record costs twice as much. A record is its key plus the create schema's
    fields, so the keys and the rest are validated apart. Where any record fails, each is checked
    again on its own, which finds and words every problem exactly as a single check does."""
    key_fields = spec.key_fields
    if all(isinstance(values, dict) and all(name in values for name in key_fields) for values, _, _ in items):
        bodies, keys = _list_adapters(spec)
        raw_keys = [spec.key_from([values.pop(name) for name in key_fields]) for values, _, _ in items]
        try:
            validated_keys = keys.validate_python(raw_keys)
            payloads = bodies.validate_python([values for values, _, _ in items])
        except ValidationError:
            for (values, _, _), key in zip(items, raw_keys, strict=True):
                values.update(spec.key_items(key))
        else:
            checked = []
            for key, payload, (_, prefix, row) in zip(validated_keys, payloads, items, strict=True):
                errors = rule_errors(spec.rules(key, payload, ctx), key_fields=key_fields, row=row, prefix=prefix)
                checked.append((key, None if errors else payload, errors))
            return checked
    return [check_record(spec, values, ctx, prefix=prefix, row=row) for values, prefix, row in items]
