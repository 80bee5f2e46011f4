async def test_shipped_frameworks(api):
    body = (await api("la", la="341").get("/api/v1/audit-frameworks")).json()
    frameworks = {f["code"]: [d["code"] for d in f["domains"]] for f in body["items"]}
    assert frameworks["overall-only"] == []
    assert frameworks["nw-adcs-2017"] == [
        "response_to_risk", "child_centred", "management_oversight", "assessments", "coordination_of_agencies",
        "plans", "effectiveness_of_reviews", "quality_of_placement", "impact_on_children"]


async def test_repeated_domain_codes_are_rejected(api):
    body = {"name": "x", "domains": [{"code": "a", "name": "A"}, {"code": "a", "name": "B"}]}
    assert (await api("admin").put("/api/v1/audit-frameworks/dup", json=body)).status_code == 422


async def test_only_admin_manages_frameworks(api):
    body = {"name": "x", "domains": []}
    assert (await api("la", la="341").put("/api/v1/audit-frameworks/mine", json=body)).status_code == 403


async def test_unknown_framework_is_404(api):
    assert (await api("admin").get("/api/v1/audit-frameworks/nope")).status_code == 404
