"""The dataset catalogue: what each dataset's file holds, read from the very schemas that check a submission,
so the catalogue and the templates cannot drift from what is accepted."""

from typing import Any

from sqlalchemy.orm import Session

from app.access.roles import Role
from app.clients.models import ApiClient
from app.core import messages
from app.core.patterns import REF_PATTERN
from app.core.types import TEXT_PATTERN
from app.datasets.schemas import DatasetField, DatasetRead, FieldType
from app.records.spec import DatasetSpec
from app.reference.schemas import CODE_PATTERN
from app.submissions.parsing import columns_of
from app.submissions.service import DATASETS

PATTERNS_IN_WORDS = {
    TEXT_PATTERN: "",
    REF_PATTERN: ": letters, digits, '_', '-' and '.', starting with a letter or digit; no spaces (so no names)",
    CODE_PATTERN: ": lower-case letters, digits and '-', e.g. nw-adcs-2017",
}
ACCEPTED_FORMS: dict[str, str] = {
    "date": f"a date as {messages.DATE_FORMS}",
    "yes_no": messages.YES_NO_FORMS,
    "month": f"a month as {messages.MONTH_FORMS}",
}


def returnable_by(client: ApiClient) -> list[DatasetSpec]:
    """An LA client returns its LA's datasets, an admin any LA's; a portal only reads packs."""
    return [] if client.role == Role.PORTAL else list(DATASETS.values())


def describe(session: Session, spec: DatasetSpec, base_path: str) -> DatasetRead:
    return DatasetRead(name=spec.name, key=", ".join(spec.key_fields), key_columns=list(spec.key_fields),
                       child_level=spec.child_level, fields=fields_of(session, spec), rules=list(spec.rules_in_words),
                       templates={f: f"{base_path}/{spec.name}/template?format={f}" for f in ("csv", "xlsx")})


def fields_of(session: Session, spec: DatasetSpec) -> list[DatasetField]:
    """Every column a file of the dataset may hold, the record's key first."""
    schema = spec.record_schema.model_json_schema()
    map_keys = spec.column_keys(session) if spec.column_keys else {}
    required = columns_of(spec.record_schema, map_keys).required
    found: list[DatasetField] = []
    names = [*spec.key_fields, *(n for n in schema["properties"] if n not in spec.key_fields)]
    for name in names:
        prop = _resolved(schema, schema["properties"][name])
        if "properties" in prop:
            for sub, sub_prop in prop["properties"].items():
                found.append(_field(f"{name}.{sub}", _resolved(schema, sub_prop), False))
        elif "patternProperties" in prop:
            values = _resolved(schema, next(iter(prop["patternProperties"].values())))
            for key in sorted(map_keys.get(name, ())):
                found.append(_field(f"{name}.{key}", {**values, "description": prop.get("description")}, False))
        else:
            found.append(_field(name, prop, name in required))
    return found


def _resolved(schema: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any]:
    """A property's own schema: a reference followed, the null of an optional field left out."""
    if "$ref" in prop:
        return {**schema["$defs"][prop["$ref"].rsplit("/", 1)[1]], **{k: v for k, v in prop.items() if k != "$ref"}}
    options = [option for option in prop.get("anyOf", ()) if option.get("type") != "null"]
    if len(options) == 1:
        rest = {k: v for k, v in prop.items() if k != "anyOf"}
        return {**_resolved(schema, options[0]), **rest}
    return prop


def _field(column: str, prop: dict[str, Any], required: bool) -> DatasetField:
    kind = _type_of(prop)
    minimum, maximum = prop.get("minimum", prop.get("ge")), prop.get("maximum", prop.get("le"))
    return DatasetField(column=column, type=kind, required=required, allowed=prop.get("enum"), minimum=minimum,
                        maximum=maximum, max_length=prop.get("maxLength"),
                        accepted=_accepted(kind, prop, minimum, maximum), description=prop.get("description"))


def _type_of(prop: dict[str, Any]) -> FieldType:
    if prop.get("type") == "integer":
        return "whole_number"
    if prop.get("type") == "boolean":
        return "yes_no"
    if prop.get("format") == "date":
        return "date"
    if "enum" in prop:
        return "code"
    if "-(0[1-9]|1[0-2])$" in prop.get("pattern", ""):
        return "month"
    return "text"


def _accepted(kind: FieldType, prop: dict[str, Any], minimum: int | None, maximum: int | None) -> str:
    if kind == "whole_number":
        return f"a whole number from {minimum if minimum is not None else 'any'} to {maximum if maximum is not None else 'any'}"
    if kind == "code":
        codes = prop["enum"]
        # The example shows the case and spaces a file may use; a code with '_' shows both at once.
        example = next((c for c in codes if "_" in c), codes[0]).replace("_", " ").capitalize()
        return "one of: " + ", ".join(codes) + messages.CODES_IN_FILES.format(example=example)
    if kind in ACCEPTED_FORMS:
        return ACCEPTED_FORMS[kind]
    limit = f" of up to {prop['maxLength']} characters" if "maxLength" in prop else ""
    return f"text{limit}" + PATTERNS_IN_WORDS.get(prop.get("pattern", TEXT_PATTERN), f" matching {prop.get('pattern')}")
