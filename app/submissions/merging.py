"""A bulk row as a change to the stored record: what it leaves out keeps the stored value.

A CSV or XLSX row is read as a JSON Merge Patch (RFC 7396) of the record: each column of the file's
header is in the patch (an empty cell as null, "not returned"), and a column the file does not have
is not, so its item keeps the value stored. A JSON record is such a patch already. A nested object
(`discharges`, `moderation`, `domain_grades`) is patched part by part, and becomes null when the
patch clears every part it had.
"""

from typing import Any


def header_patch(names: list[str]) -> dict[str, Any]:
    """The file's columns, each null: what every row's own values are laid over."""
    patch: dict[str, Any] = {}
    for column in names:
        name, _, child = column.partition(".")
        if child:
            patch.setdefault(name, {})[child] = None
        else:
            patch[name] = None
    return patch


def row_patch(header: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    patch = {name: dict(value) if isinstance(value, dict) else value for name, value in header.items()}
    for name, value in values.items():
        if isinstance(value, dict) and isinstance(patch.get(name), dict):
            patch[name].update(value)
        else:
            patch[name] = value
    return patch


def without_nulls(payload: dict[str, Any]) -> dict[str, Any]:
    """A stored payload as a merge target: null and absent mean the same there."""
    return {name: without_nulls(value) if isinstance(value, dict) else value
            for name, value in payload.items() if value is not None}


def merge(target: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    merged = dict(target)
    for name, value in patch.items():
        if value is None:
            merged.pop(name, None)
        elif isinstance(value, dict):
            part = merge(merged[name] if isinstance(merged.get(name), dict) else {}, value)
            # An object every part of which the patch cleared is not returned, as a row of blank
            # cells in its columns would be; `{}` alone changes nothing.
            if part or None not in value.values():
                merged[name] = part
            else:
                merged.pop(name, None)
        else:
            merged[name] = value
    return merged


def flat(payload: dict[str, Any]) -> dict[str, Any]:
    """A canonical payload by column name (`discharges.total`), as a file names its items."""
    found: dict[str, Any] = {}
    for name, value in payload.items():
        if isinstance(value, dict):
            found.update((f"{name}.{child}", part) for child, part in value.items())
        elif value is not None:
            found[name] = value
    return {name: value for name, value in found.items() if value is not None}


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{column: {"from": stored, "to": new}} for each item that differs; null is "not returned"."""
    old, new = flat(before), flat(after)
    return {name: {"from": old.get(name), "to": new.get(name)}
            for name in sorted(old.keys() | new.keys()) if old.get(name) != new.get(name)}
