"""HEAD wherever GET is: GET's status and headers, no body."""

from tests.payloads import LIVERPOOL, NORTH_WEST
from tests.test_authorisation_matrix import KIND, _arrange, _request

# Differ between any two requests by design.
PER_REQUEST = {"x-request-id"}
OUTSIDE_THE_API = ["/openapi.json", "/docs", "/docs-assets/swagger-ui.css", "/api/v1/nothing-here"]


def comparable(headers) -> dict[str, str]:
    return {name: value for name, value in headers.items() if name not in PER_REQUEST}


async def test_head_on_every_get_route_has_gets_status_and_headers_and_no_body(api):
    ids = await _arrange(api)
    admin = api("admin")
    paths = [(path, query) for method, path, query, _ in (_request(op, LIVERPOOL, NORTH_WEST, ids) for op in KIND)
             if method == "GET"] + [(path, {}) for path in OUTSIDE_THE_API]
    assert len(paths) > 30
    for path, query in paths:
        got = await admin.get(path, params=query)
        head = await admin.head(path, params=query)
        assert (head.status_code, head.content) == (got.status_code, b""), path
        assert comparable(head.headers) == comparable(got.headers), path
        assert int(head.headers.get("content-length", len(got.content))) == len(got.content), path


async def test_a_conditional_head_on_a_pack_is_a_304(api):
    admin = api("admin")
    query = {"area": NORTH_WEST, "from": "2020-04-01", "to": "2021-03-31"}
    tag = (await admin.get("/api/v1/packs/audits", params=query)).headers["etag"]
    head = await admin.head("/api/v1/packs/audits", params=query, headers={"If-None-Match": tag})
    assert head.status_code == 304 and head.headers["etag"] == tag


async def test_head_where_get_is_not_served_is_405_naming_what_is(api):
    response = await api("admin").head("/api/v1/clients/1")
    assert response.status_code == 405 and response.headers["allow"] == "DELETE" and response.content == b""
