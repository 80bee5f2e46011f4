from tests.payloads import LIVERPOOL, url

PROBLEM = "application/problem+json"


async def test_missing_key_is_401_with_bearer_challenge(anonymous):
    response = await anonymous.get("/api/v1/local-authorities")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["content-type"] == PROBLEM
    assert set(response.json()) >= {"type", "title", "status", "detail", "instance"}


async def test_unknown_key_is_401(anonymous):
    response = await anonymous.get("/api/v1/local-authorities", headers={"Authorization": "Bearer dpk_nope"})
    assert response.status_code == 401 and 'error="invalid_token"' in response.headers["www-authenticate"]


async def test_malformed_json_is_400_problem(api):
    response = await api("admin").put(url(LIVERPOOL, "audit-programme", "2021-01"), content=b"{oops",
                                      headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.headers["content-type"] == PROBLEM


async def test_wrong_method_is_405_with_allow(api):
    response = await api("admin").delete("/api/v1/local-authorities")
    assert response.status_code == 405 and response.headers["content-type"] == PROBLEM
    assert "GET" in response.headers["allow"]


async def test_unknown_path_is_404_problem(api):
    response = await api("admin").get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json()["instance"] == "/api/v1/nothing-here"


async def test_validation_problem_lists_loc_row_field_message(api):
    response = await api("admin").put(url(LIVERPOOL, "audit-programme", "2021-01"), json={"planned": -1})
    errors = response.json()["errors"]
    assert response.status_code == 422
    assert {e["field"] for e in errors} == {"planned", "exempted", "returned"}
    assert all(set(e) == {"loc", "row", "field", "message"} and e["row"] is None for e in errors)


async def test_request_id_is_echoed_when_sane_and_made_up_otherwise(anonymous):
    echoed = await anonymous.get("/healthz", headers={"X-Request-ID": "abc-123"})
    replaced = await anonymous.get("/healthz", headers={"X-Request-ID": "bad id\twith junk"})
    assert echoed.headers["x-request-id"] == "abc-123"
    assert replaced.headers["x-request-id"] != "bad id\twith junk" and len(replaced.headers["x-request-id"]) == 32


async def test_unexpected_error_is_a_500_problem_without_trace(app, api):
    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    response = await api("admin").get("/boom")
    assert response.status_code == 500 and response.headers["content-type"] == PROBLEM
    assert "secret internals" not in response.text and "Traceback" not in response.text
