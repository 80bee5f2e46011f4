"""Every operation of the OpenAPI document, fuzzed with all of Schemathesis's checks, as each role.

Schemathesis sends the key itself (an auth provider), so its own checks that a request without a key
is refused still work. Settings (examples per operation, accepted statuses) are in schemathesis.toml.
"""

import subprocess
import sys
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from app.clients.schemas import ClientCreate
from app.clients.service import create_client
from app.demo.service import load_demo
from tests.conftest import secret_of

CONFIG_PATH = Path(__file__).with_name("schemathesis.toml")
CONFIG = schemathesis.Config.from_path(CONFIG_PATH)
ROLES = {"admin": {}, "la": {"la": "341"}, "portal": {"area": "E12000002"}}
KEY: dict[str, str] = {}


@schemathesis.auth(refresh_interval=None)
class CurrentRole:
    def get(self, case, context):
        return KEY["current"]

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def settings(settings):
    """Schemathesis runs the app's lifespan, which would publish the demo's tables in the background: `/readyz`
    would be 503 (as `tests/health` proves it should be) for as long as that takes on the machine, and the
    publishing would take the cores the fuzzing needs."""
    return settings.model_copy(update={"publish_on_start": False})


@pytest.fixture
def fuzz_schema(app):
    with app.state.sessionmaker() as session, session.begin():
        load_demo(session, secret_of(app))
    return schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG)


def acting_as(app, role: str) -> None:
    with app.state.sessionmaker() as session, session.begin():
        _, KEY["current"] = create_client(session, ClientCreate(name=f"fuzz {role}", role=role, **ROLES[role]),
                                          secret_of(app))


@pytest.fixture
def as_admin(app):
    acting_as(app, "admin")


@pytest.fixture
def as_la(app):
    acting_as(app, "la")


@pytest.fixture
def as_portal(app):
    acting_as(app, "portal")


schema = schemathesis.pytest.from_fixture("fuzz_schema")
FUZZ = hypothesis_settings(suppress_health_check=list(HealthCheck), deadline=None)


@schema.parametrize()
@FUZZ
def test_every_operation_as_admin(case, as_admin):
    case.call_and_validate()


@schema.parametrize()
@FUZZ
def test_every_operation_as_an_la(case, as_la):
    case.call_and_validate()


@schema.parametrize()
@FUZZ
def test_every_operation_as_a_portal(case, as_portal):
    case.call_and_validate()


def test_stateful_sequences_as_admin(app, server, as_admin):
    """Call sequences along the links Schemathesis infers (create, then read, revise, list), run by its own
    engine against the app served over HTTP: its pytest state machine cannot replay runs whose data depends
    on the API's answers."""
    with app.state.sessionmaker() as session, session.begin():
        load_demo(session, secret_of(app))
    result = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "--no-color", "--config-file", str(CONFIG_PATH), "run",
         f"{server}/openapi.json", "--phases", "stateful", "--checks", "all", "--workers", "1",
         "--header", f"Authorization: Bearer {KEY['current']}", "--seed", "1"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:]
    assert "Stateful" in result.stdout and "Scenarios" in result.stdout, result.stdout[-3000:]
