"""What a reader with small numbers suppressed may ask for: tables over whole periods that do not overlap,
so no two requests can be subtracted; and where every pack's range defaults to."""

from datetime import date

from app.packs.periods import period_end
from tests.packs.helpers import audit, order, pack, put_counts, submit
from tests.payloads import LIVERPOOL, NORTH_WEST

PACK = "/api/v1/packs/care-orders-at-home"


async def _refusal(client, path: str, **params: str) -> dict:
    response = await client.get(path, params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


async def test_a_suppressed_reader_must_ask_for_whole_financial_years_and_is_told_what_there_is(api):
    admin = api("admin")
    for year in (2019, 2020, 2021):
        await put_counts(admin, LIVERPOOL, f"{year}-03-31")
    problem = await _refusal(api("portal", area=NORTH_WEST), PACK, area=NORTH_WEST, **{"from": "2019-01-01",
                                                                                        "to": "2021-03-31"})
    assert problem["errors"][0]["field"] == "from"
    assert "whole financial years (from a 1 April to a 31 March)" in problem["detail"]
    assert "returns for North West run from 2019-03-31 to 2021-03-31" in problem["detail"]
    fine = await pack(api("portal", area=NORTH_WEST), "care-orders-at-home", area=NORTH_WEST,
                      **{"from": "2018-04-01", "to": "2021-03-31"})
    assert [d["snapshot_date"] for d in fine["dates"]] == ["2019-03-31", "2020-03-31", "2021-03-31"]


async def test_a_full_disclosure_reader_may_ask_for_any_range(api):
    admin = api("admin")
    await put_counts(admin, LIVERPOOL, "2021-03-31")
    for client in (admin, api("portal", area=NORTH_WEST, disclosure="full")):
        assert (await client.get(PACK, params={"area": NORTH_WEST, "from": "2021-01-01", "to": "2021-03-31"})
                ).status_code == 200


async def test_a_suppressed_reader_reads_audits_by_whole_financial_years_not_quarters(api):
    """Quarters were published once; a year's audits split four ways hid twice as many cells (1,097 against
    2,162 for the North West's 2019–20 on the demo data)."""
    portal = api("portal", area=NORTH_WEST)
    await _refusal(portal, "/api/v1/packs/audits", area=NORTH_WEST, **{"from": "2021-01-01", "to": "2021-03-31"})
    assert (await portal.get("/api/v1/packs/audits", params={"area": NORTH_WEST, "from": "2020-04-01",
                                                             "to": "2021-03-31"})).status_code == 200


async def test_compare_periods_for_a_suppressed_reader_are_whole_years_that_do_not_overlap(api):
    """Overlapping periods gave the hidden first year as the change (2017–2021 minus 2018–2021)."""
    la_reader = api("la", la="340")
    problem = await _refusal(la_reader, "/api/v1/packs/compare", la=LIVERPOOL, measure="interim_care_orders_at_home",
                             before="2016-04-01:2021-03-31", after="2017-04-01:2021-03-31")
    assert [e["message"] for e in problem["errors"]] == ["`before` and `after` overlap"]
    problem = await _refusal(la_reader, "/api/v1/packs/compare", la=LIVERPOOL, measure="orders_made",
                             before="2017-03-31:2018-03-31", after="2019-04-01:2020-03-31")
    assert problem["errors"][0]["field"] == "before"
    allowed = await la_reader.get("/api/v1/packs/compare", params={
        "la": LIVERPOOL, "measure": "orders_made", "before": "2016-04-01:2018-03-31", "after": "2018-04-01:2021-03-31"})
    assert allowed.status_code == 200


async def test_a_suppressed_reader_may_not_ask_for_years_after_the_current_one(api):
    """No record is dated after today. Each later year's table was still decided, after every year before it:
    one portal request for 2030–2050 kept the server busy for 120 s and was answered 503."""
    admin = api("admin")
    await put_counts(admin, LIVERPOOL, "2021-03-31")
    current = period_end("financial_year", date.today())
    portal = api("portal", area=NORTH_WEST)
    problem = await _refusal(portal, "/api/v1/packs/outcomes", area=NORTH_WEST,
                             **{"from": "2030-04-01", "to": "2050-03-31"})
    assert [e["field"] for e in problem["errors"]] == ["from", "to"]
    assert f"up to the current one (ending {current})" in problem["detail"]
    after = f"{current.year}-04-01:{current.year + 1}-03-31"
    problem = await _refusal(portal, "/api/v1/packs/compare", area=NORTH_WEST, measure="orders_made",
                             before="2019-04-01:2021-03-31", after=after)
    assert [e["field"] for e in problem["errors"]] == ["after", "after"]
    assert (await portal.get(PACK, params={"area": NORTH_WEST, "from": f"{current.year - 1}-04-01",
                                           "to": current.isoformat()})).status_code == 200
    assert (await admin.get(PACK, params={"area": NORTH_WEST, "from": "2030-04-01", "to": "2050-03-31"})
            ).status_code == 200


async def test_without_a_range_a_pack_covers_five_years_to_the_latest_return_not_to_today(api):
    admin = api("admin")
    for year in range(2014, 2022):
        await put_counts(admin, LIVERPOOL, f"{year}-03-31")
    body = await pack(admin, "care-orders-at-home", area=NORTH_WEST)
    assert (body["from"], body["to"], body["range_defaulted"]) == ("2016-04-01", "2021-03-31", True)
    assert [d["snapshot_date"][:4] for d in body["dates"]] == ["2017", "2018", "2019", "2020", "2021"]
    asked = await pack(admin, "care-orders-at-home", area=NORTH_WEST, **{"from": "2019-04-01", "to": "2021-03-31"})
    assert asked["range_defaulted"] is False


async def test_a_defaulted_range_is_whole_periods_for_a_suppressed_reader(api):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "orders", [order("O1", order_date="2020-06-01", status_date="2021-02-03")])
    await submit(admin, LIVERPOOL, "audits", [audit("A1", audit_date="2021-02-10")])
    portal = api("portal", area=NORTH_WEST)
    outcomes = await pack(portal, "outcomes", area=NORTH_WEST)
    assert (outcomes["from"], outcomes["to"]) == ("2016-04-01", "2021-03-31")
    audits = await pack(portal, "audits", area=NORTH_WEST)
    assert (audits["from"], audits["to"], audits["range_defaulted"]) == ("2016-04-01", "2021-03-31", True)
    exact = await pack(admin, "audits", area=NORTH_WEST)
    assert exact["to"] == "2021-02-28"  # the month of the latest audit, as the audits pack counts whole months


