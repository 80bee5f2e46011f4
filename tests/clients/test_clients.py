from click.testing import CliRunner
from sqlalchemy import select

from app.cli import main
from app.clients.models import ApiClient
from app.core.settings import get_settings


def run_cli(monkeypatch, database_url: str, *args: str):
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        get_settings.cache_clear()


async def test_cli_prints_the_key_alone_on_the_last_line_and_stores_only_its_hash(monkeypatch, database_url, db, anonymous):
    result = run_cli(monkeypatch, database_url, "clients", "create", "--role", "la", "--la", "341", "--name", "Liverpool BI")
    assert result.exit_code == 0, result.output
    key = result.stdout.strip().splitlines()[-1]
    assert key.startswith("dpk_") and len(key) >= 4 + 43
    stored = db.scalar(select(ApiClient).where(ApiClient.name == "Liverpool BI"))
    assert key not in (stored.key_hash, stored.key_prefix) and len(stored.key_hash) == 64
    response = await anonymous.get("/api/v1/local-authorities/341", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


def test_cli_refuses_an_la_client_without_an_la(monkeypatch, database_url):
    result = run_cli(monkeypatch, database_url, "clients", "create", "--role", "la", "--name", "x")
    assert result.exit_code != 0 and "needs `la`" in result.output


def test_cli_refuses_an_unknown_la(monkeypatch, database_url):
    result = run_cli(monkeypatch, database_url, "clients", "create", "--role", "la", "--la", "999", "--name", "x")
    assert result.exit_code != 0 and "999" in result.output


async def test_revoked_key_is_refused_at_once(monkeypatch, database_url, anonymous):
    created = run_cli(monkeypatch, database_url, "clients", "create", "--role", "admin", "--name", "ops")
    key = created.stdout.strip().splitlines()[-1]
    listing = run_cli(monkeypatch, database_url, "clients", "list")
    client_id = next(line.split("\t")[0] for line in listing.stdout.splitlines() if line.endswith("\tops"))
    assert key not in listing.stdout
    assert run_cli(monkeypatch, database_url, "clients", "revoke", client_id).exit_code == 0
    response = await anonymous.get("/api/v1/areas", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401


async def test_admin_issues_and_revokes_clients_over_the_api(api, anonymous):
    admin = api("admin")
    created = await admin.post("/api/v1/clients", json={"name": "NW portal", "role": "portal", "area": "E12000002"})
    assert created.status_code == 201
    key = created.json()["api_key"]
    listed = (await admin.get("/api/v1/clients")).json()
    assert key not in str(listed)
    portal = {"Authorization": f"Bearer {key}"}
    assert (await anonymous.get("/api/v1/areas", headers=portal)).status_code == 200
    assert (await admin.delete(f"/api/v1/clients/{created.json()['id']}")).status_code == 200
    assert (await anonymous.get("/api/v1/areas", headers=portal)).status_code == 401


async def test_only_admin_manages_clients(api):
    la = api("la", la="341")
    assert (await la.get("/api/v1/clients")).status_code == 403
    assert (await la.post("/api/v1/clients", json={"name": "me2", "role": "admin"})).status_code == 403


async def test_duplicate_client_name_is_409(api):
    admin = api("admin")
    body = {"name": "dup", "role": "admin"}
    assert (await admin.post("/api/v1/clients", json=body)).status_code == 201
    assert (await admin.post("/api/v1/clients", json=body)).status_code == 409


async def test_client_for_an_unknown_area_is_422(api):
    response = await api("admin").post("/api/v1/clients", json={"name": "p", "role": "portal", "area": "E12999999"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "area"


def test_keys_are_stored_as_a_keyed_hash(db, app):
    import hashlib

    from app.clients.schemas import ClientCreate
    from app.clients.service import create_client
    from tests.conftest import secret_of

    client, key = create_client(db, ClientCreate(name="hashed", role="admin"), secret_of(app))
    assert client.key_hash != hashlib.sha256(key.encode()).hexdigest() and key not in client.key_hash


def test_cli_grants_full_disclosure_to_a_portal(monkeypatch, database_url, db):
    result = run_cli(monkeypatch, database_url, "clients", "create", "--role", "portal", "--area", "E12000002",
                     "--name", "North West board", "--disclosure", "full")
    assert result.exit_code == 0, result.output
    assert "disclosure full" in result.stderr
    assert db.scalar(select(ApiClient.disclosure).where(ApiClient.name == "North West board")) == "full"


async def test_each_role_has_its_disclosure_by_default(api):
    admin = api("admin")
    for body, expected in (({"role": "la", "la": "341"}, "suppressed"), ({"role": "portal", "area": "E12000002"},
                                                                        "suppressed"), ({"role": "admin"}, "full")):
        response = await admin.post("/api/v1/clients", json={"name": f"c-{body['role']}", **body})
        assert response.status_code == 201, response.text
        assert response.json()["disclosure"] == expected


async def test_an_admin_client_cannot_be_given_suppressed_figures(api):
    response = await api("admin").post("/api/v1/clients", json={"name": "x", "role": "admin", "disclosure": "suppressed"})
    assert response.status_code == 422
    assert "disclosure is `full`" in response.text


def test_the_client_list_says_each_clients_disclosure_level(monkeypatch, database_url):
    run_cli(monkeypatch, database_url, "clients", "create", "--role", "portal", "--area", "E12000002", "--name", "board",
            "--disclosure", "full")
    listing = run_cli(monkeypatch, database_url, "clients", "list").stdout.splitlines()
    header, board = listing[0].split("\t"), next(line for line in listing if line.endswith("\tboard")).split("\t")
    assert dict(zip(header, board, strict=True))["disclosure"] == "full"
