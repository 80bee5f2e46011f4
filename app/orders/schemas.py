from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from app.core.patterns import REF_PATTERN
from app.core.types import IsoDate, WholeNumber, bounded_whole_number
from app.records.schemas import META_EXAMPLE, VersionMeta
from app.ssda903.codes import DIMENSIONS

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
Sex = Literal["male", "female", "other", "not_known"]
# The care-order-characteristics dataset's groups, so an order and a count of orders speak alike.
Ethnicity = Literal[DIMENSIONS["ethnicity"]]  # type: ignore[valid-type]
CategoryOfNeed = Literal["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"]
ProceedingsType = Literal["public_law", "private_law"]
Ref = Annotated[str, Field(pattern=REF_PATTERN, description="Letters, digits, '_', '-', '.'; no spaces, so no names.")]

EXAMPLE = {
    "child_ref": "C-004512", "order_type": "full_care_order", "order_date": "2019-06-14",
    "age_at_order": 7, "pre_proceedings": True, "assessments_in_proceedings": 4,
    "independent_social_worker": False, "professional_communication": "some",
    "la_final_care_plan": "supervision_order", "court_outcome": "care_order_at_home",
    "current_status": "discharged", "status_date": "2021-01-20",
    "discharge_date": "2021-01-20", "discharge_outcome": "no_order",
    "sex": "female", "ethnicity": "white", "disability": False, "proceedings_issued": "2019-01-07",
    "final_hearing": "2019-06-14", "la_initial_care_plan": "care_order_removal",
    "guardian_recommendation": "care_order_at_home", "contested_final_hearing": True, "category_of_need": "N1",
    "proceedings_type": "public_law", "re_referred_within_12_months": False,
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
    sex: Sex | None = None
    ethnicity: Ethnicity | None = Field(default=None, description="Ethnic group, as the care-order-characteristics "
                                                                  "dataset groups the SSDA903's codes.")
    disability: StrictBool | None = None
    proceedings_issued: IsoDate | None = Field(default=None, description="When the care proceedings were issued.")
    final_hearing: IsoDate | None = Field(default=None, description="Weeks in proceedings run from "
                                          "proceedings_issued to this, against the 26-week limit; empty while "
                                          "the case is still in proceedings.")
    la_initial_care_plan: PlanOrOutcome | None = Field(default=None, description="The plan the LA started "
                                                       "proceedings with, to set against la_final_care_plan.")
    guardian_recommendation: PlanOrOutcome | None = Field(default=None, description="What the children's "
                                                          "guardian (Cafcass) recommended to the court.")
    contested_final_hearing: StrictBool | None = None
    category_of_need: CategoryOfNeed | None = Field(default=None, description="Why proceedings were issued: the "
                                                    "SSDA903 category of need (CIN code N1 to N8).")
    proceedings_type: ProceedingsType | None = None
    re_referred_within_12_months: StrictBool | None = Field(default=None, description="Whether the child was "
                                                            "referred again within 12 months of discharge; only "
                                                            "with discharge_date.")


class OrderRecord(OrderCreate):
    model_config = ConfigDict(json_schema_extra={"examples": [{"order_ref": "LIV-2019-0031", **EXAMPLE}]})

    order_ref: Ref


class OrderRead(OrderRecord, VersionMeta):
    model_config = ConfigDict(json_schema_extra={"examples": [{"order_ref": "LIV-2019-0031", **EXAMPLE, **META_EXAMPLE}]})
