"""The checked-in OpenAPI document is the one the app serves, and it documents every error."""

import json
from pathlib import Path

from app.main import openapi_document

CHECKED_IN = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"
CLIENT_ERRORS = {"400", "401", "403", "404", "422", "429", "500"}


def test_checked_in_document_matches_the_app():
    assert CHECKED_IN.read_text(encoding="utf-8") == openapi_document(), (
        "openapi/openapi.json is stale: run `datapack openapi --output openapi/openapi.json`")


async def test_served_document_matches_the_checked_in_one(anonymous):
    served = (await anonymous.get("/openapi.json")).json()
    assert served == json.loads(CHECKED_IN.read_text(encoding="utf-8"))


def test_every_schema_has_an_example():
    schemas = json.loads(openapi_document())["components"]["schemas"]
    assert [name for name, s in schemas.items() if "examples" not in s and "example" not in s] == []


def test_every_api_operation_has_a_stable_id_and_problem_responses():
    document = json.loads(openapi_document())
    ids = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            ids.append(operation["operationId"])
            if path.startswith("/api/v1"):
                assert set(operation["responses"]) >= CLIENT_ERRORS, (method, path)
                for status in CLIENT_ERRORS:
                    assert list(operation["responses"][status]["content"]) == ["application/problem+json"]
    assert len(ids) == len(set(ids)) and all(i[0].islower() and "_" not in i for i in ids)
