"""The child and court journey of an order (contract 1.1): optional fields, each checked, stored and read back,
and the rules across them reported together with the order's other problems."""

import pytest

from tests.payloads import DISCHARGED, LIVERPOOL, journey, order, url

REF = "LIV-2019-0031"
ANSWERS = {**journey(), "re_referred_within_12_months": True}


async def _put(la, record: dict):
    return await la.put(url(LIVERPOOL, "orders", REF), json=record)


def _fields(response) -> list[str]:
    assert response.status_code == 422, response.text
    return sorted(e["field"] for e in response.json()["errors"])


@pytest.mark.parametrize("field", sorted(ANSWERS))
async def test_each_journey_field_is_stored_and_read_back(api, field):
    la = api("la", la=LIVERPOOL)
    assert (await _put(la, order(**DISCHARGED, **{field: ANSWERS[field]}))).status_code == 201
    assert (await la.get(url(LIVERPOOL, "orders", REF))).json()[field] == ANSWERS[field]


async def test_an_order_sent_without_the_journey_reads_it_as_not_returned(api):
    la = api("la", la=LIVERPOOL)
    await _put(la, order())
    read = (await la.get(url(LIVERPOOL, "orders", REF))).json()
    assert {field: read[field] for field in ANSWERS} == dict.fromkeys(ANSWERS)


async def test_the_journey_values_outside_the_contract_are_refused(api):
    la = api("la", la=LIVERPOOL)
    response = await _put(la, order(**journey(
        sex="M", ethnicity="white_british", disability=1, la_initial_care_plan="removal",
        guardian_recommendation="care order", contested_final_hearing="yes", category_of_need="N9",
        proceedings_type="public", final_hearing="14/13/2019")))
    assert _fields(response) == sorted([
        "sex", "ethnicity", "disability", "la_initial_care_plan", "guardian_recommendation",
        "contested_final_hearing", "category_of_need", "proceedings_type", "final_hearing"])


async def test_proceedings_issued_after_the_order_is_refused_naming_it(api):
    response = await _put(api("la", la=LIVERPOOL), order(proceedings_issued="2019-06-15"))
    assert _fields(response) == ["proceedings_issued"]
    assert "order_date (2019-06-14)" in response.json()["errors"][0]["message"]


async def test_proceedings_issued_after_the_final_hearing_is_refused_naming_it(api):
    response = await _put(api("la", la=LIVERPOOL), order(proceedings_issued="2019-05-01", final_hearing="2019-04-30"))
    assert _fields(response) == ["proceedings_issued"]
    assert "final_hearing (2019-04-30)" in response.json()["errors"][0]["message"]


async def test_proceedings_issued_on_the_day_of_the_order_and_of_the_hearing_is_accepted(api):
    response = await _put(api("la", la=LIVERPOOL), order(proceedings_issued="2019-06-14", final_hearing="2019-06-14"))
    assert response.status_code == 201, response.text


async def test_an_interim_order_still_in_proceedings_has_no_final_hearing(api):
    la = api("la", la=LIVERPOOL)
    response = await _put(la, order(**journey(final_hearing=None, proceedings_issued="2019-06-01",
                                             order_type="interim_care_order")))
    assert response.status_code == 201, response.text


async def test_a_final_hearing_in_the_future_is_refused(api):
    response = await _put(api("la", la=LIVERPOOL), order(final_hearing="2999-01-01"))
    assert _fields(response) == ["final_hearing"]


@pytest.mark.parametrize("answer", [True, False])
async def test_re_referral_without_a_discharge_is_refused(api, answer):
    """The rule chosen: re_referred_within_12_months only with discharge_date, whichever the answer."""
    response = await _put(api("la", la=LIVERPOOL), order(re_referred_within_12_months=answer))
    assert _fields(response) == ["re_referred_within_12_months"]


async def test_every_problem_of_an_order_is_reported_at_once(api):
    response = await _put(api("la", la=LIVERPOOL), order(
        proceedings_issued="2019-07-01", final_hearing="2019-06-20", re_referred_within_12_months=False,
        sex="boy", status_date="2019-01-01"))
    assert _fields(response) == ["proceedings_issued", "proceedings_issued", "re_referred_within_12_months", "sex",
                                 "status_date"]
