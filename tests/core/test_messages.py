"""Every message of app/core/messages.py as an analyst meets it: the value sent, what was expected, the forms taken."""

import pytest

from tests.payloads import LIVERPOOL, audit, characteristics, counts, order, url
from tests.submissions.files import csv_body, submit_url

ORDER_HEADER = ["order_ref", "child_ref", "order_type", "order_date", "age_at_order", "current_status", "status_date"]
ORDER_ROW = ["O1", "C1", "full_care_order", "2019-06-14", "7", "at_home_on_order", "2020-01-10"]


async def put_order(api, **changes):
    response = await api("la", la=LIVERPOOL).put(url(LIVERPOOL, "orders", "O1"), json=order(**changes))
    assert response.status_code == 422, response.text
    return {e["field"]: e["message"] for e in response.json()["errors"]}


async def post_orders(api, header, rows):
    response = await api("la", la=LIVERPOOL).post(submit_url(LIVERPOOL, "orders"), content=csv_body(header, rows),
                                                  headers={"Content-Type": "text/csv"})
    assert response.status_code == 422, response.text
    return response.json()


async def test_an_impossible_date_is_shown_with_the_month_length_and_both_accepted_forms(api):
    body = await post_orders(api, ORDER_HEADER, [[*ORDER_ROW[:3], "31/02/2023", *ORDER_ROW[4:]]])
    assert body["errors"][0]["message"] == ('"31/02/2023" is not a real date: February 2023 has 28 days; '
                                            "use 2023-02-28 or 28/02/2023")


async def test_text_that_is_no_date_is_shown_with_the_accepted_forms(api):
    messages = await put_order(api, order_date="14 June 2019")
    assert messages["order_date"] == ('"14 June 2019" is not a date; write it as YYYY-MM-DD or DD/MM/YYYY (day '
                                      "first), e.g. 2023-02-28 or 28/02/2023")


async def test_a_month_out_of_range_is_named(api):
    messages = await put_order(api, order_date="2019-13-01")
    assert messages["order_date"].startswith('"2019-13-01" is not a real date: there is no month 13')


async def test_a_date_as_a_child_reference_is_called_a_date_of_birth_not_a_pattern(api):
    messages = await put_order(api, child_ref="17/05/2014")
    assert messages["child_ref"].startswith('"17/05/2014" looks like a date; a reference is the LA\'s own')
    assert "never a date of birth" in messages["child_ref"] and "^[" not in messages["child_ref"]


async def test_a_name_as_a_child_reference_is_refused_as_a_name(api):
    messages = await put_order(api, child_ref="Jane Smith")
    assert messages["child_ref"].startswith('"Jane Smith" has a space') and "never a child's name" in messages["child_ref"]


async def test_a_reference_of_other_characters_says_which_are_taken(api):
    messages = await put_order(api, child_ref="C#1")
    assert messages["child_ref"] == ("\"C#1\" is not a reference; use letters, digits, '_', '-' and '.', starting "
                                     "with a letter or digit, at most 64 characters, e.g. C-004512")


async def test_a_number_in_a_json_yes_no_field_names_the_forms_taken(api):
    messages = await put_order(api, pre_proceedings=1)
    assert messages["pre_proceedings"] == ("1 is not yes or no; use yes or no (in a file also Y/N, 1/0 or true/false; "
                                           "in JSON true or false)")


async def test_a_yes_no_cell_that_is_neither_is_shown(api):
    body = await post_orders(api, [*ORDER_HEADER, "pre_proceedings"], [[*ORDER_ROW, "maybe"]])
    assert body["errors"][0]["message"].startswith('"maybe" is not yes or no; use yes or no')


async def test_a_code_in_the_wrong_case_in_json_says_what_was_meant(api):
    messages = await put_order(api, order_type="Full care order")
    assert messages["order_type"] == ('"Full care order" is not one of the accepted codes: full_care_order, '
                                      'interim_care_order (did you mean "full_care_order"? In JSON codes are lower '
                                      "case; a file may use any case)")


