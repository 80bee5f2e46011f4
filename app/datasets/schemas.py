from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FieldType = Literal["whole_number", "date", "yes_no", "code", "month", "text"]


class DatasetField(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "column": "order_type", "type": "code", "required": True,
        "allowed": ["full_care_order", "interim_care_order"], "minimum": None, "maximum": None, "max_length": None,
        "accepted": "one of: full_care_order, interim_care_order", "description": None}]})

    column: str = Field(description="The column's name in a CSV or XLSX file: nested fields as `discharges.total`, "
                                    "grades by domain as `domain_grades.<domain code>`.")
    type: FieldType
    required: bool = Field(description="A row without it is refused; every other column may be empty "
                                       "(not returned) or left out (a record already stored keeps its value).")
    allowed: list[str] | None = Field(description="The values a code may take.")
    minimum: int | None
    maximum: int | None
    max_length: int | None
    accepted: str = Field(description="What a cell may hold, in words.")
    description: str | None


class DatasetRead(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "audit-programme", "key": "month", "key_columns": ["month"], "child_level": False,
        "fields": [{"column": "month", "type": "month", "required": True, "allowed": None, "minimum": None,
                    "maximum": None, "max_length": None, "accepted": "a month as YYYY-MM", "description": "YYYY-MM"}],
        "rules": ["exempted is at most planned", "returned is at most planned − exempted"],
        "templates": {"csv": "/api/v1/datasets/audit-programme/template?format=csv",
                      "xlsx": "/api/v1/datasets/audit-programme/template?format=xlsx"}}]})

    name: str = Field(description="The dataset, as `dataset=` of a submission names it.")
    key: str = Field(description="The column that names a record within its LA (the columns, joined by ', ', "
                                 "where several name it together): a record sent again with the same key revises it.")
    key_columns: list[str] = Field(description="The columns that together name a record within its LA, in order "
                                               "(one for most datasets), as its path names them.")
    child_level: bool = Field(description="Whether a record is about one child (pseudonymous; never a name or a date "
                                          "of birth).")
    fields: list[DatasetField]
    rules: list[str] = Field(description="The checks across fields and against reference data, in words.")
    templates: dict[Literal["csv", "xlsx"], str]

