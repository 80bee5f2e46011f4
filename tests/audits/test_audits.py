from tests.payloads import LIVERPOOL, audit, url

REF = "A-2021-0107"


async def test_audit_with_domain_grades_round_trips(api):
    la = api("la", la=LIVERPOOL)
    assert (await la.put(url(LIVERPOOL, "audits", REF), json=audit())).status_code == 201
    read = (await la.get(url(LIVERPOOL, "audits", REF))).json()
    assert read["framework"] == "nw-adcs-2017"
    assert read["domain_grades"] == {"response_to_risk": "good", "plans": "requires_improvement"}


async def test_changing_only_a_domain_grade_makes_a_new_version(api):
    la = api("la", la=LIVERPOOL)
    await la.put(url(LIVERPOOL, "audits", REF), json=audit())
    revised = await la.put(url(LIVERPOOL, "audits", REF),
                           json=audit(domain_grades={"response_to_risk": "inadequate", "plans": "requires_improvement"}))
    assert revised.json()["version"] == 2
    first = (await la.get(url(LIVERPOOL, "audits", REF) + "/versions")).json()["items"][1]
    assert first["domain_grades"]["response_to_risk"] == "good"


async def test_domain_outside_the_framework_is_rejected(api):
    la = api("la", la=LIVERPOOL)
    response = await la.put(url(LIVERPOOL, "audits", REF), json=audit(domain_grades={"vibes": "good"}))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "domain_grades.vibes"


async def test_overall_only_framework_takes_no_domains(api):
    la = api("la", la=LIVERPOOL)
    bad = await la.put(url(LIVERPOOL, "audits", REF), json=audit(framework="overall-only"))
    good = await la.put(url(LIVERPOOL, "audits", REF), json=audit(framework="overall-only", domain_grades={}))
    assert (bad.status_code, good.status_code) == (422, 201)


async def test_unknown_framework_is_rejected(api):
    la = api("la", la=LIVERPOOL)
    response = await la.put(url(LIVERPOOL, "audits", REF), json=audit(framework="no-such-framework"))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "framework"


async def test_moderation_result_must_match_the_grades(api):
    la = api("la", la=LIVERPOOL)
    wrong = await la.put(url(LIVERPOOL, "audits", REF), json=audit(
        overall_grade="good", moderation={"moderated_grade": "inadequate", "result": "supported"}))
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "moderation.result"
    right = await la.put(url(LIVERPOOL, "audits", REF), json=audit(
        overall_grade="good", moderation={"moderated_grade": "inadequate", "result": "downgraded"}))
    assert right.status_code == 201


async def test_grades_outside_the_four_point_scale_are_rejected(api):
    la = api("la", la=LIVERPOOL)
    response = await la.put(url(LIVERPOOL, "audits", REF), json=audit(overall_grade="Good", outcome_grade="ok"))
    assert {e["field"] for e in response.json()["errors"]} == {"overall_grade", "outcome_grade"}


async def test_admin_defined_framework_is_used_for_validation(api):
    admin, la = api("admin"), api("la", la=LIVERPOOL)
    framework = {"name": "Four domains", "domains": [{"code": "direct_work", "name": "Direct work with children"}]}
    assert (await admin.put("/api/v1/audit-frameworks/four-domain", json=framework)).status_code == 201
    response = await la.put(url(LIVERPOOL, "audits", REF),
                            json=audit(framework="four-domain", domain_grades={"direct_work": "good"}))
    assert response.status_code == 201
