"""A client generated from the committed OpenAPI document works: no generator warnings, and every call it
makes, as each role, parses into its generated model.

The client is generated once per run with openapi-python-client (the `test` extra pins it) into a temporary
folder and driven through httpx's ASGITransport, which the generated client accepts in place of its own.
"""

import datetime
import importlib
import inspect
import json
import subprocess
import sys
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from openapi_spec_validator import validate

from tests.payloads import LIVERPOOL, NORTH_WEST, audit, characteristics, counts, order, programme

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = ROOT / "openapi" / "openapi.json"
CONFIG = ROOT / "openapi" / "openapi-python-client.yaml"
PACKAGE = "datapack_client"


# Its module-scoped fixture is built once: under pytest-xdist these tests stay on one worker.
pytestmark = pytest.mark.xdist_group("generated_client")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, ModuleType]:
    """The generator's output and the generated package, imported."""
    folder = tmp_path_factory.mktemp("generated")
    result = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(DOCUMENT), "--config", str(CONFIG),
         "--meta", "none", "--output-path", str(folder / PACKAGE)],
        capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        package = importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
    yield result.stdout + result.stderr, package
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


def module(name: str) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.{name}")


def model(name: str) -> type:
    return getattr(module("models"), name)


def as_client(http) -> Any:
    return module("client").Client(base_url="http://test").set_async_httpx_client(http)


def parsed(response, status: int, model_name: str) -> Any:
    """The generated model a response parsed into, with every field the server sent declared in it."""
    assert response.status_code == status, response.content[:500]
    value = response.parsed
    assert isinstance(value, model(model_name)), (model_name, value)
    assert getattr(value, "additional_properties", {}) == {}, value.additional_properties
    return value


def test_generator_reports_no_warning(generated):
    output, _ = generated
    assert "warning" not in output.lower(), output


def test_document_is_valid_openapi():
    validate(json.loads(DOCUMENT.read_text(encoding="utf-8")))


def test_bounds_are_stated_as_minimum_and_maximum():
    def keys(node: Any) -> set[str]:
        if isinstance(node, dict):
            return set(node) | {k for value in node.values() for k in keys(value)}
        return {k for value in node for k in keys(value)} if isinstance(node, list) else set()

    document = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    cla_total = document["components"]["schemas"]["CareOrderCountsCreate"]["properties"]["cla_total"]
    assert (cla_total["minimum"], cla_total["maximum"]) == (0, 1_000_000)
    assert not keys(document["components"]) & {"ge", "le", "gt", "lt"}


def test_optional_headers_are_left_out_rather_than_sent_as_null(generated):
    # Had the document allowed null, the generated client would put None in the header and httpx raise TypeError.
    operations = [("records.put", module("api.orders.put_order"), "if_match"),
                  ("records.get", module("api.orders.get_order"), "if_none_match"),
                  ("packs", module("api.packs.get_audits_pack"), "if_none_match"),
                  ("submissions", module("api.submissions.create_submission"), "idempotency_key")]
    for name, operation, header in operations:
        annotation = inspect.signature(operation.asyncio_detailed).parameters[header].annotation
        assert type(None) not in typing.get_args(annotation), (name, annotation)


# Per dataset: its module, one record's operation name, a key (a tuple: its parts, a path parameter each), a body
# and a revision of it.
RECORDS = [
    ("care_order_counts", "care_order_count", "CareOrderCounts", datetime.date(2021, 3, 31), counts(),
     {"cla_total": 1451}),
    ("care_order_characteristics", "care_order_characteristic", "CareOrderCharacteristics",
     (datetime.date(2021, 3, 31), "sex", "female"), characteristics(), {"interim_care_orders_at_home": 10}),
    ("orders", "order", "Order", "ORD-1", order(), {"age_at_order": 8}),
    ("audits", "audit", "Audit", "AUD-1", audit(), {"overall_grade": "inadequate"}),
    ("audit_programme", "audit_programme", "AuditProgramme", "2021-01", programme(), {"returned": 16}),
    ("population", "population", "Population", 2021, {"children_0_17": 105400}, {"children_0_17": 105500}),
]


async def test_la_returns_revises_and_reads_every_dataset_through_the_client(generated, api):
    client = as_client(api("la", la=LIVERPOOL))
    for package, item, title, key_or_parts, body, revision in RECORDS:
        key = key_or_parts if isinstance(key_or_parts, tuple) else (key_or_parts,)
        operations = f"api.{package}"
        put, get = module(f"{operations}.put_{item}"), module(f"{operations}.get_{item}")
        create = model(f"{title}Create")
        first = await put.asyncio_detailed(LIVERPOOL, *key, client=client, body=create.from_dict(body))
        assert parsed(first, 201, f"{title}Read").version == 1
        tag = first.headers["etag"]
        assert (await get.asyncio_detailed(LIVERPOOL, *key, client=client, if_none_match=tag)).status_code == 304
        revised = await put.asyncio_detailed(LIVERPOOL, *key, client=client, body=create.from_dict(body | revision),
                                             if_match=tag)
        assert parsed(revised, 200, f"{title}Read").version == 2
        stale = await put.asyncio_detailed(LIVERPOOL, *key, client=client, body=create.from_dict(body), if_match=tag)
        assert parsed(stale, 412, "Problem").status == 412
        current = parsed(await get.asyncio_detailed(LIVERPOOL, *key, client=client), 200, f"{title}Read")
        assert current.to_dict() | revision == current.to_dict()
        listed = await module(f"{operations}.list_{package}").asyncio_detailed(LIVERPOOL, client=client)
        assert parsed(listed, 200, f"Page{title}Read").total == 1
        versions = await module(f"{operations}.list_{item}_versions").asyncio_detailed(LIVERPOOL, *key, client=client)
        assert [v.version for v in parsed(versions, 200, f"Page{title}Read").items] == [2, 1]