async def test_an_unknown_code_lists_the_codes(api):
    messages = await put_order(api, order_type="emergency")
    assert messages["order_type"] == '"emergency" is not one of the accepted codes: full_care_order, interim_care_order'


async def test_text_for_a_whole_number_is_shown(api):
    messages = await put_order(api, age_at_order="1,502")
    assert messages["age_at_order"] == ('"1,502" is not a whole number; write digits only, e.g. 1502 (a file may '
                                        "also write 1,502)")


async def test_a_number_below_its_least_is_shown_with_the_least(api):
    messages = await put_order(api, age_at_order=-1)
    assert messages["age_at_order"] == "-1 is less than 0, the least this field takes"


async def test_a_number_above_its_most_is_shown_with_the_most(api):
    messages = await put_order(api, age_at_order=18)
    assert messages["age_at_order"] == "18 is more than 17, the most this field takes"


async def test_overlong_text_says_its_length_and_the_limit(api):
    response = await api("la", la=LIVERPOOL).put(url(LIVERPOOL, "care-order-counts", "2021-03-31"),
                                                 json=counts(notes="x" * 2001))
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"].endswith("...\" has 2,001 characters; at most 2,000 are taken")


async def test_an_unknown_and_a_missing_field_are_worded(api):
    messages = await put_order(api, colour="blue", order_type=None)
    assert messages["colour"] == "unknown field; it is not part of this dataset"
    assert "order_type" in messages


