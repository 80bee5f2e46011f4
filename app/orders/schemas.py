from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from app.core.patterns import REF_PATTERN
from app.core.types import IsoDate, WholeNumber, bounded_whole_number
from app.records.schemas import META_EXAMPLE, VersionMeta

OrderType = Literal["full_care_order", "interim_care_order"]
Communication = Literal["none", "limited", "some", "extensive"]
PlanOrOutcome = Literal[
    "care_order_at_home", "supervision_order", "care_order_removal", "placement_order",
    "special_guardianship_order", "child_arrangements_order", "no_order",
]
CurrentStatus = Literal[
    "at_home_on_order", "discharged", "special_guardianship_order", "adopted", "placement_order",
    "removed_placed_for_adoption", "removed_alternative_carers", "turned_18",
]
DischargeOutcome = Literal[
    "no_order", "supervision_order", "family_assistance_order", "special_guardianship_order",
    "child_arrangements_order",
]
Ref = Annotated[str, Field(pattern=REF_PATTERN, description="Letters, digits, '_', '-', '.'; no spaces, so no names.")]

EXAMPLE = {
    "child_ref": "C-004512", "order_type": "full_care_order", "order_date": "2019-06-14",
    "age_at_order": 7, "pre_proceedings": True, "assessments_in_proceedings": 4,
    "independent_social_worker": False, "professional_communication": "some",
    "la_final_care_plan": "supervision_order", "court_outcome": "care_order_at_home",
    "current_status": "discharged", "status_date": "2021-01-20",
    "discharge_date": "2021-01-20", "discharge_outcome": "no_order",
}


class OrderCreate(BaseModel):
    """One care order at home, child level and pseudonymous: no names, no dates of birth."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})

    child_ref: Ref = Field(description="The LA's pseudonymous child identifier.")
    order_type: OrderType
    order_date: IsoDate
    age_at_order: WholeNumber = Field(ge=0, le=17)
    pre_proceedings: StrictBool | None = None
    assessments_in_proceedings: bounded_whole_number(0, 100) | None = None
    independent_social_worker: StrictBool | None = None
    professional_communication: Communication | None = None
    la_final_care_plan: PlanOrOutcome | None = None
    court_outcome: PlanOrOutcome | None = None
    current_status: CurrentStatus
    status_date: IsoDate = Field(description="When current_status was last true.")
    discharge_date: IsoDate | None = None
    discharge_outcome: DischargeOutcome | None = None


class OrderRecord(OrderCreate):
    model_config = ConfigDict(json_schema_extra={"examples": [{"order_ref": "LIV-2019-0031", **EXAMPLE}]})

    order_ref: Ref


class OrderRead(OrderRecord, VersionMeta):
    model_config = ConfigDict(json_schema_extra={"examples": [{"order_ref": "LIV-2019-0031", **EXAMPLE, **META_EXAMPLE}]})
