from tests.packs.helpers import audit, order, pack, submit
from tests.payloads import LIVERPOOL

RANGE = {"from": "2020-04-01", "to": "2021-03-31"}


async def test_return_rate_moderation_and_downgrades_follow_the_published_definitions(api):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "audit-programme", [
        {"month": "2021-01", "planned": 45, "exempted": 5, "returned": 20},
        {"month": "2021-02", "planned": 40, "exempted": 0, "returned": 10}])
    audits = [audit(f"A{i}") for i in range(15)]
    audits += [audit(f"M{i}", moderation={"moderated_grade": "good", "result": "supported"}) for i in range(4)]
    audits += [audit("D1", moderation={"moderated_grade": "requires_improvement", "result": "downgraded"})]
    await submit(admin, LIVERPOOL, "audits", audits)
    total = (await pack(admin, "audits", area=LIVERPOOL, **RANGE))["total"]
    programme = total["programme"]
    assert (programme["scheduled"], programme["returned"], programme["return_rate"]) == (80, 30, 37.5)
    moderation = total["moderation"]
    assert (moderation["audits_returned"], moderation["moderated"], moderation["pct_moderated"]) == (20, 5, 25.0)
    assert (moderation["downgraded"], moderation["pct_downgraded"]) == (1, 20.0)
    # Grades count after moderation: the downgraded audit counts as requires improvement.
    assert total["grades"]["counts"] == {"outstanding": 0, "good": 19, "requires_improvement": 1, "inadequate": 0}
    assert total["pct_good_or_better"] == 95.0
    months = {m["month"]: m for m in (await pack(admin, "audits", area=LIVERPOOL, **RANGE))["months"]}
    assert months["2021-01"]["programme"]["return_rate"] == 50.0 and months["2021-02"]["grades"]["total"] == 20


async def test_domain_grades_are_counted_per_domain(api):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "audits", [
        audit("A1", domain_grades={"plans": "good", "assessments": "inadequate"}),
        audit("A2", domain_grades={"plans": "requires_improvement"})])
    body = await pack(admin, "audits", area=LIVERPOOL, **RANGE)
    assert body["domains"][0] == "response_to_risk" and len(body["domains"]) == 9
    plans = body["total"]["domains"]["plans"]
    assert (plans["counts"]["good"], plans["counts"]["requires_improvement"], plans["total"]) == (1, 1, 2)
    assert body["total"]["domains"]["response_to_risk"]["total"] == 0


async def test_la_and_cafcass_agreement_on_the_same_order(api):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "orders", [order("O1"), order("O2"), order("O3")])
    await submit(admin, LIVERPOOL, "audits", [
        audit("L1", order_ref="O1", overall_grade="good"),
        audit("L2", order_ref="O2", overall_grade="good", moderation={"moderated_grade": "inadequate",
                                                                       "result": "downgraded"}),
        audit("L3", order_ref="O3", overall_grade="requires_improvement"),
        audit("C1", order_ref="O1", overall_grade="good", audit_type="cafcass_dip_sample", framework="overall-only"),
        audit("C2", order_ref="O2", overall_grade="inadequate", audit_type="cafcass_dip_sample", framework="overall-only"),
        audit("C3", order_ref="O3", overall_grade="good", audit_type="cafcass_dip_sample", framework="overall-only"),
    ])
    agreement = (await pack(admin, "audits", area=LIVERPOOL, **RANGE))["total"]["agreement"]
    assert (agreement["pairs"], agreement["agreed"], agreement["pct_agreed"]) == (3, 2, 66.7)


async def test_an_la_that_returned_nothing_has_null_figures_not_zeros(api):
    admin = api("admin")
    await admin.put("/api/v1/areas/pair", json={"name": "Pair", "members": [LIVERPOOL, "340"]})
    await submit(admin, LIVERPOOL, "audits", [audit("A1")])
    body = await pack(admin, "audits", area="pair", **RANGE)
    knowsley = next(row for row in body["las"] if row["code"] == "340")
    assert knowsley["grades"]["total"] is None and knowsley["pct_good_or_better"] is None
    assert knowsley["programme"]["planned"] is None and knowsley["programme"]["return_rate"] is None
    assert knowsley["moderation"]["moderated"] is None
    assert body["total"]["grades"]["total"] == 1


async def test_as_of_rebuilds_the_audits_pack_before_a_regrade(api):
    admin = api("admin")
    await submit(admin, LIVERPOOL, "audits", [audit("A1", overall_grade="inadequate")])
    before = await pack(admin, "audits", area=LIVERPOOL, **RANGE)
    await submit(admin, LIVERPOOL, "audits", [audit("A1", overall_grade="good")])
    then = await pack(admin, "audits", area=LIVERPOOL, **RANGE, as_of=before["generated_at"])
    now = await pack(admin, "audits", area=LIVERPOOL, **RANGE)
    assert then["total"]["grades"]["counts"]["inadequate"] == 1 and now["total"]["grades"]["counts"]["good"] == 1
    assert then["las"] == before["las"] and then["sources"] == before["sources"]
    assert then["sources"][0]["digest"] != now["sources"][0]["digest"]
