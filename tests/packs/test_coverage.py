"""A total says how many LAs it covers, a partial one is marked as such, and a change compares the same LAs."""

import io

from openpyxl import load_workbook

from tests.packs.helpers import audit, make_group, order, pack, put_counts, submit
from tests.payloads import KNOWSLEY, LIVERPOOL

YEARS = {"from": "2019-04-01", "to": "2021-03-31"}


async def _pair(admin) -> None:
    await make_group(admin, "merseyside-pair", [LIVERPOOL, KNOWSLEY])


async def test_the_area_change_is_over_the_las_that_returned_both_dates(api):
    """A change of totals would count an LA that returned one date only as children arriving."""
    admin = api("admin")
    await _pair(admin)
    await put_counts(admin, LIVERPOOL, "2020-03-31", full_care_orders_at_home=100)
    await put_counts(admin, LIVERPOOL, "2021-03-31", full_care_orders_at_home=110)
    await put_counts(admin, KNOWSLEY, "2021-03-31", full_care_orders_at_home=60)
    body = await pack(admin, "care-orders-at-home", area="merseyside-pair", **YEARS)
    latest = body["dates"][-1]["total"]
    assert (latest["total_at_home"], latest["change_on_previous"], latest["matched_las"]) == (110 + 20 + 60 + 20, 10, 1)
    assert (latest["las_returned"], latest["las_expected"]) == (2, 2)
    first = body["dates"][0]["total"]
    assert (first["las_returned"], first["las_expected"], first["change_on_previous"]) == (1, 2, None)


async def test_outcomes_and_audits_totals_say_how_many_las_they_cover(api):
    admin = api("admin")
    await _pair(admin)
    await submit(admin, LIVERPOOL, "orders", [order("O1", order_date="2020-06-01", status_date="2020-07-01")])
    await submit(admin, LIVERPOOL, "audits", [audit("A1", audit_date="2021-02-10")])
    outcomes = await pack(admin, "outcomes", area="merseyside-pair", **YEARS)
    assert (outcomes["total"]["las_returned"], outcomes["total"]["las_expected"]) == (1, 2)
    audits = await pack(admin, "audits", area="merseyside-pair", **YEARS)
    assert (audits["total"]["las_returned"], audits["total"]["las_expected"]) == (1, 2)
    assert [(m["month"], m["las_returned"], m["las_expected"]) for m in audits["months"]] == [("2021-02", 1, 2)]


async def test_a_partial_total_is_marked_in_html_and_xlsx_and_counted_in_csv(api):
    admin = api("admin")
    await _pair(admin)
    await put_counts(admin, LIVERPOOL, "2021-03-31")
    query = {"area": "merseyside-pair", **YEARS}
    html = (await admin.get("/api/v1/packs/care-orders-at-home", params={**query, "format": "html"})).text
    assert "Merseyside Pair (1 of 2 LAs: partial)" in html and 'class="total partial"' in html
    workbook = load_workbook(io.BytesIO((await admin.get("/api/v1/packs/care-orders-at-home",
                                                         params={**query, "format": "xlsx"})).content))
    totals = workbook["Area totals"]
    header = [c.value for c in totals[1]]
    row = list(totals.iter_rows(min_row=2, max_row=2))[0]
    assert row[header.index("las_returned")].value == 1 and row[0].fill.fgColor.rgb.endswith("FFF4E5")
    assert any("partial totals" in (c.value or "") for c in workbook["Notes"]["A"])
    csv = (await admin.get("/api/v1/packs/care-orders-at-home", params={**query, "format": "csv"})).text
    assert ",totals,2021-03-31,merseyside-pair,Merseyside Pair,las_returned,1," in csv
    assert ",totals,2021-03-31,merseyside-pair,Merseyside Pair,las_expected,2," in csv


async def test_an_optional_item_summed_over_fewer_las_says_how_many(api):
    admin = api("admin")
    await _pair(admin)
    await put_counts(admin, LIVERPOOL, "2021-03-31", orders_made_in_year=30)
    await put_counts(admin, KNOWSLEY, "2021-03-31")
    total = (await pack(admin, "care-orders-at-home", area="merseyside-pair", **YEARS))["dates"][0]["total"]
    assert (total["orders_made_in_year"], total["las_returned"]) == (30, 2)
    assert total["item_las_returned"]["orders_made_in_year"] == 1
    assert "cla_total" not in total["item_las_returned"]
