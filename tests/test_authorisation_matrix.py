"""Every route, as every role, for its own and another LA or area: the contract's 401/403/404.

Built from the app's own route table, so a route added without a rule here fails this test.
"""

import asyncio

import pytest

from tests.packs.helpers import audit, make_group, order, put_counts, submit
from tests.payloads import KNOWSLEY, LIVERPOOL, NORTH_WEST, characteristics, counts, programme

OWN, OTHER, OUTSIDE_AREA = LIVERPOOL, KNOWSLEY, "E12000007"
RULES = {
    "public": ["healthz", "readyz"],
    "any_client": ["listLocalAuthorities", "getLocalAuthority", "listAreas", "getArea", "listAuditFrameworks",
                   "getAuditFramework", "listDatasets"],
    "returner": ["getDataset", "getDatasetTemplate"],
    "admin_only": ["putArea", "putAuditFramework", "listClients", "createClient", "revokeClient", "listAccessLog"],
    "la_data": ["putCareOrderCount", "getCareOrderCount", "listCareOrderCountVersions", "listCareOrderCounts",
                "putCareOrderCharacteristic", "getCareOrderCharacteristic", "listCareOrderCharacteristicVersions",
                "listCareOrderCharacteristics",
                "putAuditProgramme", "getAuditProgramme", "listAuditProgrammeVersions", "listAuditProgramme",
                "putPopulation", "getPopulation", "listPopulationVersions", "listPopulation", "createSubmission",
                "listSubmissions", "getSubmission", "createSsda903Submission"],
    "child_data": ["putOrder", "getOrder", "listOrderVersions", "listOrders", "putAudit", "getAudit",
                   "listAuditVersions", "listAudits"],
    "pack": ["getCareOrdersAtHomePack", "getOutcomesPack", "getAuditsPack", "getComparePack", "getCompletenessPack"],
}
KIND = {operation: kind for kind, operations in RULES.items() for operation in operations}
CHILD_LEVEL_MARKERS = ("O1", "A1", "child_ref", "order_ref", "audit_ref", "C-004512")
# The one multipart route: a 903 extract of one child on a full care order at home, sent as files, not JSON.
EXTRACT = {"header": ("header.csv", b"CHILD,SEX,DOB,ETHNIC\nC1,1,01/06/2015,WBRI\n", "text/csv"),
           "episodes": ("episodes.csv", b"CHILD,DECOM,RNE,LS,PLACE,DEC,REC\nC1,01/06/2019,S,C2,P1,,\n", "text/csv")}


def test_every_route_has_a_rule(app):
    # The OpenAPI document is generated from the app's route table: every served operation is in it.
    operations = {op["operationId"] for ops in app.openapi()["paths"].values() for op in ops.values()}
    assert operations == set(KIND), f"routes without a rule: {operations - set(KIND)}; stale rules: {set(KIND) - operations}"


def _request(operation: str, la: str, area: str, ids: dict[str, int]) -> tuple[str, str, dict, dict | None]:
    """(method, path, query, body) that would succeed for a client allowed to make it: JSON, or EXTRACT's files."""
    base = f"/api/v1/local-authorities/{la}"
    bodies = {"putCareOrderCount": counts(), "putCareOrderCharacteristic": characteristics(),
              "putAuditProgramme": programme(), "putPopulation": {"children_0_17": 9000},
              "putOrder": {k: v for k, v in order("O1").items() if k != "order_ref"},
              "putAudit": {k: v for k, v in audit("A1").items() if k != "audit_ref"},
              "putArea": {"name": "Merseyside", "members": ["340", "341"]},
              "putAuditFramework": {"name": "Mine", "domains": []},
              "createClient": {"name": f"new {operation}", "role": "admin"},
              "createSubmission": {"records": [{"month": "2021-03", **programme()}]}}
    # (collection, one record): listOrders, but putOrder.
    paths = {
        ("CareOrderCounts", "CareOrderCount"): f"{base}/care-order-counts",
        ("CareOrderCharacteristics", "CareOrderCharacteristic"): f"{base}/care-order-characteristics",
        ("AuditProgramme", "AuditProgramme"): f"{base}/audit-programme", ("Population", "Population"): f"{base}/population",
        ("Orders", "Order"): f"{base}/orders", ("Audits", "Audit"): f"{base}/audits",
    }
    keys = {"CareOrderCounts": "2021-03-31", "CareOrderCharacteristics": "2021-03-31/sex/male",
            "AuditProgramme": "2021-02", "Population": "2021", "Orders": "O1", "Audits": "A1"}
    for (name, item), path in paths.items():
        if operation in (f"put{item}", f"get{item}"):
            return ("PUT" if operation.startswith("put") else "GET"), f"{path}/{keys[name]}", {}, bodies.get(operation)
        if operation == f"list{item}Versions":
            return "GET", f"{path}/{keys[name]}/versions", {}, None
        if operation == f"list{name}":
            return "GET", path, {}, None
    pack_query = {"area": area, "from": "2020-04-01", "to": "2021-03-31"}
    fixed = {
        "healthz": ("GET", "/healthz", {}, None), "readyz": ("GET", "/readyz", {}, None),
        "listLocalAuthorities": ("GET", "/api/v1/local-authorities", {}, None),
        "getLocalAuthority": ("GET", f"/api/v1/local-authorities/{la}", {}, None),
        "listAreas": ("GET", "/api/v1/areas", {}, None), "getArea": ("GET", f"/api/v1/areas/{area}", {}, None),
        "putArea": ("PUT", "/api/v1/areas/merseyside", {}, bodies["putArea"]),
        "listAuditFrameworks": ("GET", "/api/v1/audit-frameworks", {}, None),
        "getAuditFramework": ("GET", "/api/v1/audit-frameworks/nw-adcs-2017", {}, None),
        "putAuditFramework": ("PUT", "/api/v1/audit-frameworks/mine", {}, bodies["putAuditFramework"]),
        "listClients": ("GET", "/api/v1/clients", {}, None),
        "createClient": ("POST", "/api/v1/clients", {}, bodies["createClient"]),
        "revokeClient": ("DELETE", f"/api/v1/clients/{ids['spare_client']}", {}, None),
        "listAccessLog": ("GET", "/api/v1/access-log", {}, None),
        "listDatasets": ("GET", "/api/v1/datasets", {}, None),
        "getDataset": ("GET", "/api/v1/datasets/orders", {}, None),
        "getDatasetTemplate": ("GET", "/api/v1/datasets/orders/template", {"format": "xlsx"}, None),
        "createSubmission": ("POST", f"{base}/submissions", {"dataset": "audit-programme"}, bodies["createSubmission"]),
        "listSubmissions": ("GET", f"{base}/submissions", {}, None),
        "createSsda903Submission": ("POST", f"{base}/ssda903", {"years": "2021", "dry_run": "true"}, EXTRACT),
        "getSubmission": ("GET", f"{base}/submissions/{ids[la]}", {}, None),
        "getComparePack": ("GET", "/api/v1/packs/compare", {"area": area, "measure": "total_at_home",
                                                             "before": "2019-04-01:2020-03-31",
                                                             "after": "2020-04-01:2021-03-31"}, None),
    }
    if operation in fixed:
        return fixed[operation]
    pack = {"getCareOrdersAtHomePack": "care-orders-at-home", "getOutcomesPack": "outcomes", "getAuditsPack": "audits",
            "getCompletenessPack": "completeness"}[operation]
    return "GET", f"/api/v1/packs/{pack}", pack_query, None