async def test_la_submits_json_and_a_csv_file_through_the_client(generated, api):
    client = as_client(api("la", la=LIVERPOOL))
    submit = module("api.submissions.create_submission")
    dataset = model("CreateSubmissionDataset")
    records = {"records": [{"month": "2021-02", **programme()}]}
    sent = await submit.asyncio_detailed(LIVERPOOL, client=client, dataset=dataset.AUDIT_PROGRAMME,
                                         body=model("JsonSubmission").from_dict(records), idempotency_key="json-1")
    assert parsed(sent, 201, "SubmissionRead").rows == 1
    csv = b"month,planned,exempted,returned\n2021-03,40,4,15\n2021-04,38,2,20\n"
    checked = await submit.asyncio_detailed(LIVERPOOL, client=client, dataset=dataset.AUDIT_PROGRAMME, dry_run=True,
                                            body=module("types").File(payload=csv, file_name="programme.csv"))
    assert parsed(checked, 200, "SubmissionRead").rows == 2
    listed = await module("api.submissions.list_submissions").asyncio_detailed(LIVERPOOL, client=client)
    submission = parsed(listed, 200, "PageSubmissionRead").items[0]
    one = await module("api.submissions.get_submission").asyncio_detailed(LIVERPOOL, submission.id, client=client)
    assert parsed(one, 200, "SubmissionRead").id == submission.id


async def test_admin_manages_reference_data_and_clients_through_the_client(generated, api):
    client = as_client(api("admin"))
    reference = "api.reference_data"
    las = await module(f"{reference}.list_local_authorities").asyncio_detailed(client=client)
    assert parsed(las, 200, "PageLocalAuthorityRead").total > 100
    one = await module(f"{reference}.get_local_authority").asyncio_detailed(LIVERPOOL, client=client)
    assert parsed(one, 200, "LocalAuthorityRead").code == LIVERPOOL
    group = model("AreaPut").from_dict({"name": "Merseyside", "members": [LIVERPOOL, "340"]})
    put = await module(f"{reference}.put_area").asyncio_detailed("merseyside", client=client, body=group)
    assert parsed(put, 201, "AreaRead").code == "merseyside"
    parsed(await module(f"{reference}.list_areas").asyncio_detailed(client=client), 200, "PageAreaRead")
    frameworks = await module(f"{reference}.list_audit_frameworks").asyncio_detailed(client=client)
    parsed(frameworks, 200, "PageAuditFrameworkRead")
    created = await module("api.api_clients.create_client").asyncio_detailed(
        client=client, body=model("ClientCreate").from_dict({"name": "Wirral BI", "role": "la", "la": "344"}))
    key_holder = parsed(created, 201, "ClientCreated")
    listed = await module("api.api_clients.list_clients").asyncio_detailed(client=client)
    assert key_holder.id in [c.id for c in parsed(listed, 200, "PageClientRead").items]
    revoked = await module("api.api_clients.revoke_client").asyncio_detailed(key_holder.id, client=client)
    assert parsed(revoked, 200, "ClientRead").id == key_holder.id
    parsed(await module("api.access_log.list_access_log").asyncio_detailed(client=client), 200, "PageAccessLogRead")


PACKS = [("get_care_orders_at_home_pack", "CareOrdersPack", {}), ("get_outcomes_pack", "OutcomesPack", {}),
         ("get_audits_pack", "AuditsPack", {}), ("get_completeness_pack", "CompletenessPack", {}),
         ("get_compare_pack", "ComparePack", {"before": "2019-04-01:2020-03-31", "after": "2020-04-01:2021-03-31"})]


async def test_every_role_reads_every_pack_through_the_client(generated, api):
    la = as_client(api("la", la=LIVERPOOL))
    for day, total in (("2020-03-31", 1400), ("2021-03-31", 1450)):
        body = model("CareOrderCountsCreate").from_dict(counts(cla_total=total))
        put = module("api.care_order_counts.put_care_order_count")
        assert (await put.asyncio_detailed(LIVERPOOL, datetime.date.fromisoformat(day), client=la, body=body)).status_code == 201
    measure = model("GetComparePackMeasure").CLA_TOTAL
    for role, scope in (("admin", {}), ("la", {"la": LIVERPOOL}), ("portal", {"area": NORTH_WEST})):
        client = as_client(api(role, **scope))
        for operation, name, query in PACKS:
            call = module(f"api.packs.{operation}").asyncio_detailed
            arguments = {"measure": measure, **query} if query else {}
            pack = await call(client=client, area=NORTH_WEST, **arguments)
            parsed(pack, 200, name)
            again = await call(client=client, area=NORTH_WEST, if_none_match=pack.headers["etag"], **arguments)
            assert again.status_code == 304, (role, operation)
