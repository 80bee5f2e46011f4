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


async def test_a_trailing_slash_is_a_404_problem_and_never_a_redirect_to_the_requests_host(api):
    response = await api("admin").get("/api/v1/areas/", headers={"Host": "evil.example"})
    assert response.status_code == 404 and response.headers["content-type"] == PROBLEM
    assert "location" not in response.headers and "evil.example" not in response.text
    assert response.json()["detail"].endswith("Paths take no trailing slash.")


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


async def test_405_allow_names_every_method_of_the_path(api):
    response = await api("admin").delete("/api/v1/local-authorities/341/orders/O1")
    assert response.status_code == 405 and response.headers["allow"] == "GET, HEAD, PUT"


async def test_numbers_are_not_read_as_dates(api):
    admin = api("admin")
    assert (await admin.get("/api/v1/local-authorities?on=0")).status_code == 422
    assert (await admin.get("/api/v1/local-authorities?on=2021-03-31T00:00")).status_code == 422
    response = await admin.put("/api/v1/local-authorities/341/orders/O1", json={
        "child_ref": "C1", "order_type": "full_care_order", "order_date": 1560470400, "age_at_order": 7,
        "current_status": "at_home_on_order", "status_date": "2020-01-10"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "order_date"


async def test_oversized_single_record_is_413_with_or_without_content_length(api):
    admin = api("admin")
    big = b'{"notes": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    declared = await admin.put("/api/v1/local-authorities/341/care-order-counts/2021-03-31", content=big,
                               headers={"Content-Type": "application/json"})
    assert declared.status_code == 413 and declared.headers["content-type"] == "application/problem+json"

    async def chunks():
        for _ in range(3):
            yield b"x" * (512 * 1024)

    streamed = await admin.put("/api/v1/local-authorities/341/care-order-counts/2021-03-31", content=chunks(),
                               headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413