async def test_with_nothing_returned_the_range_ends_today(api):
    body = await pack(api("admin"), "care-orders-at-home", area=NORTH_WEST)
    assert body["range_defaulted"] is True and body["dates"] == []


async def test_a_page_over_a_defaulted_range_says_so(api):
    admin = api("admin")
    await put_counts(admin, LIVERPOOL, "2021-03-31")
    defaulted = await admin.get(PACK, params={"area": NORTH_WEST, "format": "html"})
    asked = await admin.get(PACK, params={"area": NORTH_WEST, "from": "2020-04-01", "to": "2021-03-31", "format": "html"})
    assert 'id="range-note"' in defaulted.text and 'id="range-note"' not in asked.text
    assert defaulted.text.count('id="suppression-note"') == 1


async def test_with_nothing_returned_a_suppressed_readers_range_ends_with_the_last_whole_year(api):
    body = await pack(api("portal", area=NORTH_WEST), "care-orders-at-home", area=NORTH_WEST)
    last_year_end = (await pack(api("admin"), "care-orders-at-home", area=NORTH_WEST))["to"]  # today
    assert body["to"] < last_year_end and body["to"].endswith("-03-31") and body["from"].endswith("-04-01")


async def test_as_of_a_bare_year_is_refused_not_read_as_seconds_since_1970(api):
    problem = await _refusal(api("admin"), PACK, area=NORTH_WEST, as_of="2020")
    assert problem["errors"][0]["field"] == "as_of" and "2026-11-30" in problem["errors"][0]["message"]


async def test_a_year_without_a_record_of_a_category_does_not_hide_it_over_a_run_of_years(api):
    """The year with no audit built the area's row without the theme: it adds nothing, as its own table shows.
    Withheld as undecided, every theme, role and domain of a five-year portal pack was "c"."""
    admin = api("admin")
    await submit(admin, LIVERPOOL, "audits", [audit(f"T{i}", audit_type="themed", theme="neglect") for i in range(8)])
    portal = api("portal", area=NORTH_WEST)
    one = await pack(portal, "audits", area=NORTH_WEST, **{"from": "2020-04-01", "to": "2021-03-31"})
    two = await pack(portal, "audits", area=NORTH_WEST, **{"from": "2019-04-01", "to": "2021-03-31"})
    assert one["total"]["themes"]["counts"]["neglect"] == 8
    assert two["total"]["themes"]["counts"]["neglect"] == 8 and "neglect" not in str(two["total"]["themes"]["suppressed"])
