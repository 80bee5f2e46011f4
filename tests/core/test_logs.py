import json
import logging
import os

import pytest

from app.core.logs import JsonFormatter


@pytest.fixture
def app_log(app, caplog):
    """The app's logger does not propagate (it writes JSON itself), so listen to it directly."""
    logger = logging.getLogger("app")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


async def test_each_request_is_one_json_line_with_its_own_id_and_the_clients(api, app_log):
    client = api("admin")
    with app_log.at_level(logging.INFO, logger="app"):
        response = await client.get("/api/v1/areas", headers={"X-Request-ID": "trace-1"})
    entries = [r.msg for r in app_log.records if r.name == "app.access"]
    assert entries[-1]["client_request_id"] == "trace-1" == response.headers["x-request-id"]
    assert len(entries[-1]["request_id"]) == 32 and entries[-1]["request_id"] != "trace-1"
    assert entries[-1]["status"] == 200 and entries[-1]["client_id"] is not None
    formatted = json.loads(JsonFormatter().format(app_log.records[-1]))
    assert formatted["client_request_id"] == "trace-1" and formatted["level"] == "info"


async def test_two_requests_sending_the_same_request_id_are_told_apart_in_the_log(api, app_log):
    with app_log.at_level(logging.INFO, logger="app"):
        for client in (api("admin"), api("la", la="341")):
            await client.get("/api/v1/areas", headers={"X-Request-ID": "same-id"})
    entries = [r.msg for r in app_log.records if r.name == "app.access"][-2:]
    assert [e["client_request_id"] for e in entries] == ["same-id", "same-id"]
    assert entries[0]["request_id"] != entries[1]["request_id"]


async def test_the_key_never_appears_in_the_log(api, app_log):
    client = api("admin")
    key = client.headers["authorization"].split()[1]
    with app_log.at_level(logging.DEBUG, logger="app"):
        await client.get("/api/v1/areas")
        await client.get("/api/v1/nowhere")
    assert key not in app_log.text and all(key not in str(r.msg) for r in app_log.records)


def test_each_line_names_the_process_that_wrote_it():
    # The workers of `datapack serve --workers N` share one stream.
    record = logging.LogRecord("app.packs", logging.INFO, __file__, 1, {"event": "table_decided"}, None, None)
    assert json.loads(JsonFormatter().format(record))["process"] == os.getpid()
