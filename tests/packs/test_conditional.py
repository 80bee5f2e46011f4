"""Repeat pack requests whose ETag holds are answered 304 before the routing, and nothing else is."""

import logging

import httpx
import pytest

from app.main import create_app
from app.packs.conditional import NotModifiedShortcut
from tests.packs.helpers import audit, submit
from tests.payloads import LIVERPOOL

NORTH_WEST, WEST_MIDLANDS = "E12000002", "E12000005"
AUDITS = {"area": NORTH_WEST, "from": "2020-04-01", "to": "2021-03-31"}


def behind_the_shortcut(app, routing):
    """The shortcut of `app` in front of `routing`, which stands in for everything after it."""
    shortcut = NotModifiedShortcut(routing)

    async def asgi(scope, receive, send):
        scope["app"] = app
        await shortcut(scope, receive, send)

    return asgi


async def tag_of(reader: httpx.AsyncClient) -> str:
    response = await reader.get("/api/v1/packs/audits", params=AUDITS)
    assert response.status_code == 200, response.text
    return response.headers["etag"]


async def test_a_repeat_whose_etag_holds_is_answered_without_the_routing(app, api):
    await submit(api("admin"), LIVERPOOL, "audits", [audit("A1")])
    reader = api("portal", area=NORTH_WEST)
    tag = await tag_of(reader)

    async def routing(scope, receive, send):
        raise AssertionError("the routing was reached")

    transport = httpx.ASGITransport(app=behind_the_shortcut(app, routing))
    async with httpx.AsyncClient(transport=transport, base_url="http://test", headers=reader.headers) as http:
        response = await http.get("/api/v1/packs/audits", params=AUDITS, headers={"If-None-Match": tag})
    assert response.status_code == 304 and response.headers["etag"] == tag
    assert response.headers["cache-control"] == "private, no-cache" and response.headers["vary"] == "Authorization"


@pytest.mark.parametrize("change", ["stale tag", "star", "unknown parameter", "as_of", "other pack", "no key"])
async def test_anything_but_a_holding_tag_on_a_plain_pack_query_goes_on_to_the_routing(app, api, change):
    reader = api("admin")
    tag = await tag_of(reader)
    query, path = dict(AUDITS), "/api/v1/packs/audits"
    headers = {"If-None-Match": tag, "Authorization": reader.headers["authorization"]}
    if change == "stale tag":
        headers["If-None-Match"] = '"0"'
    elif change == "star":
        headers["If-None-Match"] = "*"
    elif change == "unknown parameter":
        query["colour"] = "red"
    elif change == "as_of":
        query["as_of"] = "2030-01-01T00:00:00Z"
    elif change == "other pack":
        path = "/api/v1/packs/compare"
    else:
        del headers["Authorization"]
    reached = []

    async def routing(scope, receive, send):
        reached.append(scope["path"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    transport = httpx.ASGITransport(app=behind_the_shortcut(app, routing))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        response = await http.get(path, params=query, headers=headers)
    assert response.status_code == 204 and reached == [path]


async def test_a_revoked_key_with_a_holding_tag_is_refused(app, api):
    admin = api("admin")
    created = await admin.post("/api/v1/clients", json={"name": "poller", "role": "portal", "area": NORTH_WEST})
    poller = {"Authorization": f"Bearer {created.json()['api_key']}"}
    first = await admin.get("/api/v1/packs/audits", params=AUDITS, headers=poller)
    assert (await admin.delete(f"/api/v1/clients/{created.json()['id']}")).status_code == 200
    again = await admin.get("/api/v1/packs/audits", params=AUDITS, headers={**poller, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 401


async def test_a_portal_outside_the_area_is_refused_whatever_tag_it_sends(app, api):
    tag = await tag_of(api("portal", area=NORTH_WEST))
    outsider = api("portal", area=WEST_MIDLANDS)
    response = await outsider.get("/api/v1/packs/audits", params=AUDITS, headers={"If-None-Match": tag})
    assert response.status_code == 403


async def test_a_304_from_the_shortcut_counts_against_the_request_budget_once(settings, api):
    limited = create_app(settings.model_copy(update={"rate_limit_per_minute": 3}))
    reader = httpx.AsyncClient(transport=httpx.ASGITransport(app=limited, raise_app_exceptions=False),
                               base_url="http://test", headers=api("admin").headers)
    try:
        tag = await tag_of(reader)
        statuses = [(await reader.get("/api/v1/packs/audits", params=AUDITS, headers={"If-None-Match": tag})).status_code
                    for _ in range(3)]
    finally:
        limited.state.engine.dispose()
    assert statuses == [304, 304, 429]


async def test_a_304_from_the_shortcut_is_logged_with_its_client_and_request_id(app, api, caplog):
    reader = api("admin")
    tag = await tag_of(reader)
    logger = logging.getLogger("app")
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="app"):
            response = await reader.get("/api/v1/packs/audits", params=AUDITS,
                                        headers={"If-None-Match": tag, "X-Request-ID": "poll-1"})
    finally:
        logger.removeHandler(caplog.handler)
    entry = [r.msg for r in caplog.records if r.name == "app.access"][-1]
    assert response.status_code == 304 and response.headers["x-request-id"] == "poll-1"
    assert entry["status"] == 304 and entry["client_request_id"] == "poll-1" and entry["client_id"] is not None