async def test_a_month_in_another_form_lists_the_forms_taken(api):
    la = api("la", la=LIVERPOOL)
    body = csv_body(["month", "planned", "exempted", "returned"], [["2021/04", 40, 4, 15]])
    response = await la.post(submit_url(LIVERPOOL, "audit-programme"), content=body, headers={"Content-Type": "text/csv"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == ('"2021/04" is not a month; use YYYY-MM, e.g. 2021-04, or the '
                                                       "month in words, e.g. April 2021 or Apr 2021")


async def test_one_problem_in_one_row_is_said_in_the_singular(api):
    body = await post_orders(api, ORDER_HEADER, [[*ORDER_ROW[:4], "x", *ORDER_ROW[5:]]])
    assert body["detail"] == "1 problem found in 1 row; nothing was stored."


async def test_orders_at_home_beyond_the_children_looked_after_name_cla_total(api):
    response = await api("la", la=LIVERPOOL).put(url(LIVERPOOL, "care-order-counts", "2021-03-31"), json=counts(
        cla_total=150, placed_with_parents=140, full_care_orders_at_home=120, interim_care_orders_at_home=35))
    assert response.status_code == 422
    assert [e["message"] for e in response.json()["errors"]] == [
        "full_care_orders_at_home (120) + interim_care_orders_at_home (35) is 155, more than placed_with_parents "
        "(140) and cla_total (150)"]


async def test_discharge_outcomes_beyond_the_total_are_each_named(api):
    response = await api("la", la=LIVERPOOL).put(url(LIVERPOOL, "care-order-counts", "2021-03-31"), json=counts(
        discharges={"total": 10, "to_no_order": 8, "to_supervision_order": 5}))
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == (
        "discharges.to_no_order (8) + discharges.to_supervision_order (5) is 13, more than discharges.total (10)")


async def test_a_month_in_words_in_a_path_is_refused_with_the_form_a_path_takes(api):
    response = await api("la", la=LIVERPOOL).put(url(LIVERPOOL, "audit-programme", "April 2021"),
                                                 json={"planned": 40, "exempted": 4, "returned": 15})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == '"April 2021" is not a month; in a path use YYYY-MM, e.g. 2021-04'


async def test_returned_beyond_the_audits_scheduled_names_planned_and_exempted(api):
    response = await api("la", la=LIVERPOOL).put(url(LIVERPOOL, "audit-programme", "2021-01"),
                                                 json={"planned": 40, "exempted": 30, "returned": 15})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == (
        "returned (15) is more than the audits scheduled: planned (40) - exempted (30) = 10")


async def test_a_date_before_the_order_names_both_dates(api):
    messages = await put_order(api, status_date="2019-01-10")
    assert messages["status_date"] == "status_date (2019-01-10) is before order_date (2019-06-14)"


async def test_exempted_beyond_planned_names_both(api):
    response = await api("la", la=LIVERPOOL).put(url(LIVERPOOL, "audit-programme", "2021-01"),
                                                 json={"planned": 4, "exempted": 5, "returned": 0})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "exempted (5) is more than planned (4)"


async def programme_file(api, body: bytes):
    response = await api("la", la=LIVERPOOL).post(submit_url(LIVERPOOL, "audit-programme"), content=body,
                                                  headers={"Content-Type": "text/csv"})
    assert response.status_code == 422, response.text
    return [e["message"] for e in response.json()["errors"]]


async def test_an_unknown_column_lists_the_columns_taken(api):
    messages = await programme_file(api, b"month,planned,exempted,returned,total\n2021-01,40,4,15,\n")
    assert messages == ["unknown column 'total'; rename or delete it: this dataset's columns are exempted, month, "
                        "planned, returned"]


@pytest.mark.parametrize(("body", "message"), [
    (b"month,,planned,exempted,returned\n2021-01,x,40,4,15\n", "column 2 has no name; name it or delete the column"),
    (b"month,planned,exempted,returned,planned\n2021-01,40,4,15,40\n",
     "column 'planned' appears more than once (columns 2 and 5); keep one"),
    (b"month,planned,exempted\n2021-01,40,4\n", "required column 'returned' is missing; every row must give it"),
    (b"month,planned,exempted,returned\n2021-01,40,4,15,oops\n", "row has 5 cells but the header names 4 columns"),
], ids=["unnamed column by position", "repeated column at both positions", "missing column named",
        "cells beyond the header counted"])
async def test_a_file_whose_columns_do_not_fit_says_where_and_what_to_do(api, body, message):
    assert await programme_file(api, body) == [message]


async def test_a_header_that_mixes_semicolons_and_commas_says_how_to_save_a_csv(api):
    messages = await programme_file(api, b'month;planned;exempted;"returned, all"\n2021-01;40;4;15\n')
    assert ('unknown column "month;planned;exempted;\\"returned": the file looks separated by \';\', not commas; save '
            "it from Excel as 'CSV UTF-8 (Comma delimited)', or send it as XLSX") in messages


async def test_too_many_domain_grades_are_counted(api):
    grades = {f"domain_{n}": "good" for n in range(51)}
    response = await api("la", la=LIVERPOOL).put(url(LIVERPOOL, "audits", "A1"), json=audit(domain_grades=grades))
    assert response.status_code == 422
    assert "51 items given; at most 50 items are taken" in [e["message"] for e in response.json()["errors"]]


@pytest.mark.parametrize(("dataset", "header", "row", "message"), [
    ("audit-programme", ["month", "planned", "exempted", "returned"], ["2021-01", 40, 4, 15],
     "month 2021-01 is also on row 2"),
    ("care-order-characteristics", ["snapshot_date", "dimension", "category", "full_care_orders_at_home",
                                    "interim_care_orders_at_home"], ["2021-03-31", "sex", "male", 20, 6],
     "snapshot_date 2021-03-31, dimension sex and category male are also on row 2"),
], ids=["one key column", "a key of three columns"])
async def test_a_key_given_twice_names_each_of_its_columns_and_the_row_it_is_first_on(api, dataset, header, row, message):
    response = await api("la", la=LIVERPOOL).post(submit_url(LIVERPOOL, dataset), content=csv_body(header, [row, row]),
                                                  headers={"Content-Type": "text/csv"})
    assert response.status_code == 422
    assert [e["message"] for e in response.json()["errors"]] == [message]


async def test_a_category_of_another_dimension_names_both_and_the_dimensions_categories(api):
    response = await api("la", la=LIVERPOOL).put(url(LIVERPOOL, "care-order-characteristics", "2021-03-31/sex/under_1"),
                                                 json=characteristics())
    assert response.status_code == 422
    assert [e["message"] for e in response.json()["errors"]] == [
        'category ("under_1") does not belong to dimension ("sex"), which takes male or female']
