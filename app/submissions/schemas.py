from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Dataset = Literal["care-order-counts", "care-order-characteristics", "orders", "audits", "audit-programme"]
# What a submission carried: a dataset's file, or an SSDA903 extract from which two datasets are derived.
SubmittedDataset = Literal["care-order-counts", "care-order-characteristics", "orders", "audits", "audit-programme",
                           "ssda903"]
CHECKSUM_EXAMPLE = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
FILE_EXAMPLES = [{"part": "header", "rows": 412, "checksum": CHECKSUM_EXAMPLE},
                 {"part": "episodes", "rows": 1_377, "checksum": CHECKSUM_EXAMPLE}]
FileFormat = Literal["csv", "xlsx", "json"]


class JsonSubmission(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"records": [
        {"month": "2021-01", "planned": 40, "exempted": 4, "returned": 15},
        {"month": "2021-02", "planned": 38, "exempted": 2, "returned": 20},
    ]}]})

    records: list[dict[str, Any]] = Field(description="Records of the dataset, each with its key field.")


FieldValue = int | bool | str | None


CHANGE_EXAMPLE = {"key": "2021-02", "fields": {"returned": {"from": 18, "to": 20}}}


class FieldChange(BaseModel):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{"from": 18, "to": 20}]})

    from_: FieldValue = Field(alias="from", description="The stored value; null: not returned.")
    to: FieldValue = Field(description="The value now; null: not returned.")


class RecordChange(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [CHANGE_EXAMPLE]})

    key: str = Field(description="The record's key, as in its URL.")
    fields: dict[str, FieldChange] = Field(description="By column name, nested items dotted "
                                                       "(`discharges.total`, `domain_grades.plans`).")


class SubmittedFile(BaseModel):
    """What is kept of one file of an SSDA903 extract: never its contents."""

    model_config = ConfigDict(json_schema_extra={"examples": FILE_EXAMPLES[:1]})

    part: Literal["header", "episodes"]
    rows: int = Field(description="Data rows read (the header line not counted).")
    checksum: str = Field(description="SHA-256 of the file as received.")


class SubmissionRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 12, "la": "341", "dataset": "audit-programme", "format": "csv", "dry_run": False,
        "rows": 12, "created": 10, "revised": 1, "unchanged": 1,
        "checksum": CHECKSUM_EXAMPLE,
        "submitted_at": "2026-11-23T09:30:00Z", "submitted_by": "Liverpool BI",
        "changes": [CHANGE_EXAMPLE], "changes_unlisted": 0,
    }]})

    id: int | None = Field(description="Null for a dry run, which stores nothing.")
    la: str
    dataset: SubmittedDataset = Field(description="`ssda903`: an SSDA903 extract, from which care-order-counts and "
                                                  "care-order-characteristics records were derived.")
    format: FileFormat
    dry_run: bool
    rows: int
    created: int
    revised: int
    unchanged: int
    checksum: str = Field(description="SHA-256 of the request body as received (an SSDA903 extract: of its files' "
                                      "checksums, header first).")
    submitted_at: datetime
    submitted_by: str
    changes: list[RecordChange] | None = Field(default=None, description=(
        "Each revised record's changed items, from what was stored to what the file gives (in a dry run: what "
        "would change), in file order, for the first 100 revised records. Items a CSV or XLSX file has no column "
        "for, or a JSON record leaves out, keep their stored values and are not listed. Given in the response "
        "to the submission (and its replays); null when a past submission is read back."))
    changes_unlisted: int | None = Field(default=None, description="Revised records past the first 100, "
                                                                   "counted but not listed in `changes`.")
    files: list[SubmittedFile] | None = Field(default=None, description="An SSDA903 extract's files: the SHA-256 and "
                                                                           "row count of each; null for other datasets.")
