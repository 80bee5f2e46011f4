"""JSON nesting is capped wherever a JSON body is read: a 400 naming the limit, never a 500."""

import asyncio
import json

import anyio
import httpx

from app.core.limits import MAX_JSON_DEPTH, SubmissionGate, too_deep
from tests.payloads import LIVERPOOL, counts


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_brackets_inside_strings_do_not_count_towards_depth():
    assert not too_deep(json.dumps({"notes": "[" * 100 + '\\"{' * 100}))
    assert too_deep(json.dumps({"notes": "]"}) + nested(MAX_JSON_DEPTH + 1))


def test_depth_is_measured_without_recursion_on_an_unclosed_string_of_quotes():
    assert too_deep("{" * (MAX_JSON_DEPTH + 1) + '"' + '\\"' * 500_000)


async def test_a_deeply_nested_record_put_is_a_400_naming_the_limit(api):
    body = json.dumps(counts(cla_total=json.loads(nested(900))))
    response = await api("admin").put(f"/api/v1/local-authorities/{LIVERPOOL}/care-order-counts/2021-03-31",
                                      content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.headers["content-type"] == "application/problem+json"
    assert f"more than {MAX_JSON_DEPTH} deep" in response.json()["detail"]


async def test_a_deeply_nested_model_body_is_a_400_naming_the_limit(api):
    body = '{"name": "Deep", "members": ' + nested(1000) + "}"
    response = await api("admin").put("/api/v1/areas/deep-group", content=body,
                                      headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and f"more than {MAX_JSON_DEPTH} deep" in response.json()["detail"]


async def test_a_deeply_nested_body_without_a_content_type_is_a_400(api):
    response = await api("admin").post("/api/v1/clients", content='{"name": ' + nested(1000) + "}")
    assert response.status_code == 400 and f"more than {MAX_JSON_DEPTH} deep" in response.json()["detail"]


async def test_a_body_nested_to_the_limit_is_read_and_validated(api):
    body = json.dumps(counts(cla_total=json.loads(nested(MAX_JSON_DEPTH - 1))))
    response = await api("admin").put(f"/api/v1/local-authorities/{LIVERPOOL}/care-order-counts/2021-03-31",
                                      content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422


async def test_no_more_submissions_than_the_gate_allows_are_handled_at_once():
    running, most = 0, 0

    async def slow_app(scope, receive, send):
        nonlocal running, most
        running += 1
        most = max(most, running)
        await anyio.sleep(0.05)
        running -= 1
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    gated = httpx.AsyncClient(transport=httpx.ASGITransport(app=SubmissionGate(slow_app, at_once=2)),
                              base_url="http://test")
    responses = await asyncio.gather(*(gated.post(f"/api/v1/local-authorities/341/submissions?n={n}")
                                       for n in range(8)))
    assert [r.status_code for r in responses] == [201] * 8 and most == 2


async def test_requests_other_than_submissions_are_not_held_by_the_gate():
    entered = anyio.Event()

    async def app(scope, receive, send):
        if scope["method"] == "POST":
            await entered.wait()
        else:
            entered.set()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    gated = httpx.AsyncClient(transport=httpx.ASGITransport(app=SubmissionGate(app, at_once=1)), base_url="http://test")
    with anyio.fail_after(5):
        upload, read = await asyncio.gather(gated.post("/api/v1/local-authorities/341/submissions"),
                                            gated.get("/api/v1/packs/audits"))
    assert upload.status_code == read.status_code == 200
