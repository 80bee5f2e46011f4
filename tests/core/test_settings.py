import pytest
from pydantic import ValidationError

from app.core.settings import Settings


def test_defaults_run_on_embedded_sqlite(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)
    assert settings.database_url == "sqlite:///./datapack.db" and settings.rate_limit_per_minute == 600


def test_plain_postgresql_url_is_run_on_psycopg():
    assert Settings(database_url="postgresql://u:p@h/db").database_url == "postgresql+psycopg://u:p@h/db"


@pytest.mark.parametrize("field, value", [
    ("database_url", "mysql://u@h/db"), ("rate_limit_per_minute", -1), ("suppression_threshold", 0),
    ("environment", "staging"), ("max_xlsx_inflated_bytes", 1000), ("pack_fresh_wait_seconds", -1),
    ("pack_first_wait_seconds", 0), ("pack_first_wait_seconds", 3601),
])
def test_bad_values_fail_at_start(field, value):
    with pytest.raises(ValidationError):
        Settings(**{field: value})


def test_bad_environment_variable_stops_the_cli(monkeypatch):
    from click.testing import CliRunner

    from app.cli import main
    from app.core.settings import get_settings

    get_settings.cache_clear()
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "lots")
    try:
        result = CliRunner().invoke(main, ["migrate"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code != 0 and "RATE_LIMIT_PER_MINUTE" in result.output


def test_production_refuses_the_development_secret():
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(environment="production")
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(environment="production", secret_key="short")
    assert Settings(environment="production", secret_key="x" * 40).environment == "production"


async def test_cors_is_closed_unless_origins_are_configured(settings):
    import httpx

    from app.main import create_app

    async def preflight(app) -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            return await http.options("/api/v1/areas", headers={"Origin": "https://portal.example",
                                                                 "Access-Control-Request-Method": "GET"})

    closed = await preflight(create_app(settings))
    opened = await preflight(create_app(settings.model_copy(update={"cors_origins": ["https://portal.example"]})))
    assert "access-control-allow-origin" not in closed.headers
    assert opened.headers["access-control-allow-origin"] == "https://portal.example"


def test_the_workbook_inflation_cap_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("MAX_XLSX_INFLATED_BYTES", str(64 * 1024 * 1024))
    assert Settings().max_xlsx_inflated_bytes == 64 * 1024 * 1024
