from tests.packs.helpers import make_group, order, pack, submit
from tests.payloads import KNOWSLEY, LIVERPOOL, NORTH_WEST

RANGE = {"from": "2019-04-01", "to": "2021-03-31"}


def discharged(ref: str, outcome: str, day: str = "2020-06-01", **values) -> dict:
    return order(ref, current_status="discharged", status_date=day, discharge_date=day, discharge_outcome=outcome, **values)


async def test_discharge_outcomes_count_discharges_dated_in_the_range(api):
    admin = api("admin")
    records = [discharged(f"N{i}", "no_order") for i in range(18)] + [discharged(f"S{i}", "supervision_order")
                                                                       for i in range(7)]
    records += [discharged("F1", "family_assistance_order"), discharged("OLD", "no_order", "2019-01-05",
                                                                         order_date="2018-01-01")]
    await submit(admin, LIVERPOOL, "orders", records)
    body = await pack(admin, "outcomes", area=LIVERPOOL, **RANGE)
    d = body["total"]["discharge_outcomes"]
    assert d["total"] == 26
    assert (d["counts"]["no_order"], d["shares"]["no_order"], d["shares"]["supervision_order"]) == (18, 69.2, 26.9)
    assert d["shares"]["family_assistance_order"] == 3.8


async def test_plan_against_court_outcome_and_practice_measures(api):
    admin = api("admin")
    records = [order(f"A{i}", la_final_care_plan="supervision_order", court_outcome="care_order_at_home",
                     pre_proceedings=True, assessments_in_proceedings=4) for i in range(6)]
    records += [order(f"B{i}", la_final_care_plan="supervision_order", court_outcome="supervision_order",
                      pre_proceedings=False, assessments_in_proceedings=12) for i in range(2)]
    records += [order("C1", order_date="2018-01-01")]  # made before the range: counts only in current status
    await submit(admin, LIVERPOOL, "orders", records)
    total = (await pack(admin, "outcomes", area=LIVERPOOL, **RANGE))["total"]
    assert total["plan_vs_outcome"]["counts"]["supervision_order|care_order_at_home"] == 6
    assert total["plans"]["counts"]["supervision_order"] == 8
    assert total["care_order_at_home_when_planned"]["supervision_order"] == 75.0
    assert total["care_order_at_home_when_planned"]["care_order_removal"] is None  # no such plan: null, not 0
    assert (total["pre_proceedings"]["total"], total["pre_proceedings"]["shares"]["yes"]) == (8, 75.0)
    assert total["assessments_in_proceedings"]["counts"]["4"] == 6 and total["assessments_in_proceedings"]["counts"]["10+"] == 2
    assert total["current_status"]["total"] == 9


async def test_area_row_adds_up_its_las(api):
    admin = api("admin")
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    await submit(admin, LIVERPOOL, "orders", [discharged(f"L{i}", "no_order") for i in range(7)])
    await submit(admin, KNOWSLEY, "orders", [discharged(f"K{i}", "no_order") for i in range(9)])
    body = await pack(admin, "outcomes", area="merseyside", **RANGE)
    assert [row["discharge_outcomes"]["total"] for row in body["las"]] == [9, 7]
    assert body["total"]["discharge_outcomes"]["total"] == 16


async def test_a_portal_never_sees_order_or_child_references(api):
    admin, portal = api("admin"), api("portal", area=NORTH_WEST)
    await submit(admin, LIVERPOOL, "orders", [discharged(f"REF-SECRET-{i}", "no_order") for i in range(8)])
    response = await portal.get("/api/v1/packs/outcomes", params={"area": LIVERPOOL, **RANGE})
    assert response.status_code == 200
    assert "REF-SECRET" not in response.text and "CREF" not in response.text
    assert "order_ref" not in response.text and "child_ref" not in response.text
    [source] = [s for s in response.json()["sources"] if s["dataset"] == "orders"]
    assert source["records"] is None and source["key"] is None and source["digest"].startswith("sha256:")  # no counts


async def test_an_la_with_no_orders_has_null_figures_not_zeros(api):
    admin = api("admin")
    await make_group(admin, "merseyside", [LIVERPOOL, KNOWSLEY])
    await submit(admin, LIVERPOOL, "orders", [discharged("L1", "no_order")])
    body = await pack(admin, "outcomes", area="merseyside", **RANGE)
    knowsley = next(row for row in body["las"] if row["code"] == KNOWSLEY)
    assert knowsley["discharge_outcomes"]["total"] is None and knowsley["current_status"]["counts"]["adopted"] is None
    assert body["total"]["discharge_outcomes"]["total"] == 1
