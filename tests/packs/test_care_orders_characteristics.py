"""The care-orders-at-home pack's characteristics: the area's children on orders at home by age band and sex
beside its region and England, what a suppressed reader may see of them, and the completeness checks on them.

Expected figures are worked out by hand here, never by the pack's own code."""

import csv
import io

from openpyxl import load_workbook

from tests.packs.helpers import make_group, pack, put_breakdown, put_counts
from tests.payloads import ENGLAND, KNOWSLEY, LIVERPOOL, NORTH_WEST, url
from tests.ssda903.test_ssda903_api import files

DAY = "2021-03-31"
RANGE = {"from": "2020-04-01", "to": DAY}
CUMBRIA, CAMDEN = "909", "202"  # Cumbria: North West, outside Merseyside; Camden: London
# (full, interim) per category. Each LA's dimensions add up to its counts: Liverpool 250 + 50, Knowsley 80 + 20,
# Cumbria 60 + 20, Camden 30 + 10.
BREAKDOWNS = {
    LIVERPOOL: {"age_band": {"under_1": (8, 2), "1_to_4": (60, 15), "5_to_9": (70, 13), "10_to_15": (90, 15),
                             "16_and_over": (22, 5)},
                "sex": {"male": (130, 26), "female": (120, 24)}},
    KNOWSLEY: {"age_band": {"under_1": (2, 1), "1_to_4": (20, 5), "5_to_9": (22, 6), "10_to_15": (28, 6),
                            "16_and_over": (8, 2)},
               "sex": {"male": (41, 11), "female": (39, 9)}},
    CUMBRIA: {"age_band": {"under_1": (4, 1), "1_to_4": (15, 5), "5_to_9": (15, 5), "10_to_15": (20, 6),
                           "16_and_over": (6, 3)},
              "sex": {"male": (31, 9), "female": (29, 11)}},
    CAMDEN: {"age_band": {"under_1": (1, 1), "1_to_4": (7, 2), "5_to_9": (8, 2), "10_to_15": (10, 3),
                          "16_and_over": (4, 2)},
             "sex": {"male": (16, 5), "female": (14, 5)}},
}
COUNTS = {LIVERPOOL: (250, 50), KNOWSLEY: (80, 20), CUMBRIA: (60, 20), CAMDEN: (30, 10)}
# Merseyside and Liverpool, small enough that a suppressed reader has something to be kept from: Liverpool's
# under-1s are 3, Merseyside's 4 (Knowsley's 1).
SMALL = {
    LIVERPOOL: {"age_band": {"under_1": (2, 1), "1_to_4": (20, 5), "5_to_9": (25, 5), "10_to_15": (28, 7),
                             "16_and_over": (5, 2)}},
    KNOWSLEY: {"age_band": {"under_1": (1, 0), "1_to_4": (10, 3), "5_to_9": (12, 3), "10_to_15": (13, 3),
                            "16_and_over": (4, 1)}},
}
SMALL_COUNTS = {LIVERPOOL: (80, 20), KNOWSLEY: (40, 10)}


async def arrange(admin, breakdowns: dict, counts: dict) -> None:
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    for la, (full, interim) in counts.items():
        await put_counts(admin, la, DAY, full_care_orders_at_home=full, interim_care_orders_at_home=interim)
    for la, breakdown in breakdowns.items():
        await put_breakdown(admin, la, DAY, breakdown)


def shown(body: dict, area: str, dimension: str) -> dict[str, tuple]:
    """One area's categories of a dimension: (total_at_home, children_in_dimension, pct_of_dimension)."""
    [at] = body["dates"]
    return {r["category"]: (r["total_at_home"], r["children_in_dimension"], r["pct_of_dimension"])
            for r in at["characteristics"] if r["area"] == area and r["dimension"] == dimension}


def returned(body: dict, area: str) -> set[tuple[int, int]]:
    [at] = body["dates"]
    return {(r["las_returned"], r["las_expected"]) for r in at["characteristics"] if r["area"] == area}


