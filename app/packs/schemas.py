"""What every pack says about itself."""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Suppressed = dict[str, Literal["c"]]
PackFormat = Literal["json", "csv", "xlsx", "html"]
SUPPRESSED_DESCRIPTION = "Fields hidden by small-number suppression, each marked \"c\"; their value is null."


class AreaRef(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "E12000002", "name": "North West", "kind": "region"}]})

    code: str
    name: str
    kind: Literal["la", "region", "england", "group"]


class SuppressionInfo(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"applied": True, "threshold": 5, "cells_hidden": 12, "bound_fallback": False}]})

    applied: bool = Field(description="False for readers with full disclosure, who see every figure, and for a "
                                      "pack that counts no children (completeness).")
    threshold: int
    cells_hidden: int = Field(description="How many figures this pack shows as \"c\": every mark of every row's "
                                          "`suppressed`, so each format marks as many (cells hidden only to protect "
                                          "figures of other areas are not counted).")
    bound_fallback: bool = Field(False, description=(
        "True when a published table behind this pack hid whole lines of its small counts rather than choosing "
        "cells one by one. Either it ran out of the work allowed for the choice (or had a group of cells too large "
        "to search in the work left), and the whole lines were then checked as any other cells are, so that every "
        "hidden count still keeps `threshold` possible values but more may be hidden than needed; or a line of its "
        "figures did not add up (logged for the operator as `bound_line_false_of_figures`), and that line's group "
        "was hidden in whole lines without the check."))


class Source(BaseModel):
    """A return the pack used. Child-level datasets are summarised per LA and source (no record keys)."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"la": "341", "dataset": "care-order-counts", "key": "2021-03-31", "version": 2, "source": "ssda903:31"},
        {"la": "341", "dataset": "audits", "records": 72, "digest": "sha256:3b1f…", "last_submitted_at": "2021-04-02T10:00:00Z"},
    ]})

    la: str
    dataset: str
    key: str | None = None
    version: int | None = None
    records: int | None = Field(default=None, description="Child-level datasets: how many records were used "
                                                          "(full disclosure only; null for suppressed readers).")
    digest: str | None = Field(default=None, description="SHA-256 over the sorted (key, version) pairs used "
                                                         "(audits: over each month's such digest, month by month), "
                                                         "so the LA can check the exact set without keys leaving it.")
    last_submitted_at: datetime | None = None
    source: str | None = Field(default=None, description="`ssda903:<submission id>` where the version was derived "
                                                         "from the LA's SSDA903 extract; null where the LA sent it.")


def marks_shown(value: Any) -> int:
    """How many figures a pack (or any part of it) marks "c": what its `cells_hidden` says, counted from the pack
    as presented rather than from the hidden cells, which a pack may show as several figures or not at all."""
    if isinstance(value, BaseModel):
        return sum(_marks(getattr(value, name)) if name == "suppressed" else marks_shown(getattr(value, name))
                   for name in type(value).model_fields)
    if isinstance(value, dict):
        return sum(_marks(item) if name == "suppressed" else marks_shown(item) for name, item in value.items())
    if isinstance(value, list):
        return sum(marks_shown(item) for item in value)
    return 0


def _marks(suppressed: Any) -> int:
    return sum(1 for mark in suppressed.values() if mark == "c") if isinstance(suppressed, dict) else 0


class PackBase(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    pack: str
    area: AreaRef
    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")
    range_defaulted: bool = Field(default=False, description="True when `from` or `to` was left out: the pack then "
                                                             "covers the five years up to the latest date any LA of "
                                                             "the area returned for it.")
    as_of: datetime | None = Field(description="The moment the pack reflects; null: the latest returns.")
    generated_at: datetime
    suppression: SuppressionInfo
    sources: list[Source]


class Coverage(BaseModel):
    """How many LAs an aggregate covers: a total of fewer than expected is partial, and says so."""

    las_returned: int = Field(description="LAs whose returns the aggregate includes.")
    las_expected: int = Field(description="LAs of the area that were operational in the period.")