def _expected(kind: str, role: str, own_scope: bool) -> int | None:
    """The status the contract requires, or None where the call is allowed (any status but 401/403/404)."""
    if role == "anonymous":
        return None if kind == "public" else 401
    if kind in ("public", "any_client") or role == "admin":
        return None
    if kind == "admin_only":
        return 403
    if kind == "returner":
        return 403 if role == "portal" else None
    if kind == "pack":
        return None if role == "la" or own_scope else 403
    if role == "portal":
        return 403
    if kind == "child_data":
        return None if own_scope else 404
    return None if own_scope else 403


@pytest.fixture
def arranged(api):
    return asyncio.run(_arrange(api))


async def _arrange(api) -> dict[str, int]:
    admin = api("admin")
    await make_group(admin, "merseyside", [KNOWSLEY, LIVERPOOL])
    ids = {}
    for la in (OWN, OTHER):
        await put_counts(admin, la, "2021-03-31")
        await admin.put(f"/api/v1/local-authorities/{la}/care-order-characteristics/2021-03-31/sex/male",
                        json=characteristics())
        await admin.put(f"/api/v1/local-authorities/{la}/population/2021", json={"children_0_17": 9000})
        await submit(admin, la, "orders", [order("O1")])
        await submit(admin, la, "audits", [audit("A1")])
        await submit(admin, la, "audit-programme", [{"month": "2021-02", **programme()}])
        ids[la] = (await admin.get(f"/api/v1/local-authorities/{la}/submissions")).json()["items"][0]["id"]
    spare = await admin.post("/api/v1/clients", json={"name": "spare", "role": "admin"})
    ids["spare_client"] = spare.json()["id"]
    return ids


@pytest.mark.parametrize("role", ["anonymous", "admin", "la", "portal"])
async def test_every_route_answers_each_role_as_the_contract_says(api, anonymous, arranged, role):
    client = {"anonymous": anonymous, "admin": api("admin"), "la": api("la", la=OWN),
              "portal": api("portal", area=NORTH_WEST)}[role]
    failures = []
    for operation, kind in KIND.items():
        for own_scope in (True, False):
            la = OWN if own_scope else OTHER
            area = NORTH_WEST if own_scope else OUTSIDE_AREA
            method, path, query, body = _request(operation, la, area, arranged)
            sent = {"files": body} if body is EXTRACT else {"json": body}
            response = await client.request(method, path, params=query, **sent)
            expected = _expected(kind, role, own_scope)
            allowed = response.status_code not in (401, 403, 404)
            if (expected is None and not allowed) or (expected is not None and response.status_code != expected):
                failures.append((operation, own_scope, response.status_code, expected, response.text[:120]))
            if role == "portal" and response.status_code == 200 and kind != "any_client":
                leaked = [m for m in CHILD_LEVEL_MARKERS if m in response.text]
                assert not leaked, (operation, leaked)
    assert failures == []