async def test_area_region_and_england_figures_are_the_sums_of_their_las_breakdowns(api):
    admin = api("admin")
    await arrange(admin, BREAKDOWNS, COUNTS)
    body = await pack(admin, "care-orders-at-home", area="merseyside", **RANGE)
    # Merseyside = Liverpool + Knowsley: 400 children; 13 / 400 = 3.25 %, published half up as 3.3.
    assert shown(body, "merseyside", "age_band") == {
        "under_1": (13, 400, 3.3), "1_to_4": (100, 400, 25.0), "5_to_9": (111, 400, 27.8),
        "10_to_15": (139, 400, 34.8), "16_and_over": (37, 400, 9.3)}
    assert shown(body, "merseyside", "sex") == {"male": (208, 400, 52.0), "female": (192, 400, 48.0)}
    # North West = Merseyside + Cumbria: 480.
    assert shown(body, NORTH_WEST, "age_band") == {
        "under_1": (18, 480, 3.8), "1_to_4": (120, 480, 25.0), "5_to_9": (131, 480, 27.3),
        "10_to_15": (165, 480, 34.4), "16_and_over": (46, 480, 9.6)}
    assert shown(body, NORTH_WEST, "sex") == {"male": (248, 480, 51.7), "female": (232, 480, 48.3)}
    # England = North West + Camden: 520.
    assert shown(body, ENGLAND, "age_band") == {
        "under_1": (20, 520, 3.8), "1_to_4": (129, 520, 24.8), "5_to_9": (141, 520, 27.1),
        "10_to_15": (178, 520, 34.2), "16_and_over": (52, 520, 10.0)}
    assert shown(body, ENGLAND, "sex") == {"male": (269, 520, 51.7), "female": (251, 520, 48.3)}


async def test_each_row_says_how_many_las_of_the_area_returned_a_breakdown(api):
    admin = api("admin")
    await arrange(admin, BREAKDOWNS, COUNTS)
    body = await pack(admin, "care-orders-at-home", area="merseyside", **RANGE)
    assert returned(body, "merseyside") == {(2, 2)}
    assert returned(body, NORTH_WEST) == {(3, 23)}
    # The shipped list's LAs operational on 31 March 2021, less its joint Kingston / Richmond row.
    assert returned(body, ENGLAND) == {(4, 151)}
    assert returned(body, "E12000007") == {(1, 33)}


async def test_a_portal_never_sees_a_count_of_one_to_five_in_any_characteristics_cell(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await arrange(admin, SMALL, SMALL_COUNTS)
    [at] = (await pack(portal, "care-orders-at-home", area="merseyside", **RANGE))["dates"]
    assert {r["area"] for r in at["characteristics"]} == {"merseyside", NORTH_WEST, ENGLAND}
    for row in at["characteristics"]:
        for name in ("total_at_home", "children_in_dimension"):
            assert row[name] is None or not 1 <= row[name] <= 5, row


async def test_an_admin_sees_unhidden_the_cells_a_portal_is_kept_from(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await arrange(admin, SMALL, SMALL_COUNTS)
    seen = (await pack(portal, "care-orders-at-home", area="merseyside", **RANGE))["dates"][0]["characteristics"]
    full = (await pack(admin, "care-orders-at-home", area="merseyside", **RANGE))["dates"][0]["characteristics"]
    under_1 = {r["area"]: r for r in seen if r["category"] == "under_1"}
    assert {area: (r["total_at_home"], r["suppressed"].get("total_at_home")) for area, r in under_1.items()} == {
        "merseyside": (None, "c"), NORTH_WEST: (None, "c"), ENGLAND: (None, "c")}
    assert {r["area"]: (r["total_at_home"], r["suppressed"]) for r in full if r["category"] == "under_1"} == {
        "merseyside": (4, {}), NORTH_WEST: (4, {}), ENGLAND: (4, {})}


async def test_a_hidden_categorys_share_is_hidden_with_it(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await arrange(admin, SMALL, SMALL_COUNTS)
    seen = (await pack(portal, "care-orders-at-home", area="merseyside", **RANGE))["dates"][0]["characteristics"]
    hidden = [r for r in seen if "total_at_home" in r["suppressed"]]
    assert hidden  # 4 under-1s of 150 would otherwise be 2.7 %
    assert all(r["pct_of_dimension"] is None and r["suppressed"]["pct_of_dimension"] == "c" for r in hidden)


async def test_an_la_packs_area_row_is_the_las_own_breakdown(api):
    admin = api("admin")
    await arrange(admin, BREAKDOWNS, COUNTS)
    body = await pack(admin, "care-orders-at-home", area=LIVERPOOL, **RANGE)
    assert returned(body, LIVERPOOL) == {(1, 1)}
    assert shown(body, LIVERPOOL, "sex") == {"male": (156, 300, 52.0), "female": (144, 300, 48.0)}


async def test_an_la_packs_area_row_keeps_the_las_small_counts_from_a_portal(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await arrange(admin, SMALL, SMALL_COUNTS)
    body = await pack(portal, "care-orders-at-home", area=LIVERPOOL, **RANGE)
    [under_1] = [r for r in body["dates"][0]["characteristics"] if r["area"] == LIVERPOOL and r["category"] == "under_1"]
    assert (under_1["total_at_home"], under_1["suppressed"].get("total_at_home")) == (None, "c")  # Liverpool's 3


async def completeness_warnings(admin) -> list[str]:
    body = await pack(admin, "completeness", area=LIVERPOOL, **RANGE)
    return next(r for r in body["las"] if r["code"] == LIVERPOOL)["warnings"]


async def test_completeness_warns_of_a_breakdown_that_does_not_add_up_to_the_counts(api):
    admin = api("admin")
    await put_counts(admin, LIVERPOOL, DAY, full_care_orders_at_home=250, interim_care_orders_at_home=51)
    await put_breakdown(admin, LIVERPOOL, DAY, BREAKDOWNS[LIVERPOOL])
    # Both dimensions add up to 250 and 50; the counts say 250 and 51.
    assert await completeness_warnings(admin) == [
        f"{DAY}: the breakdown by {dimension} adds up to 250 full and 50 interim orders at home; "
        f"the counts say 250 and 51" for dimension in ("age_band", "sex")]


async def test_completeness_warns_of_a_breakdown_with_no_counts_for_its_date(api):
    admin = api("admin")
    await put_breakdown(admin, LIVERPOOL, DAY, {"sex": BREAKDOWNS[LIVERPOOL]["sex"]})
    assert await completeness_warnings(admin) == [
        f"{DAY}: a breakdown by sex is returned but no care-order counts for the date"]


async def test_completeness_does_not_warn_when_the_breakdown_adds_up_to_the_counts(api):
    admin = api("admin")
    await put_counts(admin, LIVERPOOL, DAY, full_care_orders_at_home=250, interim_care_orders_at_home=50)
    await put_breakdown(admin, LIVERPOOL, DAY, BREAKDOWNS[LIVERPOOL])
    assert await completeness_warnings(admin) == []


async def test_the_html_pack_has_a_characteristics_section_for_the_latest_date(api):
    admin = api("admin")
    await arrange(admin, BREAKDOWNS, COUNTS)
    page = (await admin.get("/api/v1/packs/care-orders-at-home",
                            params={"area": "merseyside", **RANGE, "format": "html"})).text
    assert "Characteristics at 31 March 2021" in page


async def test_the_csv_pack_gives_each_categorys_figures_a_row_of_their_own(api):
    admin = api("admin")
    await arrange(admin, BREAKDOWNS, COUNTS)
    response = await admin.get("/api/v1/packs/care-orders-at-home", params={"area": "merseyside", **RANGE, "format": "csv"})
    rows = [r for r in csv.DictReader(io.StringIO(response.text)) if r["section"] == "characteristics"]
    merseyside = {r["measure"]: r["value"] for r in rows if r["code"] == "merseyside"}
    assert merseyside["age_band.under_1.total_at_home"] == "13"
    assert merseyside["sex.female.pct_of_dimension"] == "48.0"


async def test_the_workbook_keeps_every_category_of_each_area(api):
    admin = api("admin")
    await arrange(admin, BREAKDOWNS, COUNTS)
    response = await admin.get("/api/v1/packs/care-orders-at-home",
                               params={"area": "merseyside", **RANGE, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content))["By characteristics"]
    header, *rows = sheet.iter_rows(values_only=True)
    merseyside = dict(zip(header, next(r for r in rows if r[1] == "merseyside"), strict=True))
    assert (merseyside["age_band.under_1.total_at_home"], merseyside["sex.male.total_at_home"]) == (13, 208)


async def test_a_breakdown_derived_from_an_ssda903_extract_names_it_in_the_packs_sources(api):
    la = api("la", la=LIVERPOOL)
    response = await la.post(url(LIVERPOOL, "ssda903"), params={"years": "2021"}, files=files())
    assert response.status_code == 201, response.text
    body = await pack(la, "care-orders-at-home", area=LIVERPOOL, **RANGE)
    [source] = [s for s in body["sources"] if s["dataset"] == "care-order-characteristics"]
    assert (source["la"], source["source"]) == (LIVERPOOL, f"ssda903:{response.json()['id']}")


async def test_las_returned_counts_every_la_whose_breakdown_is_in_even_when_each_returned_one_dimension(api):
    admin = api("admin")
    await arrange(admin, {LIVERPOOL: {"age_band": BREAKDOWNS[LIVERPOOL]["age_band"]},
                          KNOWSLEY: {"sex": BREAKDOWNS[KNOWSLEY]["sex"]}}, {LIVERPOOL: COUNTS[LIVERPOOL],
                                                                            KNOWSLEY: COUNTS[KNOWSLEY]})
    body = await pack(admin, "care-orders-at-home", area="merseyside", **RANGE)
    [at] = body["dates"]
    assert {r["las_returned"] for r in at["characteristics"] if r["role"] == "area"} == {2}
